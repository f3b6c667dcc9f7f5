#include "models/edma3/edma3.h"

#include "models/core/report.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <string>

namespace aesvp {

namespace r = edma3;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

// PID of the TPCC and the TPTCs as listed in the AM335x TRM register descriptions (Linux
// reads neither).
constexpr std::uint32_t kTpccPid = 0x40015300;
constexpr std::uint32_t kTptcPid = 0x40003b00;
// OPT bits software can write (PRIV / PRIVID are read-only and read 0 here).
constexpr std::uint32_t kOptWritable = 0x00f3ff0f;
constexpr std::uint32_t kDchmapWritable = 0x3fe0;  // PAENTRY [13:5]
constexpr std::uint32_t kQchmapWritable = 0x3ffc;  // PAENTRY [13:5], TRWORD [4:2]
constexpr std::uint32_t kQueueFields = 0x77777777;  // 3 bits per channel / queue

bool power_of_two(std::uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }
unsigned log2u(std::uint32_t v) { return static_cast<unsigned>(__builtin_ctz(v)); }

void config_warning(const std::string& what) {
  SC_REPORT_WARNING(kReportConfig, what.c_str());
}

Edma3Params checked(Edma3Params p) {
  if (p.queues < 1 || p.queues > r::kMaxQueues) {
    config_warning("edma3.queues must be 1..8; using 3");
    p.queues = 3;
  }
  if (!power_of_two(p.param_sets) || p.param_sets < r::kMaxChannels ||
      p.param_sets > r::kMaxParamSets) {
    config_warning("edma3.param_sets must be a power of two in 64..512; using 256");
    p.param_sets = 256;
  }
  if (p.queue_depth < 1 || p.queue_depth > 16) {
    config_warning("edma3.queue_depth must be 1..16; using 16");
    p.queue_depth = 16;
  }
  if (!power_of_two(p.bus_bytes) || p.bus_bytes < 4 || p.bus_bytes > 16) {
    config_warning("edma3.bus_bytes must be 4, 8 or 16; using 8");
    p.bus_bytes = 8;
  }
  if (!power_of_two(p.fifo_bytes) || p.fifo_bytes < 32 || p.fifo_bytes > 512) {
    config_warning("edma3.fifo_bytes must be a power of two in 32..512; using 256");
    p.fifo_bytes = 256;
  }
  if (p.read_commands < 1 || p.read_commands > 16) {
    config_warning("edma3.read_commands must be 1..16; using 4");
    p.read_commands = 4;
  }
  if (p.write_commands < 1 || p.write_commands > 16) {
    config_warning("edma3.write_commands must be 1..16; using 4");
    p.write_commands = 4;
  }
  // A read and a write command must fit the FIFO together, else neither could go.
  if (!power_of_two(p.burst_bytes) || p.burst_bytes < 16 || p.burst_bytes > p.fifo_bytes / 2) {
    config_warning("edma3.burst_bytes must be a power of two from 16 to fifo_bytes / 2; using 64");
    p.burst_bytes = std::min<std::uint32_t>(64, p.fifo_bytes / 2);
  }
  return p;
}

std::int32_t low16(std::uint32_t v) { return static_cast<std::int16_t>(v & 0xffffu); }
std::int32_t high16(std::uint32_t v) { return static_cast<std::int16_t>(v >> 16); }

}  // namespace

Edma3::Edma3(sc_core::sc_module_name name, const Edma3Params& params, TimingMode mode)
    : sc_core::sc_module(name),
      cc_regs("cc_regs"),
      tc_regs("tc_regs", checked(params).queues),
      tc_bus("tc_bus", checked(params).queues),
      event("event", r::kMaxChannels),
      ccint("ccint"),
      ccerrint("ccerrint"),
      tcerrint("tcerrint", checked(params).queues),
      params_(checked(params)),
      mode_(mode),
      clock_(params_.clock_mhz),
      cc_bank_(*this, r::kTpccWindowSize),
      param_(std::size_t{params_.param_sets} * 8, 0),
      tcs_(params_.queues),
      buffer_(params_.fifo_bytes) {
  cc_regs.register_b_transport(this, &Edma3::cc_b_transport);
  cc_regs.register_transport_dbg(this, &Edma3::cc_transport_dbg);
  const sc_time access = clock_.cycles(std::uint64_t{params_.reg_access_cycles});
  cc_bank_.set_access_latency(access);
  for (unsigned t = 0; t < params_.queues; ++t) {
    tc_regs[t].register_b_transport(this, &Edma3::tc_b_transport, static_cast<int>(t));
    tc_regs[t].register_transport_dbg(this, &Edma3::tc_transport_dbg, static_cast<int>(t));
    tc_banks_.push_back(std::make_unique<RegisterBank>(*this, r::kTptcWindowSize));
    tc_banks_.back()->set_access_latency(access);
    quetcmap_ |= t << (4 * t);  // queue q -> TC q
  }
  declare_registers();

  SC_METHOD(watch_events);
  for (auto& e : event) sensitive << e;
  dont_initialize();
  for (unsigned t = 0; t < params_.queues; ++t)
    sc_core::sc_spawn([this, t] { tc_thread(t); }, sc_core::sc_gen_unique_name("tc"));
}

