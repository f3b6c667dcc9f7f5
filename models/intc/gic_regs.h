// Register offsets and fields of the GIC model (ARM GIC architecture v1/v2, as in the
// Cortex-A9 MPCore of the OMAP4430). Plain constants, no behaviour: see gic.h.
#pragma once

#include <cstdint>

namespace aesvp::gic {

// Distributor window (4 KiB).
inline constexpr std::uint64_t kDistSize = 0x1000;
inline constexpr std::uint64_t GICD_CTLR = 0x000;       // bit 0: forward interrupts
inline constexpr std::uint64_t GICD_TYPER = 0x004;      // ITLinesNumber [4:0], CPUNumber [7:5]
inline constexpr std::uint64_t GICD_ISENABLER = 0x100;  // + 4n: set-enable, 1 bit per ID
inline constexpr std::uint64_t GICD_ICENABLER = 0x180;  // + 4n: clear-enable
inline constexpr std::uint64_t GICD_ISPENDR = 0x200;    // + 4n: set-pending
inline constexpr std::uint64_t GICD_ICPENDR = 0x280;    // + 4n: clear-pending
inline constexpr std::uint64_t GICD_ISACTIVER = 0x300;  // + 4n: active (read-only here)
inline constexpr std::uint64_t GICD_ICACTIVER = 0x380;  // + 4n: clear-active
inline constexpr std::uint64_t GICD_IPRIORITYR = 0x400; // + ID: one priority byte per ID
inline constexpr std::uint64_t GICD_ITARGETSR = 0x800;  // + ID: one target-core mask byte per ID
inline constexpr std::uint64_t GICD_ICFGR = 0xc00;      // + 4n: 2 bits per ID (stored only)

inline constexpr std::uint32_t GICD_CTLR_ENABLE = 1u << 0;
inline constexpr unsigned GICD_TYPER_CPUNUMBER_SHIFT = 5;

// CPU interface: one window of kCpuIfStride bytes per core (core n at n * kCpuIfStride).
inline constexpr std::uint64_t kCpuIfStride = 0x100;
inline constexpr std::uint64_t GICC_CTLR = 0x00;   // bit 0: signal interrupts to the core
inline constexpr std::uint64_t GICC_PMR = 0x04;    // priority mask: only priority < PMR signals
inline constexpr std::uint64_t GICC_BPR = 0x08;    // binary point (stored only)
inline constexpr std::uint64_t GICC_IAR = 0x0c;    // read = acknowledge; interrupt ID [9:0]
inline constexpr std::uint64_t GICC_EOIR = 0x10;   // write the ID = end of interrupt
inline constexpr std::uint64_t GICC_RPR = 0x14;    // running priority (0xff when idle)
inline constexpr std::uint64_t GICC_HPPIR = 0x18;  // highest-priority pending interrupt ID

inline constexpr std::uint32_t GICC_CTLR_ENABLE = 1u << 0;
inline constexpr std::uint32_t kBprReset = 2;    // GICC_BPR reset value (Cortex-A9 MPCore)
inline constexpr std::uint32_t kBprMask = 0x7;   // GICC_BPR: binary point in bits 2:0

// Interrupt IDs: 0-15 SGIs, 16-31 PPIs, 32 + n is shared peripheral interrupt (SPI) n.
inline constexpr unsigned kSpiBase = 32;
inline constexpr std::uint32_t kSpuriousId = 1023;  // IAR/HPPIR: nothing to acknowledge
inline constexpr std::uint32_t kIdMask = 0x3ff;
inline constexpr std::uint32_t kIdlePriority = 0xff;  // RPR with no active interrupt
// The Cortex-A9 MPCore GIC implements 32 priority levels: the low 3 bits of each
// priority field read as zero and ignore writes (so do the low bits of PMR).
inline constexpr std::uint32_t kPriorityMask = 0xf8;
inline constexpr unsigned kMaxCores = 8;

}  // namespace aesvp::gic
