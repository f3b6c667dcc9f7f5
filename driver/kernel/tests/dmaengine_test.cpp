// DMA engine over the sDMA: memory -> AES (ECB) -> memory through two slave channels,
// compared with OpenSSL; multi-entry scatterlists; an injected bus error.
#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"
#include "driver/kernel/dmaengine.h"
#include "driver/kernel/tests/kernel_test_support.h"
#include "models/aes/omap_aes_regs.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <random>

namespace aesvp::kernel::testing {
namespace {

namespace regs = omap_aes;

std::vector<std::uint8_t> openssl_ecb_encrypt(const std::vector<std::uint8_t>& key,
                                              const std::vector<std::uint8_t>& in) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const EVP_CIPHER* c = key.size() == 16   ? EVP_aes_128_ecb()
                        : key.size() == 24 ? EVP_aes_192_ecb()
                                           : EVP_aes_256_ecb();
  std::vector<std::uint8_t> out(in.size() + 16);
  int n1 = 0, n2 = 0;
  EVP_EncryptInit_ex(ctx, c, nullptr, key.data(), nullptr);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EVP_EncryptUpdate(ctx, out.data(), &n1, in.data(), static_cast<int>(in.size()));
  EVP_EncryptFinal_ex(ctx, out.data() + n1, &n2);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<std::size_t>(n1 + n2));
  return out;
}

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& x : v) x = static_cast<std::uint8_t>(rng());
  return v;
}

// The AES + two slave channels, driven the way omap-aes does (software in the calling
// kernel thread).
struct AesRig {
  Bench& b;
  Kernel& k;
  DmaEngine dma;
  AesNode aes;
  DmaChan* tx = nullptr;  // memory -> DATA_IN
  DmaChan* rx = nullptr;  // DATA_OUT -> memory
  ContextClass callback_cls = ContextClass::Thread;
  unsigned callback_core = 9;

  explicit AesRig(Bench& bench)
      : b(bench), k(bench.k()), dma(bench.k()), aes(bench.platform->aes_resources(0)) {}

  void setup() {
    ASSERT_EQ(dma.probe(), 0);
    tx = dma.dma_request_chan(aes.dma_in);
    rx = dma.dma_request_chan(aes.dma_out);
    ASSERT_NE(tx, nullptr);
    ASSERT_NE(rx, nullptr);
    DmaSlaveConfig c;
    c.direction = DmaTransferDirection::MemToDev;
    c.dst_addr = aes.base + regs::kDataInOut0;
    c.dst_addr_width = 4;
    c.dst_maxburst = 4;
    ASSERT_EQ(dma.dmaengine_slave_config(tx, c), 0);
    c = DmaSlaveConfig{};
    c.direction = DmaTransferDirection::DevToMem;
    c.src_addr = aes.base + regs::kDataInOut0;
    c.src_addr_width = 4;
    c.src_maxburst = 4;
    ASSERT_EQ(dma.dmaengine_slave_config(rx, c), 0);
  }

  void aes_reset() {
    k.writel(regs::kSysconfigSoftreset, aes.base + regs::kSysconfig);
    std::uint32_t v = 0;
    EXPECT_EQ(k.readl_poll_timeout(aes.base + regs::kSysstatus, v,
                                   [](std::uint32_t s) { return (s & regs::kSysstatusResetDone) != 0; },
                                   0.1, 100),
              0);
  }

  void aes_ecb_encrypt(const std::vector<std::uint8_t>& key, std::uint32_t len) {
    for (std::uint32_t x = 0; x < key.size() / 4; ++x) {
      std::uint32_t w;
      std::memcpy(&w, &key[4 * x], 4);
      k.writel(w, aes.base + regs::key1_word(x));
    }
    const std::uint32_t ctrl =
        (regs::ctrl_key_size(static_cast<std::uint32_t>(key.size() * 8)) << regs::kCtrlKeySizeShift) |
        regs::kCtrlDirection;
    k.writel(ctrl, aes.base + regs::kCtrl);
    k.writel(len, aes.base + regs::kCLength0);
    k.writel(0, aes.base + regs::kCLength1);
  }