void Edma3::before_end_of_elaboration() {
  for (auto& e : event)
    if (e.bind_count() == 0) e.bind(tie_low_);
}

void Edma3::end_of_elaboration() {
  // watch_events looks only at the lines that changed instead of reading all 64 per edge.
  event_levels_.follow(event, 0, r::kMaxChannels);
}

sc_time Edma3::command_cost(std::uint32_t bytes) const {
  const std::uint64_t beats = (bytes + params_.bus_bytes - 1) / params_.bus_bytes;
  return clock_.cycles(std::uint64_t{params_.command_cycles} + beats * params_.beat_cycles);
}

// ---------------------------------------------------------------------------------------
// TPCC registers

void Edma3::declare_registers() {
  const std::uint32_t cccfg =
      (5u << r::kCccfgNumDmachShift) | (4u << r::kCccfgNumQdmachShift) |
      (3u << r::kCccfgNumIntchShift) | ((log2u(params_.param_sets) - 4) << r::kCccfgNumPaentryShift) |
      ((params_.queues - 1) << r::kCccfgNumEvqueShift) | (2u << r::kCccfgNumRegnShift) |
      r::kCccfgChmapExist;
  cc_bank_.add("PID", r::kPid, Access::ReadOnly, kTpccPid);
  cc_bank_.add("CCCFG", r::kCccfg, Access::ReadOnly, cccfg);
  for (unsigned ch = 0; ch < r::kMaxChannels; ++ch) {
    dchmap_[ch] = ch << 5;  // channel n -> PaRAM set n at reset
    cc_bank_.add("DCHMAP" + std::to_string(ch), r::dchmap(ch), Access::ReadWrite, ch << 5)
        .value([this, ch] { return dchmap_[ch]; })
        .on_write(acts_on([this, ch](std::uint32_t v) { dchmap_[ch] = v & kDchmapWritable; }));
  }
  for (unsigned q = 0; q < r::kQdmaChannels; ++q) {
    cc_bank_.add("QCHMAP" + std::to_string(q), r::qchmap(q), Access::ReadWrite)
        .value([this, q] { return qchmap_[q]; })
        .on_write(acts_on([this, q](std::uint32_t v) { qchmap_[q] = v & kQchmapWritable; }));
  }
  for (unsigned n = 0; n < r::kMaxChannels / 8; ++n) {
    cc_bank_.add("DMAQNUM" + std::to_string(n), r::dmaqnum(8 * n), Access::ReadWrite)
        .value([this, n] { return dmaqnum_[n]; })
        .on_write(acts_on([this, n](std::uint32_t v) { dmaqnum_[n] = v & kQueueFields; }));
  }
  auto stored = [this](const char* name, std::uint32_t off, std::uint32_t* field,
                       std::uint32_t mask, std::uint32_t reset) {
    *field = reset;
    cc_bank_.add(name, off, Access::ReadWrite, reset)
        .value([field] { return *field; })
        .on_write(acts_on([field, mask](std::uint32_t v) { *field = v & mask; }));
  };
  std::uint32_t queue_mask = 0;
  for (unsigned q = 0; q < params_.queues; ++q) queue_mask |= 0x7u << (4 * q);
  stored("QDMAQNUM", r::kQdmaqnum, &qdmaqnum_, kQueueFields, 0);
  stored("QUETCMAP", r::kQuetcmap, &quetcmap_, queue_mask, quetcmap_);
  stored("QUEPRI", r::kQuepri, &quepri_, queue_mask, 0);
  std::uint32_t wm_mask = 0;
  for (unsigned q = 0; q < params_.queues && q < 4; ++q) wm_mask |= 0x1fu << (8 * q);
  stored("QWMTHRA", r::kQwmthra, &qwmthra_, wm_mask, 0x10101010u & wm_mask);

  // Error registers: read views and write-1-to-clear companions.
  auto read_only = [this](const char* name, std::uint32_t off, std::function<std::uint32_t()> f) {
    cc_bank_.add(name, off, Access::ReadOnly).value(f);
  };
  auto write_only = [this](const char* name, std::uint32_t off, std::function<void(std::uint32_t)> f) {
    cc_bank_.add(name, off, Access::WriteOnly).on_write(acts_on(std::move(f)));
  };
  read_only("EMR", r::kEmr, [this] { return half(emr_, false); });
  read_only("EMRH", r::kEmrh, [this] { return half(emr_, true); });
  write_only("EMCR", r::kEmcr, [this](std::uint32_t v) { emr_ &= ~widen(v, false); update_interrupts(); });
  write_only("EMCRH", r::kEmcrh, [this](std::uint32_t v) { emr_ &= ~widen(v, true); update_interrupts(); });
  read_only("QEMR", r::kQemr, [this] { return qemr_; });
  write_only("QEMCR", r::kQemcr, [this](std::uint32_t v) { qemr_ &= ~v; update_interrupts(); });
  read_only("CCERR", r::kCcerr, [this] { return ccerr_; });
  write_only("CCERRCLR", r::kCcerrclr, [this](std::uint32_t v) { ccerr_ &= ~v; update_interrupts(); });
  // EEVAL / IEVAL re-pulse a still-pending interrupt; the outputs here are levels that stay
  // high while anything is pending, so the write has nothing more to do.
  write_only("EEVAL", r::kEeval, [](std::uint32_t) {});

  for (unsigned g = 0; g < r::kRegions; ++g) {
    const std::string n = std::to_string(g);
    cc_bank_.add("DRAE" + n, r::drae(g), Access::ReadWrite)
        .value([this, g] { return half(drae_[g], false); })
        .on_write(acts_on([this, g](std::uint32_t v) {
          drae_[g] = (drae_[g] & ~Bits{0xffffffffu}) | v;
          update_interrupts();
        }));
    cc_bank_.add("DRAEH" + n, r::draeh(g), Access::ReadWrite)
        .value([this, g] { return half(drae_[g], true); })
        .on_write(acts_on([this, g](std::uint32_t v) {
          drae_[g] = (drae_[g] & Bits{0xffffffffu}) | widen(v, true);
          update_interrupts();
        }));
    cc_bank_.add("QRAE" + n, r::qrae(g), Access::ReadWrite)
        .value([this, g] { return qrae_[g]; })
        .on_write(acts_on([this, g](std::uint32_t v) { qrae_[g] = v & 0xffu; }));
  }
  for (unsigned q = 0; q < params_.queues; ++q) {
    auto qstat = [this, q] {
      return (static_cast<std::uint32_t>(queues_entries(q)) << r::kQstatNumvalShift) |
             (tcs_[q].watermark << r::kQstatWmShift);
    };
    read_only(("QSTAT" + std::to_string(q)).c_str(), r::qstat(q), qstat);
  }
  read_only("CCSTAT", r::kCcstat, [this] { return ccstat(); });

  declare_channel_window(r::kGlobalChannelBase, -1);
  for (unsigned g = 0; g < r::kRegions; ++g) declare_channel_window(r::shadow(g), static_cast<int>(g));
  declare_param_sets();
  for (unsigned t = 0; t < params_.queues; ++t) declare_tc_registers(t);
}

