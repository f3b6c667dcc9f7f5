// Streaming DMA mapping and copies over simulated memory (the parts of the Linux DMA-mapping
// API and lib/scatterlist.c the omap-aes driver uses). Costs are charged to the calling
// context (nothing without one).
#pragma once

#include "driver/kernel/kernel.h"
#include "driver/kernel/memory.h"

#include <cstdint>
#include <vector>

namespace aesvp::kernel {

// enum dma_data_direction
enum class DmaDataDirection { Bidirectional, ToDevice, FromDevice, None };
const char* to_string(DmaDataDirection d);

// dma_map_sg: sets dma_address / dma_length of every entry and does the cache maintenance
// the direction needs (ARMv7 + PL310: clean to-device, invalidate from-device, both for
// bidirectional). Returns the number of mapped entries, 0 on error (empty list, None).
int dma_map_sg(Kernel& k, Scatterlist& sg, DmaDataDirection dir);
// dma_unmap_sg: invalidates again for from-device / bidirectional (speculative prefetches
// may have refilled lines while the device wrote), nothing for to-device.
void dma_unmap_sg(Kernel& k, Scatterlist& sg, DmaDataDirection dir);
// dma_map_single / dma_unmap_single: one buffer (same costs as a one-entry list). Returns the
// DMA address (the CPU address: no IOMMU).
std::uint64_t dma_map_single(Kernel& k, std::uint64_t addr, std::size_t len, DmaDataDirection dir);
void dma_unmap_single(Kernel& k, std::uint64_t dma_addr, std::size_t len, DmaDataDirection dir);
// Cycles dma_map_sg / dma_unmap_sg charge for `sg` (for tests and formulas).
double dma_map_sg_cost(const KernelParams& p, const Scatterlist& sg, DmaDataDirection dir);
double dma_unmap_sg_cost(const KernelParams& p, const Scatterlist& sg, DmaDataDirection dir);

// --- copies done by the modelled software (charged: memcpy per byte + call cost) ------------
// memcpy between two simulated-memory buffers.
bool sim_memcpy(Kernel& k, std::uint64_t dst, std::uint64_t src, std::size_t len);
// sg_copy_to_buffer / sg_copy_from_buffer: between a scatterlist and a linear simulated buffer;
// return the bytes copied (at most `len`).
std::size_t sg_copy_to_buffer(Kernel& k, const Scatterlist& sg, std::uint64_t buf,
                              std::size_t len);
std::size_t sg_copy_from_buffer(Kernel& k, const Scatterlist& sg, std::uint64_t buf,
                                std::size_t len);
// sg_pcopy_to_buffer / sg_pcopy_from_buffer: between the bytes [skip, skip + buflen) of a
// scatterlist and a buffer the CPU holds (registers, a stack buffer, the software cipher's
// work area: host memory here); return the bytes copied. Zero time and nothing charged: the
// caller charges the CPU work it models around the copy (PIO loop, software AES).
std::size_t sg_pcopy_to_buffer(Kernel& k, const Scatterlist& sg, std::uint8_t* buf,
                               std::size_t buflen, std::uint64_t skip);
std::size_t sg_pcopy_from_buffer(Kernel& k, const Scatterlist& sg, const std::uint8_t* buf,
                                 std::size_t buflen, std::uint64_t skip);
// copy_from_user / copy_to_user like: between host memory (the user's buffer) and simulated
// memory, charged like memcpy.
bool copy_from_host(Kernel& k, std::uint64_t dst, const void* src, std::size_t len);
bool copy_to_host(Kernel& k, void* dst, std::uint64_t src, std::size_t len);
double memcpy_cost(const KernelParams& p, std::size_t len, std::size_t pieces = 1);

// --- zero-time placement for the testbench (debug access, nothing charged) --------------------
bool place_bytes(Kernel& k, std::uint64_t dst, const std::vector<std::uint8_t>& data);
std::vector<std::uint8_t> fetch_bytes(Kernel& k, std::uint64_t src, std::size_t len);
bool sg_place_bytes(Kernel& k, const Scatterlist& sg, const std::vector<std::uint8_t>& data);
std::vector<std::uint8_t> sg_fetch_bytes(Kernel& k, const Scatterlist& sg);

}  // namespace aesvp::kernel
