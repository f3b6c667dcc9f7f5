#include "driver/kernel/dmaengine.h"

#include "models/sdma/omap_sdma_regs.h"

#include <algorithm>

namespace aesvp::kernel {

namespace r = sdma;

const char* to_string(DmaTxResult res) {
  switch (res) {
    case DmaTxResult::NoError: return "no-error";
    case DmaTxResult::ReadFailed: return "read-failed";
    case DmaTxResult::WriteFailed: return "write-failed";
    case DmaTxResult::Aborted: return "aborted";
  }
  return "?";
}

namespace {
constexpr std::uint32_t kErrorBits =
    r::kIrqTransErr | r::kIrqSecureErr | r::kIrqSupervisorErr | r::kIrqMisalignedErr;

std::uint32_t data_type(unsigned width) {
  switch (width) {
    case 1: return r::kDataType8;
    case 2: return r::kDataType16;
    case 4: return r::kDataType32;
    default: return 0xffffffffu;
  }
}

// Largest burst field whose size divides one frame (a burst never spans two requests).
std::uint32_t burst_field(unsigned frame_bytes) {
  for (std::uint32_t b : {r::kBurst64, r::kBurst32, r::kBurst16}) {
    const unsigned n = r::burst_bytes(b, 4);
    if (frame_bytes % n == 0) return b;
  }
  return r::kBurstSingle;
}
}  // namespace

DmaEngine::DmaEngine(Kernel& k, unsigned irq_line)
    : k_(k), line_(irq_line), base_(k.device_tree().dma.base) {
  chans_.resize(std::min<std::size_t>(k.device_tree().dma.channels, 32));
}

DmaEngine::~DmaEngine() {
  if (probed_) k_.free_irq(irq_id());
}

unsigned DmaEngine::irq_id() const { return k_.device_tree().dma.irqs.at(line_); }

std::uint64_t DmaEngine::chan_reg(const DmaChan& c, std::uint32_t reg) const {
  return base_ + r::channel_reg(c.ch_, reg);
}

std::uint64_t DmaEngine::glbl(std::uint32_t reg) const { return base_ + reg; }

int DmaEngine::probe() {
  if (probed_) return 0;
  if (line_ >= r::kIrqLines || line_ >= k_.device_tree().dma.irqs.size()) return -kEINVAL;
  k_.writel(0, glbl(r::irqenable(line_)));
  k_.writel(0xffffffffu, glbl(r::irqstatus(line_)));
  const int rc =
      k_.request_irq(irq_id(), [this](unsigned irq) { return irq_handler(irq); }, "omap-dma");
  if (rc == 0) probed_ = true;
  return rc;
}

DmaChan* DmaEngine::dma_request_chan(unsigned request_line) {
  if (request_line == 0 || request_line > r::kMaxRequestLines) return nullptr;
  if (!probed_ && probe() != 0) return nullptr;
  for (unsigned i = 0; i < chans_.size(); ++i) {
    if (chans_[i]) continue;
    chans_[i].reset(new DmaChan(i, request_line));
    DmaChan* c = chans_[i].get();
    c->tasklet_ = std::make_unique<Tasklet>(k_, "dma" + std::to_string(i),
                                            [this, c] { tasklet_fn(*c); });
    // omap_dma_alloc_chan_resources: clear and unmask the channel on our line.
    k_.writel(1u << i, glbl(r::irqstatus(line_)));
    irq_enable_mask_ |= 1u << i;
    k_.writel(irq_enable_mask_, glbl(r::irqenable(line_)));
    return c;
  }
  return nullptr;
}

void DmaEngine::dma_release_channel(DmaChan* chan) {
  if (chan == nullptr) return;
  dmaengine_terminate_all(chan);
  const unsigned i = chan->ch_;
  irq_enable_mask_ &= ~(1u << i);
  k_.writel(irq_enable_mask_, glbl(r::irqenable(line_)));
  // The tasklet may still be queued: keep the object alive, free the logical channel.
  retired_.push_back(std::move(chans_[i]));
}

int DmaEngine::dmaengine_slave_config(DmaChan* chan, const DmaSlaveConfig& cfg) {
  if (chan == nullptr) return -kEINVAL;
  const bool to_dev = cfg.direction == DmaTransferDirection::MemToDev;
  const unsigned width = to_dev ? cfg.dst_addr_width : cfg.src_addr_width;
  const unsigned burst = to_dev ? cfg.dst_maxburst : cfg.src_maxburst;
  if (data_type(width) == 0xffffffffu || burst == 0 || burst > r::kCenMask) return -kEINVAL;
  chan->cfg_ = cfg;
  chan->configured_ = true;
  return 0;
}

DmaAsyncTxDescriptor* DmaEngine::dmaengine_prep_slave_sg(DmaChan* chan, const Scatterlist& sg,
                                                         DmaTransferDirection dir,
                                                         unsigned long /*flags*/) {
  if (chan == nullptr) return nullptr;
  const KernelParams& p = k_.params();
  k_.charge_cycles(p.dma_prep_cycles +
                   p.dma_prep_entry_cycles * static_cast<double>(sg_nents(sg)));
  if (!chan->configured_ || chan->cfg_.direction != dir || sg_nents(sg) == 0) return nullptr;
  const DmaSlaveConfig& cfg = chan->cfg_;
  const bool to_dev = dir == DmaTransferDirection::MemToDev;
  const unsigned width = to_dev ? cfg.dst_addr_width : cfg.src_addr_width;
  const unsigned burst = to_dev ? cfg.dst_maxburst : cfg.src_maxburst;
  const unsigned frame = width * burst;

  auto d = std::make_unique<DmaChan::Desc>();
  d->chan = chan;
  d->dir = dir;
  for (const ScatterlistEntry& e : sg.entries()) {
    const std::uint32_t len = sg_dma_len(e);
    if (len == 0 || len % frame != 0 || len / frame > r::kCfnMask) return nullptr;
    const std::uint64_t mem = sg_dma_address(e);
    d->sg.push_back({to_dev ? mem : cfg.src_addr, to_dev ? cfg.dst_addr : mem, len, len / frame});
  }
  const std::uint32_t bf = burst_field(frame);
  d->csdp = data_type(width) | r::kCsdpSrcPacked | r::kCsdpDstPacked | r::csdp_src_burst(bf) |
            r::csdp_dst_burst(bf);
  d->ccr = r::ccr_request(chan->req_) | r::kCcrFs;
  if (to_dev) {
    d->ccr |= r::ccr_src_amode(r::kAmodePostIncrement) | r::ccr_dst_amode(r::kAmodeConstant);
  } else {
    d->ccr |= r::kCcrTriggerSrc | r::ccr_src_amode(r::kAmodeConstant) |
              r::ccr_dst_amode(r::kAmodePostIncrement);
  }
  d->cicr = r::kIrqBlock | kErrorBits;
  d->cen = burst;
  chan->allocated_.push_back(std::move(d));
  return chan->allocated_.back().get();
}

std::uint32_t DmaEngine::dma_get_max_seg_size(const DmaChan* chan) const {
  // One entry is one sDMA block: at most CFN_MAX frames of width x maxburst bytes (the
  // channel's slave configuration; one element per frame before it is configured).
  if (chan == nullptr) return 0;
  const DmaSlaveConfig& cfg = chan->cfg_;
  const bool to_dev = cfg.direction == DmaTransferDirection::MemToDev;
  const unsigned frame = chan->configured_
                             ? (to_dev ? cfg.dst_addr_width * cfg.dst_maxburst
                                       : cfg.src_addr_width * cfg.src_maxburst)
                             : 1;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(std::uint64_t{r::kCfnMask} * frame,
                                                            0xffffffffu));
}

