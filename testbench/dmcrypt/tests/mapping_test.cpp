// iv_sector / key index formulas (dm-crypt.c: cc_sector = sector + iv_offset; iv_sector =
// cc_sector >> sector_shift with iv_large_sectors; key_index = cc_sector & (tfms_count - 1)) and
// cryptsetup plain-mode area arithmetic.
#include <gtest/gtest.h>

#include <string>

#include "testbench/dmcrypt/key.h"
#include "testbench/dmcrypt/mapping.h"

namespace aesvp::dmcrypt {
namespace {

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(dmcrypt_SectorMapping, Defaults512) {
  SectorMapping m;
  m.validate();
  EXPECT_EQ(m.sector_shift(), 0u);
  EXPECT_EQ(m.units_per_sector(), 1u);
  for (std::uint64_t i : {0ull, 1ull, 7ull, 0xffffffffull, 0x123456789abcull}) {
    EXPECT_EQ(m.iv_sector_of(i), i);
    EXPECT_EQ(m.key_index_of(i), 0u);
  }
}

TEST(dmcrypt_SectorMapping, LargeSectorsCount512ByteUnitsByDefault) {
  SectorMapping m;
  m.sector_size = 4096;
  m.validate();
  EXPECT_EQ(m.sector_shift(), 3u);
  EXPECT_EQ(m.position512(0), 0u);
  EXPECT_EQ(m.position512(1), 8u);
  // Without iv_large_sectors a 4096-byte sector advances the IV by 8.
  EXPECT_EQ(m.iv_sector_of(0), 0u);
  EXPECT_EQ(m.iv_sector_of(1), 8u);
  EXPECT_EQ(m.iv_sector_of(5), 40u);
  m.iv_large_sectors = true;
  EXPECT_EQ(m.iv_sector_of(1), 1u);
  EXPECT_EQ(m.iv_sector_of(5), 5u);
}

TEST(dmcrypt_SectorMapping, SkipIsAddedBeforeTheShift) {
  SectorMapping m;
  m.sector_size = 4096;
  m.skip = 16;  // cryptsetup --skip 16
  EXPECT_EQ(m.iv_sector_of(0), 16u);
  EXPECT_EQ(m.iv_sector_of(3), 16u + 24u);
  m.iv_large_sectors = true;
  EXPECT_EQ(m.iv_sector_of(0), 2u);  // 16 / 8
  EXPECT_EQ(m.iv_sector_of(3), 5u);  // (16 + 24) / 8

  SectorMapping s512;
  s512.skip = 1000;
  EXPECT_EQ(s512.iv_sector_of(0), 1000u);
  EXPECT_EQ(s512.iv_sector_of(24), 1024u);
  s512.iv_large_sectors = true;  // no effect with 512-byte sectors
  EXPECT_EQ(s512.iv_sector_of(24), 1024u);
}

TEST(dmcrypt_SectorMapping, SectorSizes) {
  for (std::uint32_t ss : {512u, 1024u, 2048u, 4096u}) {
    SectorMapping m;
    m.sector_size = ss;
    m.skip = 8;  // a multiple of every sector size in 512-byte units
    m.validate();
    const std::uint64_t units = ss / 512;
    for (std::uint64_t i = 0; i < 10; ++i) {
      EXPECT_EQ(m.iv_sector_of(i), i * units + 8);
      m.iv_large_sectors = true;
      EXPECT_EQ(m.iv_sector_of(i), (i * units + 8) / units);
      m.iv_large_sectors = false;
    }
  }
}

TEST(dmcrypt_SectorMapping, KeyIndexUsesTheUnshifted512ByteSector) {
  SectorMapping m;
  m.keycount = 4;
  for (std::uint64_t i = 0; i < 16; ++i) EXPECT_EQ(m.key_index_of(i), i % 4);
  m.skip = 3;
  EXPECT_EQ(m.key_index_of(0), 3u);
  EXPECT_EQ(m.key_index_of(1), 0u);
  EXPECT_EQ(m.key_index_of(6), 1u);

  // 1024-byte sectors, keycount 4: positions 0, 2, 4, 6 ... -> keys 0, 2, 0, 2 ...
  SectorMapping k;
  k.keycount = 4;
  k.sector_size = 1024;
  k.iv_large_sectors = true;  // does not change the key index
  EXPECT_EQ(k.key_index_of(0), 0u);
  EXPECT_EQ(k.key_index_of(1), 2u);
  EXPECT_EQ(k.key_index_of(2), 0u);
  EXPECT_EQ(k.key_index_of(3), 2u);
  EXPECT_EQ(k.iv_sector_of(3), 3u);

  // 4096-byte sectors, keycount 16: key = (8 * index + skip) & 15.
  SectorMapping w;
  w.keycount = 16;
  w.sector_size = 4096;
  w.skip = 8;
  EXPECT_EQ(w.key_index_of(0), 8u);
  EXPECT_EQ(w.key_index_of(1), 0u);
  EXPECT_EQ(w.key_index_of(2), 8u);
}

TEST(dmcrypt_SectorMapping, PositionMustStartAnEncryptionSector) {
  SectorMapping m;
  m.sector_size = 2048;
  EXPECT_EQ(m.iv_sector(4), 4u);
  EXPECT_EQ(error_of([&] { (void)m.iv_sector(5); }),
            "512-byte position 5 is not the start of a 2048-byte encryption sector");
}

TEST(dmcrypt_SectorMapping, Validation) {
  auto bad = [](std::uint32_t ss, std::uint64_t skip, std::uint32_t keycount) {
    SectorMapping m;
    m.sector_size = ss;
    m.skip = skip;
    m.keycount = keycount;
    return error_of([&] { m.validate(); });
  };
  EXPECT_EQ(bad(256, 0, 1), "sector size 256 is not a power of two between 512 and 4096");
  EXPECT_EQ(bad(8192, 0, 1), "sector size 8192 is not a power of two between 512 and 4096");
  EXPECT_EQ(bad(1536, 0, 1), "sector size 1536 is not a power of two between 512 and 4096");
  EXPECT_EQ(bad(512, 0, 0), "key count 0 is not a power of two");
  EXPECT_EQ(bad(512, 0, 6), "key count 6 is not a power of two");
  EXPECT_EQ(bad(4096, 4, 1),
            "IV offset (skip) 4 is not a multiple of the sector size (4096 bytes = 8 sectors of 512 bytes)");
  EXPECT_EQ(bad(4096, 16, 1), "<no error>");
  EXPECT_EQ(bad(512, 3, 2), "<no error>");
}

TEST(dmcrypt_PlainArea, WholeDeviceByDefault) {
  const PlainArea a = plain_area(1 << 20, PlainOptions{});
  EXPECT_EQ(a.offset_bytes, 0u);
  EXPECT_EQ(a.length_bytes, 1u << 20);
  EXPECT_EQ(a.sectors512, 2048u);
  EXPECT_EQ(a.encryption_sectors, 2048u);
  EXPECT_EQ(a.ignored_tail_bytes, 0u);
  EXPECT_EQ(a.mapping.skip, 0u);
}

TEST(dmcrypt_PlainArea, OffsetSkipSizeSectorSize) {
  PlainOptions o;
  o.offset = 8;
  o.skip = 64;
  o.size = 32;
  o.sector_size = 4096;
  o.iv_large_sectors = true;
  const PlainArea a = plain_area(1 << 20, o, 2);
  EXPECT_EQ(a.offset_bytes, 4096u);
  EXPECT_EQ(a.length_bytes, 32u * 512u);
  EXPECT_EQ(a.sectors512, 32u);
  EXPECT_EQ(a.encryption_sectors, 4u);
  EXPECT_EQ(a.mapping.sector_size, 4096u);
  EXPECT_TRUE(a.mapping.iv_large_sectors);
  EXPECT_EQ(a.mapping.keycount, 2u);
  EXPECT_EQ(a.mapping.iv_sector_of(0), 8u);  // --skip 64 / 8
  EXPECT_EQ(a.mapping.iv_sector_of(3), 11u);

  // To the end of the device from the offset.
  PlainOptions e;
  e.offset = 100;
  const PlainArea b = plain_area(1 << 20, e);
  EXPECT_EQ(b.offset_bytes, 51200u);
  EXPECT_EQ(b.sectors512, 2048u - 100u);
}

TEST(dmcrypt_PlainArea, TrailingPartialSectorIsIgnored) {
  const PlainArea a = plain_area(4096 + 100, PlainOptions{});
  EXPECT_EQ(a.sectors512, 8u);
  EXPECT_EQ(a.ignored_tail_bytes, 100u);
}

TEST(dmcrypt_PlainArea, Errors) {
  auto err = [](std::uint64_t bytes, PlainOptions o) {
    return error_of([&] { (void)plain_area(bytes, o); });
  };
  EXPECT_EQ(err(0, {}), "device of 0 bytes has no whole 512-byte sector (zero size)");
  EXPECT_EQ(err(511, {}), "device of 511 bytes has no whole 512-byte sector (zero size)");
  PlainOptions past;
  past.offset = 8;
  EXPECT_EQ(err(4096, past),
            "--offset 8 is at or beyond the end of the device (8 sectors of 512 bytes)");
  PlainOptions too_big;
  too_big.offset = 2;
  too_big.size = 7;
  EXPECT_EQ(err(4096, too_big),
            "device too small: --offset 2 + --size 7 exceeds its 8 sectors of 512 bytes");
  PlainOptions huge;
  huge.offset = 1;
  huge.size = ~std::uint64_t{0};
  EXPECT_EQ(err(4096, huge),
            "device too small: --offset 1 + --size 18446744073709551615 exceeds its 8 sectors of 512 bytes");
  PlainOptions unaligned;
  unaligned.sector_size = 4096;
  unaligned.offset = 1;
  EXPECT_EQ(err(8192, unaligned),
            "area of 15 sectors of 512 bytes is not a whole number of 4096-byte encryption sectors");
  PlainOptions unaligned_size;
  unaligned_size.sector_size = 1024;
  unaligned_size.size = 3;
  EXPECT_EQ(err(8192, unaligned_size),
            "area of 3 sectors of 512 bytes is not a whole number of 1024-byte encryption sectors");
  PlainOptions bad_skip;
  bad_skip.sector_size = 2048;
  bad_skip.skip = 2;
  EXPECT_EQ(err(8192, bad_skip),
            "IV offset (skip) 2 is not a multiple of the sector size (2048 bytes = 4 sectors of 512 bytes)");
  PlainOptions bad_ss;
  bad_ss.sector_size = 3000;
  EXPECT_EQ(err(8192, bad_ss), "sector size 3000 is not a power of two between 512 and 4096");
}

TEST(dmcrypt_VolumeKey, SplitsIntoTransformKeys) {
  std::vector<std::uint8_t> bytes(128);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  const VolumeKey k(parse_cipher_spec("aes:4-cbc-plain64"), bytes);
  EXPECT_EQ(k.tfm_key_bytes(), 32u);
  EXPECT_EQ(k.aes_key_bytes(), 32u);
  EXPECT_EQ(k.tfm_key(2).front(), 64u);
  EXPECT_EQ(k.tfm_key(3).back(), 127u);
  EXPECT_THROW((void)k.tfm_key(4), KeyError);

  const VolumeKey x(parse_cipher_spec("aes:2-xts-plain64"), std::vector<std::uint8_t>(96));
  EXPECT_EQ(x.tfm_key_bytes(), 48u);
  EXPECT_EQ(x.aes_key_bytes(), 24u);
}

TEST(dmcrypt_VolumeKey, RefusesWrongSizes) {
  EXPECT_EQ(error_of([] { VolumeKey(parse_cipher_spec("aes-xts-plain64"), std::vector<std::uint8_t>(40)); }),
            "key of 40 bytes (320 bits) does not fit cipher spec 'aes-xts-plain64': expected 32, "
            "48 or 64 bytes (256, 384 or 512 bits)");
  EXPECT_EQ(error_of([] { VolumeKey(parse_cipher_spec("aes-cbc-essiv:sha256"), std::vector<std::uint8_t>(64)); }),
            "key of 64 bytes (512 bits) does not fit cipher spec 'aes-cbc-essiv:sha256': expected "
            "16, 24 or 32 bytes (128, 192 or 256 bits)");
  // 48 bytes with key count 2 is two AES-192 keys: valid.
  EXPECT_EQ(error_of([] { VolumeKey(parse_cipher_spec("aes:2-cbc-plain"), std::vector<std::uint8_t>(48)); }),
            "<no error>");
  EXPECT_EQ(error_of([] { VolumeKey(parse_cipher_spec("aes:2-cbc-plain"), std::vector<std::uint8_t>(40)); }),
            "key of 40 bytes (320 bits) does not fit cipher spec 'aes:2-cbc-plain': expected 32, "
            "48 or 64 bytes (256, 384 or 512 bits)");
  EXPECT_EQ(error_of([] { VolumeKey(parse_cipher_spec("aes-ecb"), std::vector<std::uint8_t>{}); }),
            "key of 0 bytes (0 bits) does not fit cipher spec 'aes-ecb': expected 16, 24 or 32 "
            "bytes (128, 192 or 256 bits)");
}

}  // namespace
}  // namespace aesvp::dmcrypt