std::size_t Edma3::queues_entries(unsigned q) const { return tcs_[q].queue.size(); }

std::uint32_t Edma3::ccstat() const {
  std::uint32_t v = 0;
  bool active = false;
  if (((er_ & eer_) | esr_ | cer_) != 0) v |= r::kCcstatEvtActv;
  for (unsigned q = 0; q < tcs_.size(); ++q) {
    if (!tcs_[q].queue.empty()) {
      v |= 1u << (r::kCcstatQueActvShift + q);
      active = true;
    }
    if (tcs_[q].busy) {
      v |= r::kCcstatTrActv;
      active = true;
    }
  }
  if (active || (v & r::kCcstatEvtActv)) v |= r::kCcstatActv;
  return v;
}

Edma3::Bits Edma3::region_mask(int region) const {
  return region < 0 ? ~Bits{0} : drae_[static_cast<unsigned>(region)];
}

void Edma3::declare_channel_window(std::uint32_t base, int region) {
  const std::string prefix = region < 0 ? "" : "SHADOW" + std::to_string(region) + ".";
  // A low/high register pair over a 64-bit channel set: reads see the region's channels
  // only, writes touch them only.
  auto pair = [&](const char* name, std::uint32_t off, Access a, Bits* state,
                  std::function<void(Bits)> write) {
    for (int h = 0; h < 2; ++h) {
      const bool high = h == 1;
      Register& reg = cc_bank_.add(prefix + name + (high ? "H" : ""), base + off + (high ? r::kHigh : 0), a);
      if (state != nullptr) {
        auto rd = [this, state, region, high] { return half(*state & region_mask(region), high); };
        reg.value(rd);
      }
      if (write) {
        reg.on_write(acts_on([this, write, region, high](std::uint32_t v) {
          write(widen(v, high) & region_mask(region));
        }));
      }
    }
  };
  pair("ER", r::kEr, Access::ReadOnly, &er_, nullptr);
  pair("ECR", r::kEcr, Access::WriteOnly, nullptr, [this](Bits b) {
    er_ &= ~b;
    owed_ &= ~b;
  });
  pair("ESR", r::kEsr, Access::ReadWrite, &esr_, [this](Bits b) {
    esr_ |= b;
    service_events();
  });
  pair("CER", r::kCer, Access::ReadOnly, &cer_, nullptr);
  pair("EER", r::kEer, Access::ReadOnly, &eer_, nullptr);
  pair("EECR", r::kEecr, Access::WriteOnly, nullptr, [this](Bits b) { eer_ &= ~b; });
  pair("EESR", r::kEesr, Access::WriteOnly, nullptr, [this](Bits b) {
    eer_ |= b;
    // Fast mode: a request that came (as a level, no edge) while the channel was paused.
    Bits owed = owed_ & b;
    owed_ &= ~b;
    while (owed != 0) {
      const unsigned ch = static_cast<unsigned>(__builtin_ctzll(owed));
      owed &= owed - 1;
      if (event[ch].read()) latch_event(ch);
    }
    service_events();
  });
  pair("SER", r::kSer, Access::ReadOnly, &ser_, nullptr);
  pair("SECR", r::kSecr, Access::WriteOnly, nullptr, [this](Bits b) {
    ser_ &= ~b;
    service_events();
  });
  pair("IER", r::kIer, Access::ReadOnly, &ier_, nullptr);
  pair("IECR", r::kIecr, Access::WriteOnly, nullptr, [this](Bits b) {
    ier_ &= ~b;
    update_interrupts();
  });
  pair("IESR", r::kIesr, Access::WriteOnly, nullptr, [this](Bits b) {
    ier_ |= b;
    update_interrupts();
  });
  pair("IPR", r::kIpr, Access::ReadOnly, &ipr_, nullptr);
  pair("ICR", r::kIcr, Access::WriteOnly, nullptr, [this](Bits b) {
    ipr_ &= ~b;
    update_interrupts();
  });
  cc_bank_.add(prefix + "IEVAL", base + r::kIeval, Access::WriteOnly).on_write(acts_on([](std::uint32_t) {}));
  // QDMA channel registers: enables stored, no QDMA trigger modelled (events read 0).
  const auto qmask = [this, region] {
    return region < 0 ? 0xffu : qrae_[static_cast<unsigned>(region)];
  };
  auto zero = [] { return 0u; };
  cc_bank_.add(prefix + "QER", base + r::kQer, Access::ReadOnly).value(zero);
  auto qeer = [this, qmask] { return qeer_ & qmask(); };
  cc_bank_.add(prefix + "QEER", base + r::kQeer, Access::ReadOnly).value(qeer);
  cc_bank_.add(prefix + "QEECR", base + r::kQeecr, Access::WriteOnly)
      .on_write(acts_on([this, qmask](std::uint32_t v) { qeer_ &= ~(v & qmask()); }));
  cc_bank_.add(prefix + "QEESR", base + r::kQeesr, Access::WriteOnly)
      .on_write(acts_on([this, qmask](std::uint32_t v) { qeer_ |= v & qmask(); }));
  cc_bank_.add(prefix + "QSER", base + r::kQser, Access::ReadOnly).value(zero);
  cc_bank_.add(prefix + "QSECR", base + r::kQsecr, Access::WriteOnly).on_write(acts_on([](std::uint32_t) {}));
}

