// A cryptodev-like synchronous user path (cryptodev-linux CIOCCRYPT as `openssl speed -evp`
// uses it): one user process, one operation outstanding. Per operation, in the calling user
// thread (a kernel context made by Kernel::spawn_thread):
//   user-space work (EVP call, engine glue)        user_op_cycles
//   system call entry                              syscall_entry_cycles
//   ioctl bookkeeping (session lookup, crypt_op)   ioctl_cycles
//   copy_from_user of the input to a kernel buffer kernel memcpy costs (copy_from_host), or
//     with zero_copy: pin the user pages            pin_page_cycles per page
//   skcipher request set-up + crypto_skcipher_*    request_setup_cycles + the driver's own
//   sleep until the completion (core idle)         wait_for_completion (kernel costs) and
//                                                  sleep_wake_cycles if it really slept
//   copy_to_user of the result                     kernel memcpy costs (copy_to_host), or
//     with zero_copy: nothing (the result is in the user's pages; in-place requests make
//     omap-aes bounce them instead, in the engine's kthread)
//   system call exit                               syscall_exit_cycles
// Below the driver's fallback size the driver finishes the request synchronously (software
// AES, charged to this thread): no sleep, no wake-up. docs/speed.md.
#pragma once

#include "driver/kernel/completion.h"
#include "driver/kernel/kernel.h"
#include "driver/omap_aes/skcipher.h"
#include "models/core/params.h"

#include <array>
#include <cstdint>
#include <vector>

namespace aesvp::testbench {

#define AESVP_CRYPTODEV_PARAMS(X)                                                              \
  X(std::uint32_t, user_op_cycles, 500, "cycles",                                              \
    "estimate: openssl speed loop + EVP_Cipher + devcrypto/cryptodev engine glue (struct "      \
    "crypt_op fill, libc ioctl wrapper) per operation in user space",                          \
    "user-space cost per operation (user thread)")                                             \
  X(std::uint32_t, syscall_entry_cycles, 200, "cycles",                                        \
    "estimate: lmbench lat_syscall null on 1 GHz Cortex-A9 boards is ~0.3-0.5 us for entry + " \
    "exit together (vector_swi, register save, syscall table dispatch)",                       \
    "system call entry (user thread)")                                                          \
  X(std::uint32_t, syscall_exit_cycles, 200, "cycles",                                         \
    "estimate: ret_fast_syscall work-pending check, register restore, exception return "      \
    "(the other half of lat_syscall null)",                                                     \
    "system call exit (user thread)")                                                           \
  X(std::uint32_t, ioctl_cycles, 1500, "cycles",                                               \
    "estimate: cryptodev-linux cryptodev_ioctl CIOCCRYPT: fdget + vfs_ioctl dispatch, "         \
    "copy_from_user/copy_to_user of struct crypt_op (~50 B), crypto_get_session_by_sid "        \
    "(mutex + list walk), crypto_run checks, kernel_crypt_op fill, session mutex unlock",       \
    "cryptodev ioctl bookkeeping per operation, copies of the data excluded (user thread)")    \
  X(std::uint32_t, request_setup_cycles, 200, "cycles",                                        \
    "estimate: sg_init_one x2, skcipher_request_set_crypt/_set_callback, reinit_completion, "  \
    "IV copy (cryptodev cryptodev_cipher_encrypt)",                                              \
    "skcipher request set-up per operation (user thread)")                                      \
  X(std::uint32_t, sleep_wake_cycles, 1500, "cycles",                                          \
    "estimate: schedule() of the waiting process to the idle task and back after the "         \
    "wake-up (idle exit, switch_to, cache/TLB refill), ~1.5 us; the CPU model charges "        \
    "cpu.context_switch_cycles only between two thread contexts, never for idle, and the "     \
    "waker already pays kernel.complete_cycles + kernel.wakeup_cycles",                          \
    "charged to the user thread after each real sleep in wait_for_completion")                \
  X(bool, zero_copy, true, "",                                                                 \
    "cryptodev-linux crypto_run: __crypto_run_zc (user pages pinned and handed to the driver "  \
    "as scatterlists) unless the caller sets COP_FLAG_NO_ZC; OpenSSL's devcrypto engine does "  \
    "not set it",                                                                               \
    "true: zero-copy (pin the user pages); false: copy_from_user/copy_to_user through a "      \
    "kernel buffer")                                                                            \
  X(std::uint32_t, pin_page_cycles, 600, "cycles",                                             \
    "estimate: get_user_pages_fast walk + page refcount per 4 KiB page, and put_page + "       \
    "set_page_dirty on release (cryptodev get_userbuf / release_user_pages)",                  \
    "zero-copy: cost per user page pinned and released (user thread)")

AESVP_PARAM_GROUP(CryptodevParams, "cryptodev", AESVP_CRYPTODEV_PARAMS);

// What one operation did.
struct CryptodevOpResult {
  engine::Errc err = engine::Errc::Ok;
  bool hardware = false;  // asynchronous (the driver queued it: hardware path)
};

// One cryptodev session (CIOCGSESSION: transform + key + a kernel bounce buffer of `max_len`
// bytes); crypt() is CIOCCRYPT. Create, use and destroy it in one kernel thread context.
class CryptodevSession {
 public:
  // Throws std::runtime_error if the key is refused or the buffer cannot be allocated.
  CryptodevSession(kernel::Kernel& k, driver::SkcipherProvider& provider,
                   driver::SkcipherMode mode, const std::vector<std::uint8_t>& key,
                   std::size_t max_len, const CryptodevParams& params = {});
  ~CryptodevSession();
  CryptodevSession(const CryptodevSession&) = delete;
  CryptodevSession& operator=(const CryptodevSession&) = delete;

  // One synchronous operation: `len` bytes from `in` (user memory = host memory) to `out`
  // (may equal `in`). `iv` is the request IV and receives the chaining value (CBC/CTR).
  CryptodevOpResult crypt(bool encrypt, const std::uint8_t* in, std::uint8_t* out,
                          std::size_t len, std::array<std::uint8_t, 16>& iv);

  const CryptodevParams& params() const { return params_; }
  std::uint64_t operations() const { return ops_; }
  std::uint64_t sleeps() const { return sleeps_; }

 private:
  kernel::Kernel& k_;
  CryptodevParams params_;
  driver::CryptoSkcipher tfm_;
  std::size_t max_len_;
  std::uint64_t buf_ = 0;  // kernel buffer, or the user's pinned pages (simulated DRAM)
  kernel::Completion done_;
  engine::Errc result_ = engine::Errc::Ok;
  bool finished_ = false;
  std::uint64_t ops_ = 0, sleeps_ = 0;
};

}  // namespace aesvp::testbench
