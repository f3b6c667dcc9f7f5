// Bare-metal software for the platform, without an OS or driver stack: it programs one AES
// instance and two sDMA channels through their registers, as the omap-aes driver does, and
// waits for the DMA channel interrupt. It checks the hardware path end to end (issue #3) and
// is the main job of `aesvp run` until the driver stack exists.
#pragma once

#include "models/aes/omap_aes_regs.h"
#include "models/core/device_tree.h"
#include "models/cpu/cpu.h"
#include "models/sdma/omap_sdma_regs.h"

#include <systemc>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace aesvp::baremetal {

enum class CipherMode { Ecb, Cbc, Ctr, Xts };
const char* to_string(CipherMode m);

// The longest job: one 16-byte frame per AES block, and the sDMA's frame counter (CFN) holds
// at most 65535 frames.
inline constexpr std::uint32_t kMaxJobBytes = sdma::kCfnMask * omap_aes::kBlockBytes;

struct AesJob {
  CipherMode mode = CipherMode::Cbc;
  bool encrypt = true;
  std::vector<std::uint8_t> key;   // 16/24/32 bytes; XTS: key1 || key2 (32/48/64 bytes)
  std::array<std::uint8_t, 16> iv{};  // IV, initial counter, or XTS tweak n
  std::uint64_t src = 0, dst = 0;  // DRAM addresses
  std::uint32_t length = 0;        // bytes, a multiple of 16
};

struct AesJobResult {
  sc_core::sc_time started;    // the write that set the AES DMA enables
  sc_core::sc_time completed;  // the DMA interrupt handled, registers read back
  std::array<std::uint8_t, 16> iv_out{};  // IV registers after the job (chaining value)
  std::uint32_t out_channel_status = 0;   // CSR of the output channel at the interrupt
  std::uint32_t in_channel_status = 0;
};

// A bus access that did not answer TLM_OK_RESPONSE.
struct BusFault : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class AesDmaProgram {
 public:
  // `ctx`: the thread context the program runs in (its SystemC thread calls run()); `dt`:
  // the SoC's device description (addresses, interrupt numbers, request lines).
  AesDmaProgram(const DeviceTree& dt, Cpu& cpu, ExecContext& ctx, unsigned aes_instance = 0);

  // Resets the AES and the sDMA, configures the GIC and installs the IRQ handler.
  void init();
  // One request: keys, IV, CTRL, length; both DMA channels; DMA enables; wait for the
  // output channel's block interrupt; read back the IV.
  AesJobResult run(const AesJob& job);

  static constexpr unsigned kInChannel = 0;   // memory -> DATA_IN
  static constexpr unsigned kOutChannel = 1;  // DATA_OUT -> memory
  static constexpr unsigned kIrqLine = 0;     // sDMA L0

 private:
  std::uint32_t rd(std::uint64_t addr);
  void wr(std::uint64_t addr, std::uint32_t v);
  void on_irq(ExecContext& ctx, unsigned core);

  const DeviceTree dt_;
  Cpu& cpu_;
  ExecContext& ctx_;
  AesNode aes_;
  std::uint64_t sdma_base_;
  sc_core::sc_event done_;
  bool done_flag_ = false;
  std::uint32_t csr_in_ = 0, csr_out_ = 0;
};

}  // namespace aesvp::baremetal
