// Independent OpenSSL reference of a dm-crypt volume for the scoreboard: encrypts / decrypts
// encryption sectors from a cipher spec, a key and a sector mapping with OpenSSL EVP full-mode
// ciphers (aes-*-ecb/cbc/ctr, aes-128/256-xts). Uses no hardware-model or driver code.
//
// XTS with two AES-192 keys (384-bit key, accepted by the kernel's xts template) has no OpenSSL
// cipher; it is computed from OpenSSL AES-192-ECB plus the IEEE 1619 tweak arithmetic
// (xts_via_ecb). The same path serves XTS keys whose two halves are equal, which OpenSSL 3
// refuses ("xts duplicated keys") while the kernel accepts them outside FIPS mode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "testbench/dmcrypt/cipher_spec.h"
#include "testbench/dmcrypt/iv.h"
#include "testbench/dmcrypt/key.h"
#include "testbench/dmcrypt/mapping.h"

namespace aesvp::dmcrypt {

enum class Direction { encrypt, decrypt };

// One data unit in `mode` with one transform key (XTS: key1 || key2, key1 encrypts the data,
// key2 the tweak) and a 16-byte IV (ignored for ECB). len: multiple of 16. in may equal out.
void crypt_unit(ChainMode mode, const std::vector<std::uint8_t>& tfm_key, const Iv& iv,
                const std::uint8_t* in, std::uint8_t* out, std::size_t len, Direction dir);

// XTS from AES-ECB: T = E_key2(iv); per 16-byte block j: C = E_key1(P ^ T) ^ T, T = T * x in
// GF(2^128) (little-endian, reduction 0x87). No ciphertext stealing (len multiple of 16).
void xts_via_ecb(const std::vector<std::uint8_t>& tfm_key, const Iv& iv, const std::uint8_t* in,
                 std::uint8_t* out, std::size_t len, Direction dir);

class Reference {
public:
  // Throws MappingError if the mapping is invalid or mapping.keycount != key.keycount().
  Reference(VolumeKey key, SectorMapping mapping);

  const CipherSpec& spec() const { return key_.spec(); }
  const VolumeKey& key() const { return key_; }
  const SectorMapping& mapping() const { return mapping_; }
  std::uint32_t sector_size() const { return mapping_.sector_size; }

  // IV and key index of encryption sector `index` (counted from the start of the area).
  Iv iv_of(std::uint64_t index) const;
  std::uint32_t key_index_of(std::uint64_t index) const { return mapping_.key_index_of(index); }

  // One encryption sector: sector_size bytes. in may equal out.
  void crypt_sector(std::uint64_t index, const std::uint8_t* in, std::uint8_t* out,
                    Direction dir) const;
  // A run of consecutive sectors starting at `first_index`; bytes: multiple of sector_size.
  void crypt_sectors(std::uint64_t first_index, const std::uint8_t* in, std::uint8_t* out,
                     std::size_t bytes, Direction dir) const;
  std::vector<std::uint8_t> encrypt(std::uint64_t first_index,
                                    const std::vector<std::uint8_t>& plain) const;
  std::vector<std::uint8_t> decrypt(std::uint64_t first_index,
                                    const std::vector<std::uint8_t>& cipher) const;

private:
  VolumeKey key_;
  SectorMapping mapping_;
  IvGenerator ivgen_;
  std::vector<std::vector<std::uint8_t>> tfm_keys_;
};

}  // namespace aesvp::dmcrypt
