// The omap-aes driver on the crypto engine (Linux drivers/crypto/omap-aes.c, engine era),
// running on the kernel-services layer; it knows the SoC only through the device description
// (instances, base addresses, interrupt numbers, DMA request lines) and the dmaengine API.
//
//   OmapAesDriver   the module: registers ecb/cbc/ctr/xts(aes) (SkcipherProvider), keeps the
//                   list of probed devices (round-robin omap_aes_find_dev), the software
//                   fallback for short requests (fallback.h/.cpp).
//   OmapAesDev      one AES instance (struct omap_aes_dev): its crypto engine on a real-time
//                   kthread worker, the two sDMA channels, the done tasklet, runtime PM, the
//                   watchdog, the PIO interrupt handler; implements engine::EngineDriver.
//
// Flow and contexts: docs/omap-aes-driver.md. All entry points must be called from a kernel
// context (Kernel::current() != null): probe and crypt from threads made by spawn_thread.
#pragma once

#include "driver/kernel/dmaengine.h"
#include "driver/kernel/kernel.h"
#include "driver/kernel/kthread_worker.h"
#include "driver/kernel/runtime_pm.h"
#include "driver/kernel/timer.h"
#include "driver/omap_aes/driver_params.h"
#include "driver/omap_aes/skcipher.h"
#include "engine/crypto_engine.h"
#include "engine/merge_policy.h"

#include <systemc>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aesvp::driver {

// -ENODEV (engine::Errc has no named value for it).
inline constexpr Errc kErrNoDev = Errc::NoDev;

// One step of one request, for tests and the timeline (the request id flows through all).
struct DriverTraceEvent {
  std::uint64_t id;        // request id
  const char* step;        // "crypt", "fallback", "transfer", "do_one_req", "write_ctrl",
                           // "dma_start", "pio_start", "dma_out_callback", "dma_in_error",
                           // "callback_dropped", "done_task", "timeout", "recover", "finalize"
  int instance;            // AES instance, -1 before one is chosen
  sc_core::sc_time at;     // the acting context's time
  int context_class;       // ContextClass of the acting context, -1 without one
  Errc err;                // result where it applies (finalize), Ok otherwise
};
using DriverTraceHook = std::function<void(const DriverTraceEvent&)>;

class OmapAesDev;

// Fault-injection sites (in the spirit of Linux's fault-injection framework: named points
// where a test may make something fail). Unlike the trace hook this one may change
// behaviour: the hook arms faults in the hardware models (aesvp run --inject-*,
// testbench/stack/fault_injector.h). One request at a time per device reaches them:
//   Prepared   buffers ready (`in`, `out`: what the hardware will move), before the first
//              register write of the request (CTRL, keys, IV)
//   Started    registers written, before the DMA is started (or the first PIO interrupt)
//   Finalized  the driver is done with the request (`err`), before the engine is told
enum class FaultPoint { Prepared, Started, Finalized };
struct FaultSite {
  FaultPoint point;
  OmapAesDev& dev;
  const SkcipherRequest& req;
  const kernel::Scatterlist& in;
  const kernel::Scatterlist& out;
  Errc err;
};
using FaultHook = std::function<void(const FaultSite&)>;

struct OmapAesDevStats {
  std::uint64_t requests = 0;        // do_one_request calls
  std::uint64_t completed = 0;       // finalized Ok by the driver
  std::uint64_t failed = 0;          // finalized with an error by the driver
  std::uint64_t dma_errors = 0;      // descriptor callbacks with a result other than NoError
  std::uint64_t timeouts = 0;        // watchdog expiries
  std::uint64_t resets = 0;          // error recoveries (SOFTRESET + terminate)
  std::uint64_t bounced_in = 0;      // input copied to a bounce buffer
  std::uint64_t bounced_out = 0;     // output through a bounce buffer
  std::uint64_t dropped_callbacks = 0;  // fault injection: output callbacks ignored
  std::uint64_t pio_irqs = 0;        // AES interrupts handled (PIO)
  std::uint64_t bytes = 0;           // payload bytes of completed requests
  std::uint64_t multi_unit = 0;      // requests run as several data units (bulk extension)
  // How multi-unit requests reached the DMA (omap_crypto_align_sg's outcome per request):
  std::uint64_t multi_unit_mapped = 0;     // both sides as the caller's scatterlists
  std::uint64_t multi_unit_in_place = 0;   // in place: input copied (as Linux for src == dst), output mapped
  std::uint64_t multi_unit_unaligned = 0;  // an unaligned entry: that side through a bounce buffer
  std::uint64_t multi_unit_entries = 0;    // scatterlist entries handed to the DMA (in + out)
};

class OmapAesDriver;

class OmapAesDev final : public engine::EngineDriver, public engine::MergeAdapter {
 public:
  OmapAesDev(OmapAesDriver& drv, unsigned instance);
  ~OmapAesDev() override;
  OmapAesDev(const OmapAesDev&) = delete;
  OmapAesDev& operator=(const OmapAesDev&) = delete;

