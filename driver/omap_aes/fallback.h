// The omap-aes software fallback (Linux: the fallback skcipher omap-aes allocates at init and
// uses for requests shorter than fallback_size): the cipher itself, over OpenSSL EVP.
//
// Why the driver keeps its own thin OpenSSL use instead of the testbench's wrapper
// (testbench/dmcrypt/evp.h): the driver may not depend on the testbench, and that wrapper is
// the reference the scoreboard grades the driver's output with; if the fallback shared it, a
// mode-handling mistake in the fallback would be graded by itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "driver/omap_aes/skcipher.h"

namespace aesvp::driver {

// Software AES of one request: `in` -> `out` (same size; CTR any length, others a multiple of
// 16), `iv` updated with the chaining value (CBC, CTR). XTS: key1 || key2, no ciphertext
// stealing. False on a bad key or length.
bool software_crypt(SkcipherMode mode, const std::vector<std::uint8_t>& key, bool encrypt,
                    std::array<std::uint8_t, 16>& iv, const std::uint8_t* in, std::uint8_t* out,
                    std::size_t len);

}  // namespace aesvp::driver
