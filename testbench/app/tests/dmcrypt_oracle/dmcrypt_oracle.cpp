// dmcrypt_oracle: a second, independent dm-crypt reference for the tests. It shares no code
// with testbench/dmcrypt (no header of it is included): spec parsing, key split, sector
// arithmetic and IV generators are written again here from the kernel's documented semantics
// (Documentation/admin-guide/device-mapper/dm-crypt.rst, cryptsetup plain mode; summarised in
// docs/dmcrypt.md), over OpenSSL EVP only. The suite grades both `aesvp crypt` and the
// testbench's own reference (crypt_reference_tool) against it.
//
//   dmcrypt_oracle (encrypt|decrypt) [--cipher S] [--key-size BITS] --key-file F
//       [--offset N] [--skip N] [--size N] [--sector-size N] [--iv-large-sectors] IN OUT
//
// Deliberately plain code: one function per rule, no sharing of tables with the stack.
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;
using Block = std::array<std::uint8_t, 16>;

[[noreturn]] void fail(const std::string& why) { throw std::runtime_error(why); }

// ------------------------------------------------------------------ cipher specification

enum class Chain { Ecb, Cbc, Ctr, Xts };
enum class IvGen { None, Plain, Plain64, Plain64Be, Essiv, Benbi, Null };

struct Spec {
  Chain chain = Chain::Cbc;
  IvGen iv = IvGen::None;
  std::string essiv_digest;  // "md5" or "sha256"
  unsigned keycount = 1;
};

Chain chain_named(const std::string& s) {
  if (s == "ecb") return Chain::Ecb;
  if (s == "cbc") return Chain::Cbc;
  if (s == "ctr") return Chain::Ctr;
  if (s == "xts") return Chain::Xts;
  fail("chain mode '" + s + "'");
}

void set_iv_generator(Spec& spec, const std::string& text) {
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const std::string opt = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (name == "essiv") {
    if (opt != "md5" && opt != "sha256") fail("essiv digest '" + opt + "'");
    spec.iv = IvGen::Essiv;
    spec.essiv_digest = opt;
    return;
  }
  if (!opt.empty()) fail("IV option on '" + name + "'");
  if (name == "plain") spec.iv = IvGen::Plain;
  else if (name == "plain64") spec.iv = IvGen::Plain64;
  else if (name == "plain64be") spec.iv = IvGen::Plain64Be;
  else if (name == "benbi") spec.iv = IvGen::Benbi;
  else if (name == "null") spec.iv = IvGen::Null;
  else fail("IV generator '" + name + "'");
}

// "aes[:keycount]-chain[-iv[:opt]]" or "capi:chain(aes)[-iv[:opt]]".
Spec parse_spec(const std::string& text) {
  Spec spec;
  std::string ivpart;
  if (text.rfind("capi:", 0) == 0) {
    const std::string rest = text.substr(5);
    const auto open = rest.find('(');
    const auto close = rest.find(')');
    if (open == std::string::npos || close == std::string::npos || close < open ||
        rest.substr(open + 1, close - open - 1) != "aes") {
      fail("spec '" + text + "'");
    }
    spec.chain = chain_named(rest.substr(0, open));
    const std::string tail = rest.substr(close + 1);
    if (!tail.empty()) {
      if (tail[0] != '-') fail("spec '" + text + "'");
      ivpart = tail.substr(1);
    }
  } else {
    const auto d1 = text.find('-');
    if (d1 == std::string::npos) fail("spec '" + text + "'");
    const std::string cipher = text.substr(0, d1);
    if (cipher.rfind("aes", 0) != 0) fail("cipher '" + cipher + "'");
    if (cipher.size() > 3) {
      if (cipher[3] != ':') fail("cipher '" + cipher + "'");
      spec.keycount = static_cast<unsigned>(std::stoul(cipher.substr(4)));
    }
    const auto d2 = text.find('-', d1 + 1);
    spec.chain = chain_named(text.substr(d1 + 1, d2 == std::string::npos ? std::string::npos : d2 - d1 - 1));
    if (d2 != std::string::npos) ivpart = text.substr(d2 + 1);
  }
  if (spec.keycount == 0 || (spec.keycount & (spec.keycount - 1)) != 0) fail("keycount");
  if (spec.chain == Chain::Ecb) {
    if (!ivpart.empty()) fail("ecb takes no IV");
  } else {
    if (ivpart.empty()) fail("chain mode needs an IV generator");
    set_iv_generator(spec, ivpart);
  }
  return spec;
}

// ------------------------------------------------------------------ OpenSSL primitives

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

