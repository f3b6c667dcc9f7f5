// A DMA engine over the OMAP sDMA (found through the device description: base, interrupt
// lines, channels): the parts of Linux's dmaengine client API, omap-dma and
// virt-dma that the omap-aes driver needs. Slave channels by request line, slave_config,
// prep_slave_sg -> descriptor with a completion callback and a result, submit,
// issue_pending (programs the channel through MMIO and enables it; a multi-entry
// scatterlist runs entry after entry, the next one programmed from the BLOCK interrupt),
// the sDMA IRQ handler (hard IRQ: IRQSTATUS / CSR, write 1 to clear) that schedules the
// channel's tasklet, which calls the descriptor callbacks (softirq context), and
// terminate_all. Register constants come from models/sdma/omap_sdma_regs.h only.
#pragma once

#include "driver/kernel/kernel.h"
#include "driver/kernel/memory.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace aesvp::kernel {

// enum dma_transfer_direction (the slave directions)
enum class DmaTransferDirection { MemToDev, DevToMem };

// struct dma_slave_config (the fields omap-dma uses). Widths in bytes (1, 2, 4); maxburst in
// elements: one request moves one frame of maxburst elements (frame synchronisation).
struct DmaSlaveConfig {
  DmaTransferDirection direction = DmaTransferDirection::MemToDev;
  std::uint64_t src_addr = 0;  // device FIFO for DevToMem
  std::uint64_t dst_addr = 0;  // device FIFO for MemToDev
  unsigned src_addr_width = 4, dst_addr_width = 4;
  unsigned src_maxburst = 4, dst_maxburst = 4;
};

// enum dmaengine_tx_result / struct dmaengine_result
enum class DmaTxResult { NoError, ReadFailed, WriteFailed, Aborted };
const char* to_string(DmaTxResult r);
struct DmaengineResult {
  DmaTxResult result = DmaTxResult::NoError;
  std::uint32_t residue = 0;  // bytes not transferred (whole unfinished entries)
};

// enum dma_status
enum class DmaStatus { Complete, InProgress, Error };
using DmaCookie = int;

class DmaChan;

// struct dma_async_tx_descriptor: owned by the channel from prep until its callback returned
// (or terminate_all dropped it). Set callback_result before dmaengine_submit.
struct DmaAsyncTxDescriptor {
  std::function<void(const DmaengineResult&)> callback_result;  // runs in the DMA tasklet
  DmaCookie cookie = 0;
  DmaChan* chan = nullptr;
  virtual ~DmaAsyncTxDescriptor() = default;
};

class DmaEngine;

class DmaChan {
 public:
  unsigned channel() const { return ch_; }        // logical sDMA channel
  unsigned request_line() const { return req_; }  // 1-based sDMA request number
  bool halted() const { return halted_; }         // stopped by an error until terminate_all
  unsigned long completed() const { return completed_; }  // descriptors completed OK
  unsigned long errors() const { return errors_; }        // descriptors completed in error
  unsigned long interrupts() const { return irqs_; }      // channel interrupts handled
  Tasklet& tasklet() { return *tasklet_; }

 private:
  friend class DmaEngine;
  struct Segment {
    std::uint64_t src, dst;
    std::uint32_t len, frames;
  };
  struct Desc : DmaAsyncTxDescriptor {
    DmaTransferDirection dir = DmaTransferDirection::MemToDev;
    std::vector<Segment> sg;
    std::uint32_t ccr = 0, csdp = 0, cicr = 0, cen = 0;
    DmaengineResult result;
  };
  DmaChan(unsigned ch, unsigned req) : ch_(ch), req_(req) {}

