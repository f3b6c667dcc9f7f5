// Whole-buffer AES through OpenSSL's own mode implementations: the independent reference the
// hardware path is checked against (never the model's own mode logic).
#pragma once

#include "driver/baremetal/aes_dma_program.h"

#include <array>
#include <cstdint>
#include <vector>

namespace aesvp {

// Through the testbench's one OpenSSL wrapper (testbench/dmcrypt/evp.h). Throws
// std::runtime_error if OpenSSL refuses (e.g. XTS-AES-192, which it does not have).
std::vector<std::uint8_t> openssl_crypt(baremetal::CipherMode mode, bool encrypt,
                                        const std::vector<std::uint8_t>& key,
                                        const std::array<std::uint8_t, 16>& iv,
                                        const std::vector<std::uint8_t>& in);

}  // namespace aesvp