void evp_run(const EVP_CIPHER* cipher, const std::uint8_t* key, const std::uint8_t* iv, bool enc,
             const std::uint8_t* in, std::uint8_t* out, std::size_t len) {
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  int a = 0, b = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key, iv, enc ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out, &a, in, static_cast<int>(len)) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out + a, &b) != 1 || static_cast<std::size_t>(a + b) != len) {
    fail("OpenSSL refused a cipher call");
  }
}

const EVP_CIPHER* aes(Chain chain, std::size_t key_bytes) {
  const unsigned bits = static_cast<unsigned>(key_bytes * 8);
  if (chain == Chain::Xts) {
    if (bits == 256) return EVP_aes_128_xts();
    if (bits == 512) return EVP_aes_256_xts();
    return nullptr;
  }
  if (bits != 128 && bits != 192 && bits != 256) fail("AES key of " + std::to_string(bits) + " bits");
  const EVP_CIPHER* table[3][3] = {
      {EVP_aes_128_ecb(), EVP_aes_192_ecb(), EVP_aes_256_ecb()},
      {EVP_aes_128_cbc(), EVP_aes_192_cbc(), EVP_aes_256_cbc()},
      {EVP_aes_128_ctr(), EVP_aes_192_ctr(), EVP_aes_256_ctr()}};
  const int row = chain == Chain::Ecb ? 0 : chain == Chain::Cbc ? 1 : 2;
  return table[row][(bits - 128) / 64];
}

Block aes_block(const std::uint8_t* key, std::size_t key_bytes, const Block& in) {
  Block out{};
  evp_run(aes(Chain::Ecb, key_bytes), key, nullptr, true, in.data(), out.data(), 16);
  return out;
}

// XTS for the key sizes OpenSSL has no XTS for (AES-192) and for equal halves, which OpenSSL
// refuses: IEEE 1619 whole-block XTS, the tweak doubled in GF(2^128) after every block.
void xts_by_hand(const Bytes& key, const Block& iv, bool enc, const std::uint8_t* in,
                 std::uint8_t* out, std::size_t len) {
  const std::size_t half = key.size() / 2;
  Block tweak = aes_block(key.data() + half, half, iv);
  const EVP_CIPHER* ecb = aes(Chain::Ecb, half);
  for (std::size_t off = 0; off < len; off += 16) {
    Block x{};
    for (int i = 0; i < 16; ++i) x[i] = static_cast<std::uint8_t>(in[off + i] ^ tweak[i]);
    evp_run(ecb, key.data(), nullptr, enc, x.data(), x.data(), 16);
    for (int i = 0; i < 16; ++i) out[off + i] = static_cast<std::uint8_t>(x[i] ^ tweak[i]);
    unsigned carry = 0;
    for (int i = 0; i < 16; ++i) {  // little-endian shift left by one
      const unsigned next = tweak[i] >> 7;
      tweak[i] = static_cast<std::uint8_t>((tweak[i] << 1) | carry);
      carry = next;
    }
    if (carry) tweak[0] ^= 0x87;
  }
}

void crypt_sector(Chain chain, const Bytes& key, const Block& iv, bool enc,
                  const std::uint8_t* in, std::uint8_t* out, std::size_t len) {
  if (chain == Chain::Xts) {
    const std::size_t half = key.size() / 2;
    const bool same_halves = std::memcmp(key.data(), key.data() + half, half) == 0;
    const EVP_CIPHER* c = aes(Chain::Xts, key.size());
    if (c != nullptr && !same_halves) evp_run(c, key.data(), iv.data(), enc, in, out, len);
    else xts_by_hand(key, iv, enc, in, out, len);
    return;
  }
  evp_run(aes(chain, key.size()), key.data(), chain == Chain::Ecb ? nullptr : iv.data(), enc,
          in, out, len);
}

// ------------------------------------------------------------------ IV generators