  unsigned ch_, req_;
  bool configured_ = false;
  DmaSlaveConfig cfg_;
  std::deque<std::unique_ptr<Desc>> allocated_, submitted_, issued_, done_;
  std::unique_ptr<Desc> active_;
  std::size_t sgidx_ = 0;
  bool halted_ = false;
  DmaCookie next_cookie_ = 1;
  // Completion as Linux's dma_cookie_status sees it: every cookie up to completed_cookie_
  // has finished (descriptors finish in cookie order, or all at once on terminate); the
  // recent ones that finished with an error are remembered (bounded: nothing per transfer
  // grows with the run).
  DmaCookie completed_cookie_ = 0;
  std::set<DmaCookie> errored_;
  static constexpr std::size_t kErrorHistory = 64;
  void finish(DmaCookie cookie, bool ok);
  unsigned long completed_ = 0, errors_ = 0, irqs_ = 0;
  std::unique_ptr<Tasklet> tasklet_;
};

class DmaEngine {
 public:
  // `irq_line`: the sDMA interrupt line used (Linux omap-dma uses L1 on OMAP4; L0 is the
  // legacy one).
  explicit DmaEngine(Kernel& k, unsigned irq_line = 1);
  ~DmaEngine();
  DmaEngine(const DmaEngine&) = delete;
  DmaEngine& operator=(const DmaEngine&) = delete;

  // omap_dma_probe: masks and clears the line's interrupts, request_irq. From a context.
  int probe();

  // dma_request_chan: a free logical channel for `request_line` (1..127); its interrupt is
  // enabled on the line (MMIO). Null if none is free or the line is bad.
  DmaChan* dma_request_chan(unsigned request_line);
  void dma_release_channel(DmaChan* chan);  // terminates and frees the logical channel

  int dmaengine_slave_config(DmaChan* chan, const DmaSlaveConfig& cfg);
  // The scatterlist must be DMA-mapped (sg_dma_address / sg_dma_len); every entry a whole
  // number of frames (width x maxburst bytes) of at most 65535 frames. Null on error.
  DmaAsyncTxDescriptor* dmaengine_prep_slave_sg(DmaChan* chan, const Scatterlist& sg,
                                                DmaTransferDirection dir,
                                                unsigned long flags = 0);
  // dma_get_max_seg_size: the longest scatterlist entry prep_slave_sg accepts on `chan`
  // with its current slave configuration (bytes; 0 for a null channel).
  std::uint32_t dma_get_max_seg_size(const DmaChan* chan) const;
  DmaCookie dmaengine_submit(DmaAsyncTxDescriptor* tx);
  void dma_async_issue_pending(DmaChan* chan);
  // Stops the channel (clears ENABLE and its status), drops every descriptor without calling
  // its callback, and makes a halted channel usable again.
  int dmaengine_terminate_all(DmaChan* chan);
  // dmaengine_terminate_sync: terminate_all, then dmaengine_synchronize (waits, in the calling
  // thread, until the channel's tasklet is neither scheduled nor running).
  int dmaengine_terminate_sync(DmaChan* chan);
  DmaStatus dmaengine_tx_status(DmaChan* chan, DmaCookie cookie) const;

  unsigned irq_line() const { return line_; }
  unsigned irq_id() const;
  unsigned long interrupts() const { return irqs_; }

 private:
  std::uint64_t chan_reg(const DmaChan& c, std::uint32_t reg) const;
  std::uint64_t glbl(std::uint32_t reg) const;
  void start_desc(DmaChan& c);  // next issued descriptor, if idle and not halted
  void start_sg(DmaChan& c);    // the current entry of the active descriptor
  void stop(DmaChan& c);
  IrqReturn irq_handler(unsigned irq);
  void channel_irq(DmaChan& c, std::uint32_t csr);
  void complete_active(DmaChan& c, DmaengineResult r);
  void tasklet_fn(DmaChan& c);

  Kernel& k_;
  unsigned line_;
  std::uint64_t base_;
  std::vector<std::unique_ptr<DmaChan>> chans_;  // by logical channel (null = free)
  std::vector<std::unique_ptr<DmaChan>> retired_;  // released (a tasklet may still name them)
  std::uint32_t irq_enable_mask_ = 0;
  bool probed_ = false;
  unsigned long irqs_ = 0;
};

}  // namespace aesvp::kernel
