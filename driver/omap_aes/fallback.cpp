// The omap-aes software fallback (see fallback.h): the cipher and the driver's fallback path.
#include "driver/omap_aes/fallback.h"

#include <openssl/evp.h>

#include <cstring>

#include "driver/kernel/dma_mapping.h"
#include "driver/omap_aes/omap_aes.h"

namespace aesvp::driver {

namespace {

constexpr std::size_t kBlock = 16;

const EVP_CIPHER* evp_cipher(SkcipherMode m, std::size_t klen) {
  const int i = klen == 16 ? 0 : klen == 24 ? 1 : klen == 32 ? 2 : -1;
  if (i < 0) return nullptr;
  switch (m) {
    case SkcipherMode::Ecb:
    case SkcipherMode::Xts:
      return i == 0 ? EVP_aes_128_ecb() : i == 1 ? EVP_aes_192_ecb() : EVP_aes_256_ecb();
    case SkcipherMode::Cbc:
      return i == 0 ? EVP_aes_128_cbc() : i == 1 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();
    case SkcipherMode::Ctr:
      return i == 0 ? EVP_aes_128_ctr() : i == 1 ? EVP_aes_192_ctr() : EVP_aes_256_ctr();
  }
  return nullptr;
}

bool evp_crypt(const EVP_CIPHER* c, const std::uint8_t* key, const std::uint8_t* iv, bool enc,
               const std::uint8_t* in, std::uint8_t* out, std::size_t len) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return false;
  int n1 = 0, n2 = 0;
  bool ok = EVP_CipherInit_ex(ctx, c, nullptr, key, iv, enc ? 1 : 0) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
            EVP_CipherUpdate(ctx, out, &n1, in, static_cast<int>(len)) == 1 &&
            EVP_CipherFinal_ex(ctx, out + n1, &n2) == 1;
  EVP_CIPHER_CTX_free(ctx);
  return ok && static_cast<std::size_t>(n1 + n2) == len;
}

// XTS (IEEE 1619, whole blocks) from AES-ECB: T = E_k2(n); C = E_k1(P ^ T) ^ T; T *= alpha.
bool xts_crypt(const std::vector<std::uint8_t>& key, bool enc, const std::uint8_t* iv,
               const std::uint8_t* in, std::uint8_t* out, std::size_t len) {
  const std::size_t kl = key.size() / 2;
  const EVP_CIPHER* c = evp_cipher(SkcipherMode::Ecb, kl);
  if (c == nullptr || len % kBlock != 0) return false;
  std::uint8_t t[16];
  if (!evp_crypt(c, key.data() + kl, nullptr, true, iv, t, 16)) return false;
  std::vector<std::uint8_t> x(len);
  std::vector<std::uint8_t> tw(len);
  for (std::size_t off = 0; off < len; off += kBlock) {
    std::memcpy(&tw[off], t, 16);
    for (int i = 0; i < 16; ++i) x[off + i] = static_cast<std::uint8_t>(in[off + i] ^ t[i]);
    const std::uint8_t carry = t[15] >> 7;
    for (int i = 15; i > 0; --i) t[i] = static_cast<std::uint8_t>((t[i] << 1) | (t[i - 1] >> 7));
    t[0] = static_cast<std::uint8_t>((t[0] << 1) ^ (carry ? 0x87 : 0));
  }
  if (!evp_crypt(c, key.data(), nullptr, enc, x.data(), x.data(), len)) return false;
  for (std::size_t i = 0; i < len; ++i) out[i] = static_cast<std::uint8_t>(x[i] ^ tw[i]);
  return true;
}

void ctr_add(std::array<std::uint8_t, 16>& ctr, std::uint64_t n) {
  for (int i = 15; i >= 0 && n != 0; --i) {
    const std::uint64_t s = ctr[static_cast<std::size_t>(i)] + (n & 0xff);
    ctr[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(s);
    n = (n >> 8) + (s >> 8);
  }
}

}  // namespace

bool software_crypt(SkcipherMode mode, const std::vector<std::uint8_t>& key, bool encrypt,
                    std::array<std::uint8_t, 16>& iv, const std::uint8_t* in, std::uint8_t* out,
                    std::size_t len) {
  if (!valid_key_len(mode, key.size())) return false;
  if (len == 0) return true;
  if (mode == SkcipherMode::Xts) return xts_crypt(key, encrypt, iv.data(), in, out, len);
  if (mode != SkcipherMode::Ctr && len % kBlock != 0) return false;
  std::array<std::uint8_t, 16> last{};
  if (mode == SkcipherMode::Cbc && !encrypt) std::memcpy(last.data(), in + len - 16, 16);
  const EVP_CIPHER* c = evp_cipher(mode, key.size());
  if (!evp_crypt(c, key.data(), mode == SkcipherMode::Ecb ? nullptr : iv.data(), encrypt, in, out,
                 len)) {
    return false;
  }
  if (mode == SkcipherMode::Cbc) {
    if (encrypt) std::memcpy(last.data(), out + len - 16, 16);
    iv = last;
  } else if (mode == SkcipherMode::Ctr) {
    ctr_add(iv, (len + kBlock - 1) / kBlock);
  }
  return true;
}

// omap_aes_crypt's short-request path: the whole request through the software cipher on the
// submitter's CPU (charged: call cost + per-byte software AES), synchronously.
Errc OmapAesDriver::omap_aes_fallback(SkcipherRequest& req) {
  trace(req.id, "fallback", -1);
  const std::size_t len = req.cryptlen;
  std::vector<std::uint8_t> in(len), out(len);
  kernel::sg_pcopy_to_buffer(k_, req.src, in.data(), len, 0);
  if (!software_crypt(req.tfm->mode(), req.tfm->key(), req.dir == CryptDirection::Encrypt, req.iv,
                      in.data(), out.data(), len)) {
    return Errc::Inval;
  }
  // Table-based AES costs the same per round: 10, 12 or 14 rounds for 128/192/256-bit keys
  // (user-space OpenSSL on AM335x/AM57x: 22.0/26.8/30.0 and 20.9/24.2/27.9 cycles/B, ratios
  // 1.22/1.36 and 1.16/1.33 against 1.2/1.4 by rounds; shared/reference/calibration.md).
  const double rounds = 6.0 + static_cast<double>(req.tfm->aes_key_len()) / 4.0;
  k_.charge_cycles(params_.fallback_call_cycles +
                   params_.sw_aes_cycles_per_byte * rounds / 10.0 * static_cast<double>(len));
  kernel::sg_pcopy_from_buffer(k_, req.destination(), out.data(), len, 0);
  ++fallback_requests_;
  fallback_bytes_ += len;
  return Errc::Ok;
}

}  // namespace aesvp::driver
