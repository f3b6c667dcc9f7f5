// May a write that starts, stops or signals hardware be issued ahead of simulated time?
//
// In fast mode a CPU context synchronises before such a write (ExecContext::access), so that
// the device acts at simulated time and after any interrupt taken meanwhile. When nothing at
// all is due in the simulation before the write's annotated time (no timed or delta event, no
// runnable process) and its core is free, that wait changes nothing anyone sees - provided
// the device acts on the write at its annotated time (sc_time_stamp() + delay) rather than
// at the simulated time of the call. Only the device knows that, per register: the
// initiator asks first with a TLM_IGNORE_COMMAND transaction to the write's address that
// carries this extension (the base protocol's "use the extensions, move no data"). A target
// that takes such a write sets `taken`; one that does not know the extension leaves it
// false, and the initiator synchronises as before. `declared` says the register is one that
// can take such writes at all (RegisterBank: Register::timed); when it is false the answer
// never changes, and an initiator may remember it. `word` is the word the write would carry:
// a device whose answer depends on it (which outputs the write would change) looks at it.
#pragma once

#include <cstdint>

#include <tlm>

namespace aesvp {

struct AheadWriteQuery : tlm::tlm_extension<AheadWriteQuery> {
  bool taken = false;
  bool declared = false;
  std::uint32_t word = 0;

  tlm::tlm_extension_base* clone() const override { return new AheadWriteQuery(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override {
    taken = static_cast<const AheadWriteQuery&>(e).taken;
    declared = static_cast<const AheadWriteQuery&>(e).declared;
    word = static_cast<const AheadWriteQuery&>(e).word;
  }
};

// The query's extension if `trans` is one (an ignore command carrying it), else null.
inline AheadWriteQuery* ahead_write_query(tlm::tlm_generic_payload& trans) {
  if (trans.get_command() != tlm::TLM_IGNORE_COMMAND) return nullptr;
  return trans.get_extension<AheadWriteQuery>();
}

}  // namespace aesvp
