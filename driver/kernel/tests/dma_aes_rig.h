// The AES + two slave channels of a dmaengine provider, driven the way omap-aes drives them
// (software in the calling kernel thread), and the OpenSSL reference the tests compare with.
// Shared by the provider tests (sDMA over the omap4 platform, EDMA3 over an AM335x-like bench).
#pragma once

#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"
#include "driver/kernel/dmaengine.h"
#include "driver/kernel/kernel.h"
#include "models/aes/omap_aes_regs.h"
#include "models/core/device_tree.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <functional>
#include <random>
#include <vector>

namespace aesvp::kernel::testing {

namespace regs = omap_aes;
using sc_core::sc_time;
using sc_core::SC_MS;

inline std::vector<std::uint8_t> openssl_ecb_encrypt(const std::vector<std::uint8_t>& key,
                                              const std::vector<std::uint8_t>& in) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const EVP_CIPHER* c = key.size() == 16   ? EVP_aes_128_ecb()
                        : key.size() == 24 ? EVP_aes_192_ecb()
                                           : EVP_aes_256_ecb();
  std::vector<std::uint8_t> out(in.size() + 16);
  int n1 = 0, n2 = 0;
  EVP_EncryptInit_ex(ctx, c, nullptr, key.data(), nullptr);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EVP_EncryptUpdate(ctx, out.data(), &n1, in.data(), static_cast<int>(in.size()));
  EVP_EncryptFinal_ex(ctx, out.data() + n1, &n2);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<std::size_t>(n1 + n2));
  return out;
}

inline std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& x : v) x = static_cast<std::uint8_t>(rng());
  return v;
}

struct DmaAesRig {
  Kernel& k;
  DmaEngine& dma;
  AesNode aes;
  DmaChan* tx = nullptr;  // memory -> DATA_IN
  DmaChan* rx = nullptr;  // DATA_OUT -> memory
  bool expect_completion = true;  // the output callback comes within 1 ms
  ContextClass callback_cls = ContextClass::Thread;
  unsigned callback_core = 9;

  DmaAesRig(Kernel& kernel, DmaEngine& engine, const AesNode& node)
      : k(kernel), dma(engine), aes(node) {}

  void setup() {
    ASSERT_EQ(dma.probe(), 0);
    tx = dma.dma_request_chan(aes.dma_in);
    rx = dma.dma_request_chan(aes.dma_out);
    ASSERT_NE(tx, nullptr);
    ASSERT_NE(rx, nullptr);
    DmaSlaveConfig c;
    c.direction = DmaTransferDirection::MemToDev;
    c.dst_addr = aes.base + regs::kDataInOut0;
    c.dst_addr_width = 4;
    c.dst_maxburst = 4;
    ASSERT_EQ(dma.dmaengine_slave_config(tx, c), 0);
    c = DmaSlaveConfig{};
    c.direction = DmaTransferDirection::DevToMem;
    c.src_addr = aes.base + regs::kDataInOut0;
    c.src_addr_width = 4;
    c.src_maxburst = 4;
    ASSERT_EQ(dma.dmaengine_slave_config(rx, c), 0);
  }

  void aes_reset() {
    k.writel(regs::kSysconfigSoftreset, aes.base + regs::kSysconfig);
    std::uint32_t v = 0;
    EXPECT_EQ(k.readl_poll_timeout(aes.base + regs::kSysstatus, v,
                                   [](std::uint32_t s) { return (s & regs::kSysstatusResetDone) != 0; },
                                   0.1, 100),
              0);
  }

  void aes_ecb_encrypt(const std::vector<std::uint8_t>& key, std::uint32_t len) {
    for (std::uint32_t x = 0; x < key.size() / 4; ++x) {
      std::uint32_t w;
      std::memcpy(&w, &key[4 * x], 4);
      k.writel(w, aes.base + regs::key1_word(x));
    }
    const std::uint32_t ctrl =
        (regs::ctrl_key_size(static_cast<std::uint32_t>(key.size() * 8)) << regs::kCtrlKeySizeShift) |
        regs::kCtrlDirection;
    k.writel(ctrl, aes.base + regs::kCtrl);
    k.writel(len, aes.base + regs::kCLength0);
    k.writel(0, aes.base + regs::kCLength1);
  }

  // After a failed transfer: terminate both channels (a halted one becomes usable again),
  // `clear` the injected fault, reset the AES and run `in` -> `out` again (ECB, `key`).
  DmaengineResult recover_and_rerun(Scatterlist& in, Scatterlist& out,
                                    const std::vector<std::uint8_t>& key, std::uint32_t len,
                                    const std::function<void()>& clear) {
    EXPECT_EQ(dma.dmaengine_terminate_all(rx), 0);
    EXPECT_EQ(dma.dmaengine_terminate_all(tx), 0);
    clear();
    aes_reset();
    aes_ecb_encrypt(key, len);
    return run(in, out);
  }

  // One DMA transfer through the AES; returns the output channel's callback result.
  // `during` runs in the calling thread once both channels are issued and the AES requests
  // are on (a descriptor's cookie in `*out_cookie`).
  DmaengineResult run(Scatterlist& in, Scatterlist& out,
                      const std::function<void(DmaCookie out_cookie)>& during = {}) {
    EXPECT_EQ(dma_map_sg(k, in, DmaDataDirection::ToDevice), static_cast<int>(sg_nents(in)));
    EXPECT_EQ(dma_map_sg(k, out, DmaDataDirection::FromDevice), static_cast<int>(sg_nents(out)));
    Completion done(k);
    DmaengineResult res;
    res.result = DmaTxResult::Aborted;
    DmaAsyncTxDescriptor* rxd = dma.dmaengine_prep_slave_sg(rx, out, DmaTransferDirection::DevToMem);
    DmaAsyncTxDescriptor* txd = dma.dmaengine_prep_slave_sg(tx, in, DmaTransferDirection::MemToDev);
    EXPECT_NE(rxd, nullptr);
    EXPECT_NE(txd, nullptr);
    if (rxd == nullptr || txd == nullptr) return res;
    rxd->callback_result = [&](const DmaengineResult& r) {
      res = r;
      callback_cls = k.current()->context_class();
      callback_core = k.current()->core();
      done.complete();
    };
    const DmaCookie rc = dma.dmaengine_submit(rxd);
    const DmaCookie tc = dma.dmaengine_submit(txd);
    EXPECT_GT(rc, 0);
    EXPECT_GT(tc, 0);
    dma.dma_async_issue_pending(rx);
    dma.dma_async_issue_pending(tx);
    k.writel(regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn,
             aes.base + regs::kSysconfig);
    if (during) during(rc);
    EXPECT_EQ(done.wait_for_completion_timeout(sc_time(1, SC_MS)), expect_completion);
    k.writel(0, aes.base + regs::kSysconfig);
    dma_unmap_sg(k, in, DmaDataDirection::ToDevice);
    dma_unmap_sg(k, out, DmaDataDirection::FromDevice);
    if (res.result == DmaTxResult::NoError) {
      EXPECT_EQ(dma.dmaengine_tx_status(rx, rc), DmaStatus::Complete);
    }
    return res;
  }
};

}  // namespace aesvp::kernel::testing
