#include "driver/kernel/omap_dma.h"

#include "driver/kernel/dma_mapping.h"
#include "models/sdma/omap_sdma_regs.h"

#include <algorithm>
#include <cstring>

namespace aesvp::kernel {

namespace r = sdma;

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

OmapDma::OmapDma(Kernel& k, unsigned irq_line)
    : DmaEngine(k), line_(irq_line), base_(k.device_tree().dma.base) {
  chans_.resize(std::min<std::size_t>(k.device_tree().dma.channels, 32));
}

OmapDma::~OmapDma() {
  if (probed_) k_.free_irq(irq_id());
}

unsigned OmapDma::irq_id() const { return k_.device_tree().dma.irqs.at(line_); }

std::uint64_t OmapDma::chan_reg(const DmaChan& c, std::uint32_t reg) const {
  return base_ + r::channel_reg(c.channel(), reg);
}

std::uint64_t OmapDma::glbl(std::uint32_t reg) const { return base_ + reg; }

int OmapDma::probe() {
  if (probed_) return 0;
  if (line_ >= r::kIrqLines || line_ >= k_.device_tree().dma.irqs.size()) return -kEINVAL;
  k_.writel(0, glbl(r::irqenable(line_)));
  k_.writel(0xffffffffu, glbl(r::irqstatus(line_)));
  ll123_ = (k_.readl(glbl(r::kCaps0)) & r::kCaps0SupportLl123) != 0;
  const int rc =
      k_.request_irq(irq_id(), [this](unsigned irq) { return irq_handler(irq); }, "omap-dma");
  if (rc == 0) probed_ = true;
  return rc;
}

DmaChan* OmapDma::dma_request_chan(unsigned request_line) {
  if (request_line == 0 || request_line > r::kMaxRequestLines) return nullptr;
  if (!probed_ && probe() != 0) return nullptr;
  for (unsigned i = 0; i < chans_.size(); ++i) {
    if (chans_[i]) continue;
    chans_[i].reset(new Chan(i, request_line));
    DmaChan* c = chans_[i].get();
    make_tasklet(*c, "dma" + std::to_string(i));
    // omap_dma_alloc_chan_resources: clear and unmask the channel on our line.
    k_.writel(1u << i, glbl(r::irqstatus(line_)));
    irq_enable_mask_ |= 1u << i;
    k_.writel(irq_enable_mask_, glbl(r::irqenable(line_)));
    return c;
  }
  return nullptr;
}

void OmapDma::dma_release_channel(DmaChan* chan) {
  if (chan == nullptr) return;
  dmaengine_terminate_all(chan);
  const unsigned i = chan->channel();
  irq_enable_mask_ &= ~(1u << i);
  k_.writel(irq_enable_mask_, glbl(r::irqenable(line_)));
  // dma_pool_destroy: the channel's descriptors were dropped by terminate_all.
  DescPool& pool = *static_cast<Chan&>(*chan).pool;
  for (std::uint64_t page : pool.pages) k_.dma_free_coherent(page);
  pool.pages.clear();
  pool.free.clear();
  // The tasklet may still be queued: keep the object alive, free the logical channel.
  retired_.push_back(std::move(chans_[i]));
}

int OmapDma::dmaengine_slave_config(DmaChan* chan, const DmaSlaveConfig& cfg) {
  if (chan == nullptr) return -kEINVAL;
  const bool to_dev = cfg.direction == DmaTransferDirection::MemToDev;
  const unsigned width = to_dev ? cfg.dst_addr_width : cfg.src_addr_width;
  const unsigned burst = to_dev ? cfg.dst_maxburst : cfg.src_maxburst;
  if (data_type(width) == 0xffffffffu || burst == 0 || burst > r::kCenMask) return -kEINVAL;
  set_config(*chan, cfg);
  return 0;
}

DmaAsyncTxDescriptor* OmapDma::dmaengine_prep_slave_sg(DmaChan* chan, const Scatterlist& sg,
                                                         DmaTransferDirection dir,
                                                         unsigned long /*flags*/) {
  if (chan == nullptr) return nullptr;
  const KernelParams& p = k_.params();
  k_.charge_cycles(p.dma_prep_cycles +
                   p.dma_prep_entry_cycles * static_cast<double>(sg_nents(sg)));
  const DmaSlaveConfig* conf = config(*chan);
  if (conf == nullptr || conf->direction != dir || sg_nents(sg) == 0) return nullptr;
  const DmaSlaveConfig& cfg = *conf;
  const bool to_dev = dir == DmaTransferDirection::MemToDev;
  const unsigned width = to_dev ? cfg.dst_addr_width : cfg.src_addr_width;
  const unsigned burst = to_dev ? cfg.dst_maxburst : cfg.src_maxburst;
  const unsigned frame = width * burst;

  std::unique_ptr<SdmaDesc> d = new_desc<SdmaDesc>();
  d->chan = chan;
  d->dir = dir;
  for (const ScatterlistEntry& e : sg.entries()) {
    const std::uint32_t len = sg_dma_len(e);
    if (len == 0 || len % frame != 0 || len / frame > r::kCfnMask) return nullptr;
    const std::uint64_t mem = sg_dma_address(e);
    d->sg.push_back({to_dev ? mem : cfg.src_addr, to_dev ? cfg.dst_addr : mem, len, len / frame});
    d->bytes += len;
  }
  const std::uint32_t bf = burst_field(frame);
  d->csdp = data_type(width) | r::kCsdpSrcPacked | r::kCsdpDstPacked | r::csdp_src_burst(bf) |
            r::csdp_dst_burst(bf);
  d->ccr = r::ccr_request(chan->request_line()) | r::kCcrFs;
  if (to_dev) {
    d->ccr |= r::ccr_src_amode(r::kAmodePostIncrement) | r::ccr_dst_amode(r::kAmodeConstant);
  } else {
    d->ccr |= r::kCcrTriggerSrc | r::ccr_src_amode(r::kAmodeConstant) |
              r::ccr_dst_amode(r::kAmodePostIncrement);
  }
  d->cicr = r::kIrqBlock | kErrorBits;
  d->cen = burst;
  d->dev_addr = to_dev ? cfg.dst_addr : cfg.src_addr;
  if (ll123_ && d->sg.size() >= 2) d->using_ll = build_list(static_cast<Chan&>(*chan), *d);
  DmaAsyncTxDescriptor* tx = d.get();
  add_allocated(*chan, std::move(d));
  return tx;
}

std::uint32_t OmapDma::dma_get_max_seg_size(const DmaChan* chan) const {
  // One entry is one sDMA block: at most CFN_MAX frames of width x maxburst bytes (one
  // element per frame before the channel is configured).
  if (chan == nullptr) return 0;
  const DmaSlaveConfig* cfg = config(*chan);
  if (cfg == nullptr) return r::kCfnMask;
  const bool to_dev = cfg->direction == DmaTransferDirection::MemToDev;
  const std::uint64_t frame = to_dev ? cfg->dst_addr_width * cfg->dst_maxburst
                                     : cfg->src_addr_width * cfg->src_maxburst;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(r::kCfnMask * frame, 0xffffffffu));
}

