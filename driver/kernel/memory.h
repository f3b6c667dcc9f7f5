// Simulated-DRAM allocation and scatterlists (SystemC-free).
//  - DramAllocator: first-fit allocator over an address range with alignment, free with
//    coalescing, exhaustion -> 0 (the NULL of simulated memory; DRAM never starts at 0).
//  - Scatterlist: struct scatterlist entries over simulated addresses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace aesvp::kernel {

class DramAllocator {
 public:
  DramAllocator(std::uint64_t base, std::uint64_t size);

  // `align` must be a power of two. Returns 0 when no free range fits (or size == 0).
  std::uint64_t alloc(std::size_t size, std::size_t align);
  // Frees a block returned by alloc; false (and no effect) for an unknown address.
  bool free(std::uint64_t addr);
  std::size_t size_of(std::uint64_t addr) const;  // 0 if not allocated

  std::uint64_t base() const { return base_; }
  std::uint64_t size() const { return size_; }
  std::uint64_t bytes_in_use() const { return in_use_; }
  std::size_t allocations() const { return used_.size(); }
  std::uint64_t largest_free() const;

 private:
  std::uint64_t base_, size_;
  std::map<std::uint64_t, std::uint64_t> free_;  // start -> length, coalesced
  std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> used_;  // addr -> (block start, block length)
  std::uint64_t in_use_ = 0;
};

// struct scatterlist: one contiguous piece of simulated memory. dma_address / dma_length are
// set by dma_map_sg (equal to the CPU address: no IOMMU on OMAP4's sDMA path).
struct ScatterlistEntry {
  std::uint64_t address = 0;
  std::uint32_t length = 0;
  std::uint64_t dma_address = 0;
  std::uint32_t dma_length = 0;
};

class Scatterlist {
 public:
  Scatterlist() = default;
  explicit Scatterlist(std::size_t nents) : e_(nents) {}  // sg_init_table

  std::vector<ScatterlistEntry>& entries() { return e_; }
  const std::vector<ScatterlistEntry>& entries() const { return e_; }
  ScatterlistEntry& operator[](std::size_t i) { return e_.at(i); }
  const ScatterlistEntry& operator[](std::size_t i) const { return e_.at(i); }
  void push_back(std::uint64_t address, std::uint32_t length) {
    e_.push_back({address, length, 0, 0});
  }
  // No entries; the storage is kept for the next list built in it.
  void clear() { e_.clear(); }

 private:
  std::vector<ScatterlistEntry> e_;
};

inline Scatterlist sg_init_one(std::uint64_t address, std::uint32_t length) {
  Scatterlist sg(1);
  sg[0].address = address;
  sg[0].length = length;
  return sg;
}
inline void sg_init_table(Scatterlist& sg, std::size_t nents) { sg = Scatterlist(nents); }
inline void sg_set_buf(ScatterlistEntry& e, std::uint64_t address, std::uint32_t length) {
  e.address = address;
  e.length = length;
}
inline std::size_t sg_nents(const Scatterlist& sg) { return sg.entries().size(); }
// Total CPU length of all entries.
std::uint64_t sg_total_len(const Scatterlist& sg);
// sg_nents_for_len: entries needed to cover `len` bytes; -EINVAL (-22) if too short.
int sg_nents_for_len(const Scatterlist& sg, std::uint64_t len);
inline std::uint64_t sg_dma_address(const ScatterlistEntry& e) { return e.dma_address; }
inline std::uint32_t sg_dma_len(const ScatterlistEntry& e) { return e.dma_length; }

}  // namespace aesvp::kernel
