#include "models/core/register_bank.h"

#include "models/core/sim_time.h"
#include "models/core/report.h"
#include "models/core/unit_burst.h"

#include <cstring>
#include <sstream>
#include <stdexcept>

namespace aesvp {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "TLM data arrays are read as host-order 32-bit words: little-endian hosts only");

RegisterBank::RegisterBank(const sc_core::sc_object& owner, std::uint64_t size)
    : owner_(owner), size_(size), index_((size + 3) / 4, nullptr),
      single_(index_.size(), {nullptr, nullptr}) {}

Register& RegisterBank::add(std::string name, std::uint64_t offset, Access access,
                            std::uint32_t reset) {
  if (offset % 4 != 0 || offset + 4 > size_ || index_[offset / 4] != nullptr) {
    std::ostringstream msg;
    msg << owner_.name() << ": register " << name << " at 0x" << std::hex << offset
        << " is misaligned, outside the window or declared twice";
    throw std::logic_error(msg.str());
  }
  Register& reg = regs_.emplace_back(std::move(name), offset, access, reset);
  index_[offset / 4] = &reg;
  allow_word_commands(offset);
  return reg;
}

void RegisterBank::allow_word_commands(std::uint64_t offset) {
  Register* reg = index_[offset / 4];
  const bool window = beat_.width == 4 && offset == beat_.offset;  // a one-word beat window: its hook
  std::array<Register*, 2>& slot = single_[offset / 4];
  slot[tlm::TLM_READ_COMMAND] = !window && reg->access() != Access::WriteOnly ? reg : nullptr;
  slot[tlm::TLM_WRITE_COMMAND] = !window && reg->access() != Access::ReadOnly ? reg : nullptr;
}

Register& RegisterBank::at(std::uint64_t offset) {
  Register* reg = find(offset);
  if (reg == nullptr) throw std::out_of_range("no register at this offset");
  return *reg;
}

const Register& RegisterBank::at(std::uint64_t offset) const {
  const Register* reg = find(offset);
  if (reg == nullptr) throw std::out_of_range("no register at this offset");
  return *reg;
}

void RegisterBank::on_beat(std::uint64_t offset, unsigned width, BeatWrite write, BeatRead read) {
  for (unsigned off = 0; off < width; off += 4) {
    if (width % 4 != 0 || find(offset + off) == nullptr)
      throw std::logic_error(std::string(owner_.name()) + ": a beat window must cover declared registers");
  }
  beat_.offset = offset;
  beat_.width = width;
  beat_.write = std::move(write);
  beat_.read = std::move(read);
  allow_word_commands(offset);
}

void RegisterBank::on_beat_run(RunWrite write, RunRead read) {
  if (beat_.width == 0) throw std::logic_error(std::string(owner_.name()) + ": run hooks need a beat window");
  beat_.run_write = std::move(write);
  beat_.run_read = std::move(read);
}

bool RegisterBank::run_beats(tlm::tlm_generic_payload& trans, UnitBurst& run,
                             const sc_core::sc_time& gap, const sc_core::sc_time& start,
                             sc_core::sc_time& delay) {
  const bool write = trans.is_write();
  unsigned char* data = trans.get_data_ptr();
  if (write ? !beat_.run_write : !beat_.run_read) return false;
  BeatRun r;
  r.units = run.units;
  r.line = run.line;
  r.latency = latency_;
  r.gap = gap;
  r.time = start;
  r.end = start + latency_;
  if (!(write ? beat_.run_write(data, r) : beat_.run_read(data, r))) return false;
  if (r.beats == 0 || r.beats > run.units) {
    throw std::logic_error(std::string(owner_.name()) + ": a run hook took no beat or more than offered");
  }
  // The delay b_transport adds for these beats, in the same arithmetic.
  run.beats = r.beats;
  delay += beats_time(r.beats, r.stalled, gap);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return true;
}