void OmapDma::start_desc(DmaChan& c) {
  if (!take_issued(c)) return;
  SdmaDesc& d = desc(c);
  d.sgidx = 0;
  // The channel is idle (no descriptor runs on it): configuration writes (Kernel::writel_config)
  // up to the CCR write that enables it; CCR without ENABLE only stores on a stopped channel.
  k_.writel_config(d.csdp, chan_reg(c, r::kCsdp));
  k_.writel_config(d.ccr, chan_reg(c, r::kCcr));
  if (d.using_ll) {
    ++list_transfers_;
    start_list(c);
    return;
  }
  if (d.sg.size() >= 2) ++entry_transfers_;
  start_sg(c);
}

// --- descriptor lists ----------------------------------------------------------------------

OmapDma::SdmaDesc::~SdmaDesc() { release_slots(); }

void OmapDma::SdmaDesc::release_slots() {
  if (pool) pool->free.insert(pool->free.end(), slots.begin(), slots.end());
  pool.reset();
  slots.clear();
}

bool OmapDma::recycle(Desc& base) {
  auto& d = static_cast<SdmaDesc&>(base);
  d.release_slots();
  std::vector<Segment> sg = std::move(d.sg);  // keeps its capacity for the next prep
  std::vector<std::uint64_t> slots = std::move(d.slots);
  sg.clear();
  d = SdmaDesc{};
  d.sg = std::move(sg);
  d.slots = std::move(slots);
  return true;
}

