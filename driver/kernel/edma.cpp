#include "driver/kernel/edma.h"


#include <algorithm>
#include <string>

namespace aesvp::kernel {

namespace r = edma3;

namespace {
constexpr std::uint32_t kMaxCount = 0xffff;    // ACNT / BCNT / CCNT fields
constexpr unsigned kMaxBurst = 32767;          // slave_config maxburst limit of Linux edma
bool valid_width(unsigned w) { return w >= 1 && w <= 4; }
unsigned burst_of(const DmaSlaveConfig& cfg) {
  const unsigned b = cfg.direction == DmaTransferDirection::MemToDev ? cfg.dst_maxburst
                                                                      : cfg.src_maxburst;
  return std::max(b, 1u);
}
unsigned width_of(const DmaSlaveConfig& cfg) {
  return cfg.direction == DmaTransferDirection::MemToDev ? cfg.dst_addr_width : cfg.src_addr_width;
}
}  // namespace

Edma::Edma(Kernel& k)
    : DmaEngine(k),
      base_(k.device_tree().dma.base),
      ccint_irq_(k.device_tree().dma.irqs.at(0)),
      ccerrint_irq_(k.device_tree().dma.irqs.at(1)) {
  // edma_setup_from_hw: the default queue is the one with the lowest priority (the largest
  // number), so the slave channels do not compete with the memcpy ones.
  const std::vector<unsigned>& prio = k.device_tree().dma.queue_priorities;
  for (unsigned q = 0; q < prio.size() && q < r::kMaxQueues; ++q) {
    quepri_ |= (prio[q] & 0x7u) << (4 * q);
    if (prio[q] > prio[queue_]) queue_ = q;
  }
}

Edma::~Edma() {
  if (probed_) {
    k_.free_irq(ccint_irq_);
    k_.free_irq(ccerrint_irq_);
  }
  for (unsigned irq : tc_irqs_) k_.free_irq(irq);
}

std::uint64_t Edma::shadow(std::uint32_t off, unsigned ch) const {
  return reg(r::shadow(0) + off + (ch >= 32 ? r::kHigh : 0));
}

void Edma::write_channel_bit(std::uint32_t off, unsigned ch) {
  k_.writel(1u << (ch % 32), shadow(off, ch));
}

void Edma::set_global_bit(std::uint32_t low_off, std::uint32_t high_off, unsigned ch, bool on) {
  const std::uint64_t a = reg(ch >= 32 ? high_off : low_off);
  const std::uint32_t bit = 1u << (ch % 32), v = k_.readl(a);
  k_.writel(on ? v | bit : v & ~bit, a);
}

unsigned Edma::alloc_slot() {
  for (unsigned s = num_channels_; s < num_slots_; ++s) {
    if (slot_used_[s]) continue;
    slot_used_[s] = true;
    return s;
  }
  return num_slots_;  // none free
}

int Edma::probe() {
  if (probed_) return 0;
  const std::uint32_t cccfg = k_.readl(reg(r::kCccfg));
  num_channels_ = std::min(2u << ((cccfg >> r::kCccfgNumDmachShift) & 0x7u), r::kMaxChannels);
  num_slots_ = std::min(16u << ((cccfg >> r::kCccfgNumPaentryShift) & 0x7u), r::kMaxParamSets);
  if (num_slots_ <= num_channels_ + 1) return -kENODEV;
  slot_used_.assign(num_slots_, false);
  chans_.clear();
  chans_.resize(num_channels_);
  // Nothing belongs to region 0 until a channel is requested.
  k_.writel(0, reg(r::drae(0)));
  k_.writel(0, reg(r::draeh(0)));
  k_.writel(0, reg(r::qrae(0)));
  // Every channel on the default queue; queue priorities from the device description.
  std::uint32_t q = 0;
  for (unsigned n = 0; n < 8; ++n) q |= (queue_ & 0x7u) << (4 * n);
  for (unsigned n = 0; n < num_channels_ / 8; ++n) k_.writel(q, reg(r::dmaqnum(8 * n)));
  k_.writel(quepri_, reg(r::kQuepri));
  // The shared dummy set that ends every batch: no counts but CCNT 1, linked to null.
  dummy_slot_ = alloc_slot();
  if (dummy_slot_ >= num_slots_) return -kENOMEM;
  write_set(dummy_slot_, PSet{0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, r::kNullLink);
  int rc = k_.request_irq(ccint_irq_, [this](unsigned irq) { return completion_irq(irq); },
                          "edma3_ccint");
  if (rc != 0) return rc;
  rc = k_.request_irq(ccerrint_irq_, [this](unsigned irq) { return error_irq(irq); },
                      "edma3_ccerrint");
  if (rc != 0) {
    k_.free_irq(ccint_irq_);
    return rc;
  }
  // The TPTC error interrupts: every error enabled (ERREN).
  const DmaControllerNode& node = k_.device_tree().dma;
  for (unsigned t = 0; t < node.tc_bases.size() && 2 + t < node.irqs.size(); ++t) {
    k_.writel(r::kTcErrAll, node.tc_bases[t] + r::kTcErrEn);
    rc = k_.request_irq(node.irqs[2 + t], [this, t](unsigned) { return tc_error_irq(t); },
                        "edma3_tcerrint" + std::to_string(t));
    if (rc != 0) return rc;
    tc_irqs_.push_back(node.irqs[2 + t]);
  }
  probed_ = true;
  return 0;
}

DmaChan* Edma::dma_request_chan(unsigned event) {
  if (!probed_ && probe() != 0) return nullptr;
  if (event >= num_channels_ || chans_[event]) return nullptr;
  auto c = std::make_unique<Chan>(event, event);
  for (unsigned i = 0; i < kMaxNrSg; ++i) {
    const unsigned s = alloc_slot();
    if (s >= num_slots_) {
      for (unsigned t : c->slots) slot_used_[t] = false;
      return nullptr;
    }
    c->slots.push_back(s);
  }
  make_tasklet(*c, "edma" + std::to_string(event));
  DmaChan& ch = *c;
  chans_[event] = std::move(c);
  // edma_alloc_chan_resources: region 0 owns the channel, stopped and clean, completion
  // interrupt on, its queue, its first slot mapped.
  set_global_bit(r::drae(0), r::draeh(0), event, true);
  stop(ch);
  write_channel_bit(r::kIcr, event);
  write_channel_bit(r::kIesr, event);
  const std::uint64_t qa = reg(r::dmaqnum(event));
  const std::uint32_t qv = k_.readl(qa) & ~(0xfu << r::dmaqnum_shift(event));
  k_.writel(qv | ((queue_ & 0x7u) << r::dmaqnum_shift(event)), qa);
  k_.writel(chan(ch).slots[0] << 5, reg(r::dchmap(event)));
  return &ch;
}

void Edma::dma_release_channel(DmaChan* c) {
  if (c == nullptr) return;
  dmaengine_terminate_all(c);
  const unsigned ch = c->channel();
  write_channel_bit(r::kIecr, ch);
  k_.writel(dummy_slot_ << 5, reg(r::dchmap(ch)));
  set_global_bit(r::drae(0), r::draeh(0), ch, false);
  for (unsigned s : chan(*c).slots) slot_used_[s] = false;
  retired_.push_back(std::move(chans_[ch]));  // the tasklet may still be queued
}

int Edma::dmaengine_slave_config(DmaChan* c, const DmaSlaveConfig& cfg) {
  if (c == nullptr) return -kEINVAL;
  const DmaSlaveConfig probe_cfg = cfg;
  if (!valid_width(width_of(probe_cfg)) || burst_of(probe_cfg) > kMaxBurst) return -kEINVAL;
  set_config(*c, cfg);
  return 0;
}

std::uint32_t Edma::dma_get_max_seg_size(const DmaChan* c) const {
  if (c == nullptr) return 0;
  const DmaSlaveConfig* cfg = config(*c);
  if (cfg == nullptr) return kMaxCount;  // unconfigured: byte arrays
  const unsigned burst = burst_of(*cfg);
  // AB-sync: CCNT frames of width x burst; A-sync: BCNT arrays of width.
  return width_of(*cfg) * (burst > 1 ? burst : 1u) * kMaxCount;
}

DmaAsyncTxDescriptor* Edma::dmaengine_prep_slave_sg(DmaChan* c, const Scatterlist& sg,
                                                    DmaTransferDirection dir, unsigned long) {
  if (c == nullptr) return nullptr;
  const KernelParams& p = k_.params();
  k_.charge_cycles(p.dma_prep_cycles + p.dma_prep_entry_cycles * static_cast<double>(sg_nents(sg)));
  const DmaSlaveConfig* cfg = config(*c);
  if (cfg == nullptr || cfg->direction != dir || sg_nents(sg) == 0) return nullptr;
  const bool to_dev = dir == DmaTransferDirection::MemToDev;
  const std::uint32_t acnt = width_of(*cfg);
  const unsigned burst = burst_of(*cfg);
  const bool ab = burst > 1;
  const std::uint32_t frame = ab ? acnt * burst : acnt;
  const std::uint64_t fifo = to_dev ? cfg->dst_addr : cfg->src_addr;

  auto d = std::make_unique<EdmaDesc>();
  d->chan = c;
  d->dir = dir;
  const std::size_t n = sg_nents(sg);
  for (std::size_t i = 0; i < n; ++i) {
    const ScatterlistEntry& e = sg.entries()[i];
    const std::uint32_t len = sg_dma_len(e);
    if (len == 0 || len % frame != 0 || len / frame > kMaxCount) return nullptr;
    PSet s;
    s.mem = sg_dma_address(e);
    s.len = len;
    s.opt = r::opt_tcc(c->channel()) | (ab ? r::kOptSyncdim : 0u);
    const std::uint32_t bcnt = ab ? burst : len / acnt;
    s.abcnt = r::ab_cnt(acnt, bcnt);
    s.ccnt = ab ? len / frame : 1;
    // The memory side steps, the FIFO side stays (index 0).
    const std::int32_t step = static_cast<std::int32_t>(acnt);
    const std::int32_t fstep = static_cast<std::int32_t>(ab ? frame : acnt);
    s.bidx = to_dev ? r::bidx(step, 0) : r::bidx(0, step);
    s.cidx = to_dev ? r::bidx(fstep, 0) : r::bidx(0, fstep);
    s.link = r::link_bcntrld(r::kNullLink, ab ? 0 : bcnt);
    s.src = static_cast<std::uint32_t>(to_dev ? s.mem : fifo);
    s.dst = static_cast<std::uint32_t>(to_dev ? fifo : s.mem);
    // The set that ends a batch of kMaxNrSg reports early (the next batch is written while
    // its last TR runs); the last set reports when its data is through.
    if (i + 1 == n) s.opt |= r::kOptTcinten;
    else if ((i + 1) % kMaxNrSg == 0) s.opt |= r::kOptTcinten | r::kOptTccmode;
    d->sets.push_back(s);
    d->bytes += len;
  }
  DmaAsyncTxDescriptor* tx = d.get();
  add_allocated(*c, std::move(d));
  return tx;
}

int Edma::dmaengine_terminate_all(DmaChan* c) {
  if (c == nullptr) return -kEINVAL;
  k_.charge_cycles(k_.params().dma_terminate_cycles);
  stop(*c);
  chan(*c).missed = false;
  drop_descriptors(*c);
  return 0;
}

// --- programming -------------------------------------------------------------------------

void Edma::write_set(unsigned slot, const PSet& s, std::uint32_t link) {
  const std::uint64_t a = reg(r::param(slot));
  const std::uint32_t words[8] = {s.opt, s.src, s.abcnt, s.dst, s.bidx,
                                  (s.link & 0xffff0000u) | (link & 0xffffu), s.cidx, s.ccnt};
  for (unsigned w = 0; w < 8; ++w) k_.writel(words[w], a + 4 * w);
}

void Edma::start_desc(DmaChan& c) {
  if (!take_issued(c)) return;
  EdmaDesc& d = desc(c);
  d.processed = 0;
  execute(c);
}

void Edma::execute(DmaChan& c) {
  // edma_execute: the next batch of sets into the channel's slots, linked in order; the
  // last one links to the dummy set.
  Chan& ch = chan(c);
  EdmaDesc& d = desc(c);
  const bool first = d.processed == 0;
  const std::size_t batch = std::min<std::size_t>(kMaxNrSg, d.sets.size() - d.processed);
  d.batch_start = d.processed;
  for (std::size_t j = 0; j < batch; ++j) {
    const std::uint32_t link = j + 1 < batch ? r::param(ch.slots[j + 1]) : r::param(dummy_slot_);
    write_set(ch.slots[j], d.sets[d.processed + j], link);
  }
  d.processed += batch;
  if (first) {
    start(c);
  } else if (ch.missed) {
    // An event hit the null set between the batches: restart and issue it by hand.
    ch.missed = false;
    clean(c);
    stop(c);
    start(c);
    trigger(c);
  } else {
    write_channel_bit(r::kEesr, c.channel());  // resume
  }
}

void Edma::start(DmaChan& c) {
  const unsigned ch = c.channel();
  write_channel_bit(r::kEcr, ch);
  k_.writel(1u << (ch % 32), reg(ch >= 32 ? r::kEmcrh : r::kEmcr));
  write_channel_bit(r::kSecr, ch);
  write_channel_bit(r::kEesr, ch);
}

void Edma::stop(DmaChan& c) {
  const unsigned ch = c.channel();
  write_channel_bit(r::kEecr, ch);
  write_channel_bit(r::kEcr, ch);
  write_channel_bit(r::kSecr, ch);
  k_.writel(1u << (ch % 32), reg(ch >= 32 ? r::kEmcrh : r::kEmcr));
  write_channel_bit(r::kIcr, ch);
}

void Edma::clean(DmaChan& c) {
  const unsigned ch = c.channel();
  write_channel_bit(r::kEcr, ch);
  k_.writel(1u << (ch % 32), reg(ch >= 32 ? r::kEmcrh : r::kEmcr));
  write_channel_bit(r::kSecr, ch);
  k_.writel(r::kCcerrTccErr | 0x3u, reg(r::kCcerrclr));
}

void Edma::trigger(DmaChan& c) { write_channel_bit(r::kEsr, c.channel()); }

std::uint32_t Edma::frame_bytes(DmaChan& c) {
  // What one TR of the channel's current set moves: a frame (AB-sync) or an array (A-sync).
  const std::uint64_t slot = reg(r::param(chan(c).slots[0]));
  const std::uint32_t opt = k_.readl(slot + r::kOpt), abcnt = k_.readl(slot + r::kABCnt);
  const std::uint32_t acnt = abcnt & 0xffffu, bcnt = abcnt >> 16;
  return (opt & r::kOptSyncdim) != 0 ? acnt * bcnt : acnt;
}

std::uint32_t Edma::active_residue(DmaChan& c) {
  // The memory-side address in the channel's slot tells how far the set on the hardware
  // got; sets after it are untouched.
  // The register read comes first: the thread may wait on the bus, and the descriptor may
  // complete meanwhile (the caller then discards the figure).
  const bool to_dev = desc(c).dir == DmaTransferDirection::MemToDev;
  const std::uint64_t pos =
      k_.readl(reg(r::param(chan(c).slots[0]) + (to_dev ? r::kSrc : r::kDst)));
  if (active(c) == nullptr) return 0;
  const EdmaDesc& d = desc(c);
  std::uint32_t left = 0;
  bool found = false;
  for (std::size_t i = d.batch_start; i < d.sets.size(); ++i) {
    const PSet& s = d.sets[i];
    if (found || i >= d.processed) {
      left += s.len;
    } else if (pos >= s.mem && pos < s.mem + s.len) {
      left += static_cast<std::uint32_t>(s.mem + s.len - pos);
      found = true;
    }
  }
  return left;
}

// --- interrupts ----------------------------------------------------------------------------

IrqReturn Edma::completion_irq(unsigned) {
  // dma_irq_handler: one half of IPR per call (the low one first).
  ++irqs_;
  const std::uint64_t ipr = reg(r::shadow(0) + r::kIpr);
  std::uint32_t pending = k_.readl(ipr);
  unsigned base = 0;
  if (pending == 0) {
    pending = k_.readl(ipr + r::kHigh);
    base = 32;
  }
  if (pending == 0) return IrqReturn::None;
  const std::uint32_t enabled = k_.readl(reg(r::shadow(0) + r::kIer + (base ? r::kHigh : 0)));
  while (pending != 0) {
    const unsigned bit = static_cast<unsigned>(__builtin_ctz(pending));
    pending &= pending - 1;
    if ((enabled & (1u << bit)) == 0) continue;
    const unsigned ch = base + bit;
    write_channel_bit(r::kIcr, ch);
    k_.charge_cycles(k_.params().dma_irq_cycles);
    if (ch < chans_.size() && chans_[ch]) channel_done(*chans_[ch]);
  }
  k_.writel(r::kIevalEval, reg(r::shadow(0) + r::kIeval));
  return IrqReturn::Handled;
}

void Edma::channel_done(DmaChan& c) {
  count_irq(c);
  if (active(c) == nullptr) return;
  EdmaDesc& d = desc(c);
  if (d.processed == d.sets.size()) {
    stop(c);
    complete_active(c, DmaengineResult{});
    start_desc(c);
    return;
  }
  // An intermediate batch is through: pause, write the next one, resume.
  write_channel_bit(r::kEecr, c.channel());
  execute(c);
}

IrqReturn Edma::error_irq(unsigned) {
  ++err_irqs_;
  const std::uint32_t emr = k_.readl(reg(r::kEmr)), emrh = k_.readl(reg(r::kEmrh));
  const std::uint32_t qemr = k_.readl(reg(r::kQemr)), ccerr = k_.readl(reg(r::kCcerr));
  if ((emr | emrh | qemr | ccerr) == 0) {
    k_.writel(1, reg(r::kEeval));
    return IrqReturn::None;
  }
  for (unsigned half = 0; half < 2; ++half) {
    std::uint32_t bits = half == 0 ? emr : emrh;
    while (bits != 0) {
      const unsigned ch = 32 * half + static_cast<unsigned>(__builtin_ctz(bits));
      bits &= bits - 1;
      k_.writel(1u << (ch % 32), reg(half == 0 ? r::kEmcr : r::kEmcrh));
      write_channel_bit(r::kSecr, ch);
      channel_missed(ch);
    }
  }
  if (qemr != 0) k_.writel(qemr, reg(r::kQemcr));
  if (ccerr != 0) k_.writel(ccerr, reg(r::kCcerrclr));
  k_.writel(1, reg(r::kEeval));
  return IrqReturn::Handled;
}

IrqReturn Edma::tc_error_irq(unsigned t) {
  ++err_irqs_;
  const std::uint64_t tc = k_.device_tree().dma.tc_bases.at(t);
  const std::uint32_t errstat = k_.readl(tc + r::kTcErrStat);
  if ((errstat & r::kTcErrAll) == 0) return IrqReturn::None;
  const std::uint32_t errdet = k_.readl(tc + r::kTcErrDet);
  k_.writel(errstat, tc + r::kTcErrClr);
  if ((errstat & r::kTcErrBus) == 0) return IrqReturn::Handled;
  ++bus_errors_;
  // ERRDET names the completion code of the abandoned TR: the channel (TCC = channel).
  const unsigned ch = (errdet >> r::kErrDetTccShift) & 0x3fu;
  if (ch >= chans_.size() || !chans_[ch] || active(*chans_[ch]) == nullptr)
    return IrqReturn::Handled;
  DmaChan& c = *chans_[ch];
  count_irq(c);
  DmaengineResult res;
  res.result = (errdet & 0xfu) == r::kErrDetWriteError ? DmaTxResult::WriteFailed
                                                        : DmaTxResult::ReadFailed;
  // The slot was advanced when the TR was submitted: the abandoned frame is not through.
  res.residue = std::min(desc(c).bytes, active_residue(c) + frame_bytes(c));
  stop(c);
  set_halted(c, true);  // terminate_all makes it usable again
  complete_active(c, res);
  return IrqReturn::Handled;
}

void Edma::channel_missed(unsigned ch) {
  ++missed_;
  if (ch >= chans_.size() || !chans_[ch] || active(*chans_[ch]) == nullptr) return;
  DmaChan& c = *chans_[ch];
  const std::uint64_t slot = reg(r::param(chan(c).slots[0]));
  const std::uint32_t abcnt = k_.readl(slot + r::kABCnt), ccnt = k_.readl(slot + r::kCcnt);
  if (abcnt == 0 && ccnt == 0) {
    chan(c).missed = true;  // the null set: the next batch restarts the channel
    return;
  }
  // The set is programmed but its event was lost: issue it again.
  clean(c);
  stop(c);
  start(c);
  trigger(c);
}

}  // namespace aesvp::kernel
