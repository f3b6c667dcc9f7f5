#include "driver/kernel/dma_mapping.h"

#include <algorithm>

namespace aesvp::kernel {

const char* to_string(DmaDataDirection d) {
  switch (d) {
    case DmaDataDirection::Bidirectional: return "bidirectional";
    case DmaDataDirection::ToDevice: return "to-device";
    case DmaDataDirection::FromDevice: return "from-device";
    case DmaDataDirection::None: return "none";
  }
  return "?";
}

namespace {

// Zero-time access through the CPU's memory port (DMI or debug transport).
ExecContext& memory_port(Kernel& k) {
  ExecContext* c = k.current();
  return c != nullptr ? *c : k.cpu().hardirq_context(0);
}

}  // namespace

double dma_map_sg_cost(const KernelParams& p, const Scatterlist& sg, DmaDataDirection dir) {
  const double bytes = static_cast<double>(sg_total_len(sg));
  double per_byte = 0;
  switch (dir) {
    case DmaDataDirection::ToDevice: per_byte = p.cache_clean_cycles_per_byte; break;
    case DmaDataDirection::FromDevice: per_byte = p.cache_invalidate_cycles_per_byte; break;
    case DmaDataDirection::Bidirectional:
      per_byte = p.cache_clean_cycles_per_byte + p.cache_invalidate_cycles_per_byte;
      break;
    case DmaDataDirection::None: break;
  }
  return p.dma_map_sg_cycles + p.dma_map_entry_cycles * static_cast<double>(sg_nents(sg)) +
         per_byte * bytes;
}

double dma_unmap_sg_cost(const KernelParams& p, const Scatterlist& sg, DmaDataDirection dir) {
  const double bytes = static_cast<double>(sg_total_len(sg));
  const double per_byte = dir == DmaDataDirection::FromDevice ||
                                  dir == DmaDataDirection::Bidirectional
                              ? p.cache_invalidate_cycles_per_byte
                              : 0.0;
  return p.dma_map_sg_cycles + p.dma_map_entry_cycles * static_cast<double>(sg_nents(sg)) +
         per_byte * bytes;
}

int dma_map_sg(Kernel& k, Scatterlist& sg, DmaDataDirection dir) {
  if (sg_nents(sg) == 0 || dir == DmaDataDirection::None) return 0;
  k.charge_cycles(dma_map_sg_cost(k.params(), sg, dir));
  for (auto& e : sg.entries()) {
    e.dma_address = e.address;
    e.dma_length = e.length;
  }
  return static_cast<int>(sg_nents(sg));
}

void dma_unmap_sg(Kernel& k, Scatterlist& sg, DmaDataDirection dir) {
  if (sg_nents(sg) == 0 || dir == DmaDataDirection::None) return;
  k.charge_cycles(dma_unmap_sg_cost(k.params(), sg, dir));
}

std::uint64_t dma_map_single(Kernel& k, std::uint64_t addr, std::size_t len,
                             DmaDataDirection dir) {
  Scatterlist sg = sg_init_one(addr, static_cast<std::uint32_t>(len));
  return dma_map_sg(k, sg, dir) == 1 ? sg_dma_address(sg[0]) : 0;
}

void dma_unmap_single(Kernel& k, std::uint64_t dma_addr, std::size_t len, DmaDataDirection dir) {
  Scatterlist sg = sg_init_one(dma_addr, static_cast<std::uint32_t>(len));
  dma_unmap_sg(k, sg, dir);
}

double memcpy_cost(const KernelParams& p, std::size_t len, std::size_t pieces) {
  return p.memcpy_call_cycles * static_cast<double>(pieces) +
         p.memcpy_cycles_per_byte * static_cast<double>(len);
}

bool sim_memcpy(Kernel& k, std::uint64_t dst, std::uint64_t src, std::size_t len) {
  k.charge_cycles(memcpy_cost(k.params(), len));
  std::vector<std::uint8_t> tmp(len);
  ExecContext& m = memory_port(k);
  return m.read_memory(src, tmp.data(), len) && m.write_memory(dst, tmp.data(), len);
}

namespace {

// The one scatterlist walker: calls `piece(address, buffer_offset, n)` for each contiguous
// piece of the bytes [skip, skip + len) of `sg`, in order, until `piece` returns false. Returns
// the bytes covered and counts the pieces.
template <typename Piece>
std::size_t sg_walk(const Scatterlist& sg, std::uint64_t skip, std::size_t len,
                    std::size_t& pieces, Piece&& piece) {
  std::size_t done = 0;
  pieces = 0;
  for (const auto& e : sg.entries()) {
    if (done >= len) break;
    if (skip >= e.length) {
      skip -= e.length;
      continue;
    }
    const std::size_t n = static_cast<std::size_t>(
        std::min<std::uint64_t>(e.length - skip, len - done));
    if (!piece(e.address + skip, done, n)) break;
    done += n;
    ++pieces;
    skip = 0;
  }
  return done;
}

// sg <-> a linear buffer in simulated memory; `to_buffer` = sg -> buffer.
std::size_t sg_copy(Kernel& k, const Scatterlist& sg, std::uint64_t buf, std::size_t len,
                    bool to_buffer) {
  ExecContext& m = memory_port(k);
  std::vector<std::uint8_t> tmp;
  std::size_t pieces = 0;
  const std::size_t done =
      sg_walk(sg, 0, len, pieces, [&](std::uint64_t addr, std::size_t off, std::size_t n) {
        tmp.resize(n);
        return to_buffer ? m.read_memory(addr, tmp.data(), n) &&
                               m.write_memory(buf + off, tmp.data(), n)
                         : m.read_memory(buf + off, tmp.data(), n) &&
                               m.write_memory(addr, tmp.data(), n);
      });
  k.charge_cycles(memcpy_cost(k.params(), done, pieces));
  return done;
}

}  // namespace

std::size_t sg_pcopy_to_buffer(Kernel& k, const Scatterlist& sg, std::uint8_t* buf,
                               std::size_t buflen, std::uint64_t skip) {
  ExecContext& m = memory_port(k);
  std::size_t pieces = 0;
  return sg_walk(sg, skip, buflen, pieces,
                 [&](std::uint64_t addr, std::size_t off, std::size_t n) {
                   return m.read_memory(addr, buf + off, n);
                 });
}

std::size_t sg_pcopy_from_buffer(Kernel& k, const Scatterlist& sg, const std::uint8_t* buf,
                                 std::size_t buflen, std::uint64_t skip) {
  ExecContext& m = memory_port(k);
  std::size_t pieces = 0;
  return sg_walk(sg, skip, buflen, pieces,
                 [&](std::uint64_t addr, std::size_t off, std::size_t n) {
                   return m.write_memory(addr, buf + off, n);
                 });
}

std::size_t sg_copy_to_buffer(Kernel& k, const Scatterlist& sg, std::uint64_t buf,
                              std::size_t len) {
  return sg_copy(k, sg, buf, len, true);
}

std::size_t sg_copy_from_buffer(Kernel& k, const Scatterlist& sg, std::uint64_t buf,
                                std::size_t len) {
  return sg_copy(k, sg, buf, len, false);
}

bool copy_from_host(Kernel& k, std::uint64_t dst, const void* src, std::size_t len) {
  k.charge_cycles(memcpy_cost(k.params(), len));
  return memory_port(k).write_memory(dst, src, len);
}

bool copy_to_host(Kernel& k, void* dst, std::uint64_t src, std::size_t len) {
  k.charge_cycles(memcpy_cost(k.params(), len));
  return memory_port(k).read_memory(src, dst, len);
}

bool place_bytes(Kernel& k, std::uint64_t dst, const std::vector<std::uint8_t>& data) {
  return memory_port(k).write_memory(dst, data.data(), data.size());
}

std::vector<std::uint8_t> fetch_bytes(Kernel& k, std::uint64_t src, std::size_t len) {
  std::vector<std::uint8_t> v(len);
  if (!memory_port(k).read_memory(src, v.data(), len)) v.clear();
  return v;
}

bool sg_place_bytes(Kernel& k, const Scatterlist& sg, const std::vector<std::uint8_t>& data) {
  return sg_pcopy_from_buffer(k, sg, data.data(), data.size(), 0) == data.size();
}

std::vector<std::uint8_t> sg_fetch_bytes(Kernel& k, const Scatterlist& sg) {
  std::vector<std::uint8_t> v(static_cast<std::size_t>(sg_total_len(sg)));
  if (sg_pcopy_to_buffer(k, sg, v.data(), v.size(), 0) != v.size()) return {};
  return v;
}

}  // namespace aesvp::kernel
