#include "traces/core/vcd_writer.h"

#include <charconv>
#include <ostream>
#include <stdexcept>

namespace aesvp::traces {

namespace {

constexpr std::size_t kBufferBytes = 1 << 16;

// Identifier codes: printable ASCII '!'..'~' without '$' (a code starting with it would look
// like a keyword to some readers), shortest first: "!", "\"", "#", "%", ..., "~", "!!", ...
std::string code_of(std::size_t index) {
  constexpr std::size_t kDigits = 93;
  auto digit = [](std::size_t d) { return static_cast<char>(d < 3 ? 33 + d : 34 + d); };
  std::string code;
  do {
    code.push_back(digit(index % kDigits));
    index /= kDigits;
  } while (index-- != 0);
  return code;
}

bool valid_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c <= ' ' || c > '~' || c == '$') return false;
  return true;
}

}  // namespace

VcdWriter::VcdWriter(std::ostream& out) : out_(out) { buf_.reserve(kBufferBytes); }

VcdWriter::~VcdWriter() { flush_buffer(); }

VcdWriter::VarId VcdWriter::add(std::string_view dotted_name, unsigned width,
                                std::uint64_t initial) {
  if (began_) throw std::logic_error("VcdWriter: add() after begin()");
  if (width == 0 || width > 64)
    throw std::invalid_argument("VcdWriter: width must be 1..64 bits");
  const std::size_t dot = dotted_name.rfind('.');
  Var v;
  v.scope = dot == std::string_view::npos ? "" : std::string(dotted_name.substr(0, dot));
  v.name = std::string(dotted_name.substr(dot == std::string_view::npos ? 0 : dot + 1));
  const bool bad_scope = dot != std::string_view::npos &&
                         (!valid_identifier(v.scope) || v.scope.front() == '.' ||
                          v.scope.back() == '.' || v.scope.find("..") != std::string::npos);
  if (!valid_identifier(v.name) || bad_scope)
    throw std::invalid_argument("VcdWriter: bad variable name '" + std::string(dotted_name) + "'");
  v.code = code_of(vars_.size());
  v.width = width;
  if (width < 64) initial &= (std::uint64_t{1} << width) - 1;
  v.written = v.pending = initial;
  vars_.push_back(std::move(v));
  return static_cast<VarId>(vars_.size() - 1);
}

void VcdWriter::set_initial(VarId v, std::uint64_t value) {
  if (began_) throw std::logic_error("VcdWriter: set_initial() after begin()");
  Var& var = vars_.at(v);
  var.written = var.pending = value;
}

void VcdWriter::begin(const VcdHeader& h, std::uint64_t t0) {
  if (began_) throw std::logic_error("VcdWriter: begin() twice");
  began_ = true;
  if (!h.date.empty()) {
    raw("$date\n  ");
    raw(h.date);
    raw("\n$end\n");
  }
  raw("$version\n  ");
  raw(h.version);
  raw("\n$end\n$timescale\n  ");
  raw(h.timescale);
  raw("\n$end\n$scope module ");
  raw(h.top);
  raw(" $end\n");
  // Open and close scopes as the dotted scope path changes from one variable to the next.
  std::vector<std::string_view> open;
  for (const Var& v : vars_) {
    std::vector<std::string_view> want;
    for (std::string_view rest = v.scope; !rest.empty();) {
      const std::size_t dot = rest.find('.');
      want.push_back(rest.substr(0, dot));
      rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
    std::size_t common = 0;
    while (common < open.size() && common < want.size() && open[common] == want[common]) ++common;
    for (std::size_t k = open.size(); k > common; --k) raw("$upscope $end\n");
    for (std::size_t k = common; k < want.size(); ++k) {
      raw("$scope module ");
      raw(want[k]);
      raw(" $end\n");
    }
    open = want;
    raw(v.width == 1 ? "$var wire 1 " : "$var wire ");
    if (v.width != 1) {
      number(v.width);
      raw(" ");
    }
    raw(v.code);
    raw(" ");
    raw(v.name);
    raw(v.width == 1 ? " $end\n" : " [" + std::to_string(v.width - 1) + ":0] $end\n");
  }
  for (std::size_t k = open.size(); k > 0; --k) raw("$upscope $end\n");
  raw("$upscope $end\n$enddefinitions $end\n#");
  number(t0);
  raw("\n$dumpvars\n");
  for (const Var& v : vars_) write_value(v, v.written);
  raw("$end\n");
  stamp_ = last_written_ = t0;
}

void VcdWriter::change(std::uint64_t t, VarId id, std::uint64_t value) {
  if (!began_ || ended_) throw std::logic_error("VcdWriter: change() outside begin()..end()");
  if (t < stamp_) throw std::logic_error("VcdWriter: time went back");
  if (t != stamp_) {
    flush_stamp();
    stamp_ = t;
  }
  Var& v = vars_.at(id);
  if (v.width < 64) value &= (std::uint64_t{1} << v.width) - 1;
  v.pending = value;
  if (!v.dirty) {
    v.dirty = true;
    dirty_.push_back(id);
  }
}

void VcdWriter::flush_stamp() {
  bool stamped = false;
  for (VarId id : dirty_) {
    Var& v = vars_[id];
    v.dirty = false;
    if (v.pending == v.written) continue;
    if (!stamped && stamp_ != last_written_) {
      raw("#");
      number(stamp_);
      raw("\n");
      last_written_ = stamp_;
    }
    stamped = true;
    write_value(v, v.pending);
    v.written = v.pending;
  }
  dirty_.clear();
}

void VcdWriter::end(std::uint64_t t) {
  if (!began_ || ended_) return;
  flush_stamp();
  ended_ = true;
  if (t > last_written_) {
    raw("#");
    number(t);
    raw("\n");
    last_written_ = t;
  }
  flush_buffer();
  out_.flush();
}

void VcdWriter::write_value(const Var& v, std::uint64_t value) {
  if (v.width == 1) {
    raw(value ? "1" : "0");
  } else {
    char bits[66];
    int n = 0;
    bits[n++] = 'b';
    int top = 63;
    while (top > 0 && ((value >> top) & 1) == 0) --top;  // no leading zeros
    for (int b = top; b >= 0; --b) bits[n++] = ((value >> b) & 1) ? '1' : '0';
    bits[n++] = ' ';
    raw(std::string_view(bits, static_cast<std::size_t>(n)));
  }
  raw(v.code);
  raw("\n");
}

void VcdWriter::raw(std::string_view s) {
  if (buf_.size() + s.size() > kBufferBytes) flush_buffer();
  buf_.append(s);
}

void VcdWriter::number(std::uint64_t n) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, n);
  raw(std::string_view(digits, static_cast<std::size_t>(r.ptr - digits)));
}

void VcdWriter::flush_buffer() {
  if (buf_.empty()) return;
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  bytes_ += buf_.size();
  buf_.clear();
}

}  // namespace aesvp::traces