void Edma3::declare_param_sets() {
  static const char* const kWords[8] = {"OPT", "SRC", "A_B_CNT", "DST", "SRC_DST_BIDX",
                                        "LINK_BCNTRLD", "SRC_DST_CIDX", "CCNT"};
  for (unsigned s = 0; s < params_.param_sets; ++s) {
    for (unsigned w = 0; w < 8; ++w) {
      const std::uint32_t mask = w == 0 ? kOptWritable : w == 7 ? 0xffffu : 0xffffffffu;
      std::uint32_t* word = &param_[s * 8 + w];
      cc_bank_.add("PaRAM" + std::to_string(s) + "." + kWords[w], r::param(s) + 4 * w,
                   Access::ReadWrite)
          .value([word] { return *word; })
          .on_write(acts_on([word, mask](std::uint32_t v) { *word = v & mask; }));
    }
  }
}

void Edma3::cc_b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
  access_delay_ = delay;  // events started by a write start at its annotated time
  cc_bank_.b_transport(trans, delay);
  access_delay_ = SC_ZERO_TIME;
}

unsigned int Edma3::cc_transport_dbg(tlm::tlm_generic_payload& trans) {
  return cc_bank_.transport_dbg(trans);
}

// ---------------------------------------------------------------------------------------
// TPTC registers

void Edma3::declare_tc_registers(unsigned t) {
  RegisterBank& b = *tc_banks_[t];
  Tc& tc = tcs_[t];
  // TCCFG: FIFOSIZE 0..4 = 32..512 bytes, BUSWIDTH 0..2 = 4..16 bytes, DREGDEPTH 0 (one
  // destination register set: one TR at a time).
  const std::uint32_t tccfg = (log2u(params_.fifo_bytes) - 5) | ((log2u(params_.bus_bytes) - 2) << 4);
  b.add("PID", r::kTcPid, Access::ReadOnly, kTptcPid);
  b.add("TCCFG", r::kTcCfg, Access::ReadOnly, tccfg);
  auto tcstat = [&tc] {
    return tc.busy ? (r::kTcStatProgBusy | r::kTcStatSrcActv | (1u << r::kTcStatDstActvShift)) : 0u;
  };
  b.add("TCSTAT", r::kTcStat, Access::ReadOnly).value(tcstat);
  auto errstat = [&tc] { return tc.errstat; };
  b.add("ERRSTAT", r::kTcErrStat, Access::ReadOnly).value(errstat);
  auto erren = [&tc] { return tc.erren; };
  b.add("ERREN", r::kTcErrEn, Access::ReadWrite).value(erren)
      .on_write(acts_on([this, &tc](std::uint32_t v) {
        tc.erren = v & r::kTcErrAll;
        update_interrupts();
      }));
  b.add("ERRCLR", r::kTcErrClr, Access::WriteOnly).on_write(acts_on([this, &tc](std::uint32_t v) {
    tc.errstat &= ~v;
    if (tc.errstat == 0) tc.errdet = 0;
    update_interrupts();
  }));
  auto errdet = [&tc] { return tc.errdet; };
  b.add("ERRDET", r::kTcErrDet, Access::ReadOnly).value(errdet);
  b.add("ERRCMD", r::kTcErrCmd, Access::WriteOnly).on_write(acts_on([](std::uint32_t) {}));
  b.add("RDRATE", r::kTcRdRate, Access::ReadWrite).writable(0x7u);
}

