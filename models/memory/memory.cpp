#include "models/memory/memory.h"

#include "models/core/report.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace aesvp {

using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

// Anonymous private mapping: zero-filled pages on first touch, no swap reservation. Advised
// MADV_HUGEPAGE (Debian's THP mode is "madvise"): a first touch then maps 2 MiB at once. In
// the VMs this runs on a 4 KiB page fault costs ~10 us, and a crypt's DRAM buffers took ~510
// of them (docs/performance.md); RSS still follows what is touched, in 2 MiB steps.
unsigned char* map_zeroed(std::size_t size) {
  if (size == 0) return nullptr;
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  madvise(p, size, MADV_HUGEPAGE);  // advice: without THP the pages are ordinary ones
  return static_cast<unsigned char*>(p);
}

}  // namespace

void Memory::Unmap::operator()(unsigned char* p) const {
  if (p != nullptr) munmap(p, size);
}

Memory::Memory(sc_core::sc_module_name name, const DramParams& params)
    : sc_core::sc_module(name),
      socket("socket"),
      size_(static_cast<std::uint64_t>(params.size_mib) << 20),
      bytes_(map_zeroed(static_cast<std::size_t>(size_)), Unmap{static_cast<std::size_t>(size_)}),
      read_access_(params.read_access_ns, SC_NS),
      write_access_(params.write_access_ns, SC_NS),
      per_byte_ns_(params.per_byte_ns) {
  socket.register_b_transport<&Memory::b_transport>(this);
  socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
  socket.register_transport_dbg(this, &Memory::transport_dbg);
}

sc_time Memory::read_time(std::uint64_t len) const {
  return read_access_ + sc_time(per_byte_ns_ * static_cast<double>(len), SC_NS);
}

sc_time Memory::write_time(std::uint64_t len) const {
  return write_access_ + sc_time(per_byte_ns_ * static_cast<double>(len), SC_NS);
}

void Memory::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
  const std::uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  const unsigned width = trans.get_streaming_width() == 0 ? len : trans.get_streaming_width();
  if (trans.get_command() == tlm::TLM_IGNORE_COMMAND) {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (len == 0 || width == 0 || addr >= size() || width > size() - addr) {
    reject_access(*this, trans, tlm::TLM_ADDRESS_ERROR_RESPONSE, "outside the memory");
    return;
  }
  unsigned char* mem = data() + addr;
  unsigned char* buf = trans.get_data_ptr();
  const unsigned char* be = trans.get_byte_enable_ptr();
  if (be == nullptr && width == len) {
    // The common case: one contiguous copy.
    if (trans.is_write()) std::memcpy(mem, buf, len);
    else std::memcpy(buf, mem, len);
  } else {
    const unsigned be_len = trans.get_byte_enable_length();
    for (unsigned i = 0; i < len; ++i) {
      if (be != nullptr && be[i % be_len] != TLM_BYTE_ENABLED) continue;
      if (trans.is_write()) mem[i % width] = buf[i];
      else buf[i] = mem[i % width];
    }
  }
  delay += trans.is_write() ? write_time(len) : read_time(len);
  trans.set_dmi_allowed(true);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool Memory::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  if (trans.get_address() >= size()) return false;
  dmi.allow_read_write();
  dmi.set_dmi_ptr(data());
  dmi.set_start_address(0);
  dmi.set_end_address(size() - 1);
  // DMI latency fields carry the per-access latency; per-byte time is not expressible
  // in tlm_dmi, so DMI users that care about bus time use b_transport instead.
  dmi.set_read_latency(read_access_);
  dmi.set_write_latency(write_access_);
  return true;
}

unsigned int Memory::transport_dbg(tlm::tlm_generic_payload& trans) {
  const std::uint64_t addr = trans.get_address();
  if (addr >= size()) return 0;
  const unsigned len =
      static_cast<unsigned>(std::min<std::uint64_t>(trans.get_data_length(), size() - addr));
  if (trans.is_write()) std::memcpy(data() + addr, trans.get_data_ptr(), len);
  else if (trans.is_read()) std::memcpy(trans.get_data_ptr(), data() + addr, len);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return len;
}

}  // namespace aesvp
