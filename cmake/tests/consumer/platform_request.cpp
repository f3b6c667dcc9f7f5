// A consumer project elaborates aesvp's platform and software stack and sends one AES-CBC
// request through the omap-aes driver (cryptodev-like synchronous path); the result must be
// the hardware path's and equal OpenSSL's on the same bytes.
#include "testbench/app/cryptodev.h"
#include "testbench/dmcrypt/evp.h"
#include "testbench/stack/stack.h"

#include <systemc>

#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

int sc_main(int, char*[]) {
  using namespace aesvp;
  testbench::Stack stack(testbench::StackParams{});
  const std::vector<std::uint8_t> key(16, 0x2b);
  std::vector<std::uint8_t> plain(4096), out(4096);
  for (std::size_t i = 0; i < plain.size(); ++i) plain[i] = static_cast<std::uint8_t>(i * 7);
  const std::array<std::uint8_t, 16> iv0{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  std::array<std::uint8_t, 16> iv = iv0;
  testbench::CryptodevOpResult op;
  stack.run([&] {
    testbench::CryptodevSession session(stack.kernel(), stack.driver(), driver::SkcipherMode::Cbc,
                                        key, plain.size());
    op = session.crypt(true, plain.data(), out.data(), plain.size(), iv);
  });
  std::vector<std::uint8_t> expect(plain.size());
  dmcrypt::evp::mode_crypt(dmcrypt::ChainMode::cbc, key.data(), key.size(), iv0.data(), true,
                           plain.data(), expect.data(), plain.size());
  const bool ok = op.err == engine::Errc::Ok && op.hardware && out == expect;
  std::printf("platform_request: 4096 B aes-128-cbc %s, %s OpenSSL, simulated %s\n",
              op.hardware ? "through the hardware" : "NOT through the hardware",
              out == expect ? "equal to" : "DIFFERENT from",
              sc_core::sc_time_stamp().to_string().c_str());
  return ok ? 0 : 1;
}
