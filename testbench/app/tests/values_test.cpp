// The shared value parsers (docs/units.md): sizes against values worked out by hand from
// cryptsetup's documented units, refusals, and the read-back form.
#include "testbench/app/values.h"

#include <gtest/gtest.h>

namespace aesvp {
namespace {

TEST(ParseSize, PlainNumberIsBytes) {
  EXPECT_EQ(parse_size("--x", "0"), 0u);
  EXPECT_EQ(parse_size("--x", "4096"), 4096u);
  EXPECT_EQ(parse_size("--x", "18446744073709551615"), 18446744073709551615ull);
}

TEST(ParseSize, BinaryUnitsEitherCaseWithOrWithoutIB) {
  EXPECT_EQ(parse_size("--x", "4K"), 4096u);
  EXPECT_EQ(parse_size("--x", "4k"), 4096u);
  EXPECT_EQ(parse_size("--x", "4KiB"), 4096u);
  EXPECT_EQ(parse_size("--x", "1M"), 1048576u);
  EXPECT_EQ(parse_size("--x", "32m"), 33554432u);
  EXPECT_EQ(parse_size("--x", "1MiB"), 1048576u);
  EXPECT_EQ(parse_size("--x", "2G"), 2147483648ull);
  EXPECT_EQ(parse_size("--x", "1T"), 1099511627776ull);
}

TEST(ParseSize, DecimalUnitsWithBAndSectorsWithS) {
  EXPECT_EQ(parse_size("--x", "4KB"), 4000u);
  EXPECT_EQ(parse_size("--x", "1MB"), 1000000u);
  EXPECT_EQ(parse_size("--x", "3GB"), 3000000000ull);
  EXPECT_EQ(parse_size("--x", "2048S"), 1048576u);
  EXPECT_EQ(parse_size("--x", "1s"), 512u);
}

void expect_refused(const std::string& text, const std::string& part) {
  try {
    parse_size("--size", text, UINT64_MAX);
    ADD_FAILURE() << "'" << text << "' was accepted";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("--size: '" + text + "'", 0), 0u) << what;
    EXPECT_NE(what.find(part), std::string::npos) << what;
  }
}

TEST(ParseSize, Refusals) {
  expect_refused("", "is not a size");
  expect_refused("-1", "is not a size");
  expect_refused("-1M", "is not a size");
  expect_refused("+4K", "is not a size");
  expect_refused("M", "is not a size");
  expect_refused("4X", "is not a size");
  expect_refused("4 K", "is not a size");
  expect_refused("4KIB", "is not a size");   // cryptsetup spells the binary form "iB"
  expect_refused("4Kb", "is not a size");
  expect_refused("4KK", "is not a size");
  expect_refused("4P", "is not a size");     // beyond T: no unit of the rule
  expect_refused("0x10", "is not a size");
  expect_refused("1.5M", "is not a size");
  expect_refused("4,16", "is not a size");
}

TEST(ParseSize, OverflowOfTheProductIsRefused) {
  // 2^64 / 2^30 = 2^34 = 17179869184: one more G does not fit 64 bits.
  EXPECT_EQ(parse_size("--x", "17179869183G"), 17179869183ull << 30);
  expect_refused("17179869184G", "more than 64 bits");
  expect_refused("16777216T", "more than 64 bits");
  expect_refused("99999999999999999999999", "more than 64 bits");
  expect_refused("18446744073709551616", "more than 64 bits");
}

TEST(ParseSize, MaximumIsInclusiveAndNamed) {
  EXPECT_EQ(parse_size("--size", "1G", 1ull << 30), 1ull << 30);
  EXPECT_EQ(parse_size("--size", "1073741824", 1ull << 30), 1ull << 30);
  try {
    parse_size("--size", "1025M", 1ull << 30);
    ADD_FAILURE();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--size: '1025M' is more than 1G (1073741824 bytes)");
  }
}

TEST(ParseSectors, PlainCountsOnlyAsCryptsetup) {
  EXPECT_EQ(parse_sectors("--offset", "2048"), 2048u);
  try {
    parse_sectors("--offset", "1M");
    ADD_FAILURE();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("counts 512-byte sectors"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_sectors("--offset", "-1"), UsageError);
  EXPECT_THROW(parse_sectors("--offset", ""), UsageError);
  EXPECT_THROW(parse_sectors("--offset", "1X"), UsageError);
}

TEST(SizeText, LargestExactBinaryUnit) {
  EXPECT_EQ(size_text(0), "0");
  EXPECT_EQ(size_text(512), "512");
  EXPECT_EQ(size_text(1536), "1536");
  EXPECT_EQ(size_text(3072), "3K");
  EXPECT_EQ(size_text(65536), "64K");
  EXPECT_EQ(size_text(33554432), "32M");
  EXPECT_EQ(size_text(1073741824), "1G");
  EXPECT_EQ(size_text(5ull << 40), "5T");
  // Read back by the rule, every form gives the same bytes.
  for (std::uint64_t b : {512ull, 1536ull, 3072ull, 65536ull, 33554432ull, 5ull << 40})
    EXPECT_EQ(parse_size("--x", size_text(b)), b);
}

TEST(ParseCount, StillRefusesSignsAndUnits) {
  EXPECT_EQ(parse_count("--n", "12"), 12u);
  EXPECT_THROW(parse_count("--n", "-1"), UsageError);
  EXPECT_THROW(parse_count("--n", "4K"), UsageError);
  EXPECT_THROW(parse_count("--n", "13", 12), UsageError);
}

TEST(SplitList, EmptyItemsRefused) {
  EXPECT_EQ(split_list("--l", "4K,16K", "4K"), (std::vector<std::string>{"4K", "16K"}));
  EXPECT_THROW(split_list("--l", "", "4K"), UsageError);
  EXPECT_THROW(split_list("--l", "4K,,16K", "4K"), UsageError);
  EXPECT_THROW(split_list("--l", "4K,", "4K"), UsageError);
}

}  // namespace
}  // namespace aesvp
