// The volume key of a dm-crypt mapping, split into keycount transform keys as the kernel does
// (crypt_set_key: subkey i = bytes [i * size / keycount, (i + 1) * size / keycount)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "testbench/dmcrypt/cipher_spec.h"

namespace aesvp::dmcrypt {

class VolumeKey {
public:
  // Throws KeyError unless key.size() is one of spec.valid_key_bytes(), e.g.
  // "key of 40 bytes (320 bits) does not fit cipher spec 'aes-xts-plain64': expected 32, 48 or
  // 64 bytes (256, 384 or 512 bits)".
  VolumeKey(const CipherSpec& spec, std::vector<std::uint8_t> key);

  const CipherSpec& spec() const { return spec_; }
  const std::vector<std::uint8_t>& bytes() const { return key_; }
  std::uint32_t keycount() const { return spec_.keycount; }
  // Bytes of one transform key (XTS: both AES keys).
  std::size_t tfm_key_bytes() const { return key_.size() / spec_.keycount; }
  // Bytes of one AES key (XTS: half the transform key).
  std::size_t aes_key_bytes() const;
  // Key of transform `index` (0 <= index < keycount); throws KeyError when out of range.
  std::vector<std::uint8_t> tfm_key(std::uint32_t index) const;

private:
  CipherSpec spec_;
  std::vector<std::uint8_t> key_;
};

// cryptsetup plain-mode defaults (`cryptsetup open --type plain` without --cipher / --key-size
// / --hash; cryptsetup 2.6, Debian 12).
inline constexpr const char* kPlainDefaultCipher = "aes-cbc-essiv:sha256";
inline constexpr std::uint32_t kPlainDefaultKeyBits = 256;
inline constexpr const char* kPlainDefaultHash = "ripemd160";

// The key of a cryptsetup plain-mode mapping opened with --key-file: the file's bytes are used
// unhashed, and exactly key_size_bits / 8 of them are read from `keyfile_offset` on (cryptsetup
// ignores --keyfile-size then; extra bytes are not used). Throws KeyError when key_size_bits is
// not a multiple of 8, does not fit the spec, or the file is too short.
VolumeKey plain_key_from_file(const CipherSpec& spec, std::uint32_t key_size_bits,
                              const std::vector<std::uint8_t>& file_bytes,
                              std::uint64_t keyfile_offset = 0);

// The key of a plain-mode mapping whose passphrase comes from a terminal or stdin
// (`--key-file -`): one direct hash, no salt, no iteration. A hash shorter than the key is
// repeated with a growing prefix of 'A' bytes (round i hashes i x 'A' followed by the
// passphrase) and the rounds are concatenated, then truncated to the key size, as cryptsetup
// does. Hash "plain" uses the passphrase bytes themselves (refused here when shorter than the
// key). Throws KeyError for a bad size or hash.
VolumeKey plain_key_from_passphrase(const CipherSpec& spec, std::uint32_t key_size_bits,
                                    const std::vector<std::uint8_t>& passphrase,
                                    const std::string& hash);

}  // namespace aesvp::dmcrypt
