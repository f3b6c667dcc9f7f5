// Bench for the omap-aes driver tests: one Platform + Kernel + DmaEngine + driver per test
// process, helpers to run requests from kernel threads, and the independent reference
// (testbench/dmcrypt, OpenSSL).
#pragma once

#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"
#include "driver/kernel/dmaengine.h"
#include "driver/kernel/kernel.h"
#include "driver/omap_aes/omap_aes.h"
#include "models/platform/platform.h"
#include "models/platform/platform_params.h"
#include "models/testing/sc_test.h"
#include "testbench/dmcrypt/reference.h"

#include <gtest/gtest.h>
#include <systemc>

#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace aesvp::driver::testing {

using engine::Errc;
using kernel::Kernel;
using kernel::Scatterlist;
using sc_core::SC_MS;
using sc_core::SC_US;
using sc_core::sc_time;
using Bytes = std::vector<std::uint8_t>;
using Iv = std::array<std::uint8_t, 16>;

inline Bytes random_bytes(std::size_t n, std::mt19937& g) {
  Bytes v(n);
  for (auto& x : v) x = static_cast<std::uint8_t>(g());
  return v;
}
inline Iv random_iv(std::mt19937& g) {
  Iv iv;
  for (auto& x : iv) x = static_cast<std::uint8_t>(g());
  return iv;
}

inline dmcrypt::ChainMode chain_of(SkcipherMode m) {
  switch (m) {
    case SkcipherMode::Ecb: return dmcrypt::ChainMode::ecb;
    case SkcipherMode::Cbc: return dmcrypt::ChainMode::cbc;
    case SkcipherMode::Ctr: return dmcrypt::ChainMode::ctr;
    case SkcipherMode::Xts: return dmcrypt::ChainMode::xts;
  }
  return dmcrypt::ChainMode::ecb;
}

// Independent reference (CTR with a partial block: computed padded, truncated).
inline Bytes reference(SkcipherMode m, const Bytes& key, const Iv& iv, const Bytes& in, bool enc) {
  const std::size_t padded = (in.size() + 15) / 16 * 16;
  Bytes pin(in), out(padded);
  pin.resize(padded, 0);
  if (padded > 0) {
    dmcrypt::crypt_unit(chain_of(m), key, iv, pin.data(), out.data(), padded,
                        enc ? dmcrypt::Direction::encrypt : dmcrypt::Direction::decrypt);
  }
  out.resize(in.size());
  return out;
}