void Edma3::tc_b_transport(int t, tlm::tlm_generic_payload& trans, sc_time& delay) {
  tc_banks_.at(static_cast<unsigned>(t))->b_transport(trans, delay);
}

unsigned int Edma3::tc_transport_dbg(int t, tlm::tlm_generic_payload& trans) {
  return tc_banks_.at(static_cast<unsigned>(t))->transport_dbg(trans);
}

// ---------------------------------------------------------------------------------------
// Events and queues

void Edma3::watch_events() {
  // Runs one delta after any event line changed: a rising edge is one event.
  const Bits now = event_levels_.levels();
  for (Bits up = now & ~last_levels_; up != 0; up &= up - 1) {
    const unsigned ch = static_cast<unsigned>(__builtin_ctzll(up));
    ++rises_[ch];
    owed_ &= ~(Bits{1} << ch);
    if (raised_by_own_tr()) deferred_ |= Bits{1} << ch;
    else latch_event(ch);
  }
  last_levels_ = now;
}

bool Edma3::raised_by_own_tr() const {
  // Fast mode: a TC's commands run at the TR's start time with their times annotated, so an
  // edge a device raises inside them (the AES's output request on a DATA_IN write) shows at
  // the TR's start although the access causing it is later. Such an edge is taken at the TR's
  // end instead, after the TC's own level-held request (docs/edma3-model.md, "Timing").
  if (mode_ != TimingMode::Fast) return false;
  for (const Tc& tc : tcs_)
    if (tc.busy && tc.started == sc_core::sc_time_stamp()) return true;
  return false;
}

void Edma3::take_deferred() {
  Bits d = deferred_;
  deferred_ = 0;
  while (d != 0) {
    const unsigned ch = static_cast<unsigned>(__builtin_ctzll(d));
    d &= d - 1;
    latch_event(ch);
  }
}

void Edma3::latch_event(unsigned ch) {
  const Bits bit = Bits{1} << ch;
  // A second event before the first was queued (ER) or submitted (SER) is missed.
  if ((er_ & bit) != 0 || (ser_ & bit) != 0) {
    missed(ch);
    return;
  }
  er_ |= bit;
  service_events();
}

void Edma3::missed(unsigned ch) {
  emr_ |= Bits{1} << ch;
  ++missed_;
  update_interrupts();
}

unsigned Edma3::queue_of(unsigned ch) const {
  const unsigned q = (dmaqnum_[ch / 8] >> r::dmaqnum_shift(ch)) & 0x7u;
  return std::min<unsigned>(q, params_.queues - 1);
}

unsigned Edma3::tc_of_queue(unsigned q) const {
  const unsigned t = (quetcmap_ >> (4 * q)) & 0x7u;
  return std::min<unsigned>(t, params_.queues - 1);
}

void Edma3::service_events() {
  // Lower channel numbers first (the TPCC's fixed event priority).
  Bits pending = (er_ & eer_) | esr_ | cer_;
  while (pending != 0) {
    const unsigned ch = static_cast<unsigned>(__builtin_ctzll(pending));
    const Bits bit = Bits{1} << ch;
    pending &= ~bit;
    if ((ser_ & bit) != 0) continue;  // one entry per channel in flight
    const unsigned q = queue_of(ch);
    Tc& queue = tcs_[q];
    if (queue.queue.size() >= params_.queue_depth) continue;  // stays latched until room
    if ((er_ & eer_ & bit) != 0) er_ &= ~bit;
    else if ((esr_ & bit) != 0) esr_ &= ~bit;
    else cer_ &= ~bit;
    ser_ |= bit;
    queue.queue.push_back(ch);
    queue.watermark = std::max<unsigned>(queue.watermark, static_cast<unsigned>(queue.queue.size()));
    tcs_[tc_of_queue(q)].wake.notify(access_delay_);
  }
}

std::uint32_t Edma3::param_word(unsigned set, std::uint32_t word) const {
  return param_[set * 8 + word / 4];
}
void Edma3::set_param_word(unsigned set, std::uint32_t word, std::uint32_t v) {
  param_[set * 8 + word / 4] = v;
}
unsigned Edma3::param_set_of(unsigned ch) const {
  return std::min<unsigned>(dchmap_[ch] >> 5, params_.param_sets - 1);
}