void put_le64(Block& b, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put_be64(Block& b, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}

Block make_iv(const Spec& spec, const Bytes& tfm_key, std::uint64_t iv_sector) {
  Block iv{};
  switch (spec.iv) {
    case IvGen::None:
    case IvGen::Null:
      break;
    case IvGen::Plain:
      put_le64(iv, 0, iv_sector & 0xffffffffu);
      break;
    case IvGen::Plain64:
      put_le64(iv, 0, iv_sector);
      break;
    case IvGen::Plain64Be:
      put_be64(iv, 8, iv_sector);
      break;
    case IvGen::Benbi:
      // Narrow (16-byte) block count, 1-based: 32 blocks per 512-byte unit.
      put_be64(iv, 8, (iv_sector << 5) + 1);
      break;
    case IvGen::Essiv: {
      const EVP_MD* md = spec.essiv_digest == "md5" ? EVP_md5() : EVP_sha256();
      unsigned char salt[EVP_MAX_MD_SIZE];
      unsigned int salt_len = 0;
      if (EVP_Digest(tfm_key.data(), tfm_key.size(), salt, &salt_len, md, nullptr) != 1) {
        fail("digest");
      }
      Block plain{};
      put_le64(plain, 0, iv_sector);
      iv = aes_block(salt, salt_len, plain);
      break;
    }
  }
  return iv;
}

// ------------------------------------------------------------------ plain-mode volume

struct Volume {
  std::uint64_t offset = 0, skip = 0, size = 0;  // 512-byte units
  std::uint64_t sector_size = 512;
  bool iv_large = false;
};

Bytes read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail("cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

int run(bool enc, const std::vector<std::string>& args) {
  std::string spec_text = "aes-cbc-essiv:sha256", key_path;  // cryptsetup plain defaults
  unsigned key_bits = 256;
  Volume v;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto next = [&] {
      if (i + 1 >= args.size()) fail(a + " needs a value");
      return args[++i];
    };
    if (a == "--cipher") spec_text = next();
    else if (a == "--key-size") key_bits = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--key-file") key_path = next();
    else if (a == "--offset") v.offset = std::stoull(next());
    else if (a == "--skip") v.skip = std::stoull(next());
    else if (a == "--size") v.size = std::stoull(next());
    else if (a == "--sector-size") v.sector_size = std::stoull(next());
    else if (a == "--iv-large-sectors") v.iv_large = true;
    else if (a == "--chunk-kib") next();  // aesvp's I/O size: no effect on the bytes
    else if (a.rfind("--", 0) == 0) fail("unknown option " + a);
    else files.push_back(a);
  }
  if (files.size() != 2) fail("give IN and OUT");
  const Spec spec = parse_spec(spec_text);

  // The key file's first key-size/8 bytes, split into keycount equal transform keys.
  const Bytes file_key = read_all(key_path);
  const std::size_t key_bytes = key_bits / 8;
  if (key_bits % 8 != 0 || file_key.size() < key_bytes) fail("key file too short");
  if (key_bytes % spec.keycount != 0) fail("key does not split into keycount parts");
  const std::size_t part = key_bytes / spec.keycount;
  std::vector<Bytes> tfm_keys;
  for (unsigned k = 0; k < spec.keycount; ++k) {
    tfm_keys.emplace_back(file_key.begin() + static_cast<std::ptrdiff_t>(k * part),
                          file_key.begin() + static_cast<std::ptrdiff_t>((k + 1) * part));
  }

  // The area: whole 512-byte units from --offset, --size of them (0: to the end).
  const Bytes image = read_all(files[0]);
  const std::uint64_t units = image.size() / 512;
  if (v.offset >= units) fail("offset past the end");
  const std::uint64_t area_units = v.size != 0 ? v.size : units - v.offset;
  if (v.offset + area_units > units) fail("area past the end");
  const std::uint64_t per_sector = v.sector_size / 512;
  if (v.sector_size < 512 || v.sector_size % 512 != 0 || area_units % per_sector != 0) {
    fail("area not a whole number of sectors");
  }
  unsigned shift = 0;
  while ((512ull << shift) < v.sector_size) ++shift;

  Bytes out(area_units * 512);
  const std::uint8_t* in = image.data() + v.offset * 512;
  for (std::uint64_t s = 0; s < area_units / per_sector; ++s) {
    // Kernel: cc_sector counts 512-byte units from the start of the target plus iv_offset;
    // the key is chosen with the unshifted value, the IV with the (optionally) shifted one.
    const std::uint64_t cc_sector = s * per_sector + v.skip;
    const std::uint64_t iv_sector = v.iv_large ? cc_sector >> shift : cc_sector;
    const Bytes& key = tfm_keys[cc_sector & (spec.keycount - 1)];
    const Block iv = make_iv(spec, key, iv_sector);
    const std::size_t at = static_cast<std::size_t>(s * v.sector_size);
    crypt_sector(spec.chain, key, iv, enc, in + at, out.data() + at, v.sector_size);
  }
  std::ofstream f(files[1], std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  if (!f) fail("cannot write " + files[1]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && (args[0] == "encrypt" || args[0] == "decrypt")) {
      return run(args[0] == "encrypt", std::vector<std::string>(args.begin() + 1, args.end()));
    }
    std::cerr << "usage: dmcrypt_oracle (encrypt|decrypt) [options] IN OUT\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dmcrypt_oracle: " << e.what() << "\n";
    return 1;
  }
}
