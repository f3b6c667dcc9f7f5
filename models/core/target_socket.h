// A model's target socket that calls the model's transport functions straight from the
// initiator's call. tlm_utils::simple_target_socket forwards through an object that also
// converts between the blocking and non-blocking protocols; no model here uses the
// non-blocking one, and that hop cost ~30 instructions per bus transaction. The
// registration calls are simple_target_socket's, so a model changes only its socket's type.
#pragma once

#include <systemc>
#include <tlm>

#include <string>

namespace aesvp {

// A target's blocking transport as a plain function and its object, for a bus that resolves
// its routes once (Interconnect): a call through the tlm_fw_transport_if pointer loads the
// interface's virtual-base offset and goes through a virtual thunk on every access.
struct DirectTransport {
  using Fn = void (*)(void* target, tlm::tlm_generic_payload& trans, sc_core::sc_time& t);
  Fn fn = nullptr;
  void* target = nullptr;
  void operator()(tlm::tlm_generic_payload& trans, sc_core::sc_time& t) const {
    fn(target, trans, t);
  }
};

// Implemented by a forward interface that can hand out its DirectTransport; the bus finds
// it with a dynamic_cast at the end of elaboration, and keeps the virtual call for others.
class HasDirectTransport {
 public:
  virtual DirectTransport direct_transport() = 0;

 protected:
  ~HasDirectTransport() = default;
};

template <class MODULE>
class TargetSocket : public tlm::tlm_target_socket<32> {
 public:
  using BTransport = void (MODULE::*)(tlm::tlm_generic_payload&, sc_core::sc_time&);
  using TransportDbg = unsigned int (MODULE::*)(tlm::tlm_generic_payload&);
  using GetDmi = bool (MODULE::*)(tlm::tlm_generic_payload&, tlm::tlm_dmi&);

  explicit TargetSocket(const char* name = sc_core::sc_gen_unique_name("target_socket"))
      : tlm::tlm_target_socket<32>(name), forward_(*this) {
    bind(forward_);
  }

  void register_b_transport(MODULE* module, BTransport f) {
    forward_.module = module;
    forward_.b = f;
    forward_.direct = &Forward::transport;
  }
  // The same with the function known at compile time: a bus's DirectTransport then calls it
  // straight (the model's function can be inlined there), not through the member pointer.
  template <BTransport F>
  void register_b_transport(MODULE* module) {
    register_b_transport(module, F);
    forward_.direct = &Forward::template transport_with<F>;
  }
  void register_transport_dbg(MODULE* module, TransportDbg f) {
    forward_.module = module;
    forward_.dbg = f;
  }
  void register_get_direct_mem_ptr(MODULE* module, GetDmi f) {
    forward_.module = module;
    forward_.dmi = f;
  }

 private:
  struct Forward final : tlm::tlm_fw_transport_if<>, HasDirectTransport {
    explicit Forward(const sc_core::sc_object& socket) : owner(socket) {}
    const sc_core::sc_object& owner;
    MODULE* module = nullptr;
    BTransport b = nullptr;
    TransportDbg dbg = nullptr;
    GetDmi dmi = nullptr;

    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& t) override {
      transport(this, trans, t);
    }
    // Reads the registered function at each call: registration may come after binding.
    static void transport(void* self, tlm::tlm_generic_payload& trans, sc_core::sc_time& t) {
      Forward& f = *static_cast<Forward*>(self);
      if (f.b == nullptr) return f.missing("b_transport");
      (f.module->*f.b)(trans, t);
    }
    template <BTransport F>
    static void transport_with(void* self, tlm::tlm_generic_payload& trans, sc_core::sc_time& t) {
      (static_cast<Forward*>(self)->module->*F)(trans, t);
    }
    DirectTransport::Fn direct = &Forward::transport;  // transport or transport_with
    DirectTransport direct_transport() override { return DirectTransport{direct, this}; }
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans) override {
      return dbg != nullptr ? (module->*dbg)(trans) : 0;  // no debug access
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& d) override {
      if (dmi != nullptr) return (module->*dmi)(trans, d);
      // No DMI anywhere in the target (what simple_target_socket answers too).
      d.allow_read_write();
      d.set_start_address(0x0);
      d.set_end_address(~sc_dt::uint64{0});
      return false;
    }
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                       sc_core::sc_time&) override {
      missing("nb_transport_fw");
      return tlm::TLM_COMPLETED;
    }
    void missing(const char* what) const {
      SC_REPORT_ERROR(owner.name(), (std::string(what) + " is not registered").c_str());
    }
  } forward_;
};

}  // namespace aesvp
