#include "testbench/dmcrypt/iv.h"

#include <string>

#include "testbench/dmcrypt/evp.h"

namespace aesvp::dmcrypt {

namespace {

void put_le64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void put_be64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * (7 - i)));
}

}  // namespace

Iv iv_plain(std::uint64_t iv_sector) {
  Iv iv{};
  const auto low = static_cast<std::uint32_t>(iv_sector);
  for (int i = 0; i < 4; ++i) iv[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(low >> (8 * i));
  return iv;
}

Iv iv_plain64(std::uint64_t iv_sector) {
  Iv iv{};
  put_le64(iv.data(), iv_sector);
  return iv;
}

Iv iv_plain64be(std::uint64_t iv_sector) {
  Iv iv{};
  put_be64(iv.data() + 8, iv_sector);
  return iv;
}

Iv iv_benbi(std::uint64_t iv_sector) {
  Iv iv{};
  put_be64(iv.data() + 8, (iv_sector << kBenbiShift) + 1);
  return iv;
}

Iv iv_null() { return Iv{}; }

std::vector<std::uint8_t> essiv_salt(EssivHash hash, const std::vector<std::uint8_t>& tfm_key) {
  return evp::digest(hash, tfm_key.data(), tfm_key.size());
}

Iv iv_essiv(std::uint64_t iv_sector, const std::vector<std::uint8_t>& salt) {
  const Iv in = iv_plain64(iv_sector);
  Iv out{};
  evp::aes_ecb(salt.data(), salt.size(), true, in.data(), out.data(), kIvBytes);
  return out;
}

IvGenerator::IvGenerator(const VolumeKey& key) : mode_(key.spec().iv) {
  if (mode_ == IvMode::essiv) {
    salts_.reserve(key.keycount());
    for (std::uint32_t i = 0; i < key.keycount(); ++i) {
      salts_.push_back(essiv_salt(key.spec().essiv_hash, key.tfm_key(i)));
    }
  }
}

const std::vector<std::uint8_t>& IvGenerator::salt(std::uint32_t key_index) const {
  static const std::vector<std::uint8_t> empty;
  if (mode_ != IvMode::essiv) return empty;
  if (key_index >= salts_.size()) {
    throw KeyError("key index " + std::to_string(key_index) + " out of range (key count " +
                   std::to_string(salts_.size()) + ")");
  }
  return salts_[key_index];
}

Iv IvGenerator::generate(std::uint64_t iv_sector, std::uint32_t key_index) const {
  switch (mode_) {
    case IvMode::none: return Iv{};
    case IvMode::plain: return iv_plain(iv_sector);
    case IvMode::plain64: return iv_plain64(iv_sector);
    case IvMode::plain64be: return iv_plain64be(iv_sector);
    case IvMode::essiv: return iv_essiv(iv_sector, salt(key_index));
    case IvMode::benbi: return iv_benbi(iv_sector);
    case IvMode::null: return iv_null();
  }
  return Iv{};
}

}  // namespace aesvp::dmcrypt