  // omap_aes_probe for this instance (thread context): runtime PM, DMA channels (PIO if
  // disabled or not available: then request_irq), engine on an RT kthread worker, done
  // tasklet, watchdog. 0 or -errno.
  int probe();

  unsigned instance() const { return instance_; }
  bool pio_only() const { return pio_only_; }
  engine::CryptoEngine& engine() { return *engine_; }
  kernel::KthreadWorker& worker() { return *worker_; }
  kernel::RuntimePm& runtime_pm() { return *rpm_; }
  kernel::DmaChan* dma_lch_in() const { return dma_lch_in_; }    // memory -> DATA_IN
  kernel::DmaChan* dma_lch_out() const { return dma_lch_out_; }  // DATA_OUT -> memory
  const OmapAesDevStats& stats() const { return stats_; }
  const AesNode& resources() const { return res_; }

  // --- fault injection --------------------------------------------------------------------
  // Suppressed interrupt: the next output-DMA completion callback is ignored, as if the
  // completion interrupt had been lost; the watchdog then fails the request with -EIO.
  void drop_next_dma_completion() { drop_callbacks_ += 1; }

  // engine::EngineDriver
  Errc do_one_request(engine::CryptoEngine& engine, engine::Request& req) override;

  // engine::MergeAdapter (aesvp bulk mode, omap_aes_bulk.cpp): with the AES bulk extension
  // the engine merges consecutive data units into one composite SkcipherRequest.
  bool describe(const engine::Request& req, engine::MergeView& out) const override;
  engine::MergeLimits limits() const override;
  std::unique_ptr<engine::Request> combine(const std::vector<engine::Request*>& members) override;
  // The merge policy when one is installed (statistics), else null.
  const engine::MergePolicy* merge_policy() const { return merge_policy_; }
  // Can this device run `req` as several data units (bulk extension, CBC/XTS, IV kind)?
  bool can_run_units(const CryptoSkcipher& tfm, engine::IvKind kind) const;

 private:
  struct Active {
    SkcipherRequest* req = nullptr;
    std::uint64_t seq = 0;
    bool completing = false;   // done task or watchdog claimed it
    Errc err = Errc::Ok;
    std::uint32_t total = 0;   // bytes the hardware moves (CTR: padded to a block)
    kernel::Scatterlist in_sg, out_sg;        // what the hardware sees
    kernel::Scatterlist dst_sg;               // the caller's destination, trimmed (copy-back)
    std::uint64_t in_buf = 0, out_buf = 0;    // bounce buffers (0: none)
    bool mapped = false;
    bool pm_held = false;
    std::uint64_t pio_in = 0, pio_out = 0;    // PIO byte offsets
    unsigned long faults_at_start = 0;
  };
  // The request's lists trimmed to its length (omap_aes_prepare_req), kept between requests
  // for their storage.
  kernel::Scatterlist trim_in_, trim_out_;

  void reset_active();  // cur_ = Active{}, keeping the scatterlists' storage
  Errc omap_aes_prepare_req(SkcipherRequest& req);
  void count_multi_unit_mapping(const SkcipherRequest& req, const kernel::Scatterlist& in,
                                const kernel::Scatterlist& out);
  void omap_aes_write_ctrl();
  bool multi_unit(const SkcipherRequest& req) const;
  void omap_aes_write_units(const SkcipherRequest& req);  // bulk registers (+ ESSIV salt key)
  std::unique_ptr<engine::DispatchPolicy> make_policy();
  Errc omap_aes_dma_config();  // dmaengine_slave_config of both channels
  Errc omap_aes_crypt_dma_start();
  void omap_aes_pio_start();
  void omap_aes_dma_out_callback(std::uint64_t seq, const kernel::DmaengineResult& r);
  void omap_aes_dma_in_callback(std::uint64_t seq, const kernel::DmaengineResult& r);
  void omap_aes_done_task();
  kernel::IrqReturn omap_aes_irq(unsigned irq);
  void omap_aes_watchdog();
  void omap_aes_recover();
  void omap_aes_unmap();
  void omap_aes_release_buffers();
  void omap_aes_finish_req(Errc err);
  void arm_watchdog();
  void disarm_watchdog();
  void set_irq_enable(std::uint32_t v);  // IRQENABLE write + shadow
  // `order`: MmioOrder::Decoupled for a configuration register (Kernel::writel_config).
  void write_mask(std::uint32_t reg, std::uint32_t value, std::uint32_t mask,
                  MmioOrder order = MmioOrder::Synchronised);
  void trace(std::uint64_t id, const char* step, Errc err = Errc::Ok);
  void fault_site(FaultPoint p, Errc err = Errc::Ok);