  // One DMA transfer through the AES; returns the output channel's callback result.
  DmaengineResult run(Scatterlist& in, Scatterlist& out) {
    EXPECT_EQ(dma_map_sg(k, in, DmaDataDirection::ToDevice), static_cast<int>(sg_nents(in)));
    EXPECT_EQ(dma_map_sg(k, out, DmaDataDirection::FromDevice), static_cast<int>(sg_nents(out)));
    Completion done(k);
    DmaengineResult res;
    res.result = DmaTxResult::Aborted;
    DmaAsyncTxDescriptor* rxd = dma.dmaengine_prep_slave_sg(rx, out, DmaTransferDirection::DevToMem);
    DmaAsyncTxDescriptor* txd = dma.dmaengine_prep_slave_sg(tx, in, DmaTransferDirection::MemToDev);
    EXPECT_NE(rxd, nullptr);
    EXPECT_NE(txd, nullptr);
    if (rxd == nullptr || txd == nullptr) return res;
    rxd->callback_result = [&](const DmaengineResult& r) {
      res = r;
      callback_cls = k.current()->context_class();
      callback_core = k.current()->core();
      done.complete();
    };
    const DmaCookie rc = dma.dmaengine_submit(rxd);
    const DmaCookie tc = dma.dmaengine_submit(txd);
    EXPECT_GT(rc, 0);
    EXPECT_GT(tc, 0);
    dma.dma_async_issue_pending(rx);
    dma.dma_async_issue_pending(tx);
    k.writel(regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn,
             aes.base + regs::kSysconfig);
    EXPECT_TRUE(done.wait_for_completion_timeout(sc_time(1, SC_MS)));
    k.writel(0, aes.base + regs::kSysconfig);
    dma_unmap_sg(k, in, DmaDataDirection::ToDevice);
    dma_unmap_sg(k, out, DmaDataDirection::FromDevice);
    if (res.result == DmaTxResult::NoError) {
      EXPECT_EQ(dma.dmaengine_tx_status(rx, rc), DmaStatus::Complete);
    }
    return res;
  }
};

class DmaEngineAesTest : public ::testing::TestWithParam<const char*> {};

TEST_P(DmaEngineAesTest, SingleEntryEcbMatchesOpenSsl) {
  Bench b(GetParam());
  Kernel& k = b.k();
  AesRig rig(b);
  const auto key = random_bytes(16, 1);
  const auto plain = random_bytes(256, 2);
  std::vector<std::uint8_t> cipher;
  DmaengineResult res;
  bool finished = false;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    const std::uint64_t src = k.kmalloc(plain.size());
    const std::uint64_t dst = k.kmalloc(plain.size());
    place_bytes(k, src, plain);
    Scatterlist in = sg_init_one(src, 256), out = sg_init_one(dst, 256);
    rig.aes_ecb_encrypt(key, 256);
    res = rig.run(in, out);
    cipher = fetch_bytes(k, dst, plain.size());
    finished = true;
  });
  sc_core::sc_start(sc_time(2, SC_MS));
  ASSERT_TRUE(finished);
  EXPECT_EQ(res.result, DmaTxResult::NoError);
  EXPECT_EQ(cipher, openssl_ecb_encrypt(key, plain));
  EXPECT_EQ(rig.callback_cls, ContextClass::SoftIrq);
  EXPECT_EQ(rig.callback_core, 0u);
  EXPECT_EQ(rig.rx->completed(), 1u);
  EXPECT_EQ(rig.tx->completed(), 1u);
  EXPECT_GE(k.irq_count(rig.dma.irq_id()), 1u);
  EXPECT_EQ(k.mmio_faults(), 0u);
  // Softirq time on core 0: per channel a tasklet dispatch and a vchan completion, the
  // callback's complete() waking the sleeping test thread, and one softirq entry per softirq
  // run (one or two: the second channel's tasklet may join a run in progress).
  const KernelParams& p = b.kp();
  const sc_time fixed = b.cyc(2.0 * (p.tasklet_dispatch_cycles + p.dma_complete_cycles) +
                              p.complete_cycles + p.wakeup_cycles);
  const sc_time busy = k.softirq_context(0).busy_time();
  EXPECT_TRUE(busy == fixed + b.cyc(p.softirq_entry_cycles) ||
              busy == fixed + b.cyc(2.0 * p.softirq_entry_cycles))
      << busy;
}

// Entries of different sizes on both sides: each entry is programmed from the previous
// entry's BLOCK interrupt.
TEST_P(DmaEngineAesTest, MultiEntryScatterlist) {
  Bench b(GetParam());
  Kernel& k = b.k();
  AesRig rig(b);
  const auto key = random_bytes(32, 3);
  const auto plain = random_bytes(256, 4);
  std::vector<std::uint8_t> cipher;
  DmaengineResult res;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    Scatterlist in, out;
    for (std::uint32_t len : {64u, 32u, 160u}) in.push_back(k.kmalloc(len), len);
    for (std::uint32_t len : {128u, 128u}) out.push_back(k.kmalloc(len), len);
    sg_place_bytes(k, in, plain);
    rig.aes_ecb_encrypt(key, 256);
    res = rig.run(in, out);
    cipher = sg_fetch_bytes(k, out);
  });
  sc_core::sc_start(sc_time(2, SC_MS));
  EXPECT_EQ(res.result, DmaTxResult::NoError);
  EXPECT_EQ(cipher, openssl_ecb_encrypt(key, plain));
  EXPECT_EQ(rig.tx->interrupts(), 3u);  // one BLOCK per entry
  EXPECT_EQ(rig.rx->interrupts(), 2u);
}

