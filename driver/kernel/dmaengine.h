// The dmaengine layer: the parts of Linux's dmaengine client API and virt-dma that the
// omap-aes driver needs, over a provider per DMA controller:
//   - OmapDma (driver/kernel/omap_dma.h): the OMAP sDMA, like Linux omap-dma;
//   - Edma (driver/kernel/edma.h): the TI EDMA3, like Linux edma.
// Slave channels by request line (sDMA request number, EDMA3 event), slave_config,
// dma_get_max_seg_size, prep_slave_sg -> descriptor with a completion callback and a
// result, submit, issue_pending, tx_status with the residue, terminate_all / terminate_sync.
// A provider programs its controller through MMIO from its register header only; its
// interrupt handler (hard IRQ) completes descriptors and schedules the channel's tasklet,
// which calls the callbacks (softirq context). omap-aes code is the same over every provider.
#pragma once

#include "driver/kernel/kernel.h"
#include "driver/kernel/memory.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <set>
#include <memory>
#include <string>
#include <vector>

namespace aesvp::kernel {

// enum dma_transfer_direction (the slave directions)
enum class DmaTransferDirection { MemToDev, DevToMem };

// struct dma_slave_config (the fields the providers use). Widths in bytes; maxburst in
// elements: one request moves one frame of maxburst elements.
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
  std::uint32_t residue = 0;  // bytes not transferred
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

// A virt-dma channel: what clients see, and the descriptor lists the provider keeps.
class DmaChan {
 public:
  virtual ~DmaChan() = default;
  unsigned channel() const { return ch_; }        // hardware channel
  unsigned request_line() const { return req_; }  // request number / event it serves
  bool halted() const { return halted_; }         // stopped by an error until terminate_all
  unsigned long completed() const { return completed_; }  // descriptors completed OK
  unsigned long errors() const { return errors_; }        // descriptors completed in error
  unsigned long interrupts() const { return irqs_; }      // channel interrupts handled
  Tasklet& tasklet() { return *tasklet_; }

 protected:
  friend class DmaEngine;
  // A prepared transfer; providers derive their own with the hardware programming.
  struct Desc : DmaAsyncTxDescriptor {
    DmaTransferDirection dir = DmaTransferDirection::MemToDev;
    std::uint32_t bytes = 0;  // total length
    DmaengineResult result;
  };
  DmaChan(unsigned ch, unsigned req) : ch_(ch), req_(req) {}

  unsigned ch_, req_;
  bool configured_ = false;
  DmaSlaveConfig cfg_;
  std::deque<std::unique_ptr<Desc>> allocated_, submitted_, issued_, done_;
  std::unique_ptr<Desc> active_;
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

// A dmaengine provider (struct dma_device) with the client calls on it.
class DmaEngine {
 public:
  explicit DmaEngine(Kernel& k) : k_(k) {}
  virtual ~DmaEngine() = default;
  DmaEngine(const DmaEngine&) = delete;
  DmaEngine& operator=(const DmaEngine&) = delete;

