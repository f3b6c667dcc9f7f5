#include "models/bus/interconnect.h"

#include "models/core/report.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace aesvp {

Interconnect::Interconnect(sc_core::sc_module_name name, const sc_core::sc_time& hop_latency)
    : sc_core::sc_module(name),
      from_initiators("from_initiators"),
      to_targets("to_targets"),
      hop_(hop_latency) {
  from_initiators.bind(static_cast<tlm::tlm_fw_transport_if<>&>(*this));
  to_targets.register_invalidate_direct_mem_ptr(this, &Interconnect::invalidate_direct_mem_ptr);
}

void Interconnect::attach(tlm::tlm_target_socket<>& target, std::uint64_t base,
                          std::uint64_t size, const std::string& region_name,
                          const sc_core::sc_time& extra) {
  for (const Region& r : regions_) {
    if (base < r.base + r.size && r.base < base + size) {
      std::ostringstream msg;
      msg << name() << ": region " << region_name << " overlaps " << r.name;
      throw std::logic_error(msg.str());
    }
  }
  const unsigned port = static_cast<unsigned>(regions_.size());
  to_targets.bind(target);
  regions_.push_back(Region{region_name, base, size, port, extra});
  const Span span{base, size, hop_ + extra, port, DirectTransport{}};
  by_base_.insert(std::upper_bound(by_base_.begin(), by_base_.end(), base,
                                   [](std::uint64_t b, const Span& s) { return b < s.base; }),
                  span);
  index_pages();
}

void Interconnect::index_pages() {
  constexpr std::uint64_t pages = std::uint64_t{1} << (32 - kPageShift);
  first_span_.assign(pages, nullptr);
  std::size_t i = 0;
  for (std::uint64_t p = 0; p < pages; ++p) {
    const std::uint64_t start = p << kPageShift;
    while (i < by_base_.size() && by_base_[i].base + (by_base_[i].size - 1) < start) ++i;
    first_span_[p] = by_base_.data() + i;
  }
  spans_end_ = by_base_.data() + by_base_.size();
}

const Interconnect::Span* Interconnect::find_span(std::uint64_t addr) const {
  // Above 4 GiB: walk from the first span.
  const Span* s = addr >> 32 == 0 ? first_span_[addr >> kPageShift] : by_base_.data();
  // Spans before s end below the address; the first one that does not is the candidate.
  for (; s != spans_end_ && s->base <= addr; ++s)
    if (addr - s->base < s->size) return s;
  return nullptr;
}

const Interconnect::Region* Interconnect::decode(std::uint64_t addr) const {
  const Span* s = find_span(addr);
  return s != nullptr ? &regions_[s->region] : nullptr;
}

bool Interconnect::faulty(std::uint64_t addr, std::uint64_t len) const {
  for (const Fault& f : faults_)
    if (addr < f.base + f.size && f.base < addr + len) return true;
  return false;
}

void Interconnect::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const std::uint64_t addr = trans.get_address();
  const unsigned width =
      trans.get_streaming_width() == 0 ? trans.get_data_length() : trans.get_streaming_width();
  const Span* s = find_span(addr);
  if (s == nullptr || width > s->size - (addr - s->base)) return reject_unmapped(trans, delay, s);
  if (!faults_.empty() && faulty(addr, width)) return answer_fault(trans, delay);
  // (A run of DMA units, UnitBurst, pays the crossing per unit: its target sees it in delay.)
  delay += s->crossing;
  trans.set_address(addr - s->base);
  if (s->target.fn == nullptr) resolve_target(*s);  // a call before the end of elaboration
  s->target(trans, delay);
  trans.set_address(addr);
}

void Interconnect::end_of_elaboration() {
  for (const Span& s : by_base_) resolve_target(s);
}

void Interconnect::resolve_target(const Span& s) {
  tlm::tlm_fw_transport_if<>* fw = to_targets[static_cast<int>(s.region)];
  if (auto* direct = dynamic_cast<HasDirectTransport*>(fw)) {
    s.target = direct->direct_transport();
  } else {
    s.target = DirectTransport{&Interconnect::call_interface,
                               static_cast<tlm::tlm_blocking_transport_if<>*>(fw)};
  }
}

