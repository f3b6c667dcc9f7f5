// Test helper of `aesvp crypt` (tests/crypt_case.cmake): the independent expectation, computed
// on the host with the OpenSSL reference of testbench/dmcrypt (no model, no driver).
//   crypt_reference_tool gen FILE BYTES SEED
//       deterministic pseudo-random bytes (images and key files)
//   crypt_reference_tool (encrypt|decrypt|extract) [--cipher S] [--key-size BITS]
//       [--key-file F] [--offset N] [--skip N] [--size N] [--sector-size N]
//       [--iv-large-sectors] IN OUT
//       the area cryptsetup plain mode maps, encrypted / decrypted by dmcrypt::Reference
//       (extract: copied unchanged)
#include "testbench/dmcrypt/cipher_spec.h"
#include "testbench/dmcrypt/key.h"
#include "testbench/dmcrypt/mapping.h"
#include "testbench/dmcrypt/reference.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const Bytes& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

int gen(const std::string& path, std::uint64_t bytes, std::uint64_t seed) {
  Bytes data(bytes);
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;  // splitmix64
  for (auto& b : data) {
    x += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    b = static_cast<std::uint8_t>(z ^ (z >> 31));
  }
  write_file(path, data);
  return 0;
}

int crypt(const std::string& what, const std::vector<std::string>& args) {
  std::string cipher = aesvp::dmcrypt::kPlainDefaultCipher, key_file;
  std::uint32_t key_bits = aesvp::dmcrypt::kPlainDefaultKeyBits;
  aesvp::dmcrypt::PlainOptions o;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw std::runtime_error(a + " needs a value");
      return args[++i];
    };
    if (a == "--cipher") cipher = value();
    else if (a == "--key-size") key_bits = static_cast<std::uint32_t>(std::stoul(value()));
    else if (a == "--key-file") key_file = value();
    else if (a == "--offset") o.offset = std::stoull(value());
    else if (a == "--skip") o.skip = std::stoull(value());
    else if (a == "--size") o.size = std::stoull(value());
    else if (a == "--sector-size") o.sector_size = static_cast<std::uint32_t>(std::stoul(value()));
    else if (a == "--iv-large-sectors") o.iv_large_sectors = true;
    else if (a == "--chunk-kib") value();  // aesvp crypt's own: no effect on the result
    else if (a.rfind("--", 0) == 0) throw std::runtime_error("unknown option " + a);
    else files.push_back(a);
  }
  if (files.size() != 2) throw std::runtime_error("give IN and OUT");
  const Bytes image = read_file(files[0]);
  const aesvp::dmcrypt::CipherSpec spec = aesvp::dmcrypt::parse_cipher_spec(cipher);
  const aesvp::dmcrypt::PlainArea area = aesvp::dmcrypt::plain_area(image.size(), o, spec.keycount);
  const auto first = image.begin() + static_cast<std::ptrdiff_t>(area.offset_bytes);
  const Bytes in(first, first + static_cast<std::ptrdiff_t>(area.length_bytes));
  if (what == "extract") {
    write_file(files[1], in);
    return 0;
  }
  const aesvp::dmcrypt::Reference ref(
      aesvp::dmcrypt::plain_key_from_file(spec, key_bits, read_file(key_file)), area.mapping);
  write_file(files[1], what == "encrypt" ? ref.encrypt(0, in) : ref.decrypt(0, in));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 4 && args[0] == "gen") {
      return gen(args[1], std::stoull(args[2]), std::stoull(args[3]));
    }
    if (!args.empty() && (args[0] == "encrypt" || args[0] == "decrypt" || args[0] == "extract")) {
      return crypt(args[0], std::vector<std::string>(args.begin() + 1, args.end()));
    }
    std::cerr << "usage: crypt_reference_tool gen FILE BYTES SEED | "
                 "(encrypt|decrypt|extract) [options] IN OUT\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "crypt_reference_tool: " << e.what() << "\n";
    return 1;
  }
}
