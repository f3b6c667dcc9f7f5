#include "testbench/dmcrypt/key.h"

#include "testbench/dmcrypt/error.h"
#include "testbench/dmcrypt/evp.h"

#include <algorithm>
#include <string>

namespace aesvp::dmcrypt {

namespace {

// "16, 24 or 32" in bytes, or in bits when `bits`.
std::string join_sizes(const std::vector<std::size_t>& sizes, bool bits) {
  std::string s;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (i > 0) s += (i + 1 == sizes.size()) ? " or " : ", ";
    s += std::to_string(bits ? sizes[i] * 8 : sizes[i]);
  }
  return s;
}

}  // namespace

VolumeKey::VolumeKey(const CipherSpec& spec, std::vector<std::uint8_t> key)
    : spec_(spec), key_(std::move(key)) {
  if (!spec_.is_valid_key_bytes(key_.size())) {
    const auto valid = spec_.valid_key_bytes();
    throw KeyError("key of " + std::to_string(key_.size()) + " bytes (" +
                   std::to_string(key_.size() * 8) + " bits) does not fit cipher spec '" +
                   spec_.canonical() + "': expected " + join_sizes(valid, false) + " bytes (" +
                   join_sizes(valid, true) + " bits)");
  }
}

std::size_t VolumeKey::aes_key_bytes() const {
  return spec_.chain == ChainMode::xts ? tfm_key_bytes() / 2 : tfm_key_bytes();
}

std::vector<std::uint8_t> VolumeKey::tfm_key(std::uint32_t index) const {
  if (index >= spec_.keycount) {
    throw KeyError("key index " + std::to_string(index) + " out of range (key count " +
                   std::to_string(spec_.keycount) + ")");
  }
  const std::size_t n = tfm_key_bytes();
  const auto first = key_.begin() + static_cast<std::ptrdiff_t>(index * n);
  return {first, first + static_cast<std::ptrdiff_t>(n)};
}

VolumeKey plain_key_from_file(const CipherSpec& spec, std::uint32_t key_size_bits,
                              const std::vector<std::uint8_t>& file_bytes,
                              std::uint64_t keyfile_offset) {
  if (key_size_bits == 0 || key_size_bits % 8 != 0) {
    throw KeyError("--key-size " + std::to_string(key_size_bits) +
                   " is not a positive multiple of 8 bits");
  }
  const std::size_t bytes = key_size_bits / 8;
  if (!spec.is_valid_key_bytes(bytes)) {
    VolumeKey(spec, std::vector<std::uint8_t>(bytes));  // throws the size message
  }
  const std::uint64_t available =
      keyfile_offset < file_bytes.size() ? file_bytes.size() - keyfile_offset : 0;
  if (available < bytes) {
    throw KeyError("key file of " + std::to_string(file_bytes.size()) + " bytes holds " +
                   std::to_string(available) + " bytes from offset " +
                   std::to_string(keyfile_offset) + ", --key-size " +
                   std::to_string(key_size_bits) + " needs " + std::to_string(bytes));
  }
  const auto first = file_bytes.begin() + static_cast<std::ptrdiff_t>(keyfile_offset);
  return VolumeKey(spec, std::vector<std::uint8_t>(first, first + static_cast<std::ptrdiff_t>(bytes)));
}

VolumeKey plain_key_from_passphrase(const CipherSpec& spec, std::uint32_t key_size_bits,
                                    const std::vector<std::uint8_t>& passphrase,
                                    const std::string& hash) {
  if (hash == "plain") return plain_key_from_file(spec, key_size_bits, passphrase);
  // Size checks first, with the same messages as for a key file.
  if (key_size_bits == 0 || key_size_bits % 8 != 0 ||
      !spec.is_valid_key_bytes(key_size_bits / 8))
    plain_key_from_file(spec, key_size_bits, {});
  const std::size_t bytes = key_size_bits / 8;
  std::vector<std::uint8_t> key;
  std::vector<std::uint8_t> input = passphrase;
  try {
    while (key.size() < bytes) {
      const std::vector<std::uint8_t> round = evp::digest(hash, input.data(), input.size());
      const std::size_t take = std::min(round.size(), bytes - key.size());
      key.insert(key.end(), round.begin(), round.begin() + static_cast<std::ptrdiff_t>(take));
      input.insert(input.begin(), 'A');  // the next round hashes one more 'A' first
    }
  } catch (const CryptoError& e) {
    throw KeyError(std::string("--hash: ") + e.what());
  }
  return VolumeKey(spec, std::move(key));
}

}  // namespace aesvp::dmcrypt