void Interconnect::call_interface(void* target, tlm::tlm_generic_payload& trans,
                                  sc_core::sc_time& t) {
  static_cast<tlm::tlm_blocking_transport_if<>*>(target)->b_transport(trans, t);
}

void Interconnect::reject_unmapped(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                                   const Span* s) {
  delay += hop_;
  reject_access(*this, trans, tlm::TLM_ADDRESS_ERROR_RESPONSE,
                s == nullptr ? "no target is mapped at this address"
                             : "the access runs past the end of " + regions_[s->region].name);
}

void Interconnect::answer_fault(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  delay += hop_;
  ++injected_errors_;
  trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
}

tlm::tlm_sync_enum Interconnect::nb_transport_fw(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                                 sc_core::sc_time&) {
  // No initiator of the platform uses the non-blocking protocol.
  SC_REPORT_ERROR(name(), "nb_transport_fw is not supported: use b_transport");
  return tlm::TLM_COMPLETED;
}

bool Interconnect::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  const std::uint64_t addr = trans.get_address();
  const Region* r = decode(addr);
  if (r == nullptr) return false;
  bool faults_in_region = faulty(r->base, r->size);
  if (faults_in_region) {
    // Refuse DMI for the whole region while a fault is injected into it.
    dmi.set_start_address(r->base);
    dmi.set_end_address(r->base + r->size - 1);
    return false;
  }
  trans.set_address(addr - r->base);
  const bool ok = to_targets[r->port]->get_direct_mem_ptr(trans, dmi);
  trans.set_address(addr);
  // Translate back to global addresses and clip to the region.
  std::uint64_t start = dmi.get_start_address() + r->base;
  std::uint64_t end = dmi.get_end_address() + r->base;
  if (end < start) end = r->base + r->size - 1;  // the target left the full range
  if (start < r->base) start = r->base;
  if (end > r->base + r->size - 1) {
    end = r->base + r->size - 1;
  }
  if (ok && dmi.get_dmi_ptr() != nullptr) {
    // The pointer refers to the target's start address; keep it pointing at `start`.
    dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (start - r->base - dmi.get_start_address()));
  }
  dmi.set_start_address(start);
  dmi.set_end_address(end);
  dmi.set_read_latency(dmi.get_read_latency() + hop_ + r->extra);
  dmi.set_write_latency(dmi.get_write_latency() + hop_ + r->extra);
  return ok;
}

unsigned int Interconnect::transport_dbg(tlm::tlm_generic_payload& trans) {
  const std::uint64_t addr = trans.get_address();
  const Region* r = decode(addr);
  if (r == nullptr) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return 0;
  }
  trans.set_address(addr - r->base);
  const unsigned n = to_targets[r->port]->transport_dbg(trans);
  trans.set_address(addr);
  return n;
}

void Interconnect::invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end) {
  for (const Region& r : regions_) {
    if (r.port != static_cast<unsigned>(port)) continue;
    const std::uint64_t s = start + r.base;
    const std::uint64_t e = end >= r.size ? r.base + r.size - 1 : end + r.base;
    revoke_dmi(s, e);
  }
}

void Interconnect::revoke_dmi(std::uint64_t start, std::uint64_t end) {
  // Before the end of elaboration no DMI pointer can have been granted, and the multi-socket
  // bindings are not complete yet.
  if (sc_core::sc_get_status() & (sc_core::SC_ELABORATION | sc_core::SC_BEFORE_END_OF_ELABORATION))
    return;
  for (int i = 0; i < from_initiators.size(); ++i)
    from_initiators[i]->invalidate_direct_mem_ptr(start, end);
}

void Interconnect::inject_bus_error(std::uint64_t base, std::uint64_t size) {
  faults_.push_back(Fault{base, size});
  // Revoke every DMI pointer of the regions concerned (granted pointers cover whole
  // regions, so the whole region goes).
  for (const Region& r : regions_)
    if (base < r.base + r.size && r.base < base + size) revoke_dmi(r.base, r.base + r.size - 1);
}

void Interconnect::remove_bus_error(std::uint64_t base, std::uint64_t size) {
  auto it = std::find_if(faults_.begin(), faults_.end(),
                         [&](const Fault& f) { return f.base == base && f.size == size; });
  if (it != faults_.end()) faults_.erase(it);
}

void Interconnect::clear_bus_errors() { faults_.clear(); }

}  // namespace aesvp