// The chaining value Linux leaves in req->iv (computed independently of the driver).
inline Iv expected_iv(SkcipherMode m, const Iv& iv, const Bytes& in, const Bytes& out, bool enc) {
  Iv r = iv;
  if (in.empty()) return r;
  if (m == SkcipherMode::Cbc) {
    const Bytes& c = enc ? out : in;
    std::memcpy(r.data(), c.data() + c.size() - 16, 16);
  } else if (m == SkcipherMode::Ctr) {
    std::uint64_t n = (in.size() + 15) / 16;
    for (int i = 15; i >= 0 && n != 0; --i) {
      const std::uint64_t s = r[static_cast<std::size_t>(i)] + (n & 0xff);
      r[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(s);
      n = (n >> 8) + (s >> 8);
    }
  }
  return r;
}

inline std::size_t key_len_for(SkcipherMode m, unsigned aes_bits) {
  return (m == SkcipherMode::Xts ? 2u : 1u) * aes_bits / 8;
}

struct Rig {
  PlatformParams pp;
  std::unique_ptr<Platform> platform;
  std::unique_ptr<Kernel> kernel;
  std::unique_ptr<kernel::DmaEngine> dma;
  std::unique_ptr<OmapAesDriver> drv;

  explicit Rig(const DriverParams& dp = {}, unsigned instances = 1,
               const std::string& mode = "accurate") {
    pp.soc.timing_mode = mode;
    pp.soc.aes_instances = instances;
    pp.dram.size_mib = 32;
    platform = std::make_unique<Platform>("platform", pp);
    kernel = std::make_unique<Kernel>(platform->cpu, platform->device_tree());
    dma = kernel::make_dma_engine(*kernel);
    drv = std::make_unique<OmapAesDriver>(*kernel, *dma, dp);
  }
  Kernel& k() { return *kernel; }

  // Runs `body` in a kernel thread (class Thread, core 1) after probing the driver, then
  // simulates until `limit`. Returns true if the body finished.
  bool run(const std::function<void()>& body, sc_time limit = sc_time(200, SC_MS),
           bool probe = true) {
    bool finished = false;
    kernel->spawn_thread("test", ContextClass::Thread, 1, [&, body] {
      if (probe) {
        const int rc = drv->probe();
        EXPECT_EQ(rc, 0);
        if (rc != 0) return;
      }
      body();
      finished = true;
    });
    sc_core::sc_start(limit);
    return finished;
  }
};

// A buffer of `len` bytes in simulated DRAM as a scatterlist: one entry, or the given
// pieces (each its own allocation, placed `offset` bytes into it: unaligned when offset % 4).
inline Scatterlist alloc_sg(Kernel& k, std::size_t len, const std::vector<std::uint32_t>& pieces = {},
                            std::uint32_t offset = 0) {
  Scatterlist sg;
  if (pieces.empty()) {
    const std::uint64_t a = k.kmalloc(len + offset);
    sg.push_back(a + offset, static_cast<std::uint32_t>(len));
    return sg;
  }
  std::size_t left = len;
  for (std::size_t i = 0; left > 0; ++i) {
    const std::uint32_t n = i + 1 < pieces.size() ? std::min<std::uint32_t>(pieces[i], static_cast<std::uint32_t>(left))
                                                  : static_cast<std::uint32_t>(left);
    const std::uint64_t a = k.kmalloc(n + offset);
    sg.push_back(a + offset, n);
    left -= n;
  }
  return sg;
}
inline void free_sg(Kernel& k, const Scatterlist& sg, std::uint32_t offset = 0) {
  for (const auto& e : sg.entries()) k.kfree(e.address - offset);
}

// Submits from a kernel thread and waits for the final result (Ok returned synchronously
// by the fallback is the final result too). `submit_rc` gets the submission's return value.
inline Errc crypt_wait(Kernel& k, SkcipherRequest& req, bool enc, Errc* submit_rc = nullptr) {
  kernel::Completion done(k);
  Errc final_rc = Errc::Ok;
  int finals = 0;
  req.set_callback(true, [&](engine::Request&, Errc e) {
    if (e == Errc::InProgress) return;
    final_rc = e;
    ++finals;
    done.complete();
  });
  const Errc rc = enc ? crypto_skcipher_encrypt(req) : crypto_skcipher_decrypt(req);
  if (submit_rc != nullptr) *submit_rc = rc;
  if (rc == Errc::InProgress || rc == Errc::Busy) {
    done.wait_for_completion();
    EXPECT_EQ(finals, 1);
    return final_rc;
  }
  EXPECT_EQ(finals, 0);
  return rc;
}

struct CryptCase {
  SkcipherMode mode = SkcipherMode::Cbc;
  Bytes key;
  Iv iv{};
  Bytes in;
  bool enc = true;
  bool in_place = false;
  std::vector<std::uint32_t> src_pieces, dst_pieces;
  std::uint32_t dst_offset = 0;  // unaligned destination when % 4 != 0
};
struct CryptOutcome {
  Errc submit = Errc::Ok;
  Errc result = Errc::Ok;
  Bytes out;
  Iv iv{};
};

// One request through the full stack from the calling kernel thread.
inline CryptOutcome run_case(OmapAesDriver& drv, const CryptCase& c, std::uint64_t id = 1) {
  Kernel& k = drv.kernel();
  CryptoSkcipher tfm(drv, c.mode);
  CryptOutcome o;
  EXPECT_EQ(crypto_skcipher_setkey(tfm, c.key), Errc::Ok);
  Scatterlist src = alloc_sg(k, c.in.size(), c.src_pieces);
  kernel::sg_place_bytes(k, src, c.in);
  Scatterlist dst;
  SkcipherRequest req(tfm);
  req.id = id;
  if (c.in_place) {
    req.set_crypt_inplace(src, static_cast<std::uint32_t>(c.in.size()), c.iv.data());
  } else {
    dst = alloc_sg(k, c.in.size(), c.dst_pieces, c.dst_offset);
    req.set_crypt(src, dst, static_cast<std::uint32_t>(c.in.size()), c.iv.data());
  }
  o.result = crypt_wait(k, req, c.enc, &o.submit);
  o.out = kernel::sg_fetch_bytes(k, c.in_place ? src : dst);
  o.out.resize(c.in.size());
  o.iv = req.iv;
  free_sg(k, src);
  if (!c.in_place) free_sg(k, dst, c.dst_offset);
  return o;
}

}  // namespace aesvp::driver::testing