bool OmapDma::build_list(Chan& c, SdmaDesc& d) {
  // dma_pool_alloc per entry (a coherent page is added when the pool is empty).
  DescPool& pool = *c.pool;
  constexpr std::uint64_t kSlot = 32;  // a type-2 descriptor is 28 bytes
  while (pool.free.size() < d.sg.size()) {
    std::uint64_t page = 0;
    if (k_.dma_alloc_coherent(Kernel::kPageSize, &page) == 0) break;
    pool.pages.push_back(page);
    for (std::uint64_t off = 0; off < Kernel::kPageSize; off += kSlot) pool.free.push_back(page + off);
  }
  if (pool.free.size() < d.sg.size()) return false;  // entry by entry instead
  d.pool = c.pool;
  d.slots.assign(pool.free.end() - static_cast<std::ptrdiff_t>(d.sg.size()), pool.free.end());
  pool.free.resize(pool.free.size() - d.sg.size());

  // Type 2, memory address reloaded from each descriptor, device address reused; only the
  // last descriptor enables the BLOCK interrupt.
  const bool to_dev = d.dir == DmaTransferDirection::MemToDev;
  const std::uint32_t sv = to_dev ? r::kAddrReload : r::kAddrReuse;
  const std::uint32_t dv = to_dev ? r::kAddrReuse : r::kAddrReload;
  for (std::size_t i = 0; i < d.sg.size(); ++i) {
    const Segment& s = d.sg[i];
    const bool last = i + 1 == d.sg.size();
    const std::uint32_t next = last ? r::kEndOfList : static_cast<std::uint32_t>(d.slots[i + 1]);
    const std::uint32_t cicr = last ? d.cicr : d.cicr & ~r::kIrqBlock;
    const std::uint32_t words[7] = {next,
                                    r::desc_word1(d.cen, r::kDescType2, sv, dv),
                                    static_cast<std::uint32_t>(to_dev ? s.src : s.dst),
                                    (s.frames & r::kCfnMask) | cicr << 16,
                                    0, 0, 0};  // element / frame indexes unused
    std::vector<std::uint8_t> bytes(sizeof words);
    std::memcpy(bytes.data(), words, sizeof words);
    place_bytes(k_, d.slots[i], bytes);
    k_.charge_cycles(k_.params().dma_desc_fill_cycles);
  }
  return true;
}

void OmapDma::start_list(DmaChan& c) {
  // omap_dma_start in list mode: the device side in its start register (reused by every
  // descriptor), CDP fast start from CNDP, the BLOCK interrupt left to the last descriptor.
  // Configuration writes up to the CCR write that enables the stopped channel.
  SdmaDesc& d = desc(c);
  const bool to_dev = d.dir == DmaTransferDirection::MemToDev;
  k_.writel_config(static_cast<std::uint32_t>(d.dev_addr), chan_reg(c, to_dev ? r::kCdsa : r::kCssa));
  k_.writel_config(r::kCsrEventBits, chan_reg(c, r::kCsr));
  k_.writel_config(r::cdp(r::kTmodeLinkedList, r::kDescType2, to_dev ? r::kAddrReload : r::kAddrReuse,
                   to_dev ? r::kAddrReuse : r::kAddrReload, true),
            chan_reg(c, r::kCdp));
  k_.writel_config(static_cast<std::uint32_t>(d.slots.front()), chan_reg(c, r::kCndp));
  k_.writel_config(0, chan_reg(c, r::kCcdn));
  k_.writel_config(d.cicr & ~r::kIrqBlock, chan_reg(c, r::kCicr));
  k_.writel(d.ccr | r::kCcrEnable, chan_reg(c, r::kCcr));
}

void OmapDma::start_sg(DmaChan& c) {
  const SdmaDesc& d = desc(c);
  const Segment& s = d.sg[d.sgidx];
  k_.writel_config(static_cast<std::uint32_t>(s.src), chan_reg(c, r::kCssa));
  k_.writel_config(static_cast<std::uint32_t>(s.dst), chan_reg(c, r::kCdsa));
  k_.writel_config(d.cen, chan_reg(c, r::kCen));
  k_.writel_config(s.frames, chan_reg(c, r::kCfn));
  // omap_dma_start: clear stale status, normal mode if lists exist, interrupt enables, then
  // ENABLE. The channel is stopped: it reads these registers (configuration writes, no
  // synchronisation in fast mode) only when the CCR write that enables it starts it.
  k_.writel_config(r::kCsrEventBits, chan_reg(c, r::kCsr));
  if (ll123_) k_.writel_config(0, chan_reg(c, r::kCdp));
  k_.writel_config(d.cicr, chan_reg(c, r::kCicr));
  k_.writel(d.ccr | r::kCcrEnable, chan_reg(c, r::kCcr));
}

