// The dmaengine provider over the TI EDMA3 (Linux edma): one EDMA3 channel per event,
// owned by shadow region 0; slave scatterlists as PaRAM sets, one per entry, written at most
// kMaxNrSg at a time into the channel's slots and linked in order (the last one to a shared
// dummy set). A-synchronised (maxburst <= 1: one array per event) or AB-synchronised
// (one frame of maxburst elements per event). The set that ends a batch reports early
// (TCINTEN | TCCMODE) so the completion interrupt can write the next batch while the last
// TR runs; the last set reports normally. Completion IRQ (region 0): IPR -> ICR -> next
// batch or descriptor done -> IEVAL. Error IRQ: missed events (an event on the null set
// marks the channel `missed`: the next batch restarts it with a manual trigger) and CCERR.
// TPTC error IRQs (beyond Linux, which does not request them, as omap-dma reports its bus
// errors): a bus error abandons the TR, so the channel's descriptor completes with
// ReadFailed / WriteFailed (ERRDET) and the channel halts until terminate_all.
// Residue from the channel's slot. Register constants come from models/edma3/edma3_regs.h.
#pragma once

#include "driver/kernel/dmaengine.h"
#include "models/edma3/edma3_regs.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace aesvp::kernel {

class Edma : public DmaEngine {
 public:
  static constexpr unsigned kMaxNrSg = 20;  // PaRAM slots a channel writes at once (MAX_NR_SG)

  // From the device description: TPCC base, interrupts (completion of region 0, error), the
  // queue priorities ("ti,tptcs"); the slave channels go to the lowest-priority queue, the
  // one Linux makes the default.
  explicit Edma(Kernel& k);
  ~Edma() override;

  const char* name() const override { return "edma"; }
  // edma_probe: read CCCFG, take the region-0 ownership away from every channel, map every
  // channel to the default queue, program QUEPRI, set up the dummy set, request the
  // completion and error interrupts.
  int probe() override;
  // Channel = event number; region 0 owns it; its completion interrupt is enabled; it gets
  // kMaxNrSg PaRAM slots, the first one mapped to it (DCHMAP).
  DmaChan* dma_request_chan(unsigned event) override;
  void dma_release_channel(DmaChan* chan) override;
  // Bus widths 1, 2, 3, 4 bytes; maxburst up to 32767.
  int dmaengine_slave_config(DmaChan* chan, const DmaSlaveConfig& cfg) override;
  // One entry is one PaRAM set: AB-sync at most 65535 frames of width x maxburst bytes;
  // A-sync at most 65535 arrays of width bytes.
  std::uint32_t dma_get_max_seg_size(const DmaChan* chan) const override;
  DmaAsyncTxDescriptor* dmaengine_prep_slave_sg(DmaChan* chan, const Scatterlist& sg,
                                                DmaTransferDirection dir,
                                                unsigned long flags = 0) override;
  int dmaengine_terminate_all(DmaChan* chan) override;

  unsigned irq_id() const override { return ccint_irq_; }
  unsigned error_irq_id() const { return ccerrint_irq_; }
  unsigned queue() const { return queue_; }
  unsigned long error_interrupts() const { return err_irqs_; }
  unsigned long missed_events() const { return missed_; }  // EMR bits handled
  unsigned long bus_errors() const { return bus_errors_; }  // TPTC bus errors handled
  unsigned channels() const { return num_channels_; }
  unsigned param_sets() const { return num_slots_; }

 private:
  struct Chan : DmaChan {
    Chan(unsigned ch, unsigned req) : DmaChan(ch, req) {}
    std::vector<unsigned> slots;  // slot[0] is the channel's own set (DCHMAP)
    bool missed = false;          // an event hit the null set: restart on the next batch
  };
  struct PSet {
    std::uint32_t opt = 0, src = 0, abcnt = 0, dst = 0, bidx = 0, link = 0, cidx = 0, ccnt = 0;
    std::uint64_t mem = 0;  // memory side of the entry (for the residue)
    std::uint32_t len = 0;
  };
  struct EdmaDesc : Desc {
    std::vector<PSet> sets;
    std::size_t processed = 0;    // sets written to the hardware so far
    std::size_t batch_start = 0;  // first set of the batch on the hardware
  };
  static Chan& chan(DmaChan& c) { return static_cast<Chan&>(c); }
  static EdmaDesc& desc(DmaChan& c) { return static_cast<EdmaDesc&>(*active(c)); }

  std::uint64_t reg(std::uint32_t off) const { return base_ + off; }
  // Region-0 shadow channel register `off` for channel `ch` (low / high half).
  std::uint64_t shadow(std::uint32_t off, unsigned ch) const;
  void write_channel_bit(std::uint32_t off, unsigned ch);
  void set_global_bit(std::uint32_t low_off, std::uint32_t high_off, unsigned ch, bool on);

  void start_desc(DmaChan& c) override;
  std::uint32_t active_residue(DmaChan& c) override;
  std::uint32_t frame_bytes(DmaChan& c);  // bytes of one TR of the set in the channel's slot
  void execute(DmaChan& c);  // writes the next batch and starts or resumes the channel
  void write_set(unsigned slot, const PSet& s, std::uint32_t link);
  void start(DmaChan& c);    // edma_start: clear stale state, enable events
  void stop(DmaChan& c);     // edma_stop: disable, clear events, secondary, missed, pending
  void clean(DmaChan& c);    // edma_clean_channel
  void trigger(DmaChan& c);  // manual event (ESR)
  IrqReturn completion_irq(unsigned irq);
  IrqReturn error_irq(unsigned irq);
  IrqReturn tc_error_irq(unsigned tc);  // TPTC `tc`: ERRSTAT / ERRDET, the failed channel
  void channel_done(DmaChan& c);  // edma_completion_handler
  void channel_missed(unsigned ch);  // edma_error_handler for one EMR bit
  unsigned alloc_slot();

  std::uint64_t base_;
  unsigned ccint_irq_, ccerrint_irq_;
  unsigned queue_ = 0;        // event queue of the slave channels
  std::uint32_t quepri_ = 0;  // QUEPRI: 3 bits per queue
  unsigned num_channels_ = 0, num_slots_ = 0;
  unsigned dummy_slot_ = 0;
  std::vector<bool> slot_used_;
  std::vector<std::unique_ptr<DmaChan>> chans_;    // by channel (null = free)
  std::vector<std::unique_ptr<DmaChan>> retired_;  // released (a tasklet may still name them)
  bool probed_ = false;
  std::vector<unsigned> tc_irqs_;  // requested TPTC error interrupts
  unsigned long err_irqs_ = 0, missed_ = 0, bus_errors_ = 0;
};

}  // namespace aesvp::kernel
