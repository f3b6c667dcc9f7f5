#include "testbench/app/software_profile.h"

namespace aesvp {

void apply_software_profile(const std::string& profile, kernel::KernelParams& k,
                            driver::DriverParams& d, testbench::CryptodevParams& c) {
  k = kernel::KernelParams{};
  d = driver::DriverParams{};
  c = testbench::CryptodevParams{};
  if (profile == "am335x") {
    // Cortex-A8: kernel software AES (aes-arm scalar, CBC encryption cannot use the NEON
    // bit-sliced code) per byte at 10 rounds; user-space OpenSSL on the same board runs
    // 22 cycles/B (SDK 09.03, calibration.md), the kernel's is fitted to the 16/64 B points.
    d.sw_aes_cycles_per_byte = 30.0;
    // A8: 64-byte lines, L2 integrated (no PL310 outer cache): one DCCMVAC / DCIMVAC per line.
    k.cache_clean_cycles_per_byte = 0.25;
    k.cache_invalidate_cycles_per_byte = 0.25;
    // A8 + 16-bit DDR3-400: memcpy of buffers beyond L1 ~300 MB/s.
    k.memcpy_cycles_per_byte = 3.3;
    // Fitted (docs/calibration.md): the MPU -> L3/L4 round trip of every readl/writel beyond
    // the interconnect model (256 B point), the cryptodev ioctl path of the in-order A8 (16 B
    // point) and the waiting process's schedule-out/idle/wake-up (process CPU load).
    k.mmio_path_ns = 200.0;
    c.ioctl_cycles = 4000;
    c.sleep_wake_cycles = 4000;
  } else if (profile == "am57x") {
    // Cortex-A15: user-space OpenSSL 20.9 cycles/B at 1.5 GHz (calibration.md).
    d.sw_aes_cycles_per_byte = 25.0;
    // A15: 64-byte lines, integrated L2 (no PL310).
    k.cache_clean_cycles_per_byte = 0.2;
    k.cache_invalidate_cycles_per_byte = 0.2;
    // A15 + 32-bit DDR3L-1066: memcpy ~1 GB/s at 1.5 GHz.
    k.memcpy_cycles_per_byte = 1.5;
    // Fitted like am335x: the DRA7 MPU's path to L3/L4 is longer (256 B point: 440 ns); the
    // out-of-order A15 needs half the A8's cycles for the ioctl path (16 B point); the
    // sleep/wake-up cycles fitted to the process CPU load.
    k.mmio_path_ns = 440.0;
    c.ioctl_cycles = 2000;
    c.sleep_wake_cycles = 6000;
  }
}

}  // namespace aesvp
