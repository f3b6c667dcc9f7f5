// Register-level behaviour: reset values, bad accesses and their TLM responses, SOFTRESET
// and RESETDONE, IRQSTATUS as level status, context errors.
#include "models/aes/tests/omap_aes_test_bench.h"

namespace aesvp::testing {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

// SYSCONFIG written ahead of simulated time (models/core/ahead_write.h) is taken only when
// it changes no output: not when it would raise or lower a DMA request line (the line would
// change at the call's time), not with a soft reset.
TEST(OmapAesRegisters, SysconfigTakesAWriteAheadOnlyWhenNoOutputChanges) {
  AesTestBench b(AesParams{}, TimingMode::Fast);
  auto takes = [&](std::uint32_t word) {
    AheadWriteQuery q;
    q.word = word;
    std::uint32_t v = 0;
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_IGNORE_COMMAND);
    t.set_address(regs::kSysconfig);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
    t.set_data_length(4);
    t.set_streaming_width(4);
    t.set_extension(&q);
    sc_time delay = sc_core::SC_ZERO_TIME;
    b.cpu.socket->b_transport(t, delay);
    t.clear_extension(&q);
    EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
    return q.taken;
  };
  const std::uint32_t dma = regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn;
  b.run([&] {
    EXPECT_TRUE(takes(0));
    EXPECT_TRUE(takes(dma));  // no context yet: nothing to request
    EXPECT_FALSE(takes(regs::kSysconfigSoftreset));
    write_context(b.cpu, Bytes(16, 1), {}, {}, ctrl_for(Mode::Ecb, true, 128));
    b.cpu.write(regs::kCLength0, 64);
    EXPECT_FALSE(takes(dma));  // the input request would rise
    EXPECT_TRUE(takes(0));
    b.cpu.write(regs::kSysconfig, dma);
    EXPECT_TRUE(b.req_in_line.read());
    EXPECT_FALSE(takes(0));  // the input request would fall
    EXPECT_TRUE(takes(dma));
  });
}

TEST(OmapAesRegisters, ResetValuesAndRevision) {
  AesTestBench b;
  b.run([&] {
    EXPECT_EQ(b.cpu.read(regs::kRevision), 0x302u);  // 3.2
    EXPECT_EQ((b.cpu.read(regs::kRevision) & regs::kRevMajorMask) >> regs::kRevMajorShift, 3u);
    EXPECT_EQ(b.cpu.read(regs::kSysstatus), regs::kSysstatusResetDone);
    EXPECT_EQ(b.cpu.read(regs::kSysconfig), 0u);
    // No context yet: CONTEXT_READY only.
    EXPECT_EQ(b.cpu.read(regs::kCtrl), regs::kCtrlContextReady);
    EXPECT_EQ(b.cpu.read(regs::kIrqStatus), regs::kIrqContextIn);
    EXPECT_EQ(b.cpu.read(regs::kIrqEnable), 0u);
    EXPECT_EQ(b.cpu.read(regs::kCLength0), 0u);
    EXPECT_EQ(b.cpu.read(regs::tag_out(0)), 0u);
    // One register access costs reg_access_cycles at clock_mhz: 2 x 10 ns.
    EXPECT_EQ(b.cpu.last_delay(), sc_time(20, SC_NS));
    EXPECT_FALSE(b.irq_line.read());
  });
}

TEST(OmapAesRegisters, BadAccessesGetErrorResponsesAndOneWarningEach) {
  AesTestBench b;
  b.run([&] {
    std::uint32_t v = 0xdeadbeef;
    std::uint8_t buf[32] = {};
    unsigned char be[4] = {0xff, 0xff, 0, 0};
    struct Case { tlm::tlm_command cmd; std::uint64_t off; void* data; unsigned len; unsigned width;
                  unsigned char* be; tlm::tlm_response_status want; } cases[] = {
        {tlm::TLM_READ_COMMAND, 0x94, &v, 4, 0, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},      // hole
        {tlm::TLM_WRITE_COMMAND, 0xfc, &v, 4, 0, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},     // hole at the end
        {tlm::TLM_WRITE_COMMAND, 0x52, &v, 4, 0, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},     // misaligned
        {tlm::TLM_READ_COMMAND, 0x50, &v, 2, 0, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},        // wrong size
        {tlm::TLM_WRITE_COMMAND, 0x60, buf, 16, 6, nullptr, tlm::TLM_BURST_ERROR_RESPONSE},     // odd streaming width
        {tlm::TLM_WRITE_COMMAND, 0x50, &v, 4, 0, be, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE},      // byte enables
        {tlm::TLM_WRITE_COMMAND, 0x80, &v, 4, 0, nullptr, tlm::TLM_COMMAND_ERROR_RESPONSE},     // REVISION is RO
        {tlm::TLM_READ_COMMAND, 0x38, &v, 4, 0, nullptr, tlm::TLM_COMMAND_ERROR_RESPONSE},      // keys are WO
        {tlm::TLM_WRITE_COMMAND, 0x8c, buf, 12, 0, nullptr, tlm::TLM_ADDRESS_ERROR_RESPONSE},   // runs into the hole
    };
    for (const Case& c : cases) {
      EXPECT_EQ(b.cpu.access(c.cmd, c.off, c.data, c.len, c.width, c.be, c.be ? 4 : 0), c.want)
          << "offset 0x" << std::hex << c.off;
      const auto reps = take_reports("aesvp/bus");
      EXPECT_EQ(reps.size(), 1u) << "offset 0x" << std::hex << c.off;
    }
    // Nothing took effect: IRQENABLE (in the last, rejected burst) and CTRL unchanged.
    EXPECT_EQ(b.cpu.read(regs::kIrqEnable), 0u);
    EXPECT_EQ(b.cpu.read(regs::kCtrl), regs::kCtrlContextReady);
    EXPECT_TRUE(take_reports().empty());
  });
}

