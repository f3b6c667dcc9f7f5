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

TEST(Cryptodev, FallbackOperationChargesItsCostsToTheUserThread) {
  StackParams sp;
  Stack stack(sp);
  kernel::Kernel& k = stack.kernel();
  const std::size_t len = 64;  // below the 200-byte fallback threshold
  double charged_us = -1;
  CryptodevOpResult r;
  std::vector<std::uint8_t> in(len, 0x42), out(len);
  std::array<std::uint8_t, 16> iv{};
  CryptodevParams cp;
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
  const driver::DriverParams& dp = sp.driver;
  const double cycles = cp.user_op_cycles + cp.syscall_entry_cycles + cp.ioctl_cycles +
                        cp.request_setup_cycles + cp.syscall_exit_cycles +
                        2 * kernel::memcpy_cost(sp.kernel, len) + dp.crypt_entry_cycles +
                        dp.fallback_call_cycles + dp.sw_aes_cycles_per_byte * len;
  EXPECT_NEAR(charged_us, cycles / sp.platform.cpu.clock_mhz, 1e-6);
  const std::array<std::uint8_t, 16> zero{};
  const auto ref = openssl_crypt(baremetal::CipherMode::Cbc, true, kKey, zero, in);
  EXPECT_EQ(out, ref);
  EXPECT_TRUE(std::equal(iv.begin(), iv.end(), ref.end() - 16));  // CBC chaining value
}

// Zero-copy (cryptodev's default path): the two copies are replaced by pinning the one user
// page the 64 bytes sit in; the result is the same.
TEST(Cryptodev, ZeroCopyPinsThePagesInsteadOfCopying) {
  StackParams sp;
  Stack stack(sp);
  kernel::Kernel& k = stack.kernel();
  const std::size_t len = 64;
  double charged_us = -1;
  CryptodevOpResult r;
  std::vector<std::uint8_t> in(len, 0x24), out(len);
  std::array<std::uint8_t, 16> iv{};
  CryptodevParams cp;
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
  const driver::DriverParams& dp = sp.driver;
  const double cycles = cp.user_op_cycles + cp.syscall_entry_cycles + cp.ioctl_cycles +
                        cp.request_setup_cycles + cp.syscall_exit_cycles + cp.pin_page_cycles +
                        dp.crypt_entry_cycles + dp.fallback_call_cycles +
                        dp.sw_aes_cycles_per_byte * len;
  EXPECT_NEAR(charged_us, cycles / sp.platform.cpu.clock_mhz, 1e-6);
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
