// Round trips through the reference for every supported spec x key size x sector size (with
// and without iv_large_sectors, skip and key counts), plus structural checks that tie each
// sector's result to its IV and key as dm-crypt defines them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testbench/dmcrypt/evp.h"
#include "testbench/dmcrypt/reference.h"
#include "testbench/dmcrypt/tests/test_util.h"

namespace aesvp::dmcrypt {
namespace {

const char* const kSpecs[] = {
    "aes-ecb",           "aes-cbc-plain",        "aes-cbc-plain64",      "aes-cbc-plain64be",
    "aes-cbc-essiv:md5", "aes-cbc-essiv:sha256", "aes-cbc-benbi",        "aes-cbc-null",
    "aes-ctr-plain",     "aes-ctr-plain64",      "aes-ctr-plain64be",    "aes-xts-plain",
    "aes-xts-plain64",   "aes-xts-plain64be",    "aes-xts-essiv:sha256", "aes-xts-essiv:md5",
};

TEST(dmcrypt_ReferenceRoundTrip, AllSpecsKeySizesSectorSizes) {
  int cases = 0;
  for (const char* base : kSpecs) {
    for (std::uint32_t keycount : {1u, 2u, 4u}) {
      std::string text = base;
      if (keycount > 1) text.insert(3, ":" + std::to_string(keycount));
      const CipherSpec spec = parse_cipher_spec(text);
      for (std::size_t key_bytes : spec.valid_key_bytes()) {
        for (std::uint32_t ss : {512u, 1024u, 2048u, 4096u}) {
          for (bool large : {false, true}) {
            SCOPED_TRACE(text + " key " + std::to_string(key_bytes * 8) + " sector " +
                         std::to_string(ss) + (large ? " iv_large_sectors" : ""));
            SectorMapping m;
            m.sector_size = ss;
            m.iv_large_sectors = large;
            m.skip = 8 * 5;  // a multiple of every sector size
            m.keycount = keycount;
            const Reference ref(
                VolumeKey(spec, test::pattern(key_bytes, key_bytes + keycount)), m);
            const std::size_t n = 4;
            const auto plain = test::pattern(n * ss, ss + key_bytes);
            const std::uint64_t first = 3;
            const auto c = ref.encrypt(first, plain);
            ASSERT_EQ(c.size(), plain.size());
            EXPECT_NE(c, plain);
            EXPECT_EQ(ref.decrypt(first, c), plain);
            // A run equals its sectors done one by one, and in place equals out of place.
            for (std::size_t i = 0; i < n; ++i) {
              std::vector<std::uint8_t> one(plain.begin() + static_cast<std::ptrdiff_t>(i * ss),
                                            plain.begin() + static_cast<std::ptrdiff_t>((i + 1) * ss));
              ref.crypt_sector(first + i, one.data(), one.data(), Direction::encrypt);
              EXPECT_TRUE(std::equal(one.begin(), one.end(),
                                     c.begin() + static_cast<std::ptrdiff_t>(i * ss)));
            }
            // Decrypting at the wrong position gives something else (the IV or key differs),
            // except for ECB / null IV when both positions select the same key (with large
            // sectors the unshifted 512-byte sector is a multiple of sector_size / 512, so
            // small key counts never reach the odd keys: a kernel property, kept here).
            const bool position_free = (spec.iv == IvMode::none || spec.iv == IvMode::null) &&
                                       ref.key_index_of(first) == ref.key_index_of(first + 1);
            if (!position_free) {
              EXPECT_NE(ref.decrypt(first + 1, c), plain);
            }
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 16 * 3 * 3 * 4 * 2);
}

// Independent recomputation of one configuration: aes:2-cbc-essiv:sha256, 4096-byte sectors,
// iv_large_sectors, --skip 16. CBC is chained here by hand from AES-ECB, the salt computed
// from the transform key, the IV sector and key index from the documented formulas.
TEST(dmcrypt_ReferenceRoundTrip, IndependentCbcEssivRecomputation) {
  const auto key = test::pattern(64, 1);
  SectorMapping m;
  m.sector_size = 4096;
  m.iv_large_sectors = true;
  m.skip = 16;
  m.keycount = 2;
  const Reference ref(VolumeKey(parse_cipher_spec("aes:2-cbc-essiv:sha256"), key), m);
  const auto plain = test::pattern(3 * 4096, 2);
  const auto c = ref.encrypt(0, plain);
  for (std::uint64_t idx = 0; idx < 3; ++idx) {
    const std::uint64_t cc = idx * 8 + 16;
    const std::uint64_t iv_sector = cc >> 3;
    const std::uint32_t k = static_cast<std::uint32_t>(cc & 1);  // always 0 here: cc is even
    EXPECT_EQ(k, 0u);
    const std::vector<std::uint8_t> tfm(key.begin() + 32 * k, key.begin() + 32 * (k + 1));
    const auto salt = evp::digest(EssivHash::sha256, tfm.data(), tfm.size());
    std::uint8_t iv[16] = {};
    for (int b = 0; b < 8; ++b) iv[b] = static_cast<std::uint8_t>(iv_sector >> (8 * b));
    evp::aes_ecb(salt.data(), 32, true, iv, iv, 16);
    std::uint8_t chain[16];
    std::copy(iv, iv + 16, chain);
    for (std::size_t off = 0; off < 4096; off += 16) {
      std::uint8_t blk[16];
      for (int b = 0; b < 16; ++b) {
        blk[b] = static_cast<std::uint8_t>(plain[idx * 4096 + off + static_cast<std::size_t>(b)] ^ chain[b]);
      }
      evp::aes_ecb(tfm.data(), 32, true, blk, chain, 16);
      ASSERT_TRUE(std::equal(chain, chain + 16,
                             c.begin() + static_cast<std::ptrdiff_t>(idx * 4096 + off)))
          << "sector " << idx << " offset " << off;
    }
  }
}

// Key selection with keycount: sector i of a 512-byte-sector volume uses transform i & 3, so
// it must equal a single-key volume built from that transform's key.
TEST(dmcrypt_ReferenceRoundTrip, KeycountSelectsTransformKeys) {
  const auto key = test::pattern(4 * 32, 3);
  SectorMapping m4;
  m4.keycount = 4;
  m4.skip = 1;
  const Reference multi(VolumeKey(parse_cipher_spec("aes:4-xts-plain64"), key), m4);
  const auto plain = test::pattern(512, 4);
  for (std::uint64_t idx = 0; idx < 8; ++idx) {
    const std::uint32_t k = static_cast<std::uint32_t>((idx + 1) & 3);
    EXPECT_EQ(multi.key_index_of(idx), k);
    SectorMapping m1;
    m1.skip = 1;
    const Reference single(
        VolumeKey(parse_cipher_spec("aes-xts-plain64"),
                  std::vector<std::uint8_t>(key.begin() + 32 * k, key.begin() + 32 * (k + 1))),
        m1);
    EXPECT_EQ(multi.encrypt(idx, plain), single.encrypt(idx, plain));
  }
}

// CTR: the kernel's ctr(aes) increments the whole 16-byte counter block big-endian
// (crypto_inc); check the carry out of the low 64 bits with plain64be at sector 2^64 - 1.
TEST(dmcrypt_ReferenceRoundTrip, CtrCounterCarriesAcrossAllSixteenBytes) {
  const auto key = test::pattern(16, 9);
  const Reference ref(VolumeKey(parse_cipher_spec("aes-ctr-plain64be"), key), SectorMapping{});
  const std::vector<std::uint8_t> zero(512, 0);
  const auto ks = ref.encrypt(0xffffffffffffffffull, zero);  // keystream
  std::uint8_t ctr[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  for (std::size_t off = 0; off < 512; off += 16) {
    std::uint8_t blk[16];
    evp::aes_ecb(key.data(), 16, true, ctr, blk, 16);
    ASSERT_TRUE(std::equal(blk, blk + 16, ks.begin() + static_cast<std::ptrdiff_t>(off))) << off;
    for (int b = 15; b >= 0; --b) {
      if (++ctr[b] != 0) break;
    }
  }
}

TEST(dmcrypt_ReferenceRoundTrip, EcbIgnoresThePosition) {
  const Reference ref(VolumeKey(parse_cipher_spec("aes-ecb"), test::pattern(32, 1)), SectorMapping{});
  const auto plain = test::pattern(512, 2);
  EXPECT_EQ(ref.encrypt(0, plain), ref.encrypt(12345, plain));
}

TEST(dmcrypt_ReferenceRoundTrip, RejectsBadUse) {
  const VolumeKey key(parse_cipher_spec("aes-cbc-plain64"), test::pattern(16, 1));
  SectorMapping two;
  two.keycount = 2;
  try {
    Reference r(key, two);
    FAIL() << "no throw";
  } catch (const MappingError& e) {
    EXPECT_STREQ(e.what(),
                 "mapping key count 2 differs from the key count 1 of cipher spec 'aes-cbc-plain64'");
  }
  SectorMapping big;
  big.sector_size = 4096;
  const Reference ref(key, big);
  EXPECT_THROW((void)ref.encrypt(0, std::vector<std::uint8_t>(512)), MappingError);
  SectorMapping bad;
  bad.sector_size = 4096;
  bad.skip = 1;
  EXPECT_THROW(Reference(key, bad), MappingError);
}

}  // namespace
}  // namespace aesvp::dmcrypt