  OmapAesDriver& drv_;
  kernel::Kernel& k_;
  const unsigned instance_;
  const AesNode res_;  // from the device description
  bool probed_ = false;
  bool pio_only_ = false;
  std::uint32_t max_seg_ = 0xfffffff0u;  // longest scatterlist entry (DMA provider's limit)
  kernel::DmaChan* dma_lch_in_ = nullptr;
  kernel::DmaChan* dma_lch_out_ = nullptr;
  std::unique_ptr<kernel::RuntimePm> rpm_;
  std::unique_ptr<kernel::Tasklet> done_task_;
  std::unique_ptr<kernel::KthreadWorker> worker_;   // destroyed after the engine
  std::unique_ptr<engine::CryptoEngine> engine_;
  Active cur_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t done_seq_ = 0;     // request the scheduled done task is for
  bool wdt_armed_ = false;
  std::uint64_t wdt_seq_ = 0;
  std::unique_ptr<kernel::KernelTimer> wdt_;  // the request deadline
  sc_core::sc_event wdt_work_;                 // the expired deadline wakes the watchdog thread
  unsigned drop_callbacks_ = 0;
  std::uint32_t irq_enable_ = 0;  // shadow of IRQENABLE (PIO)
  OmapAesDevStats stats_;
  engine::MergePolicy* merge_policy_ = nullptr;  // owned by the engine
  bool units_on_ = false;  // BULK_CTRL.ENABLE as last written
};

class OmapAesDriver final : public SkcipherProvider {
 public:
  // `dma`: the system DMA's dmaengine driver (probed on first channel request).
  OmapAesDriver(kernel::Kernel& k, kernel::DmaEngine& dma, const DriverParams& params = {});
  ~OmapAesDriver() override;
  OmapAesDriver(const OmapAesDriver&) = delete;
  OmapAesDriver& operator=(const OmapAesDriver&) = delete;

  // Probes every AES instance of the platform (soc.aes_instances), thread context.
  // 0, or the first error (devices probed before it stay registered).
  int probe();
  // Probes one instance only (a second driver object may take another instance, e.g. one on
  // the DMA path and one on the PIO path in the same system). 0, -EBUSY if already probed.
  int probe_instance(unsigned instance);

  // SkcipherProvider (omap_aes_setkey, omap_aes_ecb/cbc/ctr/xts_encrypt/decrypt).
  Errc setkey(CryptoSkcipher& tfm, const std::uint8_t* key, std::size_t len) override;
  Errc encrypt(SkcipherRequest& req) override { return omap_aes_crypt(req); }
  Errc decrypt(SkcipherRequest& req) override { return omap_aes_crypt(req); }
  bool multi_unit(const CryptoSkcipher& tfm, engine::IvKind kind) const override;

  // omap_aes_find_dev: the first device of the list, moved to the tail (round-robin).
  OmapAesDev* omap_aes_find_dev();

  std::size_t device_count() const { return devs_.size(); }
  OmapAesDev& device(std::size_t i) { return *devs_.at(i); }
  kernel::Kernel& kernel() { return k_; }
  kernel::DmaEngine& dma() { return dma_; }
  const DriverParams& params() const { return params_; }
  // The sysfs knobs of omap-aes: fallback_size (minimum 9 upstream; 0 here allowed for tests).
  void set_fallback_size(std::uint32_t bytes) { params_.aes_fallback_sz = bytes; }

  std::uint64_t fallback_requests() const { return fallback_requests_; }
  std::uint64_t fallback_bytes() const { return fallback_bytes_; }

  void set_trace_hook(DriverTraceHook hook) { trace_ = std::move(hook); }
  void set_fault_hook(FaultHook hook) { fault_hook_ = std::move(hook); }
  // Adds a hook after the one installed (timelines and waveforms may both listen).
  void add_trace_hook(DriverTraceHook hook) {
    if (!trace_) {
      trace_ = std::move(hook);
      return;
    }
    trace_ = [first = std::move(trace_), second = std::move(hook)](const DriverTraceEvent& e) {
      first(e);
      second(e);
    };
  }
  void trace(std::uint64_t id, const char* step, int instance, Errc err = Errc::Ok);

 private:
  friend class OmapAesDev;
  Errc omap_aes_crypt(SkcipherRequest& req);
  Errc omap_aes_fallback(SkcipherRequest& req);

  kernel::Kernel& k_;
  kernel::DmaEngine& dma_;
  DriverParams params_;
  std::vector<std::unique_ptr<OmapAesDev>> devs_;
  std::deque<OmapAesDev*> dev_list_;  // round-robin order
  std::vector<std::unique_ptr<OmapAesDev>> failed_;  // probe failed
  std::uint64_t fallback_requests_ = 0, fallback_bytes_ = 0;
  DriverTraceHook trace_;
  FaultHook fault_hook_;
};

}  // namespace aesvp::driver
