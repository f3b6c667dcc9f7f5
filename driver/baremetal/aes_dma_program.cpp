#include "driver/baremetal/aes_dma_program.h"

#include "models/aes/omap_aes_regs.h"
#include "models/intc/gic_regs.h"
#include "models/sdma/omap_sdma_regs.h"

#include <cstring>
#include <sstream>

namespace aesvp::baremetal {

namespace regs = omap_aes;

const char* to_string(CipherMode m) {
  switch (m) {
    case CipherMode::Ecb: return "ecb";
    case CipherMode::Cbc: return "cbc";
    case CipherMode::Ctr: return "ctr";
    case CipherMode::Xts: return "xts";
  }
  return "?";
}

AesDmaProgram::AesDmaProgram(const DeviceTree& dt, Cpu& cpu, ExecContext& ctx,
                             unsigned aes_instance)
    : dt_(dt), cpu_(cpu), ctx_(ctx), aes_(dt.aes.at(aes_instance)), sdma_base_(dt.dma.base) {}

std::uint32_t AesDmaProgram::rd(std::uint64_t addr) {
  std::uint32_t v = 0;
  if (ctx_.read32(addr, v) != tlm::TLM_OK_RESPONSE) {
    std::ostringstream msg;
    msg << "bus error reading 0x" << std::hex << addr;
    throw BusFault(msg.str());
  }
  return v;
}

void AesDmaProgram::wr(std::uint64_t addr, std::uint32_t v) {
  if (ctx_.write32(addr, v) != tlm::TLM_OK_RESPONSE) {
    std::ostringstream msg;
    msg << "bus error writing 0x" << std::hex << addr;
    throw BusFault(msg.str());
  }
}

void AesDmaProgram::init() {
  // Soft resets, then wait for RESETDONE (polling, as drivers do at probe time).
  wr(aes_.base + regs::kSysconfig, regs::kSysconfigSoftreset);
  while ((rd(aes_.base + regs::kSysstatus) & regs::kSysstatusResetDone) == 0) {
    ctx_.sleep(sc_core::sc_time(100, sc_core::SC_NS));
  }
  wr(sdma_base_ + sdma::kOcpSysconfig, sdma::kSysconfigSoftReset);
  while ((rd(sdma_base_ + sdma::kSysStatus) & sdma::kSysStatusResetDone) == 0) {
    ctx_.sleep(sc_core::sc_time(100, sc_core::SC_NS));
  }
  // GIC: route the sDMA line L0 to core 0 and enable it.
  const unsigned id = dt_.dma.irqs.at(kIrqLine);
  const std::uint64_t dist = dt_.intc.base;
  const std::uint64_t cpuif = dt_.intc.cpu_if_base + dt_.intc.cpu_if_stride * ctx_.core();
  wr(dist + gic::GICD_IPRIORITYR + (id & ~3u), 0xa0u << (8 * (id % 4)));
  wr(dist + gic::GICD_ITARGETSR + (id & ~3u), (1u << ctx_.core()) << (8 * (id % 4)));
  wr(dist + gic::GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
  wr(dist + gic::GICD_CTLR, gic::GICD_CTLR_ENABLE);
  wr(cpuif + gic::GICC_PMR, 0xf0);
  wr(cpuif + gic::GICC_CTLR, gic::GICC_CTLR_ENABLE);
  cpu_.set_irq_handler([this](ExecContext& c, unsigned core) { on_irq(c, core); });
  // Both channels report to line L0.
  wr(sdma_base_ + sdma::irqenable(kIrqLine), (1u << kInChannel) | (1u << kOutChannel));
}

void AesDmaProgram::on_irq(ExecContext& c, unsigned core) {
  auto read = [&](std::uint64_t a) {
    std::uint32_t v = 0;
    c.read32(a, v);
    return v;
  };
  const std::uint64_t cpuif = dt_.intc.cpu_if_base + dt_.intc.cpu_if_stride * core;
  const std::uint32_t id = read(cpuif + gic::GICC_IAR) & gic::kIdMask;
  if (id == gic::kSpuriousId) return;
  if (id == dt_.dma.irqs.at(kIrqLine)) {
    const std::uint32_t pending = read(sdma_base_ + sdma::irqstatus(kIrqLine));
    for (unsigned ch : {kInChannel, kOutChannel}) {
      if ((pending & (1u << ch)) == 0) continue;
      const std::uint64_t csr = sdma_base_ + sdma::channel_reg(ch, sdma::kCsr);
      const std::uint32_t status = read(csr);
      c.write32(csr, status);  // write 1 to clear
      (ch == kOutChannel ? csr_out_ : csr_in_) |= status;
    }
    c.write32(sdma_base_ + sdma::irqstatus(kIrqLine), pending);
    // The job ends with the output channel's block, or with any error.
    const std::uint32_t errors = sdma::kIrqTransErr | sdma::kIrqMisalignedErr;
    if ((csr_out_ & sdma::kIrqBlock) || ((csr_in_ | csr_out_) & errors)) {
      done_flag_ = true;
      c.notify(done_);
    }
  }
  c.write32(cpuif + gic::GICC_EOIR, id);
}

AesJobResult AesDmaProgram::run(const AesJob& job) {
  const bool xts = job.mode == CipherMode::Xts;
  const std::size_t key_len = xts ? job.key.size() / 2 : job.key.size();
  if ((key_len != 16 && key_len != 24 && key_len != 32) || (xts && job.key.size() % 2 != 0)) {
    throw std::invalid_argument("AES key must be 16, 24 or 32 bytes (XTS: two such keys)");
  }
  if (job.length == 0 || job.length % regs::kBlockBytes != 0 || job.length > kMaxJobBytes) {
    throw std::invalid_argument("length must be a positive multiple of 16 bytes, at most " +
                                std::to_string(kMaxJobBytes));
  }
  auto word = [](const std::uint8_t* b) {
    std::uint32_t w;
    std::memcpy(&w, b, 4);  // little-endian word of the byte string
    return w;
  };
  const std::uint64_t a = aes_.base;

  // 1. Context: keys, IV, mode, length (omap-aes order: the DMA enables come last).
  for (std::uint32_t x = 0; x < key_len / 4; ++x) wr(a + regs::key1_word(x), word(&job.key[4 * x]));
  if (xts) {
    for (std::uint32_t x = 0; x < key_len / 4; ++x)
      wr(a + regs::key2_word(x), word(&job.key[key_len + 4 * x]));
  }
  if (job.mode != CipherMode::Ecb) {
    for (std::uint32_t x = 0; x < 4; ++x) wr(a + regs::iv_in(x), word(&job.iv[4 * x]));
  }
  std::uint32_t ctrl = regs::ctrl_key_size(static_cast<std::uint32_t>(key_len * 8))
                       << regs::kCtrlKeySizeShift;
  if (job.encrypt) ctrl |= regs::kCtrlDirection;
  if (job.mode == CipherMode::Cbc) ctrl |= regs::kCtrlCbc;
  if (job.mode == CipherMode::Ctr) ctrl |= regs::kCtrlCtr | (regs::kCtrWidth128 << regs::kCtrlCtrWidthShift);
  if (xts) ctrl |= regs::kXtsKey2N << regs::kCtrlXtsShift;
  wr(a + regs::kCtrl, ctrl);
  wr(a + regs::kCLength0, job.length);
  wr(a + regs::kCLength1, 0);

  // 2. Two frame-synchronised channels, one 16-byte frame (four 32-bit elements, one burst)
  //    per AES request.
  const std::uint32_t csdp = sdma::kDataType32 | sdma::kCsdpSrcPacked | sdma::kCsdpDstPacked |
                             sdma::csdp_src_burst(sdma::kBurst16) |
                             sdma::csdp_dst_burst(sdma::kBurst16);
  auto setup = [&](unsigned ch, std::uint64_t src, std::uint64_t dst, std::uint32_t ccr,
                   std::uint32_t cicr) {
    auto reg = [&](std::uint32_t r) { return sdma_base_ + sdma::channel_reg(ch, r); };
    wr(reg(sdma::kCsdp), csdp);
    wr(reg(sdma::kCen), 4);
    wr(reg(sdma::kCfn), job.length / regs::kBlockBytes);
    wr(reg(sdma::kCssa), static_cast<std::uint32_t>(src));
    wr(reg(sdma::kCdsa), static_cast<std::uint32_t>(dst));
    wr(reg(sdma::kCicr), cicr);
    wr(reg(sdma::kCcr), ccr);
  };
  const std::uint32_t errors = sdma::kIrqTransErr | sdma::kIrqMisalignedErr;
  const std::uint32_t ccr_in = sdma::ccr_request(aes_.dma_in) | sdma::kCcrFs |
                               sdma::ccr_src_amode(sdma::kAmodePostIncrement) |
                               sdma::ccr_dst_amode(sdma::kAmodeConstant);
  const std::uint32_t ccr_out = sdma::ccr_request(aes_.dma_out) | sdma::kCcrFs |
                                sdma::kCcrTriggerSrc | sdma::ccr_src_amode(sdma::kAmodeConstant) |
                                sdma::ccr_dst_amode(sdma::kAmodePostIncrement);
  setup(kInChannel, job.src, a + regs::kDataInOut0, ccr_in, errors);
  setup(kOutChannel, a + regs::kDataInOut0, job.dst, ccr_out, errors | sdma::kIrqBlock);
  done_flag_ = false;
  csr_in_ = csr_out_ = 0;
  wr(sdma_base_ + sdma::channel_reg(kInChannel, sdma::kCcr), ccr_in | sdma::kCcrEnable);
  wr(sdma_base_ + sdma::channel_reg(kOutChannel, sdma::kCcr), ccr_out | sdma::kCcrEnable);

  // 3. Start: the AES raises its DMA requests.
  AesJobResult r;
  r.started = ctx_.current_time();
  wr(a + regs::kSysconfig, regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn);

  // 4. Sleep until the interrupt handler saw the output channel finish.
  ctx_.wait_until([this] { return done_flag_; }, done_);

  // 5. Stop the requests and read the chaining value back.
  wr(a + regs::kSysconfig, 0);
  for (std::uint32_t x = 0; x < 4; ++x) {
    const std::uint32_t w = rd(a + regs::iv_in(x));
    std::memcpy(&r.iv_out[4 * x], &w, 4);
  }
  r.in_channel_status = csr_in_;
  r.out_channel_status = csr_out_;
  r.completed = ctx_.current_time();
  return r;
}

}  // namespace aesvp::baremetal
