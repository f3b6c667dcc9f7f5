// OMAP4 memory map, interrupt numbers and DMA request lines used by the platform
// (facts: OMAP4 device tree as summarised in shared/reference/omap-aes.md and sdma.md).
#pragma once

#include <cstdint>

namespace aesvp::omap4 {

inline constexpr std::uint64_t kDramBase = 0x80000000;

// Cortex-A9 MPCore private region: GIC CPU interface at +0x100, distributor at +0x1000
// (window sizes: the register maps, gic_regs.h and omap_sdma_regs.h).
inline constexpr std::uint64_t kGicCpuIfBase = 0x48240100;
inline constexpr std::uint64_t kGicDistBase = 0x48241000;

inline constexpr std::uint64_t kSdmaBase = 0x4a056000;
inline constexpr unsigned kSdmaIrqSpi[4] = {12, 13, 14, 15};  // L0..L3

struct AesInstance {
  const char* name;
  std::uint64_t base;
  unsigned irq_spi;
  unsigned dma_tx;  // request line "tx": memory -> DATA_IN (the AES's input request)
  unsigned dma_rx;  // request line "rx": DATA_OUT -> memory (the AES's output request)
};
inline constexpr AesInstance kAes[2] = {
    {"aes1", 0x4b501000, 85, 111, 110},
    {"aes2", 0x4b701000, 64, 114, 113},
};
inline constexpr std::uint64_t kAesSize = 0x1000;

inline constexpr unsigned kGicSpis = 128;  // SPI inputs wired (OMAP4 uses up to SPI 127)

}  // namespace aesvp::omap4