// A bus error on the destination: the callback reports a write failure; after
// terminate_all the channels work again.
TEST_P(DmaEngineAesTest, BusErrorReportsTransferErrorAndChannelRecovers) {
  Bench b(GetParam());
  Kernel& k = b.k();
  AesRig rig(b);
  const auto key = random_bytes(16, 5);
  const auto plain = random_bytes(128, 6);
  DmaengineResult bad, good;
  bool halted = false;
  std::vector<std::uint8_t> cipher;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    const std::uint64_t src = k.kmalloc(128), dst = k.kmalloc(128);
    place_bytes(k, src, plain);
    b.platform->bus.inject_bus_error(dst, 128);
    Scatterlist in = sg_init_one(src, 128), out = sg_init_one(dst, 128);
    rig.aes_ecb_encrypt(key, 128);
    bad = rig.run(in, out);
    halted = rig.rx->halted();
    EXPECT_EQ(rig.dma.dmaengine_terminate_all(rig.rx), 0);
    EXPECT_EQ(rig.dma.dmaengine_terminate_all(rig.tx), 0);
    b.platform->bus.clear_bus_errors();
    rig.aes_reset();
    rig.aes_ecb_encrypt(key, 128);
    good = rig.run(in, out);
    cipher = fetch_bytes(k, dst, 128);
  });
  sc_core::sc_start(sc_time(4, SC_MS));
  EXPECT_EQ(bad.result, DmaTxResult::WriteFailed);
  EXPECT_GT(bad.residue, 0u);
  EXPECT_TRUE(halted);
  EXPECT_EQ(rig.rx->errors(), 1u);
  EXPECT_FALSE(rig.rx->halted());
  EXPECT_EQ(good.result, DmaTxResult::NoError);
  EXPECT_EQ(cipher, openssl_ecb_encrypt(key, plain));
}

INSTANTIATE_TEST_SUITE_P(Modes, DmaEngineAesTest, ::testing::Values("accurate", "fast"));

TEST(DmaEngineTest, PrepRejectsUnmappedOrPartialFrames) {
  Bench b;
  Kernel& k = b.k();
  AesRig rig(b);
  DmaAsyncTxDescriptor* unmapped = reinterpret_cast<DmaAsyncTxDescriptor*>(1);
  DmaAsyncTxDescriptor* partial = reinterpret_cast<DmaAsyncTxDescriptor*>(1);
  DmaAsyncTxDescriptor* wrong_dir = reinterpret_cast<DmaAsyncTxDescriptor*>(1);
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    rig.setup();
    Scatterlist sg = sg_init_one(k.kmalloc(64), 64);
    unmapped = rig.dma.dmaengine_prep_slave_sg(rig.tx, sg, DmaTransferDirection::MemToDev);
    Scatterlist odd = sg_init_one(k.kmalloc(40), 40);
    dma_map_sg(k, odd, DmaDataDirection::ToDevice);
    partial = rig.dma.dmaengine_prep_slave_sg(rig.tx, odd, DmaTransferDirection::MemToDev);
    dma_map_sg(k, sg, DmaDataDirection::ToDevice);
    wrong_dir = rig.dma.dmaengine_prep_slave_sg(rig.tx, sg, DmaTransferDirection::DevToMem);
  });
  sc_core::sc_start(us(100));
  EXPECT_EQ(unmapped, nullptr);
  EXPECT_EQ(partial, nullptr);
  EXPECT_EQ(wrong_dir, nullptr);
}

// dma_get_max_seg_size: the sDMA counts frames in 16 bits (CFN, shared/reference/sdma.md), so
// with one 16-byte frame per request (4-byte elements, burst 4) an entry holds at most
// 65535 x 16 bytes; one byte more is refused by prep_slave_sg.
TEST(DmaEngineTest, MaxSegmentSizeFollowsTheFrameCounter) {
  Bench b;
  Kernel& k = b.k();
  AesRig rig(b);
  std::uint32_t max_seg = 0;
  DmaAsyncTxDescriptor* at_limit = nullptr;
  DmaAsyncTxDescriptor* over = reinterpret_cast<DmaAsyncTxDescriptor*>(1);
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    rig.setup();
    max_seg = rig.dma.dma_get_max_seg_size(rig.tx);
    const std::uint64_t buf = k.kmalloc(65536u * 16u);
    Scatterlist ok = sg_init_one(buf, 65535u * 16u);
    dma_map_sg(k, ok, DmaDataDirection::ToDevice);
    at_limit = rig.dma.dmaengine_prep_slave_sg(rig.tx, ok, DmaTransferDirection::MemToDev);
    Scatterlist big = sg_init_one(buf, 65536u * 16u);
    dma_map_sg(k, big, DmaDataDirection::ToDevice);
    over = rig.dma.dmaengine_prep_slave_sg(rig.tx, big, DmaTransferDirection::MemToDev);
  });
  sc_core::sc_start(us(50000));  // mapping 2 x 1 MiB costs milliseconds of cache maintenance
  EXPECT_EQ(max_seg, 65535u * 16u);
  EXPECT_NE(at_limit, nullptr);
  EXPECT_EQ(over, nullptr);
}

}  // namespace
}  // namespace aesvp::kernel::testing
