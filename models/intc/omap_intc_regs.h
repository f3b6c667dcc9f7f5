// Register offsets and fields of the OMAP2/3-style interrupt controller (AINTC) of the
// AM335x (docs/cpu-intc-model.md). Plain constants, no behaviour: the model and the
// kernel's IRQ layer both include this header.
#pragma once

#include <cstdint>

namespace aesvp::omap_intc {

// ---- Placement and sizes (AM335x) ----
inline constexpr std::uint64_t kAm335xBase = 0x48200000;
inline constexpr std::uint32_t kWindowSize = 0x1000;  // 4 KiB
inline constexpr unsigned kLines = 128;              // 4 banks x 32
inline constexpr unsigned kBanks = kLines / 32;

// ---- Global registers ----
inline constexpr std::uint32_t kRevision = 0x00;
inline constexpr std::uint32_t kSysconfig = 0x10;
inline constexpr std::uint32_t kSysstatus = 0x14;
inline constexpr std::uint32_t kSirIrq = 0x40;
inline constexpr std::uint32_t kSirFiq = 0x44;
inline constexpr std::uint32_t kControl = 0x48;
inline constexpr std::uint32_t kProtection = 0x4c;
inline constexpr std::uint32_t kIdle = 0x50;
inline constexpr std::uint32_t kIrqPriority = 0x60;
inline constexpr std::uint32_t kFiqPriority = 0x64;
inline constexpr std::uint32_t kThreshold = 0x68;

// ---- Per-bank registers: 0x80 + 0x20 * bank ----
inline constexpr std::uint32_t kBankBase = 0x80;
inline constexpr std::uint32_t kBankStride = 0x20;
inline constexpr std::uint32_t kItr = 0x00;
inline constexpr std::uint32_t kMir = 0x04;
inline constexpr std::uint32_t kMirClear = 0x08;
inline constexpr std::uint32_t kMirSet = 0x0c;
inline constexpr std::uint32_t kIsrSet = 0x10;
inline constexpr std::uint32_t kIsrClear = 0x14;
inline constexpr std::uint32_t kPendingIrq = 0x18;
inline constexpr std::uint32_t kPendingFiq = 0x1c;
constexpr std::uint32_t bank_reg(unsigned bank, std::uint32_t reg) {
  return kBankBase + kBankStride * bank + reg;
}

// ---- ILR_m: 0x100 + 4 * m ----
inline constexpr std::uint32_t kIlrBase = 0x100;
constexpr std::uint32_t ilr(unsigned line) { return kIlrBase + 4 * line; }
inline constexpr std::uint32_t kIlrFiqNirq = 1u << 0;   // 1 = route to FIQ
inline constexpr unsigned kIlrPriorityShift = 2;        // PRIORITY [7:2], 0 = highest
inline constexpr std::uint32_t kIlrPriorityMask = 0x3fu << kIlrPriorityShift;
constexpr std::uint32_t ilr_priority(std::uint32_t prio) {
  return (prio << kIlrPriorityShift) & kIlrPriorityMask;
}

// ---- Fields ----
inline constexpr std::uint32_t kSysconfigAutoidle = 1u << 0;
inline constexpr std::uint32_t kSysconfigSoftreset = 1u << 1;
inline constexpr std::uint32_t kSysstatusResetDone = 1u << 0;
inline constexpr std::uint32_t kControlNewIrqAgr = 1u << 0;
inline constexpr std::uint32_t kControlNewFiqAgr = 1u << 1;
inline constexpr std::uint32_t kProtectionOn = 1u << 0;
inline constexpr std::uint32_t kIdleFuncIdle = 1u << 0;
inline constexpr std::uint32_t kIdleTurbo = 1u << 1;
// SIR_IRQ / SIR_FIQ: ACTIVEIRQ [6:0], SPURIOUSIRQFLAG [31:7] (all ones = invalid result).
// IRQ_PRIORITY / FIQ_PRIORITY: priority [6:0], the same flag copied into [31:7].
inline constexpr std::uint32_t kActiveIrqMask = 0x7fu;
inline constexpr std::uint32_t kSpuriousFlag = 0xffffff80u;
inline constexpr std::uint32_t kThresholdMask = 0xffu;
inline constexpr std::uint32_t kThresholdDisabled = 0xffu;

}  // namespace aesvp::omap_intc
