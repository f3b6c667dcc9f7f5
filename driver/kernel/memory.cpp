#include "driver/kernel/memory.h"

#include <algorithm>
#include <iterator>

namespace aesvp::kernel {

DramAllocator::DramAllocator(std::uint64_t base, std::uint64_t size) : base_(base), size_(size) {
  if (size > 0) free_[base] = size;
}

std::uint64_t DramAllocator::alloc(std::size_t size, std::size_t align) {
  if (size == 0 || align == 0 || (align & (align - 1)) != 0) return 0;
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    const std::uint64_t start = it->first, len = it->second;
    const std::uint64_t addr = (start + align - 1) & ~(std::uint64_t{align} - 1);
    if (addr < start || addr - start + size > len) continue;
    // Split: [start, addr) stays free, [addr, addr+size) is used, the rest stays free.
    const std::uint64_t end = start + len;
    free_.erase(it);
    if (addr > start) free_[start] = addr - start;
    if (addr + size < end) free_[addr + size] = end - (addr + size);
    used_[addr] = {addr, size};
    in_use_ += size;
    return addr;
  }
  return 0;
}

bool DramAllocator::free(std::uint64_t addr) {
  auto u = used_.find(addr);
  if (u == used_.end()) return false;
  std::uint64_t start = u->second.first, len = u->second.second;
  in_use_ -= len;
  used_.erase(u);
  auto next = free_.lower_bound(start);
  if (next != free_.end() && next->first == start + len) {
    len += next->second;
    next = free_.erase(next);
  }
  if (next != free_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == start) {
      start = prev->first;
      len += prev->second;
      free_.erase(prev);
    }
  }
  free_[start] = len;
  return true;
}

std::size_t DramAllocator::size_of(std::uint64_t addr) const {
  auto u = used_.find(addr);
  return u == used_.end() ? 0 : static_cast<std::size_t>(u->second.second);
}

std::uint64_t DramAllocator::largest_free() const {
  std::uint64_t m = 0;
  for (const auto& f : free_) m = std::max(m, f.second);
  return m;
}

std::uint64_t sg_total_len(const Scatterlist& sg) {
  std::uint64_t t = 0;
  for (const auto& e : sg.entries()) t += e.length;
  return t;
}

int sg_nents_for_len(const Scatterlist& sg, std::uint64_t len) {
  if (len == 0) return 0;
  int n = 0;
  std::uint64_t t = 0;
  for (const auto& e : sg.entries()) {
    ++n;
    t += e.length;
    if (t >= len) return n;
  }
  return -22;
}

}  // namespace aesvp::kernel
