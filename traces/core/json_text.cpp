#include "traces/core/json_text.h"

#include <charconv>
#include <cmath>
#include <ostream>

namespace aesvp::traces {

JsonText::JsonText(std::ostream& out) : out_(out), buf_(new char[kSize]) {}

JsonText::~JsonText() { flush(); }

void JsonText::flush() {
  if (used_ != 0) {
    out_.write(buf_.get(), static_cast<std::streamsize>(used_));
    used_ = 0;
  }
}

void JsonText::write_through(std::string_view text) {
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void JsonText::string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  put('"');
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': raw("\\\""); break;
      case '\\': raw("\\\\"); break;
      case '\n': raw("\\n"); break;
      case '\r': raw("\\r"); break;
      case '\t': raw("\\t"); break;
      default:
        if (u < 0x20) {
          raw("\\u00");
          put(kHex[u >> 4]);
          put(kHex[u & 0xF]);
        } else {
          put(c);
        }
    }
  }
  put('"');
}

void JsonText::uint(std::uint64_t v) {
  char tmp[24];
  const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  raw(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
}

void JsonText::sint(std::int64_t v) {
  char tmp[24];
  const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  raw(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
}

void JsonText::hex(std::uint64_t v) {
  char tmp[24];
  const auto r = std::to_chars(tmp, tmp + sizeof tmp, v, 16);
  raw(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
}

void JsonText::real(double v) {
  if (!std::isfinite(v)) {
    raw("null");
    return;
  }
  char tmp[32];
  const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  raw(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
}

void JsonText::picoseconds_as_us(std::uint64_t ps) {
  const std::uint64_t whole = ps / 1000000;
  std::uint64_t frac = ps % 1000000;
  uint(whole);
  if (frac == 0) return;
  char digits[7] = {'0', '0', '0', '0', '0', '0', '\0'};
  for (int i = 5; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  int len = 6;
  while (digits[len - 1] == '0') --len;
  put('.');
  raw(std::string_view(digits, static_cast<std::size_t>(len)));
}

std::string format_picoseconds_as_us(std::uint64_t ps) {
  std::string s;
  const std::uint64_t whole = ps / 1000000;
  const std::uint64_t frac = ps % 1000000;
  s = std::to_string(whole);
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 6 - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    s += '.';
    s += f;
  }
  return s;
}

}  // namespace aesvp::traces