Edma3::SetKind Edma3::build_tr(unsigned ch, Tr& tr) {
  const unsigned set = param_set_of(ch);
  const std::uint32_t opt = param_word(set, r::kOpt);
  const std::uint32_t abcnt = param_word(set, r::kABCnt);
  const std::uint32_t bidx = param_word(set, r::kSrcDstBidx);
  const std::uint32_t link = param_word(set, r::kLinkBcntrld);
  const std::uint32_t cidx = param_word(set, r::kSrcDstCidx);
  std::uint32_t src = param_word(set, r::kSrc), dst = param_word(set, r::kDst);
  std::uint32_t acnt = abcnt & 0xffffu, bcnt = abcnt >> 16;
  std::uint32_t ccnt = param_word(set, r::kCcnt) & 0xffffu;
  if (acnt == 0 && bcnt == 0 && ccnt == 0) return SetKind::Null;
  if (acnt == 0 || bcnt == 0 || ccnt == 0) {
    // A dummy set: no transfer, no completion; the set is linked as if exhausted.
    if ((opt & r::kOptStatic) == 0) this->link(set);
    return SetKind::Dummy;
  }

  tr.channel = ch;
  tr.opt = opt;
  tr.src = src;
  tr.dst = dst;
  tr.acnt = acnt;
  tr.src_bidx = low16(bidx);
  tr.dst_bidx = high16(bidx);
  const bool ab_sync = (opt & r::kOptSyncdim) != 0;
  if (ab_sync) {
    // One frame of BCNT arrays; the next frame starts CIDX after this frame's start.
    tr.arrays = bcnt;
    src += static_cast<std::uint32_t>(low16(cidx));
    dst += static_cast<std::uint32_t>(high16(cidx));
    --ccnt;
  } else if (bcnt > 1) {
    // One array; the next array of the frame starts BIDX after it.
    tr.arrays = 1;
    src += static_cast<std::uint32_t>(tr.src_bidx);
    dst += static_cast<std::uint32_t>(tr.dst_bidx);
    --bcnt;
  } else {
    // The last array of a frame: the next frame starts CIDX after this array's start.
    tr.arrays = 1;
    src += static_cast<std::uint32_t>(low16(cidx));
    dst += static_cast<std::uint32_t>(high16(cidx));
    bcnt = link >> 16;  // BCNTRLD
    --ccnt;
  }
  tr.final = ccnt == 0;
  if ((opt & r::kOptStatic) != 0) return SetKind::Transfer;  // static: never updated nor linked
  if (!tr.final) {
    set_param_word(set, r::kSrc, src);
    set_param_word(set, r::kDst, dst);
    set_param_word(set, r::kABCnt, r::ab_cnt(acnt, bcnt));
    set_param_word(set, r::kCcnt, ccnt);
    return SetKind::Transfer;
  }
  this->link(set);
  return SetKind::Transfer;
}

void Edma3::link(unsigned set) {
  // Exhausted: reload the set from the one LINK addresses, or load the null set.
  const std::uint32_t to = param_word(set, r::kLinkBcntrld) & 0xffffu;
  const bool valid_link = to >= r::kParam0 && (to - r::kParam0) % r::kParamSetBytes == 0 &&
                          (to - r::kParam0) / r::kParamSetBytes < params_.param_sets;
  if (to != r::kNullLink && valid_link) {
    const unsigned from = (to - r::kParam0) / r::kParamSetBytes;
    for (unsigned w = 0; w < 8; ++w) param_[set * 8 + w] = param_[from * 8 + w];
  } else {
    if (to != r::kNullLink) {
      std::ostringstream msg;
      msg << name() << ": PaRAM set " << set << " links to 0x" << std::hex << to
          << ", which is no PaRAM set: the null set is loaded";
      SC_REPORT_WARNING(kReportModel, msg.str().c_str());
    }
    for (unsigned w = 0; w < 8; ++w) param_[set * 8 + w] = 0;
    set_param_word(set, r::kLinkBcntrld, r::kNullLink);
  }
}

// ---------------------------------------------------------------------------------------
// Completion and interrupts

void Edma3::complete(const Tr& tr) {
  const Bits bit = Bits{1} << r::opt_tcc_of(tr.opt);
  const std::uint32_t inten = tr.final ? r::kOptTcinten : r::kOptItcinten;
  const std::uint32_t chen = tr.final ? r::kOptTcchen : r::kOptItcchen;
  if ((tr.opt & inten) != 0) ipr_ |= bit;
  if ((tr.opt & chen) != 0) {
    // Chaining: the completion code triggers that channel (CER), whatever its EER bit.
    if ((cer_ & bit) != 0 || (ser_ & bit) != 0) missed(r::opt_tcc_of(tr.opt));
    else cer_ |= bit;
    service_events();
  }
  update_interrupts();
}

