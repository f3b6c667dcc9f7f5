#include "testbench/dmcrypt_sim/scoreboard.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace aesvp::testbench {
namespace {

std::string hex(const std::uint8_t* p, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

}  // namespace

std::string Mismatch::describe() const {
  return kind + " mismatch: sector " + std::to_string(index) + " (512-byte sector " +
         std::to_string(sector512) + "), first difference at byte " +
         std::to_string(first_diff) + ": expected " + expected_hex + ", actual " + actual_hex;
}

std::size_t Scoreboard::compare(const char* kind, std::uint64_t first_index,
                                const std::vector<std::uint8_t>& expected,
                                const std::vector<std::uint8_t>& actual) {
  const std::size_t ss = ref_.sector_size();
  if (expected.size() != actual.size() || expected.size() % ss != 0)
    throw std::invalid_argument("scoreboard: buffers of different or unaligned sizes");
  std::size_t bad = 0;
  for (std::size_t s = 0; s < expected.size() / ss; ++s) {
    const std::uint8_t* e = expected.data() + s * ss;
    const std::uint8_t* a = actual.data() + s * ss;
    if (std::memcmp(e, a, ss) == 0) {
      ++verified_;
      if (kind[0] == 'w') ++written_ok_;
      else ++read_ok_;
      continue;
    }
    ++bad;
    ++mismatched_;
    if (kept_.size() >= kKeptMismatches) continue;
    std::size_t d = 0;
    while (e[d] == a[d]) ++d;
    const std::size_t from = d / 16 * 16;
    const std::size_t n = std::min<std::size_t>(16, ss - from);
    Mismatch m;
    m.kind = kind;
    m.index = first_index + s;
    m.sector512 = ref_.mapping().position512(m.index);
    m.first_diff = d;
    m.expected_hex = hex(e + from, n);
    m.actual_hex = hex(a + from, n);
    kept_.push_back(std::move(m));
  }
  return bad;
}

std::size_t Scoreboard::check_write(std::uint64_t first_index,
                                    const std::vector<std::uint8_t>& plain,
                                    const std::vector<std::uint8_t>& on_disk) {
  return compare("write", first_index, ref_.encrypt(first_index, plain), on_disk);
}

std::size_t Scoreboard::check_read(std::uint64_t first_index,
                                   const std::vector<std::uint8_t>& expected,
                                   const std::vector<std::uint8_t>& actual) {
  return compare("read", first_index, expected, actual);
}

void ScoreboardTotals::add(const Scoreboard& sb) {
  verified += sb.sectors_verified();
  written_verified += sb.sectors_written_verified();
  read_verified += sb.sectors_read_verified();
  mismatched += sb.sectors_mismatched();
  failed += sb.sectors_failed();
  unwritten += sb.sectors_unwritten();
}

}  // namespace aesvp::testbench
