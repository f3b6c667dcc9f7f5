// The cryptodev-like synchronous user path: the exact cost of a software-fallback operation
// in the user thread, and a hardware operation that sleeps once, is woken, and returns the
// OpenSSL result with the CBC chaining value.
#include "driver/kernel/dma_mapping.h"
#include "models/testing/sc_test.h"
#include "testbench/app/cryptodev.h"
#include "testbench/app/openssl_reference.h"
#include "testbench/stack/stack.h"

#include <gtest/gtest.h>

namespace aesvp::testbench {
namespace {

using engine::Errc;

const std::vector<std::uint8_t> kKey = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// Every cost parameter of the path set to a distinct value chosen here, at 1000 MHz (1 cycle =
// 1 ns), so the expected charge is a hand-computed number and a cost charged twice, left
// out or taken from the wrong parameter shows.
StackParams chosen_costs(CryptodevParams& cp) {
  StackParams sp;
  sp.platform.cpu.clock_mhz = 1000;
  sp.kernel.memcpy_call_cycles = 20;
  sp.kernel.memcpy_cycles_per_byte = 0.5;
  sp.driver.crypt_entry_cycles = 5;
  sp.driver.fallback_call_cycles = 700;
  sp.driver.sw_aes_cycles_per_byte = 7.0;  // AES-128: 10 rounds, the per-byte figure as is
  cp.user_op_cycles = 1000;
  cp.syscall_entry_cycles = 200;
  cp.ioctl_cycles = 3000;
  cp.request_setup_cycles = 50;
  cp.syscall_exit_cycles = 9;
  cp.pin_page_cycles = 400;
  return sp;
}

TEST(Cryptodev, FallbackOperationChargesItsCostsToTheUserThread) {
  CryptodevParams cp;
  const StackParams sp = chosen_costs(cp);
  Stack stack(sp);
  kernel::Kernel& k = stack.kernel();
  const std::size_t len = 64;  // below the 200-byte fallback threshold
  double charged_us = -1;
  CryptodevOpResult r;
  std::vector<std::uint8_t> in(len, 0x42), out(len);
  std::array<std::uint8_t, 16> iv{};
  cp.zero_copy = false;  // the copy path: copy_from_user + copy_to_user in the process
  stack.run([&] {
    ExecContext& self = *k.current();
    CryptodevSession s(k, stack.driver(), driver::SkcipherMode::Cbc, kKey, 1024, cp);
    self.sync();
    const sc_core::sc_time b0 = self.busy_time();
    r = s.crypt(true, in.data(), out.data(), len, iv);
    self.sync();
    charged_us = (self.busy_time() - b0).to_seconds() * 1e6;
    EXPECT_EQ(s.sleeps(), 0u);
  });
  EXPECT_EQ(r.err, Errc::Ok);
  EXPECT_FALSE(r.hardware);
  // user 1000 + syscall 200 + 9 + ioctl 3000 + set-up 50 + two copies of 64 B (20 + 32 each)
  // + crypt entry 5 + fallback call 700 + 7 x 64 B of AES = 5516 cycles = 5.516 us.
  EXPECT_NEAR(charged_us, 5.516, 1e-6);
  const std::array<std::uint8_t, 16> zero{};
  const auto ref = openssl_crypt(baremetal::CipherMode::Cbc, true, kKey, zero, in);
  EXPECT_EQ(out, ref);
  EXPECT_TRUE(std::equal(iv.begin(), iv.end(), ref.end() - 16));  // CBC chaining value
}

// Zero-copy (cryptodev's default path): the two copies are replaced by pinning the one user
// page the 64 bytes sit in; the result is the same.
TEST(Cryptodev, ZeroCopyPinsThePagesInsteadOfCopying) {
  CryptodevParams cp;
  const StackParams sp = chosen_costs(cp);
  Stack stack(sp);
  kernel::Kernel& k = stack.kernel();
  const std::size_t len = 64;
  double charged_us = -1;
  CryptodevOpResult r;
  std::vector<std::uint8_t> in(len, 0x24), out(len);
  std::array<std::uint8_t, 16> iv{};
  cp.zero_copy = true;
  stack.run([&] {
    ExecContext& self = *k.current();
    CryptodevSession s(k, stack.driver(), driver::SkcipherMode::Cbc, kKey, 1024, cp);
    self.sync();
    const sc_core::sc_time b0 = self.busy_time();
    r = s.crypt(true, in.data(), out.data(), len, iv);
    self.sync();
    charged_us = (self.busy_time() - b0).to_seconds() * 1e6;
  });
  EXPECT_EQ(r.err, Errc::Ok);
  // As above with one page pinned (400) in place of the two copies (2 x 52):
  // 5516 - 104 + 400 = 5812 cycles.
  EXPECT_NEAR(charged_us, 5.812, 1e-6);
  const std::array<std::uint8_t, 16> zero{};
  EXPECT_EQ(out, openssl_crypt(baremetal::CipherMode::Cbc, true, kKey, zero, in));
}

TEST(Cryptodev, HardwareOperationSleepsOnceAndIsWoken) {
  StackParams sp;
  Stack stack(sp);
  kernel::Kernel& k = stack.kernel();
  const std::size_t len = 1024;
  std::vector<std::uint8_t> buf(len);
  for (std::size_t i = 0; i < len; ++i) buf[i] = static_cast<std::uint8_t>(i * 7);
  const std::vector<std::uint8_t> in = buf;
  std::array<std::uint8_t, 16> iv{};
  iv[0] = 9;
  const std::array<std::uint8_t, 16> iv0 = iv;
  CryptodevOpResult r, bad;
  std::uint64_t sleeps = 0;
  stack.run([&] {
    CryptodevSession s(k, stack.driver(), driver::SkcipherMode::Cbc, kKey, len);
    r = s.crypt(true, buf.data(), buf.data(), len, iv);  // in place, like openssl speed
    std::array<std::uint8_t, 16> iv2{};
    bad = s.crypt(true, buf.data(), buf.data(), len + 16, iv2);  // above the session buffer
    sleeps = s.sleeps();
  });
  EXPECT_EQ(r.err, Errc::Ok);
  EXPECT_TRUE(r.hardware);
  EXPECT_EQ(sleeps, 1u);
  EXPECT_EQ(bad.err, Errc::Inval);
  const auto ref = openssl_crypt(baremetal::CipherMode::Cbc, true, kKey, iv0, in);
  EXPECT_EQ(buf, ref);
  EXPECT_TRUE(std::equal(iv.begin(), iv.end(), ref.end() - 16));
  std::uint64_t blocks = 0;
  for (const auto& a : stack.platform().aes) blocks += a->blocks_processed();
  EXPECT_EQ(blocks, len / 16);
}

}  // namespace
}  // namespace aesvp::testbench