void Edma3::update_interrupts() {
  auto drive = [](sc_core::sc_out<bool>& out, bool level) {
    if (out.read() != level) out.write(level);
  };
  drive(ccint, (ipr_ & ier_ & drae_[0]) != 0);
  drive(ccerrint, emr_ != 0 || qemr_ != 0 || ccerr_ != 0);
  for (unsigned t = 0; t < tcs_.size(); ++t)
    drive(tcerrint[t], (tcs_[t].errstat & tcs_[t].erren) != 0);
}

// ---------------------------------------------------------------------------------------
// Transfer controllers

void Edma3::tc_thread(unsigned t) {
  Tc& tc = tcs_[t];
  for (;;) {
    // The queues this TC serves (QUETCMAP), lowest queue first.
    int q = -1;
    for (unsigned i = 0; i < tcs_.size(); ++i) {
      if (tc_of_queue(i) == t && !tcs_[i].queue.empty()) {
        q = static_cast<int>(i);
        break;
      }
    }
    if (q < 0) {
      wait(tc.wake);
      continue;
    }
    std::deque<unsigned>& queue = tcs_[static_cast<unsigned>(q)].queue;
    const unsigned ch = queue.front();
    queue.pop_front();
    const Bits bit = Bits{1} << ch;
    Tr tr;
    const SetKind kind = build_tr(ch, tr);
    ser_ &= ~bit;  // the TR is submitted: the channel may take a new event
    const unsigned long rises_before = rises_[ch];
    service_events();  // an entry of the queue is free
    if (kind == SetKind::Null) missed(ch);  // the event hit the null set
    // A request the dummy set swallowed (the next PaRAM batch not linked in yet) is still
    // pending at a device line that stays high; the channel's next resume (EESR) takes it.
    // Both modes: with pipelined TCs the last TR of a batch can end before the driver has
    // written the next batch.
    if (kind == SetKind::Dummy && event[ch].read()) owed_ |= bit;
    if (kind != SetKind::Transfer) continue;
    const bool early = (tr.opt & r::kOptTccmode) != 0;
    if (early) complete(tr);
    tc.busy = true;
    tc.started = sc_core::sc_time_stamp();
    sc_time delay = SC_ZERO_TIME;  // the TR starts now: it never runs ahead
    const bool good = run_tr(t, tr, delay);
    delay += completion_delay();
    tc.stats.busy += delay;
    ++tc.stats.trs;
    // Both modes wait for the TR: a TC that ran ahead would take its next TR before events
    // other initiators raise meanwhile (another channel's start, the second AES instance on
    // am57x), serving one channel's whole chain first (docs/timing.md).
    wait(delay);
    tc.busy = false;
    if (!good) update_interrupts();
    if (!early) complete(tr);
    // Fast mode: a device that keeps its event line high (elastic buffers) asks for the
    // next TR without a new edge; edges the TR itself caused come after it.
    if (mode_ == TimingMode::Fast && rises_[ch] == rises_before && event[ch].read()) {
      if ((eer_ & bit) != 0) latch_event(ch);
      else owed_ |= bit;
    }
    take_deferred();
    if (mode_ == TimingMode::Accurate) wait(SC_ZERO_TIME);  // the sampling point
  }
}

void Edma3::side_commands(const Tr& tr, std::uint64_t base, std::int32_t bidx,
                          std::vector<Cmd>& v) const {
  const std::uint32_t burst = params_.burst_bytes;
  v.clear();
  auto run = [&](std::uint64_t start, std::uint64_t bytes) {
    for (std::uint64_t off = 0; off < bytes;) {
      const std::uint64_t addr = static_cast<std::uint32_t>(start + off);
      const unsigned len = static_cast<unsigned>(std::min<std::uint64_t>(bytes - off, burst - addr % burst));
      v.push_back({addr, len});
      off += len;
    }
  };
  const bool one_d = tr.arrays > 1 && tr.acnt <= burst && power_of_two(tr.acnt) &&
                     bidx == static_cast<std::int32_t>(tr.acnt) && tr.arrays <= 1023;
  if (one_d) {
    run(base, std::uint64_t{tr.acnt} * tr.arrays);
    return;
  }
  for (std::uint32_t a = 0; a < tr.arrays; ++a)
    run(static_cast<std::uint32_t>(base + static_cast<std::int64_t>(bidx) * a), tr.acnt);
}

namespace {

// The TC's FIFO as a ring: `len` bytes at stream position `pos` (at most two pieces).
void ring_put(std::vector<unsigned char>& ring, std::uint64_t pos, const unsigned char* src,
              unsigned len) {
  const std::size_t at = static_cast<std::size_t>(pos % ring.size());
  const std::size_t first = std::min<std::size_t>(len, ring.size() - at);
  std::memcpy(ring.data() + at, src, first);
  std::memcpy(ring.data(), src + first, len - first);
}

void ring_get(const std::vector<unsigned char>& ring, std::uint64_t pos, unsigned char* dst,
              unsigned len) {
  const std::size_t at = static_cast<std::size_t>(pos % ring.size());
  const std::size_t first = std::min<std::size_t>(len, ring.size() - at);
  std::memcpy(dst, ring.data() + at, first);
  std::memcpy(dst + first, ring.data(), len - first);
}

}  // namespace

