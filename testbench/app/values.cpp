#include "testbench/app/values.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace aesvp {

std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t max) {
  bool digits = !text.empty();
  for (const char c : text) digits = digits && c >= '0' && c <= '9';
  if (digits) {
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (errno == 0 && *end == '\0' && v <= max) return v;
  }
  throw UsageError(option + ": '" + text + "' is not a non-negative integer" +
                   (max == UINT64_MAX ? "" : " up to " + std::to_string(max)));
}

namespace {
constexpr const char* kSizeRule =
    "N bytes, or N with a unit: S = 512-byte sectors, K/M/G/T or KiB/MiB/GiB/TiB = x1024, "
    "KB/MB/GB/TB = x1000; docs/units.md";
}  // namespace

std::uint64_t parse_size(const std::string& option, const std::string& text, std::uint64_t max) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string unit = text.substr(digits);
  std::uint64_t multiplier = 0;  // 0: not a unit of the rule
  if (unit.empty()) {
    multiplier = 1;
  } else if (unit == "s" || unit == "S") {
    multiplier = 512;
  } else {
    static const std::string kPowers = "kmgt";  // 1024^1..4 (or 1000^1..4 with "B")
    const std::size_t power = kPowers.find(static_cast<char>(std::tolower(static_cast<unsigned char>(unit[0]))));
    const std::string tail = unit.substr(1);
    if (power != std::string::npos && (tail.empty() || tail == "iB" || tail == "B")) {
      multiplier = 1;
      for (std::size_t i = 0; i <= power; ++i) multiplier *= tail == "B" ? 1000 : 1024;
    }
  }
  if (digits == 0 || multiplier == 0)
    throw UsageError(option + ": '" + text + "' is not a size (" + kSizeRule + ")");
  errno = 0;
  const unsigned long long n = std::strtoull(text.substr(0, digits).c_str(), nullptr, 10);
  if (errno == ERANGE || n > max / multiplier)
    throw UsageError(option + ": '" + text + "' is " +
                     (max == UINT64_MAX ? std::string("more than 64 bits hold")
                                        : "more than " + size_text(max) + " (" +
                                              std::to_string(max) + " bytes)"));
  return n * multiplier;
}

std::uint64_t parse_sectors(const std::string& option, const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!plain && !text.empty() && text[0] >= '0' && text[0] <= '9') {
    bool a_size = true;
    try {
      parse_size(option, text);
    } catch (const UsageError&) {
      a_size = false;
    }
    if (a_size)
      throw UsageError(option + ": '" + text + "' has a unit; this option counts 512-byte "
                       "sectors, as cryptsetup's (a plain number)");
  }
  return parse_count(option, text);
}

std::string size_text(std::uint64_t bytes) {
  static const char kUnits[] = "TGMK";
  for (int i = 0; i < 4; ++i) {
    const unsigned shift = 10u * static_cast<unsigned>(4 - i);
    if (bytes != 0 && bytes % (std::uint64_t{1} << shift) == 0)
      return std::to_string(bytes >> shift) + kUnits[i];
  }
  return std::to_string(bytes);
}

std::vector<std::string> split_list(const std::string& option, const std::string& text,
                                    const std::string& example) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (items.back().empty())
      throw UsageError(option + ": '" + text + "' is not a comma-separated list (e.g. " + example + ")");
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

}  // namespace aesvp
