// DMA engine over the sDMA: memory -> AES (ECB) -> memory through two slave channels,
// compared with OpenSSL; multi-entry scatterlists; an injected bus error.
#include "driver/kernel/omap_dma.h"
#include "driver/kernel/tests/dma_aes_rig.h"
#include "driver/kernel/tests/kernel_test_support.h"

#include <gtest/gtest.h>

namespace aesvp::kernel::testing {
namespace {

// The rig over the sDMA provider of the omap4 platform.
struct OmapDmaHolder {
  OmapDma omap;
  explicit OmapDmaHolder(Kernel& k) : omap(k) {}
};
struct AesRig : OmapDmaHolder, DmaAesRig {
  explicit AesRig(Bench& b) : OmapDmaHolder(b.k()), DmaAesRig(b.k(), omap, b.platform->aes_resources(0)) {}
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

// Entries of different sizes on both sides, each entry in its own buffer. With descriptor
// lists (CAPS_0, the default) each side is one list: one interrupt per channel; without them
// each entry is programmed from the previous entry's BLOCK interrupt.
void multi_entry(const char* mode, bool linked_list) {
  Bench b(mode, {}, "omap4", linked_list);
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
  auto& omap = static_cast<OmapDma&>(rig.dma);
  EXPECT_EQ(omap.linked_lists(), linked_list);
  EXPECT_EQ(rig.tx->interrupts(), linked_list ? 1u : 3u);
  EXPECT_EQ(rig.rx->interrupts(), linked_list ? 1u : 2u);
  EXPECT_EQ(omap.list_transfers(), linked_list ? 2u : 0u);
  EXPECT_EQ(omap.entry_transfers(), linked_list ? 0u : 2u);
  EXPECT_EQ(k.mmio_faults(), 0u);
}

TEST_P(DmaEngineAesTest, MultiEntryScatterlistAsDescriptorList) { multi_entry(GetParam(), true); }
// Descriptors are reused once their callback has run (DmaEngine::retire): a list transfer,
// a single-entry one on the retired descriptors, then a list again - each as with new ones.
TEST_P(DmaEngineAesTest, RetiredDescriptorsAreReusedAsNew) {
  Bench b(GetParam(), {}, "omap4", true);
  Kernel& k = b.k();
  AesRig rig(b);
  const auto key = random_bytes(16, 5);
  const auto plain = random_bytes(256, 6);
  std::vector<std::vector<std::uint8_t>> ciphers;
  std::vector<DmaTxResult> results;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    for (int round = 0; round < 3; ++round) {
      Scatterlist in, out;
      if (round == 1) {
        in = sg_init_one(k.kmalloc(256), 256);
        out = sg_init_one(k.kmalloc(256), 256);
      } else {
        for (std::uint32_t len : {64u, 32u, 160u}) in.push_back(k.kmalloc(len), len);
        for (std::uint32_t len : {128u, 128u}) out.push_back(k.kmalloc(len), len);
      }
      sg_place_bytes(k, in, plain);
      rig.aes_ecb_encrypt(key, 256);
      results.push_back(rig.run(in, out).result);
      ciphers.push_back(sg_fetch_bytes(k, out));
    }
  });
  sc_core::sc_start(sc_time(6, SC_MS));
  ASSERT_EQ(results.size(), 3u);
  for (unsigned r = 0; r < 3; ++r) {
    EXPECT_EQ(results[r], DmaTxResult::NoError) << r;
    EXPECT_EQ(ciphers[r], openssl_ecb_encrypt(key, plain)) << r;
  }
  auto& omap = static_cast<OmapDma&>(rig.dma);
  EXPECT_EQ(omap.list_transfers(), 4u);  // rounds 0 and 2, both sides
  EXPECT_EQ(rig.tx->completed(), 3u);
  EXPECT_EQ(rig.rx->completed(), 3u);
  EXPECT_EQ(k.mmio_faults(), 0u);
}

TEST_P(DmaEngineAesTest, MultiEntryScatterlistEntryByEntry) { multi_entry(GetParam(), false); }

// A bus error while the sDMA fetches the output list's descriptors: the callback reports a
// failure with the whole list as residue (nothing hangs); after terminate_all and with the
// error gone the same lists run through.
TEST_P(DmaEngineAesTest, BusErrorOnADescriptorFetchFailsTheTransfer) {
  Bench b(GetParam());
  Kernel& k = b.k();
  AesRig rig(b);
  const auto key = random_bytes(16, 7);
  const auto plain = random_bytes(128, 8);
  DmaengineResult first, bad, good;
  bool halted = false;
  std::vector<std::uint8_t> cipher;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    Scatterlist in, out;
    for (std::uint32_t len : {64u, 64u}) in.push_back(k.kmalloc(len), len);
    for (std::uint32_t len : {32u, 96u}) out.push_back(k.kmalloc(len), len);
    sg_place_bytes(k, in, plain);
    rig.aes_ecb_encrypt(key, 128);
    first = rig.run(in, out);  // allocates the descriptor pools
    auto& omap = static_cast<OmapDma&>(rig.dma);
    ASSERT_EQ(omap.descriptor_pages(*rig.rx).size(), 1u);
    const std::uint64_t page = omap.descriptor_pages(*rig.rx).front();
    b.platform->bus.inject_bus_error(page, Kernel::kPageSize);
    rig.aes_reset();
    rig.aes_ecb_encrypt(key, 128);
    bad = rig.run(in, out);
    halted = rig.rx->halted();
    good = rig.recover_and_rerun(in, out, key, 128, [&] { b.platform->bus.clear_bus_errors(); });
    cipher = sg_fetch_bytes(k, out);
  });
  sc_core::sc_start(sc_time(6, SC_MS));
  EXPECT_EQ(first.result, DmaTxResult::NoError);
  EXPECT_EQ(bad.result, DmaTxResult::WriteFailed);
  EXPECT_EQ(bad.residue, 128u);
  EXPECT_TRUE(halted);
  EXPECT_EQ(good.result, DmaTxResult::NoError);
  EXPECT_EQ(cipher, openssl_ecb_encrypt(key, plain));
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
    good = rig.recover_and_rerun(in, out, key, 128, [&] { b.platform->bus.clear_bus_errors(); });
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
