// IV generators against hand-computed expectations (dm-crypt.c crypt_iv_*_gen, crypto/essiv.c).
#include <gtest/gtest.h>

#include "testbench/dmcrypt/evp.h"
#include "testbench/dmcrypt/iv.h"
#include "testbench/dmcrypt/tests/test_util.h"

namespace aesvp::dmcrypt {
namespace {

using test::hex;
using test::to_hex;

TEST(dmcrypt_Iv, Plain) {
  EXPECT_EQ(to_hex(iv_plain(0)), "00000000000000000000000000000000");
  EXPECT_EQ(to_hex(iv_plain(1)), "01000000000000000000000000000000");
  // Only the low 32 bits, little-endian.
  EXPECT_EQ(to_hex(iv_plain(0x1122334455667788ull)), "88776655000000000000000000000000");
  EXPECT_EQ(to_hex(iv_plain(0x100000000ull)), "00000000000000000000000000000000");
}

TEST(dmcrypt_Iv, Plain64) {
  EXPECT_EQ(to_hex(iv_plain64(1)), "01000000000000000000000000000000");
  EXPECT_EQ(to_hex(iv_plain64(0x1122334455667788ull)), "88776655443322110000000000000000");
  EXPECT_EQ(to_hex(iv_plain64(0x100000000ull)), "00000000010000000000000000000000");
}

TEST(dmcrypt_Iv, Plain64be) {
  EXPECT_EQ(to_hex(iv_plain64be(1)), "00000000000000000000000000000001");
  EXPECT_EQ(to_hex(iv_plain64be(0x1122334455667788ull)), "00000000000000001122334455667788");
}

TEST(dmcrypt_Iv, Benbi) {
  // (sector << 5) + 1, big-endian, in the last 8 bytes: the 1-based index of the first
  // 16-byte block of the 512-byte sector.
  EXPECT_EQ(kBenbiShift, 5u);
  EXPECT_EQ(to_hex(iv_benbi(0)), "00000000000000000000000000000001");
  EXPECT_EQ(to_hex(iv_benbi(1)), "00000000000000000000000000000021");
  EXPECT_EQ(to_hex(iv_benbi(2)), "00000000000000000000000000000041");
  EXPECT_EQ(to_hex(iv_benbi(0x0123456789abcdefull)), "00000000000000002468acf13579bde1");
  // The shift drops the top 5 bits (64-bit arithmetic as in the kernel).
  EXPECT_EQ(to_hex(iv_benbi(0xf800000000000001ull)), "00000000000000000000000000000021");
}

TEST(dmcrypt_Iv, Null) { EXPECT_EQ(to_hex(iv_null()), "00000000000000000000000000000000"); }

TEST(dmcrypt_Iv, EssivSaltIsTheDigestOfTheKey) {
  const std::vector<std::uint8_t> abc{'a', 'b', 'c'};
  // FIPS 180-2 / RFC 1321 test values for "abc".
  EXPECT_EQ(to_hex(essiv_salt(EssivHash::sha256, abc)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(essiv_salt(EssivHash::md5, abc)), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(dmcrypt_Iv, EssivEncryptsThePlain64IvWithTheSalt) {
  // FIPS-197 appendix C.1 / C.3 keys; IV = E_salt(plain64(sector)).
  const auto salt128 = hex("000102030405060708090a0b0c0d0e0f");
  const auto salt256 = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  for (std::uint64_t sector : {0ull, 1ull, 0x30b49e9d42baaf3dull}) {
    for (const auto* salt : {&salt128, &salt256}) {
      const Iv in = iv_plain64(sector);
      Iv expect{};
      evp::aes_ecb(salt->data(), salt->size(), true, in.data(), expect.data(), 16);
      EXPECT_EQ(iv_essiv(sector, *salt), expect);
    }
  }
  // Decrypting the ESSIV IV gives back the plain64 IV.
  const Iv e = iv_essiv(0x1234, salt256);
  Iv back{};
  evp::aes_ecb(salt256.data(), 32, false, e.data(), back.data(), 16);
  EXPECT_EQ(back, iv_plain64(0x1234));
}

TEST(dmcrypt_IvGenerator, DispatchesOnTheSpec) {
  std::vector<std::uint8_t> key(32, 0x5a);
  EXPECT_EQ(IvGenerator(VolumeKey(parse_cipher_spec("aes-cbc-plain"), key)).generate(0x100000001ull, 0),
            iv_plain(1));
  EXPECT_EQ(IvGenerator(VolumeKey(parse_cipher_spec("aes-cbc-plain64"), key)).generate(7, 0), iv_plain64(7));
  EXPECT_EQ(IvGenerator(VolumeKey(parse_cipher_spec("aes-ctr-plain64be"), key)).generate(7, 0),
            iv_plain64be(7));
  EXPECT_EQ(IvGenerator(VolumeKey(parse_cipher_spec("aes-cbc-benbi"), key)).generate(7, 0), iv_benbi(7));
  EXPECT_EQ(IvGenerator(VolumeKey(parse_cipher_spec("aes-cbc-null"), key)).generate(7, 0), iv_null());
  EXPECT_EQ(IvGenerator(VolumeKey(parse_cipher_spec("aes-ecb"), key)).generate(7, 0), Iv{});
  const IvGenerator essiv(VolumeKey(parse_cipher_spec("aes-cbc-essiv:sha256"), key));
  EXPECT_EQ(essiv.salt(0), essiv_salt(EssivHash::sha256, key));
  EXPECT_EQ(essiv.generate(7, 0), iv_essiv(7, essiv_salt(EssivHash::sha256, key)));
  EXPECT_THROW((void)essiv.salt(1), KeyError);
}

TEST(dmcrypt_IvGenerator, EssivSaltPerTransform) {
  // keycount 2, XTS-256 each: salt i = HASH(64-byte key of transform i), both XTS halves.
  std::vector<std::uint8_t> key(128);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7);
  const VolumeKey vk(parse_cipher_spec("aes:2-xts-essiv:md5"), key);
  const IvGenerator g(vk);
  const std::vector<std::uint8_t> k0(key.begin(), key.begin() + 64);
  const std::vector<std::uint8_t> k1(key.begin() + 64, key.end());
  EXPECT_EQ(g.salt(0), essiv_salt(EssivHash::md5, k0));
  EXPECT_EQ(g.salt(1), essiv_salt(EssivHash::md5, k1));
  EXPECT_EQ(g.salt(0).size(), 16u);  // AES-128 ESSIV cipher
  EXPECT_NE(g.generate(3, 0), g.generate(3, 1));
  EXPECT_EQ(g.generate(3, 1), iv_essiv(3, essiv_salt(EssivHash::md5, k1)));
}

}  // namespace
}  // namespace aesvp::dmcrypt