sc_core::sc_time RegisterBank::beats_time(unsigned beats, const sc_core::sc_time& stalled,
                                          const sc_core::sc_time& gap) const {
  sc_core::sc_time t = latency_ * static_cast<double>(beats) + stalled;
  if (beats > 1) t += gap * static_cast<double>(beats - 1);
  return t;
}

void RegisterBank::reset() {
  for (Register& reg : regs_) reg.reset();
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

void RegisterBank::answer_ahead_query(tlm::tlm_generic_payload& trans, AheadWriteQuery& q) const {
  // One aligned word of a writable register (what ExecContext writes), nothing else.
  const std::uint64_t addr = trans.get_address();
  const Register* reg = addr < size_ && addr % 4 == 0 && trans.get_data_length() == 4
                            ? single_[addr / 4][tlm::TLM_WRITE_COMMAND]
                            : nullptr;
  q.declared = q.taken = reg != nullptr && reg->takes_ahead_write();
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void RegisterBank::transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  if (trans.get_command() == tlm::TLM_IGNORE_COMMAND) {
    // Answered with an OK response, a query or not (an ignore command moves no data).
    if (AheadWriteQuery* q = trans.get_extension<AheadWriteQuery>()) answer_ahead_query(trans, *q);
    else trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (!check(trans)) return;
  const std::uint64_t addr = trans.get_address();
  const unsigned trans_len = trans.get_data_length();
  const unsigned width = trans.get_streaming_width() == 0 ? trans_len : trans.get_streaming_width();
  unsigned char* data = trans.get_data_ptr();
  const bool write = trans.is_write();
  // Beats follow each other: beat k starts when beat k-1 (and any stall in it) ended, plus
  // the unit spacing when the burst stands for a run of DMA units (UnitBurst).
  UnitBurst* run = trans.get_extension<UnitBurst>();
  const unsigned len = run != nullptr && run->units > 1 ? run->units * width : trans_len;
  const sc_core::sc_time gap = run != nullptr ? run->spacing(delay) : sc_core::SC_ZERO_TIME;
  const bool beats_whole = beat_.width != 0 && addr == beat_.offset && width == beat_.width;
  RegAccess a;
  a.time = sim_now() + delay;
  a.end = a.time + latency_;
  sc_core::sc_time stalled = sc_core::SC_ZERO_TIME;
  unsigned beats = 0;
  if (beats_whole && run != nullptr && run->units > 1 && run_beats(trans, *run, gap, a.time, delay)) return;
  for (unsigned pos = 0; pos < len; ++beats) {
    if (beats != 0) {
      if (run != nullptr && run->more && !run->more()) break;
      a.time = a.end + gap;
      a.end = a.time + latency_;
    }
    if (beats_whole) {
      a.stall = sc_core::SC_ZERO_TIME;
      if (write ? beat_.write(data + pos, a) : beat_.read(data + pos, a)) {
        pos += width;
        if (a.stall != sc_core::SC_ZERO_TIME) {
          stalled += a.stall;
          a.end += a.stall;
        }
        continue;
      }
    }
    for (unsigned off = 0; off < width; off += 4, pos += 4) {
      Register& reg = *index_[(addr + off) / 4];
      a.stall = sc_core::SC_ZERO_TIME;
      if (write) {
        std::memcpy(&a.data, data + pos, 4);
        reg.bus_write(a);
      } else {
        const std::uint32_t word = reg.bus_read(a);
        std::memcpy(data + pos, &word, 4);
      }
      if (a.stall != sc_core::SC_ZERO_TIME) {
        stalled += a.stall;
        a.end += a.stall;
      }
    }
  }
  if (run != nullptr) run->beats = beats;
  delay += beats_time(beats, stalled, gap);
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
      reg->set(word);  // a debug write stores without hooks
    } else {
      word = reg->peek();
      std::memcpy(data + done, &word, 4);
    }
  }
  trans.set_response_status(done == len ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
  return done;
}

}  // namespace aesvp