TEST(OmapAesRegisters, SoftResetClearsStateAndRaisesResetDoneAfterTheResetTime) {
  AesTestBench b;
  b.run([&] {
    const auto& v = test_vectors::kSp80038a[0];
    write_context(b.cpu, hex(v.key), {}, hex(test_vectors::kSp80038aCbcIv), ctrl_for(Mode::Cbc, true, 128));
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataIn);
    b.cpu.write(regs::kCLength0, 64);
    b.cpu.write(regs::kSysconfig, regs::kSysconfigDmaReqDataInEn);
    EXPECT_TRUE(b.req_in_line.read());
    EXPECT_TRUE(b.irq_line.read());
    b.cpu.write(regs::kSysconfig, regs::kSysconfigSoftreset | regs::kSysconfigDmaReqDataInEn);
    // During the reset: SOFTRESET reads 1, RESETDONE 0, the lines are low.
    EXPECT_EQ(b.cpu.read(regs::kSysstatus), 0u);
    EXPECT_EQ(b.cpu.read(regs::kSysconfig), regs::kSysconfigSoftreset);
    EXPECT_FALSE(b.req_in_line.read());
    EXPECT_FALSE(b.irq_line.read());
    sc_core::wait(b.aes.softreset_time());
    EXPECT_EQ(b.cpu.read(regs::kSysstatus), regs::kSysstatusResetDone);
    EXPECT_EQ(b.cpu.read(regs::kSysconfig), 0u);  // self-cleared, enables reset
    EXPECT_EQ(b.cpu.read(regs::kCtrl), regs::kCtrlContextReady);
    EXPECT_EQ(b.cpu.read(regs::kCLength0), 0u);
    EXPECT_EQ(b.cpu.read(regs::kIrqEnable), 0u);
    for (unsigned w = 0; w < 4; ++w) EXPECT_EQ(b.cpu.read(regs::iv_in(w)), 0u);
    // And the device works again after a reset.
    write_context(b.cpu, hex(v.key), {}, {}, ctrl_for(Mode::Ecb, true, 128));
    const Bytes pt = hex(test_vectors::kSp80038aPlain), ct = hex(v.ecb);
    EXPECT_EQ(pio_crypt(b, Bytes(pt.begin(), pt.begin() + 16)), Bytes(ct.begin(), ct.begin() + 16));
  });
}

TEST(OmapAesRegisters, HardResetRestoresPowerOnStateAtOnce) {
  AesTestBench b;
  b.run([&] {
    const auto& v = test_vectors::kSp80038a[0];
    write_context(b.cpu, hex(v.key), {}, hex(test_vectors::kSp80038aCbcIv), ctrl_for(Mode::Cbc, true, 128));
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataIn);
    b.cpu.write(regs::kCLength0, 64);
    b.cpu.write(regs::kSysconfig, regs::kSysconfigDmaReqDataInEn);
    ASSERT_TRUE(b.req_in_line.read());
    ASSERT_TRUE(b.irq_line.read());
    b.aes.reset();
    // No reset time: RESETDONE at once, every register at its reset value, lines low.
    EXPECT_EQ(b.aes.peek(regs::kSysstatus), regs::kSysstatusResetDone);
    EXPECT_EQ(b.aes.peek(regs::kSysconfig), 0u);
    EXPECT_EQ(b.aes.peek(regs::kCtrl), regs::kCtrlContextReady);
    EXPECT_EQ(b.aes.peek(regs::kCLength0), 0u);
    EXPECT_EQ(b.aes.peek(regs::kIrqEnable), 0u);
    for (unsigned w = 0; w < 4; ++w) EXPECT_EQ(b.aes.peek(regs::iv_in(w)), 0u);
    EXPECT_FALSE(b.req_in_line.read());
    EXPECT_FALSE(b.irq_line.read());
    // The old key is gone with the context: the device works with a new one.
    write_context(b.cpu, hex(v.key), {}, {}, ctrl_for(Mode::Ecb, true, 128));
    const Bytes pt = hex(test_vectors::kSp80038aPlain), ct = hex(v.ecb);
    EXPECT_EQ(pio_crypt(b, Bytes(pt.begin(), pt.begin() + 16)), Bytes(ct.begin(), ct.begin() + 16));
  });
}

