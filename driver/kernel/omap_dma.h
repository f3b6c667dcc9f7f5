// The dmaengine provider over the OMAP sDMA (Linux omap-dma): logical channels by request
// line, frame-synchronised slave transfers (one frame of maxburst elements per request),
// issue_pending programs the channel through MMIO and enables it. A multi-entry scatterlist
// runs as one descriptor list (type-2 descriptors in DMA-coherent memory, one interrupt at
// the end) when the sDMA advertises descriptor lists in CAPS_0, as Linux omap-dma does from
// OMAP3630 on; otherwise entry after entry, the next one programmed from the BLOCK
// interrupt. The IRQ handler
// (hard IRQ: IRQSTATUS / CSR, write 1 to clear) completes descriptors and schedules the
// channel's tasklet. Register constants come from models/sdma/omap_sdma_regs.h only.
#pragma once

#include "driver/kernel/dmaengine.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace aesvp::kernel {

class OmapDma : public DmaEngine {
 public:
  // `irq_line`: the sDMA interrupt line used (Linux omap-dma uses L1 on OMAP4; L0 is the
  // legacy one).
  explicit OmapDma(Kernel& k, unsigned irq_line = 1);
  ~OmapDma() override;

  const char* name() const override { return "omap-dma"; }
  // omap_dma_probe: masks and clears the line's interrupts, request_irq.
  int probe() override;
  // A free logical channel for `request_line` (1..127); its interrupt is enabled on the
  // line (MMIO).
  DmaChan* dma_request_chan(unsigned request_line) override;
  void dma_release_channel(DmaChan* chan) override;
  int dmaengine_slave_config(DmaChan* chan, const DmaSlaveConfig& cfg) override;
  // One entry is one sDMA block: at most 65535 frames of width x maxburst bytes.
  std::uint32_t dma_get_max_seg_size(const DmaChan* chan) const override;
  DmaAsyncTxDescriptor* dmaengine_prep_slave_sg(DmaChan* chan, const Scatterlist& sg,
                                                DmaTransferDirection dir,
                                                unsigned long flags = 0) override;
  // Stops the channel (clears ENABLE and its status) and drops its descriptors.
  int dmaengine_terminate_all(DmaChan* chan) override;

  unsigned irq_line() const { return line_; }
  unsigned irq_id() const override;
  // CAPS_0 advertised descriptor lists at probe (multi-entry lists then run as one list).
  bool linked_lists() const { return ll123_; }
  std::uint64_t list_transfers() const { return list_transfers_; }  // descriptors run as lists
  std::uint64_t entry_transfers() const { return entry_transfers_; }  // multi-entry, entry by entry
  // The DMA-coherent pages holding `chan`'s hardware descriptors (for tests and tracing).
  const std::vector<std::uint64_t>& descriptor_pages(const DmaChan& chan) const {
    return static_cast<const Chan&>(chan).pool->pages;
  }

 private:
  // dma_pool of hardware descriptors: 32-byte slots carved from DMA-coherent pages. Shared
  // by a channel and its descriptors (a descriptor may outlive the channel object's use).
  struct DescPool {
    std::vector<std::uint64_t> pages, free;
  };
  struct Chan : DmaChan {
    Chan(unsigned ch, unsigned req) : DmaChan(ch, req) {}
    std::shared_ptr<DescPool> pool = std::make_shared<DescPool>();
  };
  struct Segment {
    std::uint64_t src, dst;
    std::uint32_t len, frames;
  };
  struct SdmaDesc : Desc {
    ~SdmaDesc() override;
    void release_slots();  // the descriptor-list slots back to the channel's pool
    std::vector<Segment> sg;
    std::size_t sgidx = 0;  // entry on the hardware
    std::uint32_t ccr = 0, csdp = 0, cicr = 0, cen = 0;
    std::uint64_t dev_addr = 0;  // the device FIFO
    // Descriptor-list mode: one hardware descriptor per entry, in `pool`.
    bool using_ll = false;
    std::vector<std::uint64_t> slots;
    std::shared_ptr<DescPool> pool;
  };
  static SdmaDesc& desc(DmaChan& c) { return static_cast<SdmaDesc&>(*active(c)); }
  bool recycle(Desc& d) override;

  std::uint64_t chan_reg(const DmaChan& c, std::uint32_t reg) const;
  std::uint64_t glbl(std::uint32_t reg) const;
  void start_desc(DmaChan& c) override;
  std::uint32_t active_residue(DmaChan& c) override;
  void start_sg(DmaChan& c);  // the current entry of the active descriptor
  // Descriptor lists: the hardware descriptors of `d` (false: no memory, run entry by entry)
  // and the channel start that fetches the first of them.
  bool build_list(Chan& c, SdmaDesc& d);
  void start_list(DmaChan& c);
  void stop(DmaChan& c);
  IrqReturn irq_handler(unsigned irq);
  void channel_irq(DmaChan& c, std::uint32_t csr);

  unsigned line_;
  std::uint64_t base_;
  std::vector<std::unique_ptr<DmaChan>> chans_;    // by logical channel (null = free)
  std::vector<std::unique_ptr<DmaChan>> retired_;  // released (a tasklet may still name them)
  std::uint32_t irq_enable_mask_ = 0;
  bool probed_ = false;
  bool ll123_ = false;
  std::uint64_t list_transfers_ = 0, entry_transfers_ = 0;
};

}  // namespace aesvp::kernel