DmaCookie DmaEngine::dmaengine_submit(DmaAsyncTxDescriptor* tx) {
  if (tx == nullptr || tx->chan == nullptr) return -kEINVAL;
  k_.charge_cycles(k_.params().dma_submit_cycles);
  DmaChan& c = *tx->chan;
  for (auto it = c.allocated_.begin(); it != c.allocated_.end(); ++it) {
    if (it->get() != tx) continue;
    tx->cookie = c.next_cookie_++;
    c.submitted_.push_back(std::move(*it));
    c.allocated_.erase(it);
    return tx->cookie;
  }
  return -kEINVAL;
}

void DmaEngine::dma_async_issue_pending(DmaChan* chan) {
  if (chan == nullptr) return;
  k_.charge_cycles(k_.params().dma_issue_pending_cycles);
  while (!chan->submitted_.empty()) {
    chan->issued_.push_back(std::move(chan->submitted_.front()));
    chan->submitted_.pop_front();
  }
  start_desc(*chan);
}

void DmaEngine::start_desc(DmaChan& c) {
  if (c.active_ || c.halted_ || c.issued_.empty()) return;
  c.active_ = std::move(c.issued_.front());
  c.issued_.pop_front();
  c.sgidx_ = 0;
  k_.writel(c.active_->csdp, chan_reg(c, r::kCsdp));
  k_.writel(c.active_->ccr, chan_reg(c, r::kCcr));
  start_sg(c);
}

void DmaEngine::start_sg(DmaChan& c) {
  const DmaChan::Desc& d = *c.active_;
  const DmaChan::Segment& s = d.sg[c.sgidx_];
  k_.writel(static_cast<std::uint32_t>(s.src), chan_reg(c, r::kCssa));
  k_.writel(static_cast<std::uint32_t>(s.dst), chan_reg(c, r::kCdsa));
  k_.writel(d.cen, chan_reg(c, r::kCen));
  k_.writel(s.frames, chan_reg(c, r::kCfn));
  // omap_dma_start: clear stale status, interrupt enables, then ENABLE.
  k_.writel(r::kCsrEventBits, chan_reg(c, r::kCsr));
  k_.writel(d.cicr, chan_reg(c, r::kCicr));
  k_.writel(d.ccr | r::kCcrEnable, chan_reg(c, r::kCcr));
}