TEST(OmapAesRegisters, IrqStatusIsLevelAndWritesClearNothing) {
  AesTestBench b;
  b.run([&] {
    const auto& v = test_vectors::kSp80038a[1];
    write_context(b.cpu, hex(v.key), {}, {}, ctrl_for(Mode::Ecb, true, 192));
    EXPECT_EQ(b.cpu.read(regs::kIrqStatus), regs::kIrqContextIn | regs::kIrqDataIn);
    b.cpu.write(regs::kIrqStatus, 0);  // Linux writes back status & ~bit: no effect
    EXPECT_EQ(b.cpu.read(regs::kIrqStatus), regs::kIrqContextIn | regs::kIrqDataIn);
    EXPECT_FALSE(b.irq_line.read());
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataOut);
    EXPECT_FALSE(b.irq_line.read());
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataIn | regs::kIrqDataOut | 0xfff0u);
    EXPECT_EQ(b.cpu.read(regs::kIrqEnable), regs::kIrqDataIn | regs::kIrqDataOut);  // only the defined bits
    EXPECT_TRUE(b.irq_line.read());
    // One block in: the input buffer empties into the core at once (DATA_IN stays set), then
    // DATA_OUT comes after the core time; reading DATA_OUT_3 clears it.
    const Bytes pt = hex(test_vectors::kSp80038aPlain);
    for (unsigned w = 0; w < 4; ++w) {
      std::uint32_t x;
      std::memcpy(&x, pt.data() + 4 * w, 4);
      b.cpu.write(regs::data_in_out(w), x);
    }
    EXPECT_EQ(b.cpu.read(regs::kIrqStatus) & regs::kIrqContextIn, 0u);  // busy
    sc_core::wait(b.aes.core_time_per_block(192));
    EXPECT_EQ(b.cpu.read(regs::kIrqStatus) & regs::kIrqDataOut, regs::kIrqDataOut);
    b.cpu.write(regs::kIrqStatus, regs::kIrqDataIn);  // status & ~DATA_OUT: no effect
    EXPECT_EQ(b.cpu.read(regs::kIrqStatus) & regs::kIrqDataOut, regs::kIrqDataOut);
    for (unsigned w = 0; w < 4; ++w) b.cpu.read(regs::data_in_out(w));
    EXPECT_EQ(b.cpu.read(regs::kIrqStatus), regs::kIrqContextIn | regs::kIrqDataIn);
    EXPECT_TRUE(b.irq_line.read());  // DATA_IN enabled and set
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataOut);
    EXPECT_FALSE(b.irq_line.read());
  });
}

TEST(OmapAesRegisters, ContextErrorsWarnAndDropBlocks) {
  AesTestBench b;
  b.run([&] {
    // A block before any CTRL write.
    for (unsigned w = 0; w < 4; ++w) b.cpu.write(regs::data_in_out(w), w);
    EXPECT_EQ(take_reports("aesvp/model").size(), 1u);
    // KEY_SIZE 0 and an unsupported mode.
    b.cpu.write(regs::kCtrl, regs::kCtrlDirection);
    EXPECT_EQ(take_reports("aesvp/model").size(), 1u);
    b.cpu.write(regs::kCtrl, ctrl_for(Mode::Ecb, true, 128) | regs::kCtrlCfb);
    EXPECT_EQ(take_reports("aesvp/model").size(), 1u);
    EXPECT_EQ(b.cpu.read(regs::kCtrl) & regs::kCtrlInputReady, 0u);
    // Reading DATA_OUT with nothing ready.
    b.cpu.write(regs::kCtrl, ctrl_for(Mode::Ecb, true, 128));
    EXPECT_EQ(b.cpu.read(regs::data_in_out(3)), 0u);
    EXPECT_EQ(take_reports("aesvp/model").size(), 1u);
    // Overrun: a second block while the first waits in the input buffer (core and output busy).
    for (int k = 0; k < 4; ++k)
      for (unsigned w = 0; w < 4; ++w) b.cpu.write(regs::data_in_out(w), w);
    EXPECT_EQ(take_reports("aesvp/model").size(), 1u);
    EXPECT_EQ(b.aes.blocks_processed(), 2u);
  });
}

}  // namespace
}  // namespace aesvp::testing
