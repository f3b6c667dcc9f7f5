#include "models/core/timed_dmi.h"

#include <algorithm>
#include <cstring>

namespace aesvp {

bool TimedDmi::Window::covers(tlm::tlm_command cmd, std::uint64_t addr, std::uint64_t len) const {
  const bool allowed =
      cmd == tlm::TLM_READ_COMMAND ? grant.is_read_allowed() : grant.is_write_allowed();
  return allowed && len != 0 && addr >= grant.get_start_address() &&
         addr + (len - 1) <= grant.get_end_address();
}

const TimedDmi::Latency* TimedDmi::Window::latency(tlm::tlm_command cmd, unsigned len) const {
  for (const Latency& l : latencies)
    if (l.cmd == cmd && l.len == len) return &l;
  return nullptr;
}

TimedDmi::Window* TimedDmi::window(tlm::tlm_command cmd, std::uint64_t addr, std::uint64_t len) {
  if (addr < lo_ || addr > hi_) return nullptr;
  for (Window& w : windows_)
    if (w.covers(cmd, addr, len)) return &w;
  return nullptr;
}

const sc_core::sc_time* TimedDmi::latency(tlm::tlm_command cmd, std::uint64_t addr,
                                          std::uint64_t span, unsigned len) {
  const Window* w = window(cmd, addr, span);
  const Latency* l = w != nullptr ? w->latency(cmd, len) : nullptr;
  return l != nullptr ? &l->time : nullptr;
}

bool TimedDmi::access(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
                      unsigned len, sc_core::sc_time& delay) {
  if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND) return false;
  const Window* w = window(cmd, addr, len);
  if (w == nullptr) return false;
  const Latency* l = w->latency(cmd, len);
  if (l == nullptr) return false;
  move(*w, cmd, addr, data, len);
  delay += l->time;
  return true;
}

bool TimedDmi::copy(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, std::uint64_t len) {
  if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND) return false;
  const Window* w = window(cmd, addr, len);
  if (w == nullptr) return false;
  move(*w, cmd, addr, data, len);
  return true;
}

void TimedDmi::move(const Window& w, tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
                    std::uint64_t len) {
  unsigned char* mem = w.grant.get_dmi_ptr() + (addr - w.grant.get_start_address());
  if (cmd == tlm::TLM_WRITE_COMMAND) std::memcpy(mem, data, len);
  else std::memcpy(data, mem, len);
}

void TimedDmi::learn(tlm::tlm_fw_transport_if<>& fw, tlm::tlm_generic_payload& t,
                     const sc_core::sc_time& latency) {
  const tlm::tlm_command cmd = t.get_command();
  const std::uint64_t addr = t.get_address();
  const unsigned len = t.get_data_length();
  if ((cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND) || !t.is_response_ok() ||
      t.get_byte_enable_ptr() != nullptr || t.get_streaming_width() != len)
    return;
  Window* w = window(cmd, addr, len);
  if (w == nullptr) {
    if (!t.is_dmi_allowed()) return;
    tlm::tlm_generic_payload& g = grant_trans_;
    g.set_command(cmd);
    g.set_address(addr);
    Window fresh;
    if (!fw.get_direct_mem_ptr(g, fresh.grant) || fresh.grant.get_dmi_ptr() == nullptr ||
        !fresh.covers(cmd, addr, len))
      return;
    windows_.push_back(std::move(fresh));
    span_windows();
    w = &windows_.back();
  }
  if (w->latency(cmd, len) == nullptr) w->latencies.push_back(Latency{cmd, len, latency});
}

void TimedDmi::invalidate(std::uint64_t start, std::uint64_t end) {
  windows_.erase(std::remove_if(windows_.begin(), windows_.end(),
                                [&](const Window& w) {
                                  return w.grant.get_start_address() <= end &&
                                         start <= w.grant.get_end_address();
                                }),
                 windows_.end());
  span_windows();
}

void TimedDmi::span_windows() {
  lo_ = ~std::uint64_t{0};
  hi_ = 0;
  for (const Window& w : windows_) {
    lo_ = std::min<std::uint64_t>(lo_, w.grant.get_start_address());
    hi_ = std::max<std::uint64_t>(hi_, w.grant.get_end_address());
  }
}

}  // namespace aesvp