namespace aesvp::dmcrypt {
namespace {

TEST(dmcrypt_PlainArea, IvLargeSectorsNeedsLargeSectors) {
  PlainOptions o;
  o.iv_large_sectors = true;
  EXPECT_EQ(error_of([&] { (void)plain_area(8192, o); }),
            "--iv-large-sectors needs --sector-size larger than 512");
  o.sector_size = 1024;
  EXPECT_EQ(plain_area(8192, o).encryption_sectors, 8u);
}

TEST(dmcrypt_VolumeKey, PlainKeyFromFile) {
  const auto spec = parse_cipher_spec(kPlainDefaultCipher);
  EXPECT_EQ(kPlainDefaultKeyBits, 256u);
  std::vector<std::uint8_t> file(100);
  for (std::size_t i = 0; i < file.size(); ++i) file[i] = static_cast<std::uint8_t>(i);
  const VolumeKey k = plain_key_from_file(spec, 256, file, 10);
  ASSERT_EQ(k.bytes().size(), 32u);
  EXPECT_EQ(k.bytes().front(), 10u);
  EXPECT_EQ(k.bytes().back(), 41u);
  EXPECT_EQ(plain_key_from_file(spec, 128, file).bytes().size(), 16u);
  EXPECT_EQ(error_of([&] { (void)plain_key_from_file(spec, 256, file, 80); }),
            "key file of 100 bytes holds 20 bytes from offset 80, --key-size 256 needs 32");
  EXPECT_EQ(error_of([&] { (void)plain_key_from_file(spec, 256, file, 1000); }),
            "key file of 100 bytes holds 0 bytes from offset 1000, --key-size 256 needs 32");
  EXPECT_EQ(error_of([&] { (void)plain_key_from_file(spec, 100, file); }),
            "--key-size 100 is not a positive multiple of 8 bits");
  EXPECT_EQ(error_of([&] { (void)plain_key_from_file(spec, 512, file); }),
            "key of 64 bytes (512 bits) does not fit cipher spec 'aes-cbc-essiv:sha256': "
            "expected 16, 24 or 32 bytes (128, 192 or 256 bits)");
}

}  // namespace
}  // namespace aesvp::dmcrypt
