// The bulk extension of the AES model: BEYOND TI SILICON. Registers that let the core derive
// each data unit's IV itself (XTS tweak T = E_K2(IV(n + i)), CBC IVs plain / plain64 /
// plain64be, ESSIV E_salt(plain64(n + i)) with the salt key in KEY2), so one C_LENGTH covers
// many data units. Declared only with aes.bulk_extension; see docs/omap-aes-model.md.
#include "models/aes/omap_aes.h"

#include <sstream>

namespace aesvp {

namespace regs = omap_aes;

namespace {

unsigned key_bits_of(std::uint32_t size_field) {
  return size_field == regs::kKeySize128 ? 128 : size_field == regs::kKeySize192 ? 192
         : size_field == regs::kKeySize256 ? 256 : 0;
}

}  // namespace

void OmapAes::declare_bulk_registers() {
  // Settings are latched at a context's first block; a write also re-arms the latch so that
  // registers written after CTRL (before the data) count.
  auto settings = [this](RegAccess& a) {
    units_dirty_ = true;
    replan_ = true;      // announced rises wait for the units' latch
    keys_dirty_ = true;  // the salt key size may have changed
    return a.merged();
  };
  bank_.add("BULK_CTRL", regs::kBulkCtrl, Access::ReadWrite)
      .writable(regs::kBulkCtrlMask)
      .on_write(settings);
  bank_.add("DU_SIZE", regs::kDuSize, Access::ReadWrite).on_write(settings);
  // DU_NUM reads back the number of the next unit (like IV_IN after CBC: ready for chaining).
  auto read_num = [this](unsigned half) {
    return [this, half]() {
      const std::uint64_t n =
          engine_.units_active()
              ? engine_.next_unit()
              : (std::uint64_t{bank_.at(regs::kDuNum1).get()} << 32) | bank_.at(regs::kDuNum0).get();
      return static_cast<std::uint32_t>(half == 0 ? n : n >> 32);
    };
  };
  bank_.add("DU_NUM_0", regs::kDuNum0, Access::ReadWrite).value(read_num(0)).on_write(settings);
  bank_.add("DU_NUM_1", regs::kDuNum1, Access::ReadWrite).value(read_num(1)).on_write(settings);
  bank_.add("BULK_CAPS", regs::kBulkCaps, Access::ReadOnly, regs::kBulkCapsValue);
}

unsigned OmapAes::key2_bits() {
  if (!params_.bulk_extension) return key_bits_;
  const std::uint32_t c = bank_.at(regs::kBulkCtrl).get();
  const std::uint32_t kind = (c & regs::kBulkIvKindMask) >> regs::kBulkIvKindShift;
  if ((c & regs::kBulkEnable) == 0 || kind != regs::kBulkIvEssiv) return key_bits_;
  const unsigned salt = key_bits_of((c & regs::kBulkSaltKeySizeMask) >> regs::kBulkSaltKeySizeShift);
  return salt != 0 ? salt : key_bits_;
}

void OmapAes::latch_units() {
  units_dirty_ = false;
  if (!params_.bulk_extension) return;
  const std::uint32_t c = bank_.at(regs::kBulkCtrl).get();
  if ((c & regs::kBulkEnable) == 0) return;
  const std::uint32_t du = bank_.at(regs::kDuSize).get();
  const std::uint32_t kind = (c & regs::kBulkIvKindMask) >> regs::kBulkIvKindShift;
  AesUnitSpec u;
  u.enabled = true;
  u.unit_blocks = du / regs::kBlockBytes;
  u.first_unit = (std::uint64_t{bank_.at(regs::kDuNum1).get()} << 32) | bank_.at(regs::kDuNum0).get();
  u.step_log2 = (c & regs::kBulkStepMask) >> regs::kBulkStepShift;
  u.iv_kind = static_cast<UnitIvKind>(kind);
  std::string why;
  if (du == 0 || du % regs::kBlockBytes != 0 || du > regs::kBulkMaxDuBytes)
    why = "DU_SIZE is not a multiple of 16 in 16..65536";
  else if (kind < regs::kBulkIvPlain || kind > regs::kBulkIvEssiv) why = "IV_KIND is reserved";
  else if (kind == regs::kBulkIvEssiv && engine_.spec().chaining != AesChaining::Cbc)
    why = "ESSIV needs CBC (KEY2 holds the salt key)";
  else if (!engine_.start_units(u)) why = "per-unit IVs need CBC or XTS";
  if (!why.empty()) {
    std::ostringstream msg;
    msg << "BULK_CTRL 0x" << std::hex << c << ": " << why << "; units are off for this context";
    warn_model(msg.str());
  }
}

}  // namespace aesvp
