// Minimal streaming JSON text writer used by the trace writers (internal helper).
// Deterministic number formatting: integers in decimal, picoseconds as exact decimal
// microseconds, doubles as the shortest text that reads back to the same value.
#pragma once

#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace aesvp::traces {

class JsonText {
 public:
  explicit JsonText(std::ostream& out);
  ~JsonText();
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;

  void raw(std::string_view text) {
    if (text.size() > kSize - used_) {
      flush();
      if (text.size() > kSize) {
        write_through(text);
        return;
      }
    }
    std::memcpy(buf_.get() + used_, text.data(), text.size());
    used_ += text.size();
  }
  /// Quoted and escaped JSON string.
  void string(std::string_view text);
  void uint(std::uint64_t v);
  void sint(std::int64_t v);
  void hex(std::uint64_t v);
  /// Non-finite values are written as null.
  void real(double v);
  /// ps / 1e6 written exactly (up to 6 decimals, trailing zeros removed).
  void picoseconds_as_us(std::uint64_t ps);
  void flush();

 private:
  static constexpr std::size_t kSize = 1 << 16;
  void write_through(std::string_view text);
  void put(char c) {
    if (used_ == kSize) flush();
    buf_[used_++] = c;
  }
  std::ostream& out_;
  std::unique_ptr<char[]> buf_;
  std::size_t used_ = 0;
};

/// ps / 1e6 as exact decimal text ("12.000345", "7").
std::string format_picoseconds_as_us(std::uint64_t ps);

}  // namespace aesvp::traces
