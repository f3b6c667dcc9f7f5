// The replacement operator new/delete (large_blocks.cpp): blocks of 1 MiB or more are
// 2 MiB-aligned huge-page-advised mappings that every delete form gives back; smaller ones,
// over-aligned ones and failures behave as the standard says.
#include "testbench/app/large_blocks.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <sstream>
#include <string>

namespace aesvp {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

bool huge_aligned(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % kHugePage == 0; }

// The VmFlags line of the mapping holding `address` in /proc/self/smaps ("" if none).
std::string vm_flags_of(std::uintptr_t address) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0;
    std::uintptr_t hi = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= address && address < hi;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

class LargeBlocks : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!large_blocks::enabled()) GTEST_SKIP() << "sanitizer build: the allocator is its own";
  }
};

TEST_F(LargeBlocks, LargeArrayIsAHugePageAdvisedMappingAndGoesBack) {
  const std::size_t before = large_blocks::live();
  char* block = new char[0x300000];  // what libsystemc's sc_temp_heap asks for
  const auto address = reinterpret_cast<std::uintptr_t>(block);
  EXPECT_TRUE(huge_aligned(block));
  EXPECT_EQ(large_blocks::live(), before + 1);
  EXPECT_NE(vm_flags_of(address).find(" hg"), std::string::npos) << vm_flags_of(address);
  std::memset(block, 0x5a, 0x300000);  // all of it is writable
  EXPECT_EQ(block[0x2fffff], 0x5a);
  delete[] block;
  EXPECT_EQ(large_blocks::live(), before);
  EXPECT_EQ(vm_flags_of(address), "");  // unmapped
}

TEST_F(LargeBlocks, EveryDeleteFormReleasesALargeBlock) {
  const std::size_t before = large_blocks::live();
  const std::size_t n = large_blocks::kThreshold;
  void* a = ::operator new(n);
  void* b = ::operator new[](n, std::nothrow);
  void* c = ::operator new(n, std::align_val_t{4096});
  void* d = ::operator new[](n + 1, std::align_val_t{64}, std::nothrow);
  for (void* p : {a, b, c, d}) EXPECT_TRUE(huge_aligned(p));
  EXPECT_EQ(large_blocks::live(), before + 4);
  ::operator delete(a, n);
  ::operator delete[](b, std::nothrow);
  ::operator delete(c, n, std::align_val_t{4096});
  ::operator delete[](d, std::align_val_t{64});
  EXPECT_EQ(large_blocks::live(), before);
}

TEST_F(LargeBlocks, SmallAndOverAlignedBlocksStayWithMalloc) {
  const std::size_t before = large_blocks::live();
  auto small = std::make_unique<char[]>(large_blocks::kThreshold - 1);
  EXPECT_EQ(large_blocks::live(), before);
  void* zero = ::operator new(0);
  void* zero2 = ::operator new(0);
  EXPECT_NE(zero, nullptr);
  EXPECT_NE(zero, zero2);
  ::operator delete(zero);
  ::operator delete(zero2);
  // An alignment beyond a huge page is served by posix_memalign, not by a mapping.
  const std::align_val_t big_align{kHugePage * 2};
  void* wide = ::operator new(large_blocks::kThreshold, big_align);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(wide) % (kHugePage * 2), 0u);
  EXPECT_EQ(large_blocks::live(), before);
  ::operator delete(wide, big_align);
  void* odd = ::operator new(24, std::align_val_t{256});
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(odd) % 256, 0u);
  ::operator delete(odd, std::align_val_t{256});
}

TEST_F(LargeBlocks, DeletingNullChangesNothing) {
  // nullptr is 2 MiB-aligned too; it must not match a free slot of the block table.
  const std::size_t before = large_blocks::live();
  char* block = new char[large_blocks::kThreshold];
  EXPECT_TRUE(huge_aligned(block));  // also keeps the new/delete pair from being elided
  ::operator delete(nullptr);
  ::operator delete[](nullptr, std::size_t{16});
  ::operator delete(nullptr, std::align_val_t{64});
  EXPECT_EQ(large_blocks::live(), before + 1);
  delete[] block;
  EXPECT_EQ(large_blocks::live(), before);
}

TEST_F(LargeBlocks, ImpossibleSizesThrowOrGiveNull) {
  volatile std::size_t too_big = SIZE_MAX - 4096;  // volatile: not a compile-time warning
  const std::size_t absurd = too_big;
  EXPECT_THROW((void)::operator new(absurd), std::bad_alloc);
  EXPECT_THROW((void)::operator new[](absurd, std::align_val_t{64}), std::bad_alloc);
  EXPECT_EQ(::operator new(absurd, std::nothrow), nullptr);
  EXPECT_EQ(::operator new[](absurd, std::align_val_t{64}, std::nothrow), nullptr);
}

TEST_F(LargeBlocks, ManyLiveBlocksOverflowTheTableIntoMalloc) {
  // More blocks than the table has slots: the rest come from malloc, all are released.
  const std::size_t before = large_blocks::live();
  std::unique_ptr<char[]> blocks[80];
  for (auto& b : blocks) b.reset(new char[large_blocks::kThreshold]);  // never touched
  EXPECT_GT(large_blocks::live(), before);
  EXPECT_LE(large_blocks::live(), 64u);
  for (auto& b : blocks) b.reset();
  EXPECT_EQ(large_blocks::live(), before);
}

}  // namespace
}  // namespace aesvp