void DmaEngine::stop(DmaChan& c) {
  const std::uint32_t ccr = k_.readl(chan_reg(c, r::kCcr));
  k_.writel(ccr & ~r::kCcrEnable, chan_reg(c, r::kCcr));
  k_.writel(0, chan_reg(c, r::kCicr));
  k_.writel(r::kCsrEventBits, chan_reg(c, r::kCsr));
  k_.writel(1u << c.ch_, glbl(r::irqstatus(line_)));
}

int DmaEngine::dmaengine_terminate_all(DmaChan* chan) {
  if (chan == nullptr) return -kEINVAL;
  k_.charge_cycles(k_.params().dma_terminate_cycles);
  DmaChan& c = *chan;
  stop(c);
  auto drop = [&c](std::deque<std::unique_ptr<DmaChan::Desc>>& q) {
    for (auto& d : q)
      if (d->cookie > 0) c.finish(d->cookie, false);
    q.clear();
  };
  if (c.active_) {
    c.finish(c.active_->cookie, false);
    c.active_.reset();
  }
  drop(c.allocated_);
  drop(c.submitted_);
  drop(c.issued_);
  c.done_.clear();  // completed, callback not yet run: dropped as vchan_get_all_descriptors does
  c.halted_ = false;
  return 0;
}

int DmaEngine::dmaengine_terminate_sync(DmaChan* chan) {
  const int rc = dmaengine_terminate_all(chan);
  if (rc == 0) k_.tasklet_kill(*chan->tasklet_);
  return rc;
}

void DmaChan::finish(DmaCookie cookie, bool ok) {
  if (!ok) {
    errored_.insert(cookie);
    if (errored_.size() > kErrorHistory) errored_.erase(errored_.begin());
  }
  if (cookie > completed_cookie_) completed_cookie_ = cookie;
}

DmaStatus DmaEngine::dmaengine_tx_status(DmaChan* chan, DmaCookie cookie) const {
  if (chan == nullptr) return DmaStatus::Error;
  if (cookie <= 0 || cookie > chan->completed_cookie_) return DmaStatus::InProgress;
  return chan->errored_.count(cookie) != 0 ? DmaStatus::Error : DmaStatus::Complete;
}

IrqReturn DmaEngine::irq_handler(unsigned /*irq*/) {
  ++irqs_;
  const unsigned long faults = k_.mmio_faults();
  std::uint32_t status = k_.readl(glbl(r::irqstatus(line_)));
  if (k_.mmio_faults() != faults) return IrqReturn::None;  // the sDMA did not answer
  status &= irq_enable_mask_;
  if (status == 0) return IrqReturn::None;
  while (status != 0) {
    const unsigned ch = static_cast<unsigned>(__builtin_ctz(status));
    status &= status - 1;
    k_.writel(1u << ch, glbl(r::irqstatus(line_)));
    DmaChan* c = ch < chans_.size() ? chans_[ch].get() : nullptr;
    if (c == nullptr) continue;
    const std::uint32_t csr = k_.readl(chan_reg(*c, r::kCsr));
    k_.writel(csr, chan_reg(*c, r::kCsr));  // write 1 to clear
    k_.charge_cycles(k_.params().dma_irq_cycles);
    channel_irq(*c, csr);
  }
  return IrqReturn::Handled;
}

void DmaEngine::channel_irq(DmaChan& c, std::uint32_t csr) {
  ++c.irqs_;
  if (!c.active_) return;
  if ((csr & kErrorBits) != 0) {
    // The sDMA does not say which side failed: a bus error is put on the memory side.
    DmaengineResult res;
    if (csr & r::kIrqTransErr)
      res.result = c.active_->dir == DmaTransferDirection::DevToMem ? DmaTxResult::WriteFailed
                                                                     : DmaTxResult::ReadFailed;
    else
      res.result = DmaTxResult::Aborted;
    for (std::size_t i = c.sgidx_; i < c.active_->sg.size(); ++i) res.residue += c.active_->sg[i].len;
    c.halted_ = true;  // the hardware stopped the channel; terminate_all restarts it
    complete_active(c, res);
    return;
  }
  if ((csr & r::kIrqBlock) == 0) return;
  if (++c.sgidx_ < c.active_->sg.size()) {
    start_sg(c);  // next entry, programmed from the BLOCK interrupt
    return;
  }
  complete_active(c, DmaengineResult{});
  start_desc(c);
}

void DmaEngine::complete_active(DmaChan& c, DmaengineResult res) {
  c.active_->result = res;
  const bool ok = res.result == DmaTxResult::NoError;
  ++(ok ? c.completed_ : c.errors_);
  c.finish(c.active_->cookie, ok);
  c.done_.push_back(std::move(c.active_));
  c.tasklet_->schedule();  // vchan_cookie_complete
}

void DmaEngine::tasklet_fn(DmaChan& c) {
  // vchan_complete: callbacks in completion order.
  while (!c.done_.empty()) {
    std::unique_ptr<DmaChan::Desc> d = std::move(c.done_.front());
    c.done_.pop_front();
    k_.charge_cycles(k_.params().dma_complete_cycles);
    if (d->callback_result) d->callback_result(d->result);
  }
}

}  // namespace aesvp::kernel
