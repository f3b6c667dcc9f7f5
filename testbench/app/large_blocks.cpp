// Large blocks of the global operator new on transparent huge pages.
//
// Why: a first touch of a 4 KiB page costs ~9 us of host time in the VMs this runs on, and
// libsystemc's static initialiser (sc_core::sc_temp_heap, an sc_byte_heap) does
// `new char[0x300000]` and memsets it before main: 768 page faults, ~7 ms of every start-up
// (docs/performance.md, "Start-up"). The global allocation functions are replaceable, and the
// executable's definitions are the ones libsystemc's calls bind to, so blocks of 1 MiB or
// more come from 2 MiB-aligned mappings advised MADV_HUGEPAGE (Debian's THP mode is
// "madvise"): the same memset then takes two huge-page faults. Smaller blocks (SystemC thread
// stacks, everything per transaction) stay with malloc.
//
// A delete tells the two kinds apart by the 2 MiB alignment first (malloc never returns such
// an address in practice, and when it does the table below says so), then by a small table of
// live mapped blocks. Everything here is constant-initialised: it runs before any constructor.
//
// Left out under ASan/TSan/MSan, which replace the allocator themselves.

#include "testbench/app/large_blocks.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define AESVP_LARGE_BLOCKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define AESVP_LARGE_BLOCKS 0
#endif
#endif
#ifndef AESVP_LARGE_BLOCKS
#define AESVP_LARGE_BLOCKS 1
#endif

#if AESVP_LARGE_BLOCKS

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
static_assert(aesvp::large_blocks::kThreshold <= kHugePage);

struct Block {
  std::uintptr_t start;
  std::size_t length;
};

// A handful are live at once (the SystemC temp heap, image buffers); when the table is
// full a block simply comes from malloc.
constexpr std::size_t kSlots = 64;
Block g_blocks[kSlots];
std::size_t g_live = 0;
std::mutex g_mutex;

bool on_huge_boundary(std::uintptr_t address) { return (address & (kHugePage - 1)) == 0; }

std::uintptr_t round_up(std::uintptr_t value) { return (value + kHugePage - 1) & ~(kHugePage - 1); }

bool remember(std::uintptr_t start, std::size_t length) {
  const std::lock_guard<std::mutex> lock(g_mutex);
  for (Block& b : g_blocks) {
    if (b.start == 0) {
      b = {start, length};
      ++g_live;
      return true;
    }
  }
  return false;
}

// The mapped length of a live block starting at `start`, after dropping it; 0 if none.
std::size_t forget(std::uintptr_t start) {
  const std::lock_guard<std::mutex> lock(g_mutex);
  for (Block& b : g_blocks) {
    if (b.start == start) {
      const std::size_t length = b.length;
      b = {0, 0};
      --g_live;
      return length;
    }
  }
  return 0;
}

// A 2 MiB-aligned mapping of `size` bytes rounded up to whole huge pages, or nullptr.
void* map_huge(std::size_t size) {
  if (size > SIZE_MAX / 2) return nullptr;
  const std::size_t length = round_up(size);
  const std::size_t span = length + kHugePage;  // room to align the start
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto base = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t start = round_up(base);
  if (start > base) munmap(raw, start - base);
  const std::uintptr_t tail = start + length;
  if (base + span > tail) munmap(reinterpret_cast<void*>(tail), base + span - tail);
  void* block = reinterpret_cast<void*>(start);
  madvise(block, length, MADV_HUGEPAGE);  // advice: without it the pages are ordinary ones
  if (!remember(start, length)) {
    munmap(block, length);
    return nullptr;
  }
  return block;
}

void* allocate(std::size_t size, std::size_t alignment) noexcept {
  if (size >= aesvp::large_blocks::kThreshold && alignment <= kHugePage) {
    if (void* block = map_huge(size)) return block;
  }
  if (size == 0) size = 1;  // distinct non-null pointers for zero-sized requests
  if (alignment <= alignof(std::max_align_t)) return std::malloc(size);
  void* block = nullptr;
  if (alignment < sizeof(void*)) alignment = sizeof(void*);
  return posix_memalign(&block, alignment, size) == 0 ? block : nullptr;
}

// Deletes of 2 MiB-aligned addresses (and of nullptr) only: a mapped block or malloc's.
[[gnu::noinline]] void release_aligned(void* block) noexcept {
  if (block == nullptr) return;
  if (const std::size_t length = forget(reinterpret_cast<std::uintptr_t>(block))) {
    munmap(block, length);
    return;
  }
  std::free(block);
}

// The hot path of every delete: one test, then free (the replaced library one is as short).
inline void release(void* block) noexcept {
  if (!on_huge_boundary(reinterpret_cast<std::uintptr_t>(block))) return std::free(block);
  release_aligned(block);
}

// The throwing forms: the standard's loop over the new-handler.
[[gnu::noinline]] void* allocate_or_throw(std::size_t size, std::size_t alignment) {
  for (;;) {
    if (void* block = allocate(size, alignment)) return block;
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

// The hot path of every plain new: malloc, unless the block is large or malloc fails.
inline void* allocate_plain(std::size_t size) {
  if (size < aesvp::large_blocks::kThreshold) {
    if (void* block = std::malloc(size)) return block;
  }
  return allocate_or_throw(size, __STDCPP_DEFAULT_NEW_ALIGNMENT__);
}

void* allocate_or_null(std::size_t size, std::size_t alignment) noexcept {
  try {
    return allocate_or_throw(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

constexpr std::size_t kDefault = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

}  // namespace

void* operator new(std::size_t n) { return allocate_plain(n); }
void* operator new[](std::size_t n) { return allocate_plain(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return allocate_or_null(n, kDefault);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return allocate_or_null(n, kDefault);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate_or_null(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate_or_null(n, static_cast<std::size_t>(a));
}

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }

namespace aesvp::large_blocks {
bool enabled() { return true; }
std::size_t live() {
  const std::lock_guard<std::mutex> lock(g_mutex);
  return g_live;
}
}  // namespace aesvp::large_blocks

#else  // a sanitizer's allocator

namespace aesvp::large_blocks {
bool enabled() { return false; }
std::size_t live() { return 0; }
}  // namespace aesvp::large_blocks

#endif