bool Edma3::run_tr(unsigned t, const Tr& tr, sc_time& delay) {
  Tc& tc = tcs_[t];
  std::vector<Cmd>& reads = tc.reads;
  std::vector<Cmd>& writes = tc.writes;
  side_commands(tr, tr.src, tr.src_bidx, reads);
  side_commands(tr, tr.dst, tr.dst_bidx, writes);
  // Two ports on one schedule (times are offsets like `delay`). A read needs the read port,
  // a free slot among read_commands in flight and FIFO room (space comes back when a write
  // has sent its data); a write needs the write port, its data in the FIFO and a free slot
  // among write_commands posted. The earlier of the two goes next (a read on a tie).
  const sc_time start = delay + tr_overhead();
  const std::uint32_t fifo = params_.fifo_bytes;
  const sc_time never = sc_core::sc_max_time();
  std::vector<sc_time>& read_done = tc.read_done;
  std::vector<sc_time>& write_sent = tc.write_sent;
  std::vector<sc_time>& write_done = tc.write_done;
  std::vector<std::uint64_t>& write_end = tc.write_end;
  // Sized only: every entry is written before it is read (the loop below fills them in order).
  read_done.resize(reads.size());
  write_sent.resize(writes.size());
  write_done.resize(writes.size());
  write_end.resize(writes.size());
  std::uint64_t in = 0, out = 0, total = 0;
  for (std::size_t j = 0; j < writes.size(); ++j) write_end[j] = total += writes[j].len;
  sc_time read_port = start, write_port = start, end = start;
  std::size_t ri = 0, wi = 0;
  // When the FIFO holds the data of write j: the latest return of the reads it needs.
  auto data_ready = [&](std::size_t j) {
    sc_time ready = start;
    std::uint64_t from = 0;
    for (std::size_t i = 0; i < ri && from < write_end[j]; from += reads[i++].len)
      ready = std::max(ready, read_done[i]);
    return ready;
  };
  unsigned char tmp[512];
  while (wi < writes.size()) {
    sc_time tr_time = never, tw_time = never;
    if (ri < reads.size()) {
      tr_time = read_port;
      if (ri >= params_.read_commands) tr_time = std::max(tr_time, read_done[ri - params_.read_commands]);
      if (in + reads[ri].len > fifo) {
        // Room comes back with the write that sends byte in + len - fifo.
        std::size_t j = 0;
        while (write_end[j] < in + reads[ri].len - fifo) ++j;
        tr_time = j < wi ? std::max(tr_time, write_sent[j]) : never;
      }
    }
    if (in >= write_end[wi]) {
      tw_time = std::max(write_port, data_ready(wi));
      if (wi >= params_.write_commands) tw_time = std::max(tw_time, write_done[wi - params_.write_commands]);
    }
    if (tr_time <= tw_time) {
      const Cmd& c = reads[ri];
      sc_time at = tr_time;
      read_port = tr_time + command_cost(c.len);
      if (command(t, tlm::TLM_READ_COMMAND, c.addr, tmp, c.len, at)) {
        ring_put(buffer_, in, tmp, c.len);
        in += c.len;
        read_done[ri++] = at;
        continue;
      }
      tc.errdet = r::kErrDetReadError;
      delay = at;
    } else {
      const Cmd& c = writes[wi];
      ring_get(buffer_, out, tmp, c.len);
      sc_time at = tw_time;
      write_port = write_sent[wi] = tw_time + command_cost(c.len);
      if (command(t, tlm::TLM_WRITE_COMMAND, c.addr, tmp, c.len, at)) {
        out += c.len;
        tc.stats.bytes += c.len;
        write_done[wi++] = at;
        end = std::max(end, at);
        continue;
      }
      tc.errdet = r::kErrDetWriteError;
      delay = at;
    }
    // A bus error: the TR is abandoned, the error latched with the TR's completion code.
    tc.errstat |= r::kTcErrBus;
    tc.errdet |= (r::opt_tcc_of(tr.opt) << r::kErrDetTccShift) |
                 ((tr.opt & r::kOptTcinten) ? r::kErrDetTcinten : 0u) |
                 ((tr.opt & r::kOptTcchen) ? r::kErrDetTcchen : 0u);
    ++tc.stats.errors;
    return false;
  }
  delay = end;
  return true;
}

bool Edma3::command(unsigned t, tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
                    unsigned len, sc_time& delay) {
  delay += command_cost(len);
  tlm::tlm_generic_payload& p = tcs_[t].trans;
  p.set_command(cmd);
  p.set_address(addr);
  p.set_data_ptr(data);
  p.set_data_length(len);
  p.set_streaming_width(len);
  p.set_byte_enable_ptr(nullptr);
  p.set_dmi_allowed(false);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  tc_bus[t]->b_transport(p, delay);
  ++tcs_[t].stats.commands;
  return p.is_response_ok();
}

}  // namespace aesvp
