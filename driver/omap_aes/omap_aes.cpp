// The omap-aes driver flow (see omap_aes.h and docs/omap-aes-driver.md).
#include "driver/omap_aes/omap_aes.h"
#include "models/core/observe.h"

#include "driver/kernel/dma_mapping.h"
#include "models/aes/omap_aes_regs.h"

#include <algorithm>
#include <cstring>

namespace aesvp::driver {

namespace regs = ::aesvp::omap_aes;
using kernel::DmaDataDirection;
using kernel::DmaTransferDirection;
using kernel::Scatterlist;

namespace {

constexpr std::uint32_t kBlock = regs::kBlockBytes;
constexpr std::uint32_t kDmaEnables = regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn;

std::uint32_t word_of(const std::uint8_t* b) {
  std::uint32_t w;
  std::memcpy(&w, b, 4);  // little-endian word of the byte string
  return w;
}

std::uint32_t round_up_block(std::uint32_t len) { return (len + kBlock - 1) / kBlock * kBlock; }

// Adds [addr, addr + len) to `sg`, split into entries of at most `max_seg` bytes (the DMA
// provider's dma_get_max_seg_size).
void push_split(Scatterlist& sg, std::uint64_t addr, std::uint64_t len, std::uint32_t max_seg) {
  while (len > 0) {
    const std::uint32_t n = static_cast<std::uint32_t>(std::min<std::uint64_t>(len, max_seg));
    sg.push_back(addr, n);
    addr += n;
    len -= n;
  }
}

// The first `len` bytes of `sg` as a new list (the caller's list is never modified: it is
// mapped and unmapped through this copy). False if `sg` is shorter than `len`.
bool trim_sg(const Scatterlist& sg, std::uint64_t len, std::uint32_t max_seg, Scatterlist& out) {
  out.clear();
  for (const auto& e : sg.entries()) {
    if (len == 0) break;
    const std::uint64_t n = std::min<std::uint64_t>(e.length, len);
    if (n > 0) push_split(out, e.address, n, max_seg);
    len -= n;
  }
  return len == 0;
}

// omap_crypto_check_sg: every entry 4-byte aligned and a whole number of AES blocks.
bool sg_aligned(const Scatterlist& sg) {
  for (const auto& e : sg.entries()) {
    if (e.address % 4 != 0 || e.length % kBlock != 0 || e.length == 0) return false;
  }
  return true;
}

}  // namespace

// =====================================================================================
// OmapAesDev
// =====================================================================================

OmapAesDev::OmapAesDev(OmapAesDriver& drv, unsigned instance)
    : drv_(drv), k_(drv.kernel()), instance_(instance),
      res_(drv.kernel().device_tree().aes.at(instance)) {}

OmapAesDev::~OmapAesDev() {
  // crypto_engine_exit would wait on the simulated context, which cannot run any more at the
  // end of a simulation: a busy engine is abandoned (its pending pump work is then ignored).
  if (engine_ && (engine_->busy() || engine_->queue_length() != 0 || engine_->in_flight() != 0)) {
    engine_->abandon();
  }
}

void OmapAesDev::trace(std::uint64_t id, const char* step, Errc err) {
  drv_.trace(id, step, static_cast<int>(instance_), err);
}

void OmapAesDev::write_mask(std::uint32_t reg, std::uint32_t value, std::uint32_t mask,
                            MmioOrder order) {
  // omap_aes_write_mask: read-modify-write
  const std::uint32_t v = k_.readl(res_.base + reg);
  const std::uint32_t w = (v & ~mask) | (value & mask);
  if (order == MmioOrder::Decoupled) k_.writel_config(w, res_.base + reg);
  else k_.writel(w, res_.base + reg);
}

void OmapAesDev::set_irq_enable(std::uint32_t v) {
  irq_enable_ = v;
  k_.writel(v, res_.base + regs::kIrqEnable);
}

int OmapAesDev::probe() {
  if (probed_) return 0;
  const DriverParams& p = drv_.params();
  const std::string name = "omap-aes" + std::to_string(instance_ + 1);
  const unsigned cores = std::max(1u, k_.cpu().cores());
  const unsigned core = (p.engine_core + instance_) % cores;

  // pm_runtime_enable + pm_runtime_use_autosuspend (delay: kernel.autosuspend_delay_ms).
  rpm_ = std::make_unique<kernel::RuntimePm>(k_, name, core);
  rpm_->set_callbacks([] { return 0; }, [] { return 0; });
  rpm_->pm_runtime_get_sync();
  const std::uint32_t rev = k_.readl(res_.base + regs::kRevision);  // dev_info "OMAP AES hw accel rev"
  (void)rev;
  rpm_->pm_runtime_put_autosuspend();

  // omap_aes_dma_init: the two slave channels by the instance's request lines; PIO if the
  // option disables DMA or the channels cannot be had.
  pio_only_ = !p.use_dma;
  if (!pio_only_) {
    dma_lch_in_ = drv_.dma().dma_request_chan(res_.dma_in);
    dma_lch_out_ = drv_.dma().dma_request_chan(res_.dma_out);
    if (dma_lch_in_ == nullptr || dma_lch_out_ == nullptr || omap_aes_dma_config() != Errc::Ok) {
      if (dma_lch_in_ != nullptr) drv_.dma().dma_release_channel(dma_lch_in_);
      if (dma_lch_out_ != nullptr) drv_.dma().dma_release_channel(dma_lch_out_);
      dma_lch_in_ = dma_lch_out_ = nullptr;
      pio_only_ = true;
    }
  }
  if (!pio_only_) {
    // Segment limit of the scatterlists the DMA provider accepts (dma_get_max_seg_size).
    max_seg_ = std::min(drv_.dma().dma_get_max_seg_size(dma_lch_in_),
                        drv_.dma().dma_get_max_seg_size(dma_lch_out_)) / kBlock * kBlock;
  }
  if (pio_only_) {
    const int rc = k_.request_irq(res_.irq, [this](unsigned irq) { return omap_aes_irq(irq); },
                                  name, p.irq_core);
    if (rc != 0) return rc;
  }

  // tasklet_init(&dd->done_task, omap_aes_done_task)
  done_task_ = std::make_unique<kernel::Tasklet>(k_, name + "-done", [this] { omap_aes_done_task(); });

  // crypto_engine_alloc_init(dev, 1) + crypto_engine_start
  worker_ = std::make_unique<kernel::KthreadWorker>(k_, name + "-engine", core,
                                                    ContextClass::RtThread);
  engine::EngineOptions opt;
  opt.name = name + "-engine";
  opt.queue_len = p.queue_len;
  opt.rt = true;
  engine_ = std::make_unique<engine::CryptoEngine>(*worker_, *this, opt, make_policy());
  if (engine_->start() != Errc::Ok) return -kernel::kEINVAL;

  // The request watchdog (not in upstream omap-aes): a kernel timer per request deadline
  // whose expiry wakes a thread (recovery does MMIO, which a timer callback may not).
  wdt_ = std::make_unique<kernel::KernelTimer>(name + "-wdt-timer", [this] { wdt_work_.notify(); });
  k_.spawn_thread(name + "-wdt", ContextClass::Thread, core, [this] { omap_aes_watchdog(); });
  probed_ = true;
  return 0;
}

// --- do_one_request ---------------------------------------------------------------------

Errc OmapAesDev::do_one_request(engine::CryptoEngine& /*engine*/, engine::Request& r) {
  auto& req = static_cast<SkcipherRequest&>(r);
  ++stats_.requests;
  trace(req.id, "do_one_req");
  if (cur_.req != nullptr) return Errc::Io;  // cannot happen: one request at a time (no retry support)
  reset_active();
  cur_.req = &req;
  cur_.seq = next_seq_++;
  cur_.faults_at_start = k_.mmio_faults_in(res_.base, res_.size);

  Errc e = omap_aes_prepare_req(req);
  if (e != Errc::Ok) {
    omap_aes_release_buffers();
    cur_.req = nullptr;
    ++stats_.failed;
    return e;
  }
  // omap_aes_hw_init: pm_runtime_resume_and_get
  rpm_->pm_runtime_get_sync();
  cur_.pm_held = true;
  fault_site(FaultPoint::Prepared);
  omap_aes_write_ctrl();
  fault_site(FaultPoint::Started);
  if (pio_only_) {
    omap_aes_pio_start();
    return Errc::Ok;
  }
  e = omap_aes_crypt_dma_start();
  if (e != Errc::Ok) {
    fault_site(FaultPoint::Finalized, e);
    omap_aes_unmap();
    omap_aes_release_buffers();
    cur_.req = nullptr;
    cur_.pm_held = false;
    ++stats_.failed;
    rpm_->pm_runtime_put_autosuspend();
    return e;
  }
  return Errc::Ok;
}

void OmapAesDev::reset_active() {
  // A fresh Active, but the scatterlists keep their storage: one request after the other
  // builds its lists in it instead of allocating three vectors.
  Scatterlist in = std::move(cur_.in_sg), out = std::move(cur_.out_sg), dst = std::move(cur_.dst_sg);
  cur_ = Active{};
  cur_.in_sg = std::move(in);
  cur_.out_sg = std::move(out);
  cur_.dst_sg = std::move(dst);
  cur_.in_sg.clear();
  cur_.out_sg.clear();
  cur_.dst_sg.clear();
}

Errc OmapAesDev::omap_aes_prepare_req(SkcipherRequest& req) {
  const DriverParams& p = drv_.params();
  k_.charge_cycles(p.prepare_req_cycles +
                   static_cast<double>(p.prepare_entry_cycles) *
                       static_cast<double>(kernel::sg_nents(req.src) + kernel::sg_nents(req.destination())));
  const std::uint32_t len = req.cryptlen;
  cur_.total = round_up_block(len);
  Scatterlist& in = trim_in_;
  Scatterlist& out = trim_out_;
  if (!trim_sg(req.src, len, max_seg_, in) || !trim_sg(req.destination(), len, max_seg_, out))
    return Errc::Inval;
  cur_.dst_sg = out;
  const bool padded = cur_.total != len;

  // omap_crypto_align_sg on the input: in place forces a copy (OMAP_CRYPTO_FORCE_COPY), a
  // partial CTR block or an unaligned entry too.
  if (req.in_place || padded || !sg_aligned(in)) {
    const std::uint64_t buf = k_.kmalloc(cur_.total);
    if (buf == 0) return Errc::NoMem;
    cur_.in_buf = buf;
    kernel::sg_copy_to_buffer(k_, in, buf, len);
    if (padded) kernel::place_bytes(k_, buf + len, std::vector<std::uint8_t>(cur_.total - len, 0));
    cur_.in_sg.clear();
    push_split(cur_.in_sg, buf, cur_.total, max_seg_);
    ++stats_.bounced_in;
  } else {
    cur_.in_sg = in;
  }
  // ... and on the output: the result is copied back in the done task.
  if (padded || !sg_aligned(out)) {
    const std::uint64_t buf = k_.kmalloc(cur_.total);
    if (buf == 0) return Errc::NoMem;
    cur_.out_buf = buf;
    cur_.out_sg.clear();
    push_split(cur_.out_sg, buf, cur_.total, max_seg_);
    ++stats_.bounced_out;
  } else {
    cur_.out_sg = out;
  }
  if (multi_unit(req)) count_multi_unit_mapping(req, in, out);
  return Errc::Ok;
}

void OmapAesDev::count_multi_unit_mapping(const SkcipherRequest& req, const Scatterlist& in,
                                          const Scatterlist& out) {
  if (!sg_aligned(in) || !sg_aligned(out)) ++stats_.multi_unit_unaligned;
  else if (req.in_place) ++stats_.multi_unit_in_place;
  else ++stats_.multi_unit_mapped;
  stats_.multi_unit_entries += kernel::sg_nents(cur_.in_sg) + kernel::sg_nents(cur_.out_sg);
}

void OmapAesDev::omap_aes_write_ctrl() {
  const SkcipherRequest& req = *cur_.req;
  const CryptoSkcipher& tfm = *req.tfm;
  trace(req.id, "write_ctrl");
  k_.charge_cycles(drv_.params().write_ctrl_cycles);
  // Keys, IV, unit registers and CTRL are configuration writes (Kernel::writel_config): the
  // device's DMA requests and interrupts are off until omap_aes_crypt_dma_start or
  // omap_aes_pio_start enables them with a synchronised write.
  const std::vector<std::uint8_t>& key = tfm.key();
  const std::size_t kl = tfm.aes_key_len();
  for (std::uint32_t x = 0; x < kl / 4; ++x) k_.writel_config(word_of(&key[4 * x]), res_.base + regs::key1_word(x));
  if (tfm.mode() == SkcipherMode::Xts) {
    for (std::uint32_t x = 0; x < kl / 4; ++x)
      k_.writel_config(word_of(&key[kl + 4 * x]), res_.base + regs::key2_word(x));
  }
  if (multi_unit(req) || units_on_) omap_aes_write_units(req);
  if (tfm.mode() != SkcipherMode::Ecb && !multi_unit(req)) {
    for (std::uint32_t x = 0; x < 4; ++x) k_.writel_config(word_of(&req.iv[4 * x]), res_.base + regs::iv_in(x));
  }
  std::uint32_t ctrl = regs::ctrl_key_size(static_cast<std::uint32_t>(kl * 8)) << regs::kCtrlKeySizeShift;
  if (req.dir == CryptDirection::Encrypt) ctrl |= regs::kCtrlDirection;
  switch (tfm.mode()) {
    case SkcipherMode::Ecb: break;
    case SkcipherMode::Cbc: ctrl |= regs::kCtrlCbc; break;
    case SkcipherMode::Ctr: ctrl |= regs::kCtrlCtr | (regs::kCtrWidth128 << regs::kCtrlCtrWidthShift); break;
    case SkcipherMode::Xts: ctrl |= regs::kXtsKey2N << regs::kCtrlXtsShift; break;  // as DTHEv2
  }
  write_mask(regs::kCtrl, ctrl, regs::kCtrlDriverMask, MmioOrder::Decoupled);
}

Errc OmapAesDev::omap_aes_crypt_dma_start() {
  const SkcipherRequest& req = *cur_.req;
  trace(req.id, "dma_start");
  k_.charge_cycles(drv_.params().dma_start_cycles);
  kernel::DmaEngine& dma = drv_.dma();
  if (kernel::dma_map_sg(k_, cur_.in_sg, DmaDataDirection::ToDevice) == 0) return Errc::Inval;
  if (kernel::dma_map_sg(k_, cur_.out_sg, DmaDataDirection::FromDevice) == 0) {
    kernel::dma_unmap_sg(k_, cur_.in_sg, DmaDataDirection::ToDevice);
    return Errc::Inval;
  }
  cur_.mapped = true;

  if (omap_aes_dma_config() != Errc::Ok) return Errc::Inval;
  kernel::DmaAsyncTxDescriptor* tx_in =
      dma.dmaengine_prep_slave_sg(dma_lch_in_, cur_.in_sg, DmaTransferDirection::MemToDev);
  kernel::DmaAsyncTxDescriptor* tx_out =
      dma.dmaengine_prep_slave_sg(dma_lch_out_, cur_.out_sg, DmaTransferDirection::DevToMem);
  if (tx_in == nullptr || tx_out == nullptr) {
    dma.dmaengine_terminate_all(dma_lch_in_);  // drops a prepared descriptor
    dma.dmaengine_terminate_all(dma_lch_out_);
    return Errc::Inval;
  }
  const std::uint64_t seq = cur_.seq;
  tx_in->callback_result = [this, seq](const kernel::DmaengineResult& r) { omap_aes_dma_in_callback(seq, r); };
  tx_out->callback_result = [this, seq](const kernel::DmaengineResult& r) { omap_aes_dma_out_callback(seq, r); };
  dma.dmaengine_submit(tx_in);
  dma.dmaengine_submit(tx_out);
  dma.dma_async_issue_pending(dma_lch_in_);
  dma.dma_async_issue_pending(dma_lch_out_);
  arm_watchdog();
  // omap_aes_dma_start trigger: length, then the DMA request enables.
  k_.writel_config(req.cryptlen, res_.base + regs::kCLength0);
  k_.writel_config(0, res_.base + regs::kCLength1);
  write_mask(regs::kSysconfig, kDmaEnables, kDmaEnables);
  return Errc::Ok;
}

Errc OmapAesDev::omap_aes_dma_config() {
  kernel::DmaSlaveConfig cin;
  cin.direction = DmaTransferDirection::MemToDev;
  cin.dst_addr = res_.base + regs::kDataInOut0;
  cin.dst_addr_width = 4;
  cin.dst_maxburst = 4;  // one AES block per DMA request
  kernel::DmaSlaveConfig cout;
  cout.direction = DmaTransferDirection::DevToMem;
  cout.src_addr = res_.base + regs::kDataInOut0;
  cout.src_addr_width = 4;
  cout.src_maxburst = 4;
  kernel::DmaEngine& dma = drv_.dma();
  if (dma.dmaengine_slave_config(dma_lch_in_, cin) != 0 ||
      dma.dmaengine_slave_config(dma_lch_out_, cout) != 0) {
    return Errc::Inval;
  }
  return Errc::Ok;
}

void OmapAesDev::omap_aes_pio_start() {
  trace(cur_.req->id, "pio_start");
  arm_watchdog();
  set_irq_enable(regs::kIrqDataIn);  // DATA_IN interrupt: feed block 0
}

// --- completion ----------------------------------------------------------------------

void OmapAesDev::omap_aes_dma_in_callback(std::uint64_t seq, const kernel::DmaengineResult& r) {
  // Upstream has no input callback; here it reports an input-side transfer error at once
  // (the output side would never complete).
  if (r.result == kernel::DmaTxResult::NoError) return;
  ++stats_.dma_errors;
  if (cur_.req == nullptr || cur_.completing || seq != cur_.seq) return;
  trace(cur_.req->id, "dma_in_error", Errc::Io);
  cur_.err = Errc::Io;
  done_seq_ = seq;
  done_task_->schedule();
}

void OmapAesDev::omap_aes_dma_out_callback(std::uint64_t seq, const kernel::DmaengineResult& r) {
  k_.charge_cycles(drv_.params().dma_callback_cycles);
  if (r.result != kernel::DmaTxResult::NoError) ++stats_.dma_errors;
  if (cur_.req == nullptr || cur_.completing || seq != cur_.seq) return;  // stale
  if (drop_callbacks_ > 0) {  // fault injection: the completion "interrupt" is lost
    --drop_callbacks_;
    ++stats_.dropped_callbacks;
    trace(cur_.req->id, "callback_dropped");
    return;
  }
  trace(cur_.req->id, "dma_out_callback", r.result == kernel::DmaTxResult::NoError ? Errc::Ok : Errc::Io);
  if (r.result != kernel::DmaTxResult::NoError) cur_.err = Errc::Io;
  done_seq_ = seq;
  done_task_->schedule();
}

kernel::IrqReturn OmapAesDev::omap_aes_irq(unsigned /*irq*/) {
  const std::uint64_t b = res_.base;
  // The model's IRQSTATUS reads the raw status (DATA_IN stays set while the ping-pong input
  // buffer has room): only the enabled source is this interrupt's cause.
  std::uint32_t status = k_.readl(b + regs::kIrqStatus) & irq_enable_;
  if (cur_.req == nullptr || cur_.completing) {
    set_irq_enable(0);
    return kernel::IrqReturn::Handled;
  }
  ++stats_.pio_irqs;
  if (status & regs::kIrqDataIn) {
    set_irq_enable(0);
    k_.charge_cycles(drv_.params().pio_block_cycles);
    std::uint8_t blk[16];
    kernel::sg_pcopy_to_buffer(k_, cur_.in_sg, blk, sizeof blk, cur_.pio_in);
    for (std::uint32_t i = 0; i < 4; ++i) k_.writel(word_of(&blk[4 * i]), b + regs::data_in_out(i));
    cur_.pio_in += 16;
    status &= ~regs::kIrqDataIn;
    k_.writel(status, b + regs::kIrqStatus);
    set_irq_enable(regs::kIrqDataOut);
  } else if (status & regs::kIrqDataOut) {
    set_irq_enable(0);
    k_.charge_cycles(drv_.params().pio_block_cycles);
    std::uint8_t blk[16];
    for (std::uint32_t i = 0; i < 4; ++i) {
      const std::uint32_t w = k_.readl(b + regs::data_in_out(i));
      std::memcpy(&blk[4 * i], &w, 4);
    }
    kernel::sg_pcopy_from_buffer(k_, cur_.out_sg, blk, sizeof blk, cur_.pio_out);
    cur_.pio_out += 16;
    status &= ~regs::kIrqDataOut;
    k_.writel(status, b + regs::kIrqStatus);
    if (cur_.pio_out >= cur_.total) {
      done_seq_ = cur_.seq;
      done_task_->schedule();
      return kernel::IrqReturn::Handled;
    }
    set_irq_enable(regs::kIrqDataIn);
  }
  return kernel::IrqReturn::Handled;
}

void OmapAesDev::omap_aes_done_task() {
  if (cur_.req == nullptr || cur_.completing || done_seq_ != cur_.seq) return;
  cur_.completing = true;
  disarm_watchdog();
  SkcipherRequest& req = *cur_.req;
  trace(req.id, "done_task");
  k_.charge_cycles(drv_.params().done_task_cycles);
  Errc err = cur_.err;
  if (err == Errc::Ok && k_.mmio_faults_in(res_.base, res_.size) != cur_.faults_at_start)
    err = Errc::Io;  // a bus error on this device's registers during the request
  if (err != Errc::Ok) omap_aes_recover();  // stop the channels before unmapping
  if (!pio_only_) {
    omap_aes_unmap();
    write_mask(regs::kSysconfig, 0, kDmaEnables);  // omap_aes_crypt_dma_stop
  }
  if (err == Errc::Ok) {
    if (cur_.out_buf != 0) kernel::sg_copy_from_buffer(k_, cur_.dst_sg, cur_.out_buf, req.cryptlen);
    const SkcipherMode m = req.tfm->mode();
    if ((m == SkcipherMode::Cbc || m == SkcipherMode::Ctr) && !multi_unit(req)) {
      for (std::uint32_t i = 0; i < 4; ++i) {
        const std::uint32_t w = k_.readl(res_.base + regs::iv_in(i));
        std::memcpy(&req.iv[4 * i], &w, 4);
      }
    }
  }
  omap_aes_finish_req(err);
}

void OmapAesDev::omap_aes_finish_req(Errc err) {
  SkcipherRequest* req = cur_.req;
  omap_aes_release_buffers();
  const bool pm = cur_.pm_held;
  cur_.pm_held = false;
  cur_.req = nullptr;
  cur_.completing = false;
  if (err == Errc::Ok) {
    ++stats_.completed;
    stats_.bytes += req->cryptlen;
  } else {
    ++stats_.failed;
  }
  trace(req->id, "finalize", err);
  if (drv_.fault_hook_) drv_.fault_hook_(FaultSite{FaultPoint::Finalized, *this, *req, cur_.in_sg, cur_.out_sg, err});
  engine_->finalize_request(*req, err);  // upstream always passes 0
  if (pm) rpm_->pm_runtime_put_autosuspend();
}

void OmapAesDev::omap_aes_unmap() {
  if (!cur_.mapped) return;
  kernel::dma_unmap_sg(k_, cur_.in_sg, DmaDataDirection::ToDevice);
  kernel::dma_unmap_sg(k_, cur_.out_sg, DmaDataDirection::FromDevice);
  cur_.mapped = false;
}

void OmapAesDev::omap_aes_release_buffers() {
  if (cur_.in_buf != 0) k_.kfree(cur_.in_buf);
  if (cur_.out_buf != 0) k_.kfree(cur_.out_buf);
  cur_.in_buf = cur_.out_buf = 0;
}

// --- error recovery ------------------------------------------------------------------------

void OmapAesDev::omap_aes_recover() {
  ++stats_.resets;
  trace(cur_.req != nullptr ? cur_.req->id : 0, "recover", Errc::Io);
  if (!pio_only_) {
    drv_.dma().dmaengine_terminate_all(dma_lch_in_);
    drv_.dma().dmaengine_terminate_all(dma_lch_out_);
  } else {
    set_irq_enable(0);
  }
  k_.writel(regs::kSysconfigSoftreset, res_.base + regs::kSysconfig);
  for (std::uint32_t i = 0; i < drv_.params().reset_poll_max; ++i) {
    if (k_.readl(res_.base + regs::kSysstatus) & regs::kSysstatusResetDone) break;
  }
}

void OmapAesDev::fault_site(FaultPoint p, Errc err) {
  if (drv_.fault_hook_) drv_.fault_hook_(FaultSite{p, *this, *cur_.req, cur_.in_sg, cur_.out_sg, err});
}

void OmapAesDev::arm_watchdog() {
  wdt_armed_ = true;
  wdt_seq_ = cur_.seq;
  wdt_->mod_timer(k_.now() + sc_core::sc_time(drv_.params().dma_timeout_us, sc_core::SC_US));
}

void OmapAesDev::disarm_watchdog() {
  wdt_armed_ = false;
  wdt_->del_timer();
}

void OmapAesDev::omap_aes_watchdog() {
  for (;;) {
    k_.current()->wait(wdt_work_);
    if (!wdt_armed_ || cur_.req == nullptr || cur_.completing || wdt_seq_ != cur_.seq) continue;
    cur_.completing = true;
    wdt_armed_ = false;
    ++stats_.timeouts;
    trace(cur_.req->id, "timeout", Errc::Io);
    omap_aes_recover();  // terminate the channels, reset the AES
    if (!pio_only_) {
      omap_aes_unmap();
      write_mask(regs::kSysconfig, 0, kDmaEnables);
    }
    omap_aes_finish_req(Errc::Io);
  }
}

// =====================================================================================
// OmapAesDriver
// =====================================================================================

OmapAesDriver::OmapAesDriver(kernel::Kernel& k, kernel::DmaEngine& dma, const DriverParams& params)
    : k_(k), dma_(dma), params_(params) {}

OmapAesDriver::~OmapAesDriver() = default;

int OmapAesDriver::probe() {
  const unsigned n = static_cast<unsigned>(k_.device_tree().aes.size());
  for (unsigned i = 0; i < n; ++i) {
    const int rc = probe_instance(i);
    if (rc != 0 && rc != -kernel::kEBUSY) return rc;
  }
  return 0;
}

int OmapAesDriver::probe_instance(unsigned instance) {
  if (instance >= k_.device_tree().aes.size()) return -kernel::kENODEV;
  for (const auto& d : devs_)
    if (d->instance() == instance) return -kernel::kEBUSY;
  auto dev = std::make_unique<OmapAesDev>(*this, instance);
  const int rc = dev->probe();
  if (rc != 0) {
    failed_.push_back(std::move(dev));  // its threads may still refer to it: kept alive
    return rc;
  }
  dev_list_.push_back(dev.get());  // list_add_tail(&dd->list, &dev_list)
  devs_.push_back(std::move(dev));
  return 0;
}

void OmapAesDriver::trace(std::uint64_t id, const char* step, int instance, Errc err) {
  AESVP_OBSERVE(if (!trace_) return; const ExecContext* c = k_.current();
                trace_(DriverTraceEvent{id, step, instance, k_.now(),
                                        c != nullptr ? static_cast<int>(c->context_class()) : -1,
                                        err}));
  (void)id, (void)step, (void)instance, (void)err;
}

Errc OmapAesDriver::setkey(CryptoSkcipher& /*tfm*/, const std::uint8_t* /*key*/, std::size_t /*len*/) {
  // omap_aes_setkey: key into the context + the fallback's setkey (sizes checked by the API).
  k_.charge_cycles(params_.setkey_cycles);
  return Errc::Ok;
}

OmapAesDev* OmapAesDriver::omap_aes_find_dev() {
  if (dev_list_.empty()) return nullptr;
  OmapAesDev* dd = dev_list_.front();
  dev_list_.pop_front();
  dev_list_.push_back(dd);
  return dd;
}

Errc OmapAesDriver::omap_aes_crypt(SkcipherRequest& req) {
  trace(req.id, "crypt", -1);
  k_.charge_cycles(params_.crypt_entry_cycles);
  const SkcipherMode mode = req.tfm->mode();
  if (mode != SkcipherMode::Ctr && req.cryptlen % kBlock != 0) return Errc::Inval;
  if (mode == SkcipherMode::Xts && req.cryptlen < kBlock) return Errc::Inval;
  if (req.cryptlen == 0) return Errc::Ok;
  if (kernel::sg_total_len(req.src) < req.cryptlen ||
      kernel::sg_total_len(req.destination()) < req.cryptlen) {
    return Errc::Inval;
  }
  const bool units = req.bulk.data_unit_size != 0 && req.cryptlen > req.bulk.data_unit_size;
  if (req.cryptlen < params_.aes_fallback_sz && !units) return omap_aes_fallback(req);
  OmapAesDev* dd = omap_aes_find_dev();
  if (dd == nullptr) return kErrNoDev;
  // Several data units need the bulk extension (users ask multi_unit() first).
  if (units && !dd->can_run_units(*req.tfm, req.bulk.iv_kind)) return Errc::Inval;
  req.driver_ctx = dd;
  trace(req.id, "transfer", static_cast<int>(dd->instance()));
  return dd->engine().transfer_request(req);  // omap_aes_handle_queue
}

}  // namespace aesvp::driver
