#include "testbench/app/openssl_reference.h"

#include "testbench/dmcrypt/evp.h"

namespace aesvp {

namespace {

dmcrypt::ChainMode chain_mode(baremetal::CipherMode mode) {
  switch (mode) {
    case baremetal::CipherMode::Ecb: return dmcrypt::ChainMode::ecb;
    case baremetal::CipherMode::Cbc: return dmcrypt::ChainMode::cbc;
    case baremetal::CipherMode::Ctr: return dmcrypt::ChainMode::ctr;
    case baremetal::CipherMode::Xts: return dmcrypt::ChainMode::xts;
  }
  return dmcrypt::ChainMode::ecb;
}

}  // namespace

std::vector<std::uint8_t> openssl_crypt(baremetal::CipherMode mode, bool encrypt,
                                        const std::vector<std::uint8_t>& key,
                                        const std::array<std::uint8_t, 16>& iv,
                                        const std::vector<std::uint8_t>& in) {
  std::vector<std::uint8_t> out(in.size());
  dmcrypt::evp::mode_crypt(chain_mode(mode), key.data(), key.size(), iv.data(), encrypt,
                           in.data(), out.data(), in.size());
  return out;
}

}  // namespace aesvp