  virtual const char* name() const = 0;
  // The provider's probe: controller set-up and request_irq. From a context.
  virtual int probe() = 0;
  // dma_request_chan: a free channel for `request_line`. Null if none is free or the line
  // is bad.
  virtual DmaChan* dma_request_chan(unsigned request_line) = 0;
  virtual void dma_release_channel(DmaChan* chan) = 0;  // terminates and frees the channel
  virtual int dmaengine_slave_config(DmaChan* chan, const DmaSlaveConfig& cfg) = 0;
  // dma_get_max_seg_size: the longest scatterlist entry prep_slave_sg accepts on `chan` with
  // its current slave configuration (bytes; 0 for a null channel).
  virtual std::uint32_t dma_get_max_seg_size(const DmaChan* chan) const = 0;
  // The scatterlist must be DMA-mapped (sg_dma_address / sg_dma_len); every entry a whole
  // number of frames (width x maxburst bytes) within the segment limit. Null on error.
  virtual DmaAsyncTxDescriptor* dmaengine_prep_slave_sg(DmaChan* chan, const Scatterlist& sg,
                                                        DmaTransferDirection dir,
                                                        unsigned long flags = 0) = 0;
  DmaCookie dmaengine_submit(DmaAsyncTxDescriptor* tx);
  void dma_async_issue_pending(DmaChan* chan);
  // Stops the channel, drops every descriptor without calling its callback, and makes a
  // halted channel usable again.
  virtual int dmaengine_terminate_all(DmaChan* chan) = 0;
  // dmaengine_terminate_sync: terminate_all, then dmaengine_synchronize (waits, in the calling
  // thread, until the channel's tasklet is neither scheduled nor running).
  int dmaengine_terminate_sync(DmaChan* chan);
  // dmaengine_tx_status; `residue` (optional) gets the bytes not yet transferred.
  DmaStatus dmaengine_tx_status(DmaChan* chan, DmaCookie cookie, std::uint32_t* residue = nullptr);

  virtual unsigned irq_id() const = 0;  // the completion interrupt the provider requested
  unsigned long interrupts() const { return irqs_; }

 protected:
  using Desc = DmaChan::Desc;
  // Starts the next issued descriptor if the channel is idle and not halted.
  virtual void start_desc(DmaChan& c) = 0;
  // Bytes of the active descriptor not yet transferred (MMIO allowed).
  virtual std::uint32_t active_residue(DmaChan& c) = 0;
  // Common virt-dma steps for the providers.
  void make_tasklet(DmaChan& c, const std::string& name);
  void complete_active(DmaChan& c, DmaengineResult r);  // vchan_cookie_complete
  void drop_descriptors(DmaChan& c);                    // vchan_get_all_descriptors + free
  static DmaChan::Desc* active(DmaChan& c) { return c.active_.get(); }
  static bool take_issued(DmaChan& c);  // issued -> active; false if busy, halted or none
  static void add_allocated(DmaChan& c, std::unique_ptr<Desc> d) { c.allocated_.push_back(std::move(d)); }
  // A descriptor for prep: a retired one of the provider's type when there is one (a request
  // prepares two, each a heap allocation with its entry vector), else a new one.
  template <class D>
  std::unique_ptr<D> new_desc() {
    if (free_descs_.empty()) return std::make_unique<D>();
    std::unique_ptr<Desc> d = std::move(free_descs_.back());
    free_descs_.pop_back();
    return std::unique_ptr<D>(static_cast<D*>(d.release()));  // only D is ever retired here
  }
  // After its callback: back to the state new_desc() gives (the provider's recycle), kept
  // for reuse; freed when the provider cannot recycle it or enough are kept.
  void retire(std::unique_ptr<Desc> d);
  // Resets `d` to a freshly made descriptor's state, releasing what it holds as its
  // destructor would; false: not reusable (it is freed).
  virtual bool recycle(Desc& /*d*/) { return false; }
  static const DmaSlaveConfig* config(const DmaChan& c) { return c.configured_ ? &c.cfg_ : nullptr; }
  static void set_config(DmaChan& c, const DmaSlaveConfig& cfg) { c.cfg_ = cfg; c.configured_ = true; }
  static void set_halted(DmaChan& c, bool h) { c.halted_ = h; }
  static void count_irq(DmaChan& c) { ++c.irqs_; }

  Kernel& k_;
  unsigned long irqs_ = 0;

 private:
  void tasklet_fn(DmaChan& c);
  static constexpr std::size_t kFreeDescs = 8;  // bound on kept descriptors
  std::vector<std::unique_ptr<Desc>> free_descs_;
};

// of_dma: the provider of the DMA controller the device description names ("ti,omap4430-sdma"
// -> OmapDma, "ti,edma3-tpcc" -> Edma); throws std::invalid_argument for another one.
std::unique_ptr<DmaEngine> make_dma_engine(Kernel& k);

}  // namespace aesvp::kernel
