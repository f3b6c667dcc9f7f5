// The value parsers every aesvp command shares, one rule each (docs/units.md). Plain C++, no
// SystemC: unit-tested on their own (tests/values_test.cpp).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aesvp {

// Thrown for any bad option, value or file: main prints "aesvp: error: <what>" and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The value parsers every command shares (one rule each). `option` names the option in the
// error ("--sizes").
// A non-negative decimal integer up to `max` (no sign, no base prefix: boost would wrap "-1"
// for unsigned types).
std::uint64_t parse_count(const std::string& option, const std::string& text,
                          std::uint64_t max = UINT64_MAX);
// A comma-separated list ("4,16,64"), item by item; an empty list or an empty item (",,", a
// trailing comma) is refused. `example` is quoted in the error ("4,16,64").
std::vector<std::string> split_list(const std::string& option, const std::string& text,
                                    const std::string& example);
// A byte size, the one rule of every option that names bytes (docs/units.md; cryptsetup's
// --device-size grammar): N bytes; NS = N 512-byte sectors; NK, NM, NG, NT (either case, or
// KiB...TiB) = N x 1024^1..4; NKB...NTB = N x 1000^1..4. Refused: empty, a sign, an unknown
// unit, a value whose product overflows or exceeds `max`.
std::uint64_t parse_size(const std::string& option, const std::string& text,
                         std::uint64_t max = UINT64_MAX);
// A count of 512-byte sectors (crypt --offset/--skip/--size, run --skip: cryptsetup's meaning,
// no unit accepted); a size with a unit is refused with that reason.
std::uint64_t parse_sectors(const std::string& option, const std::string& text);
// Bytes as the rule reads them back, exact: 32M, 64K, 1536 (the largest binary unit that
// divides the value).
std::string size_text(std::uint64_t bytes);

}  // namespace aesvp