void OmapDma::stop(DmaChan& c) {
  const std::uint32_t ccr = k_.readl(chan_reg(c, r::kCcr));
  k_.writel(ccr & ~r::kCcrEnable, chan_reg(c, r::kCcr));
  k_.writel(0, chan_reg(c, r::kCicr));
  k_.writel(r::kCsrEventBits, chan_reg(c, r::kCsr));
  k_.writel(1u << c.channel(), glbl(r::irqstatus(line_)));
}

int OmapDma::dmaengine_terminate_all(DmaChan* chan) {
  if (chan == nullptr) return -kEINVAL;
  k_.charge_cycles(k_.params().dma_terminate_cycles);
  DmaChan& c = *chan;
  stop(c);
  drop_descriptors(c);
  return 0;
}

std::uint32_t OmapDma::active_residue(DmaChan& c) {
  // Whole entries not finished (the entry in progress counts in full). In list mode CCDN
  // counts the descriptors loaded: the one on the hardware is CCDN - 1.
  // The register read comes first: the thread may wait on the bus, and the descriptor may
  // complete meanwhile (the caller then discards the figure).
  const bool list = desc(c).using_ll;
  const std::uint32_t loaded = list ? k_.readl(chan_reg(c, r::kCcdn)) : 0;
  if (active(c) == nullptr) return 0;
  const SdmaDesc& d = desc(c);
  std::size_t from = d.sgidx;
  if (list) from = loaded == 0 ? 0 : std::min<std::size_t>(loaded - 1, d.sg.size());
  std::uint32_t left = 0;
  for (std::size_t i = from; i < d.sg.size(); ++i) left += d.sg[i].len;
  return left;
}

IrqReturn OmapDma::irq_handler(unsigned /*irq*/) {
  ++irqs_;
  const unsigned long faults = k_.mmio_faults();
  std::uint32_t status = k_.readl(glbl(r::irqstatus(line_)));
  if (k_.mmio_faults() != faults) return IrqReturn::None;  // the sDMA did not answer
  status &= irq_enable_mask_;
  if (status == 0) return IrqReturn::None;
  while (status != 0) {
    const unsigned ch = static_cast<unsigned>(__builtin_ctz(status));
    status &= status - 1;
    k_.writel_ack(1u << ch, glbl(r::irqstatus(line_)));
    DmaChan* c = ch < chans_.size() ? chans_[ch].get() : nullptr;
    if (c == nullptr) continue;
    const std::uint32_t csr = k_.readl(chan_reg(*c, r::kCsr));
    k_.writel_ack(csr, chan_reg(*c, r::kCsr));  // write 1 to clear
    k_.charge_cycles(k_.params().dma_irq_cycles);
    channel_irq(*c, csr);
  }
  return IrqReturn::Handled;
}

void OmapDma::channel_irq(DmaChan& c, std::uint32_t csr) {
  count_irq(c);
  if (active(c) == nullptr) return;
  SdmaDesc& d = desc(c);
  if ((csr & kErrorBits) != 0) {
    // The sDMA does not say which side failed: a bus error is put on the memory side.
    DmaengineResult res;
    if (csr & r::kIrqTransErr)
      res.result = d.dir == DmaTransferDirection::DevToMem ? DmaTxResult::WriteFailed
                                                                     : DmaTxResult::ReadFailed;
    else
      res.result = DmaTxResult::Aborted;
    res.residue = active_residue(c);
    set_halted(c, true);  // the hardware stopped the channel; terminate_all restarts it
    complete_active(c, res);
    return;
  }
  if ((csr & r::kIrqBlock) == 0) return;
  if (d.using_ll) {
    d.sgidx = d.sg.size();  // the last descriptor's BLOCK: the whole list is done
  } else if (++d.sgidx < d.sg.size()) {
    start_sg(c);  // next entry, programmed from the BLOCK interrupt
    return;
  }
  complete_active(c, DmaengineResult{});
  start_desc(c);
}

}  // namespace aesvp::kernel
