// TI EDMA3 (channel controller TPCC + transfer controllers TPTC): register offsets, PaRAM
// layout and bit fields. The one place these facts live: the EDMA3 model and the kernel's
// edma dmaengine provider both include this header. Plain constants, no SystemC. Facts from
// the AM335x TRM (SPRUH73) and DRA7xx TRM (SPRUI30) as used by Linux's edma driver; see
// docs/edma3-model.md.
#pragma once

#include <cstdint>

namespace aesvp::edma3 {

// ---- Placement (AM335x; DRA7/AM57x in the comments) ----
inline constexpr std::uint64_t kAm335xTpccBase = 0x49000000;  // DRA7: 0x43300000
inline constexpr std::uint64_t kAm335xTptcBase = 0x49800000;  // TPTC n at + 0x100000 * n
inline constexpr std::uint64_t kTptcStride = 0x100000;        // DRA7: TPTC0 0x43400000
inline constexpr std::uint32_t kTpccWindowSize = 0x10000;     // 64 KiB (DRA7 decodes 1 MiB)
inline constexpr std::uint32_t kTptcWindowSize = 0x400;       // 1 KiB of TPTC registers
inline constexpr unsigned kMaxChannels = 64;                  // DMA channels (events)
inline constexpr unsigned kQdmaChannels = 8;
inline constexpr unsigned kRegions = 8;                       // shadow regions
inline constexpr unsigned kMaxQueues = 8;
inline constexpr unsigned kMaxParamSets = 512;
// AM335x interrupt lines (INTC): completion (region 0), memory protection error, CC error,
// and the TPTC error lines.
inline constexpr unsigned kAm335xCcIntLine = 12;
inline constexpr unsigned kAm335xCcErrIntLine = 14;
inline constexpr unsigned kAm335xTcErrIntLine0 = 112;

// ---- TPCC global registers ----
inline constexpr std::uint32_t kPid = 0x000;
inline constexpr std::uint32_t kCccfg = 0x004;
inline constexpr std::uint32_t kDchmap0 = 0x100;  // + 4 * ch: PaRAM set number << 5
inline constexpr std::uint32_t kQchmap0 = 0x200;  // + 4 * qch
inline constexpr std::uint32_t kDmaqnum0 = 0x240;  // + 4 * (ch / 8): 4 bits per channel
inline constexpr std::uint32_t kQdmaqnum = 0x260;
inline constexpr std::uint32_t kQuetcmap = 0x280;
inline constexpr std::uint32_t kQuepri = 0x284;
inline constexpr std::uint32_t kEmr = 0x300;
inline constexpr std::uint32_t kEmrh = 0x304;
inline constexpr std::uint32_t kEmcr = 0x308;
inline constexpr std::uint32_t kEmcrh = 0x30c;
inline constexpr std::uint32_t kQemr = 0x310;
inline constexpr std::uint32_t kQemcr = 0x314;
inline constexpr std::uint32_t kCcerr = 0x318;
inline constexpr std::uint32_t kCcerrclr = 0x31c;
inline constexpr std::uint32_t kEeval = 0x320;
inline constexpr std::uint32_t kDrae0 = 0x340;  // + 8 * region (DRAEH at + 4)
inline constexpr std::uint32_t kQrae0 = 0x380;  // + 4 * region
inline constexpr std::uint32_t kQstat0 = 0x600;  // + 4 * queue
inline constexpr std::uint32_t kQwmthra = 0x620;
inline constexpr std::uint32_t kCcstat = 0x640;
inline constexpr std::uint32_t kParam0 = 0x4000;  // + 32 * set

constexpr std::uint32_t dchmap(unsigned ch) { return kDchmap0 + 4 * ch; }
constexpr std::uint32_t qchmap(unsigned q) { return kQchmap0 + 4 * q; }
constexpr std::uint32_t dmaqnum(unsigned ch) { return kDmaqnum0 + 4 * (ch / 8); }
constexpr unsigned dmaqnum_shift(unsigned ch) { return (ch % 8) * 4; }
constexpr std::uint32_t drae(unsigned region) { return kDrae0 + 8 * region; }
constexpr std::uint32_t draeh(unsigned region) { return kDrae0 + 8 * region + 4; }
constexpr std::uint32_t qrae(unsigned region) { return kQrae0 + 4 * region; }
constexpr std::uint32_t qstat(unsigned q) { return kQstat0 + 4 * q; }
constexpr std::uint32_t param(unsigned set) { return kParam0 + 32 * set; }

// CCCFG fields (read-only configuration).
inline constexpr unsigned kCccfgNumDmachShift = 0;    // 2:0, channels = 2^(v+1)
inline constexpr unsigned kCccfgNumQdmachShift = 4;   // 6:4, QDMA channels = 2v
inline constexpr unsigned kCccfgNumIntchShift = 8;    // 10:8, completion codes = 2^(v+3)
inline constexpr unsigned kCccfgNumPaentryShift = 12; // 14:12, PaRAM sets = 2^(v+4)
inline constexpr unsigned kCccfgNumEvqueShift = 16;   // 18:16, queues = v + 1
inline constexpr unsigned kCccfgNumRegnShift = 20;    // 21:20, regions = 2^(v+1)
inline constexpr std::uint32_t kCccfgChmapExist = 1u << 24;

// CCERR / CCERRCLR: queue threshold exceeded per queue (bit q), TCC error (b16).
inline constexpr std::uint32_t kCcerrTccErr = 1u << 16;
// QSTAT: STRTPTR [3:0], NUMVAL [12:8], WM [20:16], THRXCD b24.
inline constexpr unsigned kQstatNumvalShift = 8;
inline constexpr unsigned kQstatWmShift = 16;
inline constexpr std::uint32_t kQstatThrxcd = 1u << 24;
// CCSTAT: EVTACTV b0, QEVTACTV b1, TRACTV b2, ACTV b4, COMPACTV [13:8], QUEACTV0 b16 + q.
inline constexpr std::uint32_t kCcstatEvtActv = 1u << 0;
inline constexpr std::uint32_t kCcstatTrActv = 1u << 2;
inline constexpr std::uint32_t kCcstatActv = 1u << 4;
inline constexpr unsigned kCcstatCompActvShift = 8;
inline constexpr unsigned kCcstatQueActvShift = 16;

// ---- Channel registers: global window and shadow regions ----
inline constexpr std::uint32_t kGlobalChannelBase = 0x1000;
inline constexpr std::uint32_t kShadowBase = 0x2000;  // + 0x200 * region
inline constexpr std::uint32_t kShadowStride = 0x200;
constexpr std::uint32_t shadow(unsigned region) { return kShadowBase + kShadowStride * region; }

// Offsets inside a channel window (low / high halves at +0 / +4).
inline constexpr std::uint32_t kEr = 0x00;
inline constexpr std::uint32_t kEcr = 0x08;
inline constexpr std::uint32_t kEsr = 0x10;
inline constexpr std::uint32_t kCer = 0x18;
inline constexpr std::uint32_t kEer = 0x20;
inline constexpr std::uint32_t kEecr = 0x28;
inline constexpr std::uint32_t kEesr = 0x30;
inline constexpr std::uint32_t kSer = 0x38;
inline constexpr std::uint32_t kSecr = 0x40;
inline constexpr std::uint32_t kIer = 0x50;
inline constexpr std::uint32_t kIecr = 0x58;
inline constexpr std::uint32_t kIesr = 0x60;
inline constexpr std::uint32_t kIpr = 0x68;
inline constexpr std::uint32_t kIcr = 0x70;
inline constexpr std::uint32_t kIeval = 0x78;
inline constexpr std::uint32_t kQer = 0x80;
inline constexpr std::uint32_t kQeer = 0x84;
inline constexpr std::uint32_t kQeecr = 0x88;
inline constexpr std::uint32_t kQeesr = 0x8c;
inline constexpr std::uint32_t kQser = 0x90;
inline constexpr std::uint32_t kQsecr = 0x94;
inline constexpr std::uint32_t kHigh = 0x04;  // ERH = ER + kHigh, ...
inline constexpr std::uint32_t kIevalEval = 1u << 0;

// ---- PaRAM set: eight 32-bit words ----
inline constexpr std::uint32_t kOpt = 0x00;
inline constexpr std::uint32_t kSrc = 0x04;
inline constexpr std::uint32_t kABCnt = 0x08;      // BCNT [31:16] | ACNT [15:0]
inline constexpr std::uint32_t kDst = 0x0c;
inline constexpr std::uint32_t kSrcDstBidx = 0x10; // DSTBIDX [31:16] | SRCBIDX [15:0], signed
inline constexpr std::uint32_t kLinkBcntrld = 0x14;  // BCNTRLD [31:16] | LINK [15:0]
inline constexpr std::uint32_t kSrcDstCidx = 0x18; // DSTCIDX [31:16] | SRCCIDX [15:0], signed
inline constexpr std::uint32_t kCcnt = 0x1c;       // CCNT [15:0]
inline constexpr std::uint32_t kParamSetBytes = 32;
inline constexpr std::uint32_t kNullLink = 0xffff;

// OPT fields.
inline constexpr std::uint32_t kOptSam = 1u << 0;
inline constexpr std::uint32_t kOptDam = 1u << 1;
inline constexpr std::uint32_t kOptSyncdim = 1u << 2;  // 0 = A-sync, 1 = AB-sync
inline constexpr std::uint32_t kOptStatic = 1u << 3;
inline constexpr unsigned kOptFwidShift = 8;           // 10:8
inline constexpr std::uint32_t kOptTccmode = 1u << 11; // 1 = early completion
inline constexpr unsigned kOptTccShift = 12;           // 17:12
inline constexpr std::uint32_t kOptTccMask = 0x3fu << kOptTccShift;
inline constexpr std::uint32_t kOptTcinten = 1u << 20;
inline constexpr std::uint32_t kOptItcinten = 1u << 21;
inline constexpr std::uint32_t kOptTcchen = 1u << 22;
inline constexpr std::uint32_t kOptItcchen = 1u << 23;
constexpr std::uint32_t opt_tcc(unsigned tcc) { return (tcc << kOptTccShift) & kOptTccMask; }
constexpr unsigned opt_tcc_of(std::uint32_t opt) { return (opt & kOptTccMask) >> kOptTccShift; }

constexpr std::uint32_t ab_cnt(std::uint32_t acnt, std::uint32_t bcnt) {
  return (bcnt << 16) | (acnt & 0xffffu);
}
constexpr std::uint32_t bidx(std::int32_t src, std::int32_t dst) {
  return (static_cast<std::uint32_t>(dst) << 16) | (static_cast<std::uint32_t>(src) & 0xffffu);
}
constexpr std::uint32_t link_bcntrld(std::uint32_t link, std::uint32_t bcntrld) {
  return (bcntrld << 16) | (link & 0xffffu);
}

// ---- TPTC registers (offsets from the TPTC base) ----
inline constexpr std::uint32_t kTcPid = 0x000;
inline constexpr std::uint32_t kTcCfg = 0x004;      // FIFOSIZE [2:0], BUSWIDTH [5:4], DREGDEPTH [9:8]
inline constexpr std::uint32_t kTcStat = 0x100;     // PROGBUSY b0, SRCACTV b1, WSACTV b2, DSTACTV [6:4]
inline constexpr std::uint32_t kTcErrStat = 0x120;  // BUSERR b0, TRERR b2, MMRAERR b3
inline constexpr std::uint32_t kTcErrEn = 0x124;
inline constexpr std::uint32_t kTcErrClr = 0x128;
inline constexpr std::uint32_t kTcErrDet = 0x12c;   // STAT [3:0], TCC [13:8], TCINTEN b16, TCCHEN b17
inline constexpr std::uint32_t kTcErrCmd = 0x130;   // EVAL b0
inline constexpr std::uint32_t kTcRdRate = 0x140;
inline constexpr std::uint32_t kTcErrBus = 1u << 0;
inline constexpr std::uint32_t kTcErrTr = 1u << 2;
inline constexpr std::uint32_t kTcErrMmra = 1u << 3;
inline constexpr std::uint32_t kTcErrAll = kTcErrBus | kTcErrTr | kTcErrMmra;
inline constexpr std::uint32_t kTcStatProgBusy = 1u << 0;
inline constexpr std::uint32_t kTcStatSrcActv = 1u << 1;
inline constexpr unsigned kTcStatDstActvShift = 4;
// ERRDET.STAT: 1 = read addressing error, 2 = read privilege, 3 = read timeout, 4 = read
// data error; 9..12 the same on the write side (bus error classes).
inline constexpr std::uint32_t kErrDetReadError = 1;
inline constexpr std::uint32_t kErrDetWriteError = 9;
inline constexpr unsigned kErrDetTccShift = 8;
inline constexpr std::uint32_t kErrDetTcinten = 1u << 16;
inline constexpr std::uint32_t kErrDetTcchen = 1u << 17;

}  // namespace aesvp::edma3
