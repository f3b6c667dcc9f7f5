// DRAM allocator, scatterlists, DMA mapping costs, charged copies.
#include "driver/kernel/dma_mapping.h"
#include "driver/kernel/memory.h"
#include "driver/kernel/tests/kernel_test_support.h"

#include <gtest/gtest.h>

#include <numeric>

namespace aesvp::kernel::testing {
namespace {

TEST(DramAllocatorTest, AlignmentExhaustionReuse) {
  DramAllocator a(0x80000000, 0x10000);
  const std::uint64_t x = a.alloc(100, 64);
  const std::uint64_t y = a.alloc(10, 4096);
  const std::uint64_t z = a.alloc(1, 8);
  ASSERT_NE(x, 0u);
  ASSERT_NE(y, 0u);
  ASSERT_NE(z, 0u);
  EXPECT_EQ(x % 64, 0u);
  EXPECT_EQ(y % 4096, 0u);
  EXPECT_EQ(z % 8, 0u);
  EXPECT_GE(z, x + 100);  // the gap before y is used for z, not overlapping x
  EXPECT_EQ(a.allocations(), 3u);
  EXPECT_EQ(a.bytes_in_use(), 111u);
  // Exhaustion: more than what is left -> NULL.
  EXPECT_EQ(a.alloc(0x10000, 8), 0u);
  EXPECT_EQ(a.alloc(0, 8), 0u);
  EXPECT_EQ(a.alloc(8, 3), 0u);  // not a power of two
  // Free and reuse: everything coalesces back into one range.
  EXPECT_TRUE(a.free(y));
  EXPECT_FALSE(a.free(y));
  EXPECT_TRUE(a.free(x));
  EXPECT_TRUE(a.free(z));
  EXPECT_EQ(a.bytes_in_use(), 0u);
  EXPECT_EQ(a.largest_free(), 0x10000u);
  EXPECT_EQ(a.alloc(0x10000, 4096), 0x80000000u);
  EXPECT_EQ(a.alloc(1, 1), 0u);
}

TEST(ScatterlistTest, Helpers) {
  Scatterlist one = sg_init_one(0x80001000, 256);
  EXPECT_EQ(sg_nents(one), 1u);
  EXPECT_EQ(sg_total_len(one), 256u);
  Scatterlist sg;
  sg_init_table(sg, 3);
  sg_set_buf(sg[0], 0x80000000, 64);
  sg_set_buf(sg[1], 0x80002000, 32);
  sg_set_buf(sg[2], 0x80004000, 160);
  EXPECT_EQ(sg_nents(sg), 3u);
  EXPECT_EQ(sg_total_len(sg), 256u);
  EXPECT_EQ(sg_nents_for_len(sg, 64), 1);
  EXPECT_EQ(sg_nents_for_len(sg, 65), 2);
  EXPECT_EQ(sg_nents_for_len(sg, 257), -kEINVAL);
}

TEST(KernelMemoryTest, KmallocCoherentAndCosts) {
  Bench b;
  Kernel& k = b.k();
  std::uint64_t a = 0, c = 0, handle = 0, huge = 1;
  sc_time t_kmalloc;
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    a = k.kmalloc(100);
    t_kmalloc = k.now();
    c = k.dma_alloc_coherent(100, &handle);
    huge = k.kmalloc(std::size_t{1} << 40);
    k.kfree(a);
    k.dma_free_coherent(c);
  });
  sc_core::sc_start(us(100));
  EXPECT_NE(a, 0u);
  EXPECT_EQ(a % Kernel::kKmallocMinAlign, 0u);
  EXPECT_GE(a, b.platform->dram_base());
  EXPECT_EQ(c % Kernel::kPageSize, 0u);
  EXPECT_EQ(handle, c);
  EXPECT_EQ(huge, 0u);
  EXPECT_EQ(t_kmalloc, b.cyc(b.kp().kmalloc_cycles));
  EXPECT_EQ(k.allocator().bytes_in_use(), 0u);
}

class DmaMapTest : public ::testing::TestWithParam<DmaDataDirection> {};

// dma_map_sg / dma_unmap_sg charge exactly the documented cost for the direction.
TEST_P(DmaMapTest, ChargesCacheMaintenancePerByte) {
  Bench b;
  Kernel& k = b.k();
  const DmaDataDirection dir = GetParam();
  Scatterlist sg;
  sg.push_back(0x80010000, 4096);
  sg.push_back(0x80020000, 1024);
  int n = 0;
  sc_time t_map, t_unmap;
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    n = dma_map_sg(k, sg, dir);
    t_map = k.now();
    dma_unmap_sg(k, sg, dir);
    t_unmap = k.now() - t_map;
  });
  sc_core::sc_start(us(100));
  const KernelParams& p = b.kp();
  EXPECT_EQ(n, 2);
  EXPECT_EQ(sg_dma_address(sg[1]), 0x80020000u);
  EXPECT_EQ(sg_dma_len(sg[1]), 1024u);
  double per_byte = 0, unmap_per_byte = 0;
  if (dir == DmaDataDirection::ToDevice) per_byte = p.cache_clean_cycles_per_byte;
  if (dir == DmaDataDirection::FromDevice)
    per_byte = unmap_per_byte = p.cache_invalidate_cycles_per_byte;
  if (dir == DmaDataDirection::Bidirectional) {
    per_byte = p.cache_clean_cycles_per_byte + p.cache_invalidate_cycles_per_byte;
    unmap_per_byte = p.cache_invalidate_cycles_per_byte;
  }
  const double fixed = p.dma_map_sg_cycles + 2.0 * p.dma_map_entry_cycles;
  EXPECT_EQ(t_map, b.cyc(fixed + per_byte * 5120));
  EXPECT_EQ(t_unmap, b.cyc(fixed + unmap_per_byte * 5120));
  EXPECT_EQ(t_map, b.cyc(dma_map_sg_cost(p, sg, dir)));
}

INSTANTIATE_TEST_SUITE_P(Directions, DmaMapTest,
                         ::testing::Values(DmaDataDirection::ToDevice,
                                           DmaDataDirection::FromDevice,
                                           DmaDataDirection::Bidirectional));

TEST(KernelMemoryTest, SoftwareCopiesAreChargedPlacementIsNot) {
  Bench b;
  Kernel& k = b.k();
  std::vector<std::uint8_t> data(300);
  std::iota(data.begin(), data.end(), 0);
  std::vector<std::uint8_t> out, host(300);
  sc_time t_place, t_copy;
  std::size_t copied = 0;
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    const std::uint64_t src = k.allocator().alloc(300, 64);
    const std::uint64_t bounce = k.allocator().alloc(300, 64);
    Scatterlist sg;
    sg.push_back(src, 100);
    sg.push_back(src + 100, 200);
    const sc_time t0 = k.now();
    place_bytes(k, src, data);
    t_place = k.now() - t0;
    copied = sg_copy_to_buffer(k, sg, bounce, 300);
    t_copy = k.now() - t0;
    copy_to_host(k, host.data(), bounce, 300);
    out = fetch_bytes(k, bounce, 300);
  });
  sc_core::sc_start(us(100));
  EXPECT_EQ(t_place, SC_ZERO_TIME);
  EXPECT_EQ(copied, 300u);
  EXPECT_EQ(t_copy, b.cyc(memcpy_cost(b.kp(), 300, 2)));
  EXPECT_EQ(out, data);
  EXPECT_EQ(host, data);
}

}  // namespace
}  // namespace aesvp::kernel::testing
