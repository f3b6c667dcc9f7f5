#include "testbench/dmcrypt/cipher_spec.h"

#include <limits>

namespace aesvp::dmcrypt {

namespace {

[[noreturn]] void refuse(std::string_view spec, const std::string& reason) {
  throw SpecError("cipher spec '" + std::string(spec) + "': " + reason);
}

bool parse_chain(std::string_view name, ChainMode& out) {
  if (name == "ecb") { out = ChainMode::ecb; return true; }
  if (name == "cbc") { out = ChainMode::cbc; return true; }
  if (name == "ctr") { out = ChainMode::ctr; return true; }
  if (name == "xts") { out = ChainMode::xts; return true; }
  return false;
}

// Which IV modes a chain mode takes (the supported set, see docs/dmcrypt.md).
bool iv_allowed(ChainMode chain, IvMode iv) {
  switch (chain) {
    case ChainMode::ecb:
      return iv == IvMode::none;
    case ChainMode::cbc:
      return iv != IvMode::none;
    case ChainMode::ctr:
      return iv == IvMode::plain || iv == IvMode::plain64 || iv == IvMode::plain64be;
    case ChainMode::xts:
      return iv == IvMode::plain || iv == IvMode::plain64 || iv == IvMode::plain64be ||
             iv == IvMode::essiv;
  }
  return false;
}

std::string allowed_list(ChainMode chain) {
  switch (chain) {
    case ChainMode::ecb: return "none";
    case ChainMode::cbc: return "plain, plain64, plain64be, essiv:HASH, benbi, null";
    case ChainMode::ctr: return "plain, plain64, plain64be";
    case ChainMode::xts: return "plain, plain64, plain64be, essiv:HASH";
  }
  return {};
}

// Fills spec.iv / spec.essiv_hash from the IV mode and its options; validates the combination.
// has_iv distinguishes "no IV part" from an empty one ("aes-cbc-").
void parse_iv(std::string_view text, bool has_iv, std::string_view ivmode, bool has_opts,
              std::string_view ivopts, CipherSpec& spec) {
  const std::string chain_name(to_string(spec.chain));
  if (!has_iv) {
    if (spec.chain != ChainMode::ecb) {
      refuse(text, "chain mode '" + chain_name + "' needs an IV mode (one of: " +
                       allowed_list(spec.chain) + ")");
    }
    spec.iv = IvMode::none;
    return;
  }
  if (spec.chain == ChainMode::ecb) {
    refuse(text, "chain mode 'ecb' takes no IV mode (got '" + std::string(ivmode) +
                     (has_opts ? ":" + std::string(ivopts) : std::string()) + "')");
  }
  if (ivmode.empty()) refuse(text, "empty IV mode");

  const std::string iv_name(ivmode);
  if (ivmode == "plain") spec.iv = IvMode::plain;
  else if (ivmode == "plain64") spec.iv = IvMode::plain64;
  else if (ivmode == "plain64be") spec.iv = IvMode::plain64be;
  else if (ivmode == "essiv") spec.iv = IvMode::essiv;
  else if (ivmode == "benbi") spec.iv = IvMode::benbi;
  else if (ivmode == "null") spec.iv = IvMode::null;
  else if (ivmode == "lmk" || ivmode == "tcw" || ivmode == "random" || ivmode == "eboiv" ||
           ivmode == "elephant") {
    refuse(text, "IV mode '" + iv_name +
                     "' is not supported (loop-AES / TrueCrypt / AEAD / BitLocker compatibility "
                     "modes are out of scope)");
  } else {
    refuse(text, "unknown IV mode '" + iv_name + "'");
  }

  if (!iv_allowed(spec.chain, spec.iv)) {
    refuse(text, "IV mode '" + iv_name + "' is not supported with chain mode '" + chain_name +
                     "' (supported: " + allowed_list(spec.chain) + ")");
  }

  if (spec.iv == IvMode::essiv) {
    if (!has_opts || ivopts.empty()) {
      refuse(text, "IV mode 'essiv' needs a hash (essiv:HASH, e.g. essiv:sha256)");
    }
    const std::string hash(ivopts);
    if (hash == "md5") {
      spec.essiv_hash = EssivHash::md5;
    } else if (hash == "sha256") {
      spec.essiv_hash = EssivHash::sha256;
    } else {
      std::size_t len = 0;
      if (hash == "sha1") len = 20;
      else if (hash == "sha224") len = 28;
      else if (hash == "sha384") len = 48;
      else if (hash == "sha512") len = 64;
      if (len != 0) {
        refuse(text, "ESSIV hash '" + hash + "' has a " + std::to_string(len) +
                         "-byte digest, which is not an AES key length (16, 24 or 32 bytes)");
      }
      refuse(text, "unknown ESSIV hash '" + hash + "' (supported: md5, sha256)");
    }
  } else {
    spec.essiv_hash = EssivHash::none;
    if (has_opts) {
      refuse(text, "IV mode '" + iv_name + "' takes no options (got ':" + std::string(ivopts) +
                       "')");
    }
  }
}

CipherSpec parse_capi(std::string_view text) {
  std::string_view rest = text.substr(5);  // after "capi:"
  // As the kernel does: IV options after the last ':', IV mode after the last '-'.
  bool has_opts = false;
  std::string_view ivopts;
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    has_opts = true;
    ivopts = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  bool has_iv = false;
  std::string_view ivmode;
  if (const auto dash = rest.rfind('-'); dash != std::string_view::npos) {
    has_iv = true;
    ivmode = rest.substr(dash + 1);
    rest = rest.substr(0, dash);
  }
  if (rest.empty()) refuse(text, "missing kernel crypto API cipher name after 'capi:'");

  CipherSpec spec;
  const std::string api(rest);
  if (api.size() < 6 || api.compare(api.size() - 5, 5, "(aes)") != 0 ||
      !parse_chain(std::string_view(api).substr(0, api.size() - 5), spec.chain)) {
    refuse(text, "unsupported kernel crypto API cipher '" + api +
                     "' (supported: ecb(aes), cbc(aes), ctr(aes), xts(aes))");
  }
  if (has_opts && !has_iv) {
    refuse(text, "IV options ':" + std::string(ivopts) + "' without an IV mode");
  }
  parse_iv(text, has_iv, ivmode, has_opts, ivopts, spec);
  return spec;
}

CipherSpec parse_classic(std::string_view text) {
  // As the kernel's legacy parser: cipher[:keycount] '-' chainmode '-' ivmode[':' ivopts];
  // the IV mode is everything after the second '-' up to the first ':' of the remainder.
  CipherSpec spec;
  const auto dash1 = text.find('-');
  const std::string_view cipher_part = text.substr(0, dash1);

  std::string_view cipher = cipher_part;
  if (const auto colon = cipher_part.find(':'); colon != std::string_view::npos) {
    cipher = cipher_part.substr(0, colon);
    const std::string_view count = cipher_part.substr(colon + 1);
    std::uint64_t value = 0;
    bool ok = !count.empty() && count.size() <= 10;
    for (char c : count) {
      if (c < '0' || c > '9') { ok = false; break; }
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!ok || value > std::numeric_limits<std::uint32_t>::max()) {
      refuse(text, "bad key count '" + std::string(count) + "' (a power of two, e.g. aes:2-...)");
    }
    if (value == 0 || (value & (value - 1)) != 0) {
      refuse(text, "key count " + std::to_string(value) + " is not a power of two");
    }
    spec.keycount = static_cast<std::uint32_t>(value);
  }
  if (cipher.empty()) refuse(text, "missing cipher name");
  if (cipher != "aes") {
    refuse(text, "unsupported cipher '" + std::string(cipher) + "' (only aes)");
  }
  if (dash1 == std::string_view::npos) {
    refuse(text, "missing chain mode (the kernel's legacy short form 'aes' = aes-cbc-plain is "
                 "not accepted: write aes-cbc-plain)");
  }

  std::string_view rest = text.substr(dash1 + 1);
  const auto dash2 = rest.find('-');
  const std::string_view chain_name = rest.substr(0, dash2);
  if (chain_name.empty()) refuse(text, "missing chain mode");
  if (!parse_chain(chain_name, spec.chain)) {
    if (chain_name == "plain" && dash2 == std::string_view::npos) {
      refuse(text, "legacy short form 'aes-plain' is not accepted: write aes-cbc-plain");
    }
    refuse(text, "unsupported chain mode '" + std::string(chain_name) +
                     "' (supported: ecb, cbc, ctr, xts)");
  }

  bool has_iv = false;
  bool has_opts = false;
  std::string_view ivmode;
  std::string_view ivopts;
  if (dash2 != std::string_view::npos) {
    has_iv = true;
    std::string_view ivpart = rest.substr(dash2 + 1);
    if (const auto colon = ivpart.find(':'); colon != std::string_view::npos) {
      has_opts = true;
      ivopts = ivpart.substr(colon + 1);
      ivmode = ivpart.substr(0, colon);
    } else {
      ivmode = ivpart;
    }
  }
  parse_iv(text, has_iv, ivmode, has_opts, ivopts, spec);
  return spec;
}

std::string iv_suffix(const CipherSpec& spec) {
  if (spec.iv == IvMode::none) return {};
  std::string s = "-" + std::string(to_string(spec.iv));
  if (spec.iv == IvMode::essiv) s += ":" + std::string(to_string(spec.essiv_hash));
  return s;
}

}  // namespace

std::string_view to_string(ChainMode mode) {
  switch (mode) {
    case ChainMode::ecb: return "ecb";
    case ChainMode::cbc: return "cbc";
    case ChainMode::ctr: return "ctr";
    case ChainMode::xts: return "xts";
  }
  return "?";
}

std::string_view to_string(IvMode mode) {
  switch (mode) {
    case IvMode::none: return "none";
    case IvMode::plain: return "plain";
    case IvMode::plain64: return "plain64";
    case IvMode::plain64be: return "plain64be";
    case IvMode::essiv: return "essiv";
    case IvMode::benbi: return "benbi";
    case IvMode::null: return "null";
  }
  return "?";
}

std::string_view to_string(EssivHash hash) {
  switch (hash) {
    case EssivHash::none: return "none";
    case EssivHash::md5: return "md5";
    case EssivHash::sha256: return "sha256";
  }
  return "?";
}

std::size_t digest_bytes(EssivHash hash) {
  switch (hash) {
    case EssivHash::none: return 0;
    case EssivHash::md5: return 16;
    case EssivHash::sha256: return 32;
  }
  return 0;
}

std::string CipherSpec::canonical() const {
  std::string s = "aes";
  if (keycount > 1) s += ":" + std::to_string(keycount);
  s += "-" + std::string(to_string(chain));
  return s + iv_suffix(*this);
}

std::string CipherSpec::capi() const {
  if (keycount > 1) {
    throw SpecError("cipher spec '" + canonical() +
                    "': a key count has no kernel crypto API (capi:) form");
  }
  return "capi:" + std::string(to_string(chain)) + "(aes)" + iv_suffix(*this);
}

std::vector<std::size_t> CipherSpec::valid_tfm_key_bytes() const {
  if (chain == ChainMode::xts) return {32, 48, 64};
  return {16, 24, 32};
}

std::vector<std::size_t> CipherSpec::valid_key_bytes() const {
  std::vector<std::size_t> out;
  for (std::size_t n : valid_tfm_key_bytes()) out.push_back(n * keycount);
  return out;
}

bool CipherSpec::is_valid_key_bytes(std::size_t total_bytes) const {
  for (std::size_t n : valid_key_bytes()) {
    if (n == total_bytes) return true;
  }
  return false;
}

CipherSpec parse_cipher_spec(std::string_view text) {
  if (text.empty()) throw SpecError("cipher spec '': empty");
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      refuse(text, "contains white space");
    }
  }
  if (text.substr(0, 5) == "capi:") return parse_capi(text);
  return parse_classic(text);
}

}  // namespace aesvp::dmcrypt
