// OMAP2+/OMAP4 system DMA (sDMA, "DMA4"): register offsets and bit fields.
//
// The one place these facts live: the sDMA model and the driver's DMA-engine layer both
// include this header. Plain constants, no SystemC. Facts from the OMAP4 TRM as reflected by
// the Linux OMAP DMA code and QEMU's omap_dma model (see docs/sdma-model.md).
#pragma once

#include <cstdint>

namespace aesvp::sdma {

// ---- Sizes (the placement on a SoC is in models/platform/soc_map) ----
inline constexpr std::uint32_t kWindowSize = 0x1000;     // 4 KiB register window
inline constexpr unsigned kMaxChannels = 32;             // logical channels
inline constexpr unsigned kMaxRequestLines = 127;        // request numbers 1..127
inline constexpr unsigned kIrqLines = 4;                 // L0..L3

// ---- Global registers ----
inline constexpr std::uint32_t kRevision = 0x00;
inline constexpr std::uint32_t kIrqStatusL0 = 0x08;  // L1 0x0c, L2 0x10, L3 0x14
inline constexpr std::uint32_t kIrqEnableL0 = 0x18;  // L1 0x1c, L2 0x20, L3 0x24
inline constexpr std::uint32_t kSysStatus = 0x28;
inline constexpr std::uint32_t kOcpSysconfig = 0x2c;
inline constexpr std::uint32_t kCaps0 = 0x64;
inline constexpr std::uint32_t kCaps2 = 0x6c;
inline constexpr std::uint32_t kCaps3 = 0x70;
inline constexpr std::uint32_t kCaps4 = 0x74;
inline constexpr std::uint32_t kGcr = 0x78;

constexpr std::uint32_t irqstatus(unsigned line) { return kIrqStatusL0 + 4 * line; }
constexpr std::uint32_t irqenable(unsigned line) { return kIrqEnableL0 + 4 * line; }

// SYSSTATUS
inline constexpr std::uint32_t kSysStatusResetDone = 1u << 0;
// OCP_SYSCONFIG
inline constexpr std::uint32_t kSysconfigAutoidle = 1u << 0;
inline constexpr std::uint32_t kSysconfigSoftReset = 1u << 1;
inline constexpr std::uint32_t kSysconfigSidleModeShift = 3;   // 4:3
inline constexpr std::uint32_t kSysconfigEmufree = 1u << 5;
inline constexpr std::uint32_t kSysconfigClockActivityShift = 8;  // 9:8
inline constexpr std::uint32_t kSysconfigMidleModeShift = 12;  // 13:12
// The bits a write stores (AUTOIDLE, SIDLEMODE, EMUFREE, CLOCKACTIVITY, MIDLEMODE);
// SOFTRESET self-clears.
inline constexpr std::uint32_t kSysconfigWritable =
    kSysconfigAutoidle | 3u << kSysconfigSidleModeShift | kSysconfigEmufree |
    3u << kSysconfigClockActivityShift | 3u << kSysconfigMidleModeShift;
static_assert(kSysconfigWritable == 0x3339, "OCP_SYSCONFIG writable fields");
// REVISION as read by software (the model's own value: the Linux driver only prints it).
inline constexpr std::uint32_t kRevisionValue = 0x00010900;
// GCR reset value (estimate: FIFO depth field 0x10, see docs/sdma-model.md).
inline constexpr std::uint32_t kGcrReset = 0x00010010;
// CAPS_0: descriptor-list (linked-list) support, read by the Linux driver to decide whether to
// use descriptor lists. The model reports LL123 (types 1-3) when sdma.linked_list is on.
inline constexpr std::uint32_t kCaps0SupportLl123 = 1u << 20;
inline constexpr std::uint32_t kCaps0SupportLl4 = 1u << 21;

// ---- Logical channel registers: base 0x80, stride 0x60 ----
inline constexpr std::uint32_t kChannelBase = 0x80;
inline constexpr std::uint32_t kChannelStride = 0x60;

inline constexpr std::uint32_t kCcr = 0x00;
inline constexpr std::uint32_t kClnkCtrl = 0x04;
inline constexpr std::uint32_t kCicr = 0x08;
inline constexpr std::uint32_t kCsr = 0x0c;
inline constexpr std::uint32_t kCsdp = 0x10;
inline constexpr std::uint32_t kCen = 0x14;
inline constexpr std::uint32_t kCfn = 0x18;
inline constexpr std::uint32_t kCssa = 0x1c;
inline constexpr std::uint32_t kCdsa = 0x20;
inline constexpr std::uint32_t kCsei = 0x24;
inline constexpr std::uint32_t kCsfi = 0x28;
inline constexpr std::uint32_t kCdei = 0x2c;
inline constexpr std::uint32_t kCdfi = 0x30;
inline constexpr std::uint32_t kCsac = 0x34;
inline constexpr std::uint32_t kCdac = 0x38;
inline constexpr std::uint32_t kCcen = 0x3c;
inline constexpr std::uint32_t kCcfn = 0x40;
inline constexpr std::uint32_t kColor = 0x44;
inline constexpr std::uint32_t kCdp = 0x50;   // descriptor-list registers (OMAP3630+)
inline constexpr std::uint32_t kCndp = 0x54;
inline constexpr std::uint32_t kCcdn = 0x58;

// Offset of channel register `reg` (one of kCcr..kCcdn) of logical channel `ch`.
constexpr std::uint32_t channel_reg(unsigned ch, std::uint32_t reg) {
  return kChannelBase + kChannelStride * ch + reg;
}

// ---- CCR ----
inline constexpr std::uint32_t kCcrSyncLowMask = 0x1fu;    // request number bits 4:0
inline constexpr std::uint32_t kCcrFs = 1u << 5;           // frame sync
inline constexpr std::uint32_t kCcrReadPriority = 1u << 6;
inline constexpr std::uint32_t kCcrEnable = 1u << 7;
inline constexpr std::uint32_t kCcrSuspendSensitive = 1u << 8;
inline constexpr std::uint32_t kCcrRdActive = 1u << 9;     // status, read only
inline constexpr std::uint32_t kCcrWrActive = 1u << 10;    // status, read only
inline constexpr std::uint32_t kCcrSrcAmodeShift = 12;     // 13:12
inline constexpr std::uint32_t kCcrDstAmodeShift = 14;     // 15:14
inline constexpr std::uint32_t kCcrAmodeMask = 0x3u;
inline constexpr std::uint32_t kCcrConstantFill = 1u << 16;
inline constexpr std::uint32_t kCcrTransparentCopy = 1u << 17;
inline constexpr std::uint32_t kCcrBs = 1u << 18;          // block sync
inline constexpr std::uint32_t kCcrSyncHighShift = 19;     // request number bits 6:5 in 20:19
inline constexpr std::uint32_t kCcrSyncHighMask = 0x3u << 19;
inline constexpr std::uint32_t kCcrPrefetch = 1u << 23;
inline constexpr std::uint32_t kCcrTriggerSrc = 1u << 24;  // the request paces the source side
inline constexpr std::uint32_t kCcrBufferingDisable = 1u << 25;
inline constexpr std::uint32_t kCcrWritePriority = 1u << 26;

// Addressing modes (SRC_AMODE / DST_AMODE values).
inline constexpr std::uint32_t kAmodeConstant = 0;
inline constexpr std::uint32_t kAmodePostIncrement = 1;
inline constexpr std::uint32_t kAmodeSingleIndex = 2;
inline constexpr std::uint32_t kAmodeDoubleIndex = 3;

constexpr std::uint32_t ccr_src_amode(std::uint32_t amode) { return amode << kCcrSrcAmodeShift; }
constexpr std::uint32_t ccr_dst_amode(std::uint32_t amode) { return amode << kCcrDstAmodeShift; }

// Request number (1-based, 0 = no hardware synchronisation) <-> CCR bits.
constexpr std::uint32_t ccr_request(unsigned req) {
  return (req & kCcrSyncLowMask) | (((req >> 5) & 0x3u) << kCcrSyncHighShift);
}
constexpr unsigned ccr_request_number(std::uint32_t ccr) {
  return (ccr & kCcrSyncLowMask) | (((ccr >> kCcrSyncHighShift) & 0x3u) << 5);
}

// ---- CSR / CICR (same bit positions) ----
inline constexpr std::uint32_t kIrqDrop = 1u << 1;
inline constexpr std::uint32_t kIrqHalfFrame = 1u << 2;
inline constexpr std::uint32_t kIrqFrame = 1u << 3;
inline constexpr std::uint32_t kIrqLastFrame = 1u << 4;
inline constexpr std::uint32_t kIrqBlock = 1u << 5;
inline constexpr std::uint32_t kIrqSync = 1u << 6;
inline constexpr std::uint32_t kIrqPacket = 1u << 7;
inline constexpr std::uint32_t kIrqTransErr = 1u << 8;
inline constexpr std::uint32_t kIrqSecureErr = 1u << 9;
inline constexpr std::uint32_t kIrqSupervisorErr = 1u << 10;
inline constexpr std::uint32_t kIrqMisalignedErr = 1u << 11;
inline constexpr std::uint32_t kIrqDrainEnd = 1u << 12;   // stored in CICR, never raised
inline constexpr std::uint32_t kIrqSuperBlock = 1u << 14;  // end of a descriptor list
// Bits the model stores in CICR (1..12 and 14 above; 13 stored, reserved).
inline constexpr std::uint32_t kCicrWritable = 0x7ffeu;
inline constexpr std::uint32_t kCsrEventBits = 0x4ffeu;

// ---- CSDP ----
inline constexpr std::uint32_t kCsdpDataTypeMask = 0x3u;  // 1:0
inline constexpr std::uint32_t kDataType8 = 0;
inline constexpr std::uint32_t kDataType16 = 1;
inline constexpr std::uint32_t kDataType32 = 2;
inline constexpr std::uint32_t kCsdpSrcPacked = 1u << 6;
inline constexpr std::uint32_t kCsdpSrcBurstShift = 7;    // 8:7
inline constexpr std::uint32_t kCsdpDstPacked = 1u << 13;
inline constexpr std::uint32_t kCsdpDstBurstShift = 14;   // 15:14
inline constexpr std::uint32_t kCsdpBurstMask = 0x3u;
inline constexpr std::uint32_t kCsdpWriteModeShift = 16;  // 17:16
inline constexpr std::uint32_t kCsdpWriteModeMask = 0x3u;
// Burst field values.
inline constexpr std::uint32_t kBurstSingle = 0;
inline constexpr std::uint32_t kBurst16 = 1;  // 16 bytes
inline constexpr std::uint32_t kBurst32 = 2;  // 32 bytes
inline constexpr std::uint32_t kBurst64 = 3;  // 64 bytes
// Write modes.
inline constexpr std::uint32_t kWriteNonPosted = 0;
inline constexpr std::uint32_t kWritePosted = 1;
inline constexpr std::uint32_t kWriteLastNonPosted = 2;

constexpr std::uint32_t csdp_src_burst(std::uint32_t b) { return b << kCsdpSrcBurstShift; }
constexpr std::uint32_t csdp_dst_burst(std::uint32_t b) { return b << kCsdpDstBurstShift; }
// Bytes of one burst for a burst field value (0 = single: one element).
constexpr unsigned burst_bytes(std::uint32_t burst_field, unsigned element_bytes) {
  return burst_field == kBurstSingle ? element_bytes : 8u << burst_field;
}
// Bytes of one element for a DATA_TYPE value (0 for the reserved value 3).
constexpr unsigned element_bytes(std::uint32_t data_type) {
  return data_type > kDataType32 ? 0u : 1u << data_type;
}

// ---- Widths of the counters and index registers ----
inline constexpr std::uint32_t kCenMask = 0x00ffffffu;   // 24-bit element count
inline constexpr std::uint32_t kCfnMask = 0x0000ffffu;   // 16-bit frame count
inline constexpr std::uint32_t kElementIndexMask = 0x0000ffffu;  // CSEI / CDEI
inline constexpr std::uint32_t kColorMask = 0x00ffffffu;

// ---- Descriptor lists (linked-list mode; OMAP3630 and later, OMAP4 included) ----
// Facts: the Linux omap-dma driver (CDP field values, type-2 descriptor layout, end-of-list
// pointer, CAPS_0 bits, CICR/CSR bit 14) and the OMAP4460 TRM register description as
// transcribed in Barrelfish's omap44xx_sdma.dev (field widths, type-1/3 layouts, PAUSE).
// CDP: descriptor-list control.
inline constexpr std::uint32_t kCdpDstValidShift = 0;  // 1:0, how the first descriptor gives CDSA
inline constexpr std::uint32_t kCdpSrcValidShift = 2;  // 3:2, ... and CSSA
inline constexpr std::uint32_t kCdpNtypeShift = 4;     // 6:4, type of the descriptor CNDP points at
inline constexpr std::uint32_t kCdpPause = 1u << 7;    // PAUSE_LINK_LIST (stored, see docs)
inline constexpr std::uint32_t kCdpTmodeShift = 8;     // 9:8 TRANSFER_MODE
inline constexpr std::uint32_t kCdpTmodeMask = 0x3u << 8;
inline constexpr std::uint32_t kCdpFast = 1u << 10;    // fast start: fetch the first descriptor at ENABLE
inline constexpr std::uint32_t kCdpWritable = 0x7ffu;
inline constexpr std::uint32_t kTmodeNormal = 0;
inline constexpr std::uint32_t kTmodeLinkedList = 1;
// Address-valid codes (CDP SRC/DST_VALID and a descriptor's next-valid fields).
inline constexpr std::uint32_t kAddrIncrement = 0;  // not in the descriptor: continue from the last block
inline constexpr std::uint32_t kAddrReload = 1;     // in the descriptor
inline constexpr std::uint32_t kAddrReuse = 2;      // not in the descriptor: the previous start address
// Descriptor types (CDP NTYPE, descriptor word 1 bits 31:29).
inline constexpr std::uint32_t kDescType1 = 1;
inline constexpr std::uint32_t kDescType2 = 2;
inline constexpr std::uint32_t kDescType3 = 3;
// CNDP: next descriptor address, word aligned; this value ends the list.
inline constexpr std::uint32_t kCndpWritable = 0xfffffffcu;
inline constexpr std::uint32_t kEndOfList = 0xfffffffcu;
inline constexpr std::uint32_t kCcdnMask = 0xffffu;  // CCDN: descriptors loaded (16 bit)

constexpr std::uint32_t cdp(std::uint32_t tmode, std::uint32_t ntype, std::uint32_t src_valid,
                            std::uint32_t dst_valid, bool fast) {
  return tmode << kCdpTmodeShift | ntype << kCdpNtypeShift | src_valid << kCdpSrcValidShift |
         dst_valid << kCdpDstValidShift | (fast ? kCdpFast : 0u);
}

// A descriptor in memory, little-endian 32-bit words:
//   word 0   next descriptor address (31:2; kEndOfList ends the list), bit 0 PAUSE
//   word 1   CEN 23:0, next source valid 25:24, next destination valid 27:26,
//            BLOCK_IE 28 (type 3 only: it has no CICR field), next type 31:29
//   then the addresses marked kAddrReload by the previous descriptor (or CDP for the first):
//   CDSA first, then CSSA
//   type 2 only, then: CFN 15:0 | CICR 31:16; CDEI 15:0 | CSEI 31:16; CDFI; CSFI
// (type 1 also carries CCR, CLNK_CTRL, CSDP and COLOR; the model refuses type 1.)
inline constexpr std::uint32_t kDescNextSvShift = 24;
inline constexpr std::uint32_t kDescNextDvShift = 26;
inline constexpr std::uint32_t kDescBlockIe = 1u << 28;
inline constexpr std::uint32_t kDescNtypeShift = 29;
inline constexpr std::uint32_t kDescPause = 1u << 0;
inline constexpr unsigned kType2FieldWords = 4;  // CFN|CICR, CDEI|CSEI, CDFI, CSFI

constexpr std::uint32_t desc_word1(std::uint32_t cen, std::uint32_t next_type,
                                   std::uint32_t next_src_valid, std::uint32_t next_dst_valid) {
  return (cen & kCenMask) | next_src_valid << kDescNextSvShift |
         next_dst_valid << kDescNextDvShift | next_type << kDescNtypeShift;
}
// Bytes of a type-2/3 descriptor with `addresses` address words (0..2).
constexpr unsigned descriptor_bytes(std::uint32_t type, unsigned addresses) {
  return 4 * (2 + addresses + (type == kDescType2 ? kType2FieldWords : 0u));
}

}  // namespace aesvp::sdma
