// dm-crypt cipher specifications: the classic form `aes[:keycount]-chainmode[-ivmode[:ivopts]]`
// and the kernel crypto API form `capi:chainmode(aes)[-ivmode[:ivopts]]`, restricted to the set
// the testbench supports (see docs/dmcrypt.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "testbench/dmcrypt/error.h"

namespace aesvp::dmcrypt {

enum class ChainMode { ecb, cbc, ctr, xts };
enum class IvMode { none, plain, plain64, plain64be, essiv, benbi, null };
enum class EssivHash { none, md5, sha256 };

std::string_view to_string(ChainMode mode);
std::string_view to_string(IvMode mode);  // "none" for IvMode::none
std::string_view to_string(EssivHash hash);  // "none" for EssivHash::none

// Digest length of an ESSIV hash in bytes (md5 16, sha256 32); 0 for none.
std::size_t digest_bytes(EssivHash hash);

struct CipherSpec {
  ChainMode chain = ChainMode::cbc;
  IvMode iv = IvMode::plain64;
  EssivHash essiv_hash = EssivHash::none;  // set iff iv == IvMode::essiv
  std::uint32_t keycount = 1;              // power of two; classic form only

  // Classic canonical form, e.g. "aes-xts-plain64", "aes:4-cbc-essiv:sha256", "aes-ecb".
  // parse_cipher_spec(s.canonical()) == s for every valid spec.
  std::string canonical() const;
  // Kernel crypto API form, e.g. "capi:xts(aes)-plain64". keycount is not expressible in this
  // form: throws SpecError when keycount > 1.
  std::string capi() const;

  // Bytes of key one transform (one keycount slot) takes: AES 16/24/32; XTS 32/48/64.
  std::vector<std::size_t> valid_tfm_key_bytes() const;
  // Total key sizes in bytes (keycount x valid_tfm_key_bytes()).
  std::vector<std::size_t> valid_key_bytes() const;
  bool is_valid_key_bytes(std::size_t total_bytes) const;

  friend bool operator==(const CipherSpec& a, const CipherSpec& b) {
    return a.chain == b.chain && a.iv == b.iv && a.essiv_hash == b.essiv_hash &&
           a.keycount == b.keycount;
  }
  friend bool operator!=(const CipherSpec& a, const CipherSpec& b) { return !(a == b); }
};

// Parses a cipher specification. Throws SpecError("cipher spec '<text>': <reason>").
CipherSpec parse_cipher_spec(std::string_view text);

}  // namespace aesvp::dmcrypt
