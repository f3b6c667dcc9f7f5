// The SystemC bench of the OMAP AES tests: the model, a test CPU and the test DMA on one
// target socket, level signals on irq and the DMA requests, and helpers that program the
// model the way the Linux drivers do. Expected results come from published vectors or
// OpenSSL EVP, never from the model.
#pragma once

#include "models/aes/omap_aes.h"
#include "models/aes/testing/aes_test_bench.h"
#include "models/aes/tests/aes_vectors.h"
#include "models/aes/tests/openssl_refs.h"
#include "models/core/level_signal.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <functional>
#include <random>
#include <string>

namespace aesvp::testing {

using test_vectors::Bytes;
using test_vectors::hex;
using test_vectors::evp;
using test_vectors::ref_xts;
namespace regs = omap_aes;

struct AesTestBench : sc_core::sc_module {
  LevelSignal irq_line{"irq_line"}, req_in_line{"req_in_line"}, req_out_line{"req_out_line"};
  OmapAes aes;
  TestBusMux mux{"mux"};
  TestCpu cpu{"cpu"};
  TestAesDma dma;
  std::function<void()> body;

  SC_HAS_PROCESS(AesTestBench);
  explicit AesTestBench(const AesParams& p = AesParams{}, TimingMode m = TimingMode::Accurate,
                        const TestDmaCosts& c = TestDmaCosts{}, sc_core::sc_module_name n = "bench")
      : sc_core::sc_module(n), aes("aes", p, m), dma("dma", m, c) {
    aes.irq(irq_line);
    aes.dma_req_in(req_in_line);
    aes.dma_req_out(req_out_line);
    dma.req_in(req_in_line);
    dma.req_out(req_out_line);
    cpu.socket.bind(mux.in);
    dma.socket.bind(mux.in);
    mux.out.bind(aes.socket);
    SC_THREAD(main_thread);
  }
  bool body_done = false;

  void main_thread() {
    if (body) body();
    body_done = true;
    sc_core::sc_stop();
  }
  // Runs the test body in a SystemC thread; a body that never ends (the simulation runs
  // out of events) fails the test.
  void run(std::function<void()> b) {
    body = std::move(b);
    sc_core::sc_start();
    if (!body_done) ADD_FAILURE() << "test body did not finish: the simulation ran out of events";
  }
};

enum class Mode { Ecb, Cbc, Ctr, Xts };

inline std::uint32_t ctrl_for(Mode m, bool enc, unsigned key_bits, std::uint32_t ctr_width = regs::kCtrWidth128,
                              std::uint32_t xts = regs::kXtsKey2N) {
  std::uint32_t v = (enc ? regs::kCtrlDirection : 0u) | (regs::ctrl_key_size(key_bits) << regs::kCtrlKeySizeShift);
  if (m == Mode::Cbc) v |= regs::kCtrlCbc;
  if (m == Mode::Ctr) v |= regs::kCtrlCtr | (ctr_width << regs::kCtrlCtrWidthShift);
  if (m == Mode::Xts) v |= xts << regs::kCtrlXtsShift;
  return v;
}

// Keys, IV, CTRL (what omap_aes_write_ctrl does).
inline void write_context(TestCpu& cpu, const Bytes& key1, const Bytes& key2, const Bytes& iv, std::uint32_t ctrl) {
  cpu.load_key(&regs::key1_word, key1.data(), key1.size());
  if (!key2.empty()) cpu.load_key(&regs::key2_word, key2.data(), key2.size());
  if (!iv.empty()) cpu.load_iv(iv.data());
  cpu.write(regs::kCtrl, ctrl);
}

inline void wait_high(sc_core::sc_signal_in_if<bool>& line) {
  while (!line.read()) sc_core::wait(line.posedge_event());
}

// PIO as the Linux omap-aes IRQ handler does it: IRQENABLE toggles between DATA_IN and
// DATA_OUT; four word writes, four word reads per block. No C_LENGTH.
// `fifo_port`: every word through DATA_IN_0 / DATA_OUT_0 (the FIFO address a DMA uses).
inline Bytes pio_crypt(AesTestBench& b, const Bytes& in, bool fifo_port = false) {
  Bytes out(in.size());
  for (std::size_t k = 0; k < in.size(); k += 16) {
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataIn);
    wait_high(b.irq_line);
    for (unsigned w = 0; w < 4; ++w) {
      std::uint32_t v;
      std::memcpy(&v, in.data() + k + 4 * w, 4);
      b.cpu.write(regs::data_in_out(fifo_port ? 0 : w), v);
    }
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataOut);
    wait_high(b.irq_line);
    for (unsigned w = 0; w < 4; ++w) {
      const std::uint32_t v = b.cpu.read(regs::data_in_out(fifo_port ? 0 : w));
      std::memcpy(out.data() + k + 4 * w, &v, 4);
    }
  }
  b.cpu.write(regs::kIrqEnable, 0);
  return out;
}

// The reference for a whole request in any mode the model supports.
inline Bytes reference(Mode m, const Bytes& key1, const Bytes& key2, const Bytes& iv, const Bytes& in, bool enc) {
  const std::string bits = std::to_string(key1.size() * 8);
  switch (m) {
    case Mode::Ecb: return evp(("AES-" + bits + "-ECB").c_str(), key1, {}, in, enc);
    case Mode::Cbc: return evp(("AES-" + bits + "-CBC").c_str(), key1, iv, in, enc);
    case Mode::Ctr: return evp(("AES-" + bits + "-CTR").c_str(), key1, iv, in, enc);
    case Mode::Xts:
      if (key1.size() != 24 && key1 != key2) {
        Bytes both = key1;
        both.insert(both.end(), key2.begin(), key2.end());
        return evp(("AES-" + bits + "-XTS").c_str(), both, iv, in, enc);
      }
      return ref_xts(key1, key2, iv, in, enc);
  }
  return {};
}

inline Bytes random_bytes(std::mt19937& rng, std::size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

}  // namespace aesvp::testing
