// Register map of the TI OMAP4-class AES accelerator (OMAP4/5, AM335x, AM437x, DRA7/AM57x,
// AM62L "DTHEv2" layout): offsets and bit fields as plain constants. No SystemC here: the
// model and the driver both include this header; it is the one place these facts live.
// Source: docs/omap-aes-model.md and the project's fact sheet (Linux omap-aes / dthev2-aes,
// TI register headers of the same IP).
#pragma once

#include <cstdint>

namespace aesvp::omap_aes {

// Width of the register window.
inline constexpr std::uint32_t kWindowSize = 0x100;

// --- Keys -------------------------------------------------------------------------------
// Eight words per key. Key word x (word 0 = key bytes 0-3, little-endian) does not sit at
// base + 4x: the words are stored in odd/even-swapped order from the top down.
inline constexpr std::uint32_t kKey2Base = 0x00;  // KEY2_6 .. KEY2_1 (XTS key2)
inline constexpr std::uint32_t kKey1Base = 0x20;  // KEY1_6 .. KEY1_1
inline constexpr std::uint32_t kKeyWords = 8;
inline constexpr std::uint32_t key1_word(std::uint32_t x) { return 0x3c - ((x ^ 1u) * 4); }
inline constexpr std::uint32_t key2_word(std::uint32_t x) { return 0x1c - ((x ^ 1u) * 4); }

// --- IV / counter / XTS tweak ---------------------------------------------------------
inline constexpr std::uint32_t kIvIn0 = 0x40;
inline constexpr std::uint32_t iv_in(std::uint32_t x) { return kIvIn0 + 4 * x; }  // IV_IN_0..3

// --- Control and lengths ----------------------------------------------------------------
inline constexpr std::uint32_t kCtrl = 0x50;
inline constexpr std::uint32_t kCLength0 = 0x54;  // payload length in bytes, low 32 bits
inline constexpr std::uint32_t kCLength1 = 0x58;  // payload length, high bits
inline constexpr std::uint32_t kAuthLength = 0x5c;  // GCM/CCM AAD length; XTS: j

// --- Data and tag -------------------------------------------------------------------------
inline constexpr std::uint32_t kDataInOut0 = 0x60;
inline constexpr std::uint32_t data_in_out(std::uint32_t x) { return kDataInOut0 + 4 * x; }
inline constexpr std::uint32_t kTagOut0 = 0x70;
inline constexpr std::uint32_t tag_out(std::uint32_t x) { return kTagOut0 + 4 * x; }

// --- Module registers ----------------------------------------------------------------------
inline constexpr std::uint32_t kRevision = 0x80;
inline constexpr std::uint32_t kSysconfig = 0x84;
inline constexpr std::uint32_t kSysstatus = 0x88;
inline constexpr std::uint32_t kIrqStatus = 0x8c;
inline constexpr std::uint32_t kIrqEnable = 0x90;

// --- CTRL fields ------------------------------------------------------------------------------
inline constexpr std::uint32_t kCtrlOutputReady = 1u << 0;  // RO: an output block waits in DATA
inline constexpr std::uint32_t kCtrlInputReady = 1u << 1;   // RO: DATA can take an input block
inline constexpr std::uint32_t kCtrlDirection = 1u << 2;    // 1 = encrypt, 0 = decrypt
inline constexpr std::uint32_t kCtrlKeySizeShift = 3;
inline constexpr std::uint32_t kCtrlKeySizeMask = 3u << kCtrlKeySizeShift;
inline constexpr std::uint32_t kKeySize128 = 1;  // KEY_SIZE values
inline constexpr std::uint32_t kKeySize192 = 2;
inline constexpr std::uint32_t kKeySize256 = 3;
inline constexpr std::uint32_t kCtrlCbc = 1u << 5;
inline constexpr std::uint32_t kCtrlCtr = 1u << 6;
inline constexpr std::uint32_t kCtrlCtrWidthShift = 7;
inline constexpr std::uint32_t kCtrlCtrWidthMask = 3u << kCtrlCtrWidthShift;
inline constexpr std::uint32_t kCtrWidth32 = 0;  // CTR_WIDTH values
inline constexpr std::uint32_t kCtrWidth64 = 1;
inline constexpr std::uint32_t kCtrWidth96 = 2;
inline constexpr std::uint32_t kCtrWidth128 = 3;
inline constexpr std::uint32_t kCtrlIcm = 1u << 9;
inline constexpr std::uint32_t kCtrlCfb = 1u << 10;
inline constexpr std::uint32_t kCtrlXtsShift = 11;
inline constexpr std::uint32_t kCtrlXtsMask = 3u << kCtrlXtsShift;
inline constexpr std::uint32_t kXtsNone = 0;         // XTS values
inline constexpr std::uint32_t kXtsTweakAndJ = 1;    // IV = running tweak T, AUTH_LENGTH = j
inline constexpr std::uint32_t kXtsKey2NAndJ = 2;    // T = E_key2(n) * alpha^j
inline constexpr std::uint32_t kXtsKey2N = 3;        // T = E_key2(n), j = 0
inline constexpr std::uint32_t kCtrlF8 = 1u << 13;
inline constexpr std::uint32_t kCtrlF9 = 1u << 14;
inline constexpr std::uint32_t kCtrlCbcMac = 1u << 15;
inline constexpr std::uint32_t kCtrlGcmShift = 16;
inline constexpr std::uint32_t kCtrlGcmMask = 3u << kCtrlGcmShift;
inline constexpr std::uint32_t kCtrlCcm = 1u << 18;
inline constexpr std::uint32_t kCtrlSaveContext = 1u << 29;
inline constexpr std::uint32_t kCtrlContextReady = 1u << 31;  // RO: a new context is accepted
// The read-only status bits of CTRL, and the field mask Linux drivers update (GENMASK(24, 2)).
inline constexpr std::uint32_t kCtrlStatusBits = kCtrlOutputReady | kCtrlInputReady | kCtrlContextReady;
inline constexpr std::uint32_t kCtrlDriverMask = 0x01fffffcu;

inline constexpr std::uint32_t ctrl_key_size(std::uint32_t key_bits) {
  return key_bits == 128 ? kKeySize128 : key_bits == 192 ? kKeySize192 : key_bits == 256 ? kKeySize256 : 0;
}

// --- REVISION -------------------------------------------------------------------------------------
inline constexpr std::uint32_t kRevMajorShift = 8;  // major in 10:8
inline constexpr std::uint32_t kRevMajorMask = 7u << kRevMajorShift;
inline constexpr std::uint32_t kRevMinorMask = 0x3f;  // minor in 5:0

// --- SYSCONFIG / SYSSTATUS ---------------------------------------------------------------------------
inline constexpr std::uint32_t kSysconfigSoftreset = 1u << 1;  // self-clearing
inline constexpr std::uint32_t kSysconfigDmaReqDataInEn = 1u << 5;   // DMA request "tx" (into DATA_IN)
inline constexpr std::uint32_t kSysconfigDmaReqDataOutEn = 1u << 6;  // DMA request "rx" (out of DATA_OUT)
inline constexpr std::uint32_t kSysstatusResetDone = 1u << 0;
// SYSCONFIG bits 7:0 are stored (AUTOIDLE, SIDLE, the DMA request enables, ...); SOFTRESET
// self-clears and never reads back once the reset is done.
inline constexpr std::uint32_t kSysconfigWritable = 0xffu & ~kSysconfigSoftreset;

// --- IRQSTATUS / IRQENABLE (level status; writes clear nothing) ---------------------------------------
inline constexpr std::uint32_t kIrqContextIn = 1u << 0;  // a new context can be loaded
inline constexpr std::uint32_t kIrqDataIn = 1u << 1;     // the input buffer can take a block
inline constexpr std::uint32_t kIrqDataOut = 1u << 2;    // an output block is ready
inline constexpr std::uint32_t kIrqAll = kIrqContextIn | kIrqDataIn | kIrqDataOut;

inline constexpr std::uint32_t kBlockBytes = 16;

// --- Bulk extension: BEYOND TI SILICON ------------------------------------------------------------
// Registers of aesvp's modelled per-data-unit IV extension (no TI AES has them). They exist
// only when the model's aes.bulk_extension parameter is on; otherwise these offsets are holes
// like the rest of 0x94-0xff. See docs/omap-aes-model.md, "Bulk extension".
inline constexpr std::uint32_t kBulkCtrl = 0xa0;  // RW, reset 0
inline constexpr std::uint32_t kDuSize = 0xa4;    // RW, reset 0: data-unit size in bytes
inline constexpr std::uint32_t kDuNum0 = 0xa8;    // RW, reset 0: data-unit number, low 32 bits
inline constexpr std::uint32_t kDuNum1 = 0xac;    // RW, reset 0: data-unit number, high 32 bits
inline constexpr std::uint32_t kBulkCaps = 0xb0;  // RO: what the extension supports
// BULK_CTRL fields.
inline constexpr std::uint32_t kBulkEnable = 1u << 0;  // derive each unit's IV (CBC, XTS only)
inline constexpr std::uint32_t kBulkIvKindShift = 1;   // 3:1
inline constexpr std::uint32_t kBulkIvKindMask = 7u << kBulkIvKindShift;
inline constexpr std::uint32_t kBulkIvPlain = 1;       // IV_KIND values (dm-crypt names)
inline constexpr std::uint32_t kBulkIvPlain64 = 2;
inline constexpr std::uint32_t kBulkIvPlain64Be = 3;
inline constexpr std::uint32_t kBulkIvEssiv = 4;       // CBC only: salt key in KEY2
inline constexpr std::uint32_t kBulkStepShift = 4;     // 9:4: number step = 2^STEP per unit
inline constexpr std::uint32_t kBulkStepMask = 0x3fu << kBulkStepShift;
inline constexpr std::uint32_t kBulkSaltKeySizeShift = 10;  // 11:10: KEY2 size for ESSIV
inline constexpr std::uint32_t kBulkSaltKeySizeMask = 3u << kBulkSaltKeySizeShift;
inline constexpr std::uint32_t kBulkCtrlMask = 0xfffu;
// BULK_CAPS value: bit 0 present; bits 4-7 IV kinds plain/plain64/plain64be/essiv; bit 8
// CBC, bit 9 XTS; bits 31:16 the largest DU_SIZE in 16-byte blocks (DU_SIZE <= 64 KiB).
inline constexpr std::uint32_t kBulkCapsPresent = 1u << 0;
inline constexpr std::uint32_t kBulkMaxDuBytes = 65536;
inline constexpr std::uint32_t kBulkCapsValue =
    kBulkCapsPresent | (0xfu << 4) | (1u << 8) | (1u << 9) | ((kBulkMaxDuBytes / 16) << 16);

}  // namespace aesvp::omap_aes
