// Cipher specification parsing: every accepted spec (classic and capi forms, with key counts)
// and a table of refused specs with their exact messages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testbench/dmcrypt/cipher_spec.h"

namespace aesvp::dmcrypt {
namespace {

struct Accepted {
  const char* text;
  ChainMode chain;
  IvMode iv;
  EssivHash hash;
  std::uint32_t keycount;
  const char* canonical;
};

const std::vector<Accepted>& accepted() {
  static const std::vector<Accepted> table = {
      {"aes-ecb", ChainMode::ecb, IvMode::none, EssivHash::none, 1, "aes-ecb"},
      {"aes-cbc-plain", ChainMode::cbc, IvMode::plain, EssivHash::none, 1, "aes-cbc-plain"},
      {"aes-cbc-plain64", ChainMode::cbc, IvMode::plain64, EssivHash::none, 1, "aes-cbc-plain64"},
      {"aes-cbc-plain64be", ChainMode::cbc, IvMode::plain64be, EssivHash::none, 1, "aes-cbc-plain64be"},
      {"aes-cbc-essiv:sha256", ChainMode::cbc, IvMode::essiv, EssivHash::sha256, 1, "aes-cbc-essiv:sha256"},
      {"aes-cbc-essiv:md5", ChainMode::cbc, IvMode::essiv, EssivHash::md5, 1, "aes-cbc-essiv:md5"},
      {"aes-cbc-benbi", ChainMode::cbc, IvMode::benbi, EssivHash::none, 1, "aes-cbc-benbi"},
      {"aes-cbc-null", ChainMode::cbc, IvMode::null, EssivHash::none, 1, "aes-cbc-null"},
      {"aes-ctr-plain", ChainMode::ctr, IvMode::plain, EssivHash::none, 1, "aes-ctr-plain"},
      {"aes-ctr-plain64", ChainMode::ctr, IvMode::plain64, EssivHash::none, 1, "aes-ctr-plain64"},
      {"aes-ctr-plain64be", ChainMode::ctr, IvMode::plain64be, EssivHash::none, 1, "aes-ctr-plain64be"},
      {"aes-xts-plain", ChainMode::xts, IvMode::plain, EssivHash::none, 1, "aes-xts-plain"},
      {"aes-xts-plain64", ChainMode::xts, IvMode::plain64, EssivHash::none, 1, "aes-xts-plain64"},
      {"aes-xts-plain64be", ChainMode::xts, IvMode::plain64be, EssivHash::none, 1, "aes-xts-plain64be"},
      {"aes-xts-essiv:sha256", ChainMode::xts, IvMode::essiv, EssivHash::sha256, 1, "aes-xts-essiv:sha256"},
      {"aes-xts-essiv:md5", ChainMode::xts, IvMode::essiv, EssivHash::md5, 1, "aes-xts-essiv:md5"},
      // Kernel crypto API form.
      {"capi:ecb(aes)", ChainMode::ecb, IvMode::none, EssivHash::none, 1, "aes-ecb"},
      {"capi:cbc(aes)-plain", ChainMode::cbc, IvMode::plain, EssivHash::none, 1, "aes-cbc-plain"},
      {"capi:cbc(aes)-plain64", ChainMode::cbc, IvMode::plain64, EssivHash::none, 1, "aes-cbc-plain64"},
      {"capi:cbc(aes)-plain64be", ChainMode::cbc, IvMode::plain64be, EssivHash::none, 1, "aes-cbc-plain64be"},
      {"capi:cbc(aes)-essiv:sha256", ChainMode::cbc, IvMode::essiv, EssivHash::sha256, 1, "aes-cbc-essiv:sha256"},
      {"capi:cbc(aes)-essiv:md5", ChainMode::cbc, IvMode::essiv, EssivHash::md5, 1, "aes-cbc-essiv:md5"},
      {"capi:cbc(aes)-benbi", ChainMode::cbc, IvMode::benbi, EssivHash::none, 1, "aes-cbc-benbi"},
      {"capi:cbc(aes)-null", ChainMode::cbc, IvMode::null, EssivHash::none, 1, "aes-cbc-null"},
      {"capi:ctr(aes)-plain", ChainMode::ctr, IvMode::plain, EssivHash::none, 1, "aes-ctr-plain"},
      {"capi:ctr(aes)-plain64", ChainMode::ctr, IvMode::plain64, EssivHash::none, 1, "aes-ctr-plain64"},
      {"capi:ctr(aes)-plain64be", ChainMode::ctr, IvMode::plain64be, EssivHash::none, 1, "aes-ctr-plain64be"},
      {"capi:xts(aes)-plain", ChainMode::xts, IvMode::plain, EssivHash::none, 1, "aes-xts-plain"},
      {"capi:xts(aes)-plain64", ChainMode::xts, IvMode::plain64, EssivHash::none, 1, "aes-xts-plain64"},
      {"capi:xts(aes)-plain64be", ChainMode::xts, IvMode::plain64be, EssivHash::none, 1, "aes-xts-plain64be"},
      {"capi:xts(aes)-essiv:sha256", ChainMode::xts, IvMode::essiv, EssivHash::sha256, 1, "aes-xts-essiv:sha256"},
      {"capi:xts(aes)-essiv:md5", ChainMode::xts, IvMode::essiv, EssivHash::md5, 1, "aes-xts-essiv:md5"},
      // Key counts (classic form only).
      {"aes:1-cbc-plain64", ChainMode::cbc, IvMode::plain64, EssivHash::none, 1, "aes-cbc-plain64"},
      {"aes:2-cbc-essiv:sha256", ChainMode::cbc, IvMode::essiv, EssivHash::sha256, 2, "aes:2-cbc-essiv:sha256"},
      {"aes:4-xts-plain64", ChainMode::xts, IvMode::plain64, EssivHash::none, 4, "aes:4-xts-plain64"},
      {"aes:8-ecb", ChainMode::ecb, IvMode::none, EssivHash::none, 8, "aes:8-ecb"},
      {"aes:64-ctr-plain", ChainMode::ctr, IvMode::plain, EssivHash::none, 64, "aes:64-ctr-plain"},
  };
  return table;
}

TEST(dmcrypt_CipherSpec, AcceptsEverySupportedSpec) {
  for (const auto& a : accepted()) {
    SCOPED_TRACE(a.text);
    const CipherSpec s = parse_cipher_spec(a.text);
    EXPECT_EQ(s.chain, a.chain);
    EXPECT_EQ(s.iv, a.iv);
    EXPECT_EQ(s.essiv_hash, a.hash);
    EXPECT_EQ(s.keycount, a.keycount);
    EXPECT_EQ(s.canonical(), a.canonical);
    // Canonical and capi forms parse back to the same spec.
    EXPECT_EQ(parse_cipher_spec(s.canonical()), s);
    if (s.keycount == 1) {
      EXPECT_EQ(parse_cipher_spec(s.capi()), s);
    } else {
      EXPECT_THROW((void)s.capi(), SpecError);
    }
  }
}

TEST(dmcrypt_CipherSpec, CapiForm) {
  EXPECT_EQ(parse_cipher_spec("aes-xts-plain64").capi(), "capi:xts(aes)-plain64");
  EXPECT_EQ(parse_cipher_spec("aes-cbc-essiv:sha256").capi(), "capi:cbc(aes)-essiv:sha256");
  EXPECT_EQ(parse_cipher_spec("aes-ecb").capi(), "capi:ecb(aes)");
  try {
    (void)parse_cipher_spec("aes:2-cbc-plain").capi();
    FAIL() << "no throw";
  } catch (const SpecError& e) {
    EXPECT_STREQ(e.what(), "cipher spec 'aes:2-cbc-plain': a key count has no kernel crypto API (capi:) form");
  }
}

TEST(dmcrypt_CipherSpec, KeySizes) {
  const auto cbc = parse_cipher_spec("aes-cbc-essiv:sha256");
  EXPECT_EQ(cbc.valid_key_bytes(), (std::vector<std::size_t>{16, 24, 32}));
  const auto xts = parse_cipher_spec("aes-xts-plain64");
  EXPECT_EQ(xts.valid_key_bytes(), (std::vector<std::size_t>{32, 48, 64}));
  const auto xts4 = parse_cipher_spec("aes:4-xts-plain64");
  EXPECT_EQ(xts4.valid_tfm_key_bytes(), (std::vector<std::size_t>{32, 48, 64}));
  EXPECT_EQ(xts4.valid_key_bytes(), (std::vector<std::size_t>{128, 192, 256}));
  EXPECT_TRUE(xts4.is_valid_key_bytes(256));
  EXPECT_FALSE(xts4.is_valid_key_bytes(64));
  const auto ecb2 = parse_cipher_spec("aes:2-ecb");
  EXPECT_EQ(ecb2.valid_key_bytes(), (std::vector<std::size_t>{32, 48, 64}));
}

TEST(dmcrypt_CipherSpec, DigestBytes) {
  EXPECT_EQ(digest_bytes(EssivHash::md5), 16u);
  EXPECT_EQ(digest_bytes(EssivHash::sha256), 32u);
  EXPECT_EQ(digest_bytes(EssivHash::none), 0u);
}

struct Refused {
  const char* text;
  const char* message;
};

TEST(dmcrypt_CipherSpec, RefusesWithPreciseMessages) {
  const std::vector<Refused> table = {
      {"", "cipher spec '': empty"},
      {"aes-cbc-plain64 ", "cipher spec 'aes-cbc-plain64 ': contains white space"},
      {"aes", "cipher spec 'aes': missing chain mode (the kernel's legacy short form 'aes' = "
              "aes-cbc-plain is not accepted: write aes-cbc-plain)"},
      {"aes-plain", "cipher spec 'aes-plain': legacy short form 'aes-plain' is not accepted: "
                    "write aes-cbc-plain"},
      {"twofish-cbc-plain64", "cipher spec 'twofish-cbc-plain64': unsupported cipher 'twofish' (only aes)"},
      {"AES-cbc-plain64", "cipher spec 'AES-cbc-plain64': unsupported cipher 'AES' (only aes)"},
      {"-cbc-plain64", "cipher spec '-cbc-plain64': missing cipher name"},
      {"aes--plain64", "cipher spec 'aes--plain64': missing chain mode"},
      {"aes-lrw-benbi", "cipher spec 'aes-lrw-benbi': unsupported chain mode 'lrw' (supported: ecb, cbc, ctr, xts)"},
      {"aes-cbc", "cipher spec 'aes-cbc': chain mode 'cbc' needs an IV mode (one of: plain, "
                  "plain64, plain64be, essiv:HASH, benbi, null)"},
      {"aes-ctr", "cipher spec 'aes-ctr': chain mode 'ctr' needs an IV mode (one of: plain, plain64, plain64be)"},
      {"aes-xts", "cipher spec 'aes-xts': chain mode 'xts' needs an IV mode (one of: plain, "
                  "plain64, plain64be, essiv:HASH)"},
      {"aes-cbc-", "cipher spec 'aes-cbc-': empty IV mode"},
      {"aes-cbc-foo", "cipher spec 'aes-cbc-foo': unknown IV mode 'foo'"},
      {"aes-cbc-plain64-x", "cipher spec 'aes-cbc-plain64-x': unknown IV mode 'plain64-x'"},
      {"aes-ecb-plain", "cipher spec 'aes-ecb-plain': chain mode 'ecb' takes no IV mode (got 'plain')"},
      {"aes-ecb-essiv:sha256", "cipher spec 'aes-ecb-essiv:sha256': chain mode 'ecb' takes no IV mode (got 'essiv:sha256')"},
      {"aes-cbc-essiv", "cipher spec 'aes-cbc-essiv': IV mode 'essiv' needs a hash (essiv:HASH, e.g. essiv:sha256)"},
      {"aes-cbc-essiv:", "cipher spec 'aes-cbc-essiv:': IV mode 'essiv' needs a hash (essiv:HASH, e.g. essiv:sha256)"},
      {"aes-cbc-essiv:sha1", "cipher spec 'aes-cbc-essiv:sha1': ESSIV hash 'sha1' has a 20-byte "
                             "digest, which is not an AES key length (16, 24 or 32 bytes)"},
      {"aes-cbc-essiv:sha224", "cipher spec 'aes-cbc-essiv:sha224': ESSIV hash 'sha224' has a 28-byte "
                               "digest, which is not an AES key length (16, 24 or 32 bytes)"},
      {"aes-cbc-essiv:sha384", "cipher spec 'aes-cbc-essiv:sha384': ESSIV hash 'sha384' has a 48-byte "
                               "digest, which is not an AES key length (16, 24 or 32 bytes)"},
      {"aes-xts-essiv:sha512", "cipher spec 'aes-xts-essiv:sha512': ESSIV hash 'sha512' has a 64-byte "
                               "digest, which is not an AES key length (16, 24 or 32 bytes)"},
      {"aes-cbc-essiv:foo", "cipher spec 'aes-cbc-essiv:foo': unknown ESSIV hash 'foo' (supported: md5, sha256)"},
      {"aes-cbc-plain64:sha256", "cipher spec 'aes-cbc-plain64:sha256': IV mode 'plain64' takes no options (got ':sha256')"},
      {"aes-cbc-lmk", "cipher spec 'aes-cbc-lmk': IV mode 'lmk' is not supported (loop-AES / "
                      "TrueCrypt / AEAD / BitLocker compatibility modes are out of scope)"},
      {"aes-cbc-tcw", "cipher spec 'aes-cbc-tcw': IV mode 'tcw' is not supported (loop-AES / "
                      "TrueCrypt / AEAD / BitLocker compatibility modes are out of scope)"},
      {"aes-cbc-random", "cipher spec 'aes-cbc-random': IV mode 'random' is not supported (loop-AES / "
                         "TrueCrypt / AEAD / BitLocker compatibility modes are out of scope)"},
      {"aes-cbc-eboiv", "cipher spec 'aes-cbc-eboiv': IV mode 'eboiv' is not supported (loop-AES / "
                        "TrueCrypt / AEAD / BitLocker compatibility modes are out of scope)"},
      {"aes-cbc-elephant", "cipher spec 'aes-cbc-elephant': IV mode 'elephant' is not supported (loop-AES / "
                           "TrueCrypt / AEAD / BitLocker compatibility modes are out of scope)"},
      {"aes-ctr-essiv:sha256", "cipher spec 'aes-ctr-essiv:sha256': IV mode 'essiv' is not supported "
                               "with chain mode 'ctr' (supported: plain, plain64, plain64be)"},
      {"aes-ctr-benbi", "cipher spec 'aes-ctr-benbi': IV mode 'benbi' is not supported with chain "
                        "mode 'ctr' (supported: plain, plain64, plain64be)"},
      {"aes-ctr-null", "cipher spec 'aes-ctr-null': IV mode 'null' is not supported with chain "
                       "mode 'ctr' (supported: plain, plain64, plain64be)"},
      {"aes-xts-benbi", "cipher spec 'aes-xts-benbi': IV mode 'benbi' is not supported with chain "
                        "mode 'xts' (supported: plain, plain64, plain64be, essiv:HASH)"},
      {"aes-xts-null", "cipher spec 'aes-xts-null': IV mode 'null' is not supported with chain "
                       "mode 'xts' (supported: plain, plain64, plain64be, essiv:HASH)"},
      {"aes:0-cbc-plain", "cipher spec 'aes:0-cbc-plain': key count 0 is not a power of two"},
      {"aes:3-cbc-plain", "cipher spec 'aes:3-cbc-plain': key count 3 is not a power of two"},
      {"aes:-cbc-plain", "cipher spec 'aes:-cbc-plain': bad key count '' (a power of two, e.g. aes:2-...)"},
      {"aes:x-cbc-plain", "cipher spec 'aes:x-cbc-plain': bad key count 'x' (a power of two, e.g. aes:2-...)"},
      {"aes:99999999999-cbc-plain", "cipher spec 'aes:99999999999-cbc-plain': bad key count "
                                    "'99999999999' (a power of two, e.g. aes:2-...)"},
      {"capi:", "cipher spec 'capi:': missing kernel crypto API cipher name after 'capi:'"},
      {"capi:cbc(aes)", "cipher spec 'capi:cbc(aes)': chain mode 'cbc' needs an IV mode (one of: "
                        "plain, plain64, plain64be, essiv:HASH, benbi, null)"},
      {"capi:ecb(aes)-plain64", "cipher spec 'capi:ecb(aes)-plain64': chain mode 'ecb' takes no IV mode (got 'plain64')"},
      {"capi:cbc(twofish)-plain64", "cipher spec 'capi:cbc(twofish)-plain64': unsupported kernel "
                                    "crypto API cipher 'cbc(twofish)' (supported: ecb(aes), cbc(aes), ctr(aes), xts(aes))"},
      {"capi:lrw(aes)-plain64", "cipher spec 'capi:lrw(aes)-plain64': unsupported kernel crypto "
                                "API cipher 'lrw(aes)' (supported: ecb(aes), cbc(aes), ctr(aes), xts(aes))"},
      {"capi:essiv(cbc(aes),sha256)-plain64", "cipher spec 'capi:essiv(cbc(aes),sha256)-plain64': "
                                              "unsupported kernel crypto API cipher 'essiv(cbc(aes),sha256)' "
                                              "(supported: ecb(aes), cbc(aes), ctr(aes), xts(aes))"},
      {"capi:xts(aes)-essiv:sha1", "cipher spec 'capi:xts(aes)-essiv:sha1': ESSIV hash 'sha1' has "
                                   "a 20-byte digest, which is not an AES key length (16, 24 or 32 bytes)"},
      {"capi:ctr(aes)-benbi", "cipher spec 'capi:ctr(aes)-benbi': IV mode 'benbi' is not supported "
                              "with chain mode 'ctr' (supported: plain, plain64, plain64be)"},
      {"capi:cbc(aes)-foo", "cipher spec 'capi:cbc(aes)-foo': unknown IV mode 'foo'"},
  };
  for (const auto& r : table) {
    SCOPED_TRACE(r.text);
    try {
      (void)parse_cipher_spec(r.text);
      ADD_FAILURE() << "accepted '" << r.text << "'";
    } catch (const SpecError& e) {
      EXPECT_EQ(std::string(e.what()), r.message);
    }
  }
}

TEST(dmcrypt_CipherSpec, ErrorIsAnInvalidArgument) {
  EXPECT_THROW((void)parse_cipher_spec("aes-cbc-foo"), std::invalid_argument);
  EXPECT_THROW((void)parse_cipher_spec("aes-cbc-foo"), Error);
}

}  // namespace
}  // namespace aesvp::dmcrypt
