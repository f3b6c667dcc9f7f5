#include "models/core/register_bank.h"

#include "models/core/report.h"

#include <cstring>
#include <sstream>
#include <stdexcept>

namespace aesvp {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "TLM data arrays are read as host-order 32-bit words: little-endian hosts only");

RegisterBank::RegisterBank(const sc_core::sc_object& owner, std::uint64_t size)
    : owner_(owner), size_(size) {}

Register& RegisterBank::add(std::string name, std::uint64_t offset, Access access,
                            std::uint32_t reset) {
  if (offset % 4 != 0 || offset + 4 > size_ || regs_.count(offset) != 0) {
    std::ostringstream msg;
    msg << owner_.name() << ": register " << name << " at 0x" << std::hex << offset
        << " is misaligned, outside the window or declared twice";
    throw std::logic_error(msg.str());
  }
  return regs_.emplace(offset, Register(std::move(name), offset, access, reset)).first->second;
}

Register& RegisterBank::at(std::uint64_t offset) {
  auto it = regs_.find(offset);
  if (it == regs_.end()) throw std::out_of_range("no register at this offset");
  return it->second;
}

Register* RegisterBank::find(std::uint64_t offset) {
  auto it = regs_.find(offset);
  return it == regs_.end() ? nullptr : &it->second;
}

void RegisterBank::reset() {
  for (auto& [offset, reg] : regs_) reg.reset();
}

bool RegisterBank::check(tlm::tlm_generic_payload& trans) {
  const std::uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  const unsigned width = trans.get_streaming_width() == 0 ? len : trans.get_streaming_width();
  if (trans.get_byte_enable_ptr() != nullptr) {
    reject_access(owner_, trans, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
                  "byte enables are not supported by 32-bit registers");
    return false;
  }
  if (addr % 4 != 0) {
    reject_access(owner_, trans, tlm::TLM_ADDRESS_ERROR_RESPONSE,
                  "misaligned: registers take 32-bit aligned accesses");
    return false;
  }
  if (len == 0 || len % 4 != 0 || width % 4 != 0 || width > len || len % width != 0) {
    reject_access(owner_, trans, tlm::TLM_BURST_ERROR_RESPONSE,
                  "size: registers take whole 32-bit words");
    return false;
  }
  for (unsigned off = 0; off < width; off += 4) {
    const Register* reg = find(addr + off);
    if (reg == nullptr) {
      std::ostringstream why;
      why << "no register at offset 0x" << std::hex << addr + off;
      reject_access(owner_, trans, tlm::TLM_ADDRESS_ERROR_RESPONSE, why.str());
      return false;
    }
    if (trans.is_write() && reg->access() == Access::ReadOnly) {
      reject_access(owner_, trans, tlm::TLM_COMMAND_ERROR_RESPONSE,
                    reg->name() + " is read-only");
      return false;
    }
    if (trans.is_read() && reg->access() == Access::WriteOnly) {
      reject_access(owner_, trans, tlm::TLM_COMMAND_ERROR_RESPONSE,
                    reg->name() + " is write-only");
      return false;
    }
  }
  return true;
}

void RegisterBank::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  if (trans.get_command() == tlm::TLM_IGNORE_COMMAND) {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (!check(trans)) return;
  const std::uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  const unsigned width = trans.get_streaming_width() == 0 ? len : trans.get_streaming_width();
  unsigned char* data = trans.get_data_ptr();
  for (unsigned pos = 0; pos < len; pos += 4) {
    Register& reg = regs_.at(addr + pos % width);
    std::uint32_t word;
    if (trans.is_write()) {
      std::memcpy(&word, data + pos, 4);
      reg.bus_write(word);
    } else {
      word = reg.bus_read();
      std::memcpy(data + pos, &word, 4);
    }
  }
  delay += latency_ * static_cast<double>(len / width);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int RegisterBank::transport_dbg(tlm::tlm_generic_payload& trans) {
  // Debug reads see values without side effects; debug writes store without hooks.
  const std::uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  unsigned char* data = trans.get_data_ptr();
  if (addr % 4 != 0 || len % 4 != 0) return 0;
  unsigned done = 0;
  for (; done < len; done += 4) {
    Register* reg = find(addr + done);
    if (reg == nullptr) break;
    std::uint32_t word;
    if (trans.is_write()) {
      std::memcpy(&word, data + done, 4);
      reg->set(word);
    } else {
      word = reg->peek();
      std::memcpy(data + done, &word, 4);
    }
  }
  trans.set_response_status(done == len ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
  return done;
}

}  // namespace aesvp
