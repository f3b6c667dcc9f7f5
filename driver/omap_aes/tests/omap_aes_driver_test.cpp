// The omap-aes driver through the full stack (skcipher API -> driver -> crypto engine on a
// simulated RT kthread -> sDMA / AES models -> IRQ -> tasklets), against the independent
// OpenSSL reference of testbench/dmcrypt.
#include "driver/kernel/omap_dma.h"
#include "driver/omap_aes/tests/test_support.h"

#include <map>
#include <set>

namespace aesvp::driver::testing {
namespace {

const SkcipherMode kModes[] = {SkcipherMode::Ecb, SkcipherMode::Cbc, SkcipherMode::Ctr, SkcipherMode::Xts};

std::string mode_name(const ::testing::TestParamInfo<SkcipherMode>& i) { return to_string(i.param); }

// Every key size x direction x a spread of lengths (one block .. 64 KiB), random data, keys
// and IVs, in place and out of place, aligned and unaligned / multi-entry lists.
void all_cases(SkcipherMode mode, bool use_dma) {
  DriverParams dp;
  dp.aes_fallback_sz = 0;  // everything on the hardware here
  dp.use_dma = use_dma;
  Rig rig(dp);
  std::mt19937 g(1234 + static_cast<unsigned>(mode));
  std::vector<std::size_t> lengths = {16, 48, 208, 512, 1040, 4096, 65536};
  if (mode == SkcipherMode::Ctr) lengths.insert(lengths.end(), {1, 15, 17, 200, 1000, 4095});
  if (!use_dma) lengths = {16, 208, 1040, 4096};
  if (!use_dma && mode == SkcipherMode::Ctr) lengths.insert(lengths.end(), {5, 1000});
  int checked = 0;
  const bool done = rig.run([&] {
    int n = 0;
    for (unsigned bits : {128u, 192u, 256u}) {
      for (bool enc : {true, false}) {
        for (std::size_t len : lengths) {
          CryptCase c;
          c.mode = mode;
          c.key = random_bytes(key_len_for(mode, bits), g);
          c.iv = random_iv(g);
          c.in = random_bytes(len, g);
          c.enc = enc;
          c.in_place = (n % 3) == 1;
          if (n % 3 == 2) {  // multi-entry source, unaligned multi-entry destination
            c.src_pieces = {64, 32};
            c.dst_pieces = {100, 28};
            c.dst_offset = 2;
          }
          ++n;
          const CryptOutcome o = run_case(*rig.drv, c, static_cast<std::uint64_t>(n));
          ASSERT_EQ(o.submit, Errc::InProgress) << to_string(mode) << " len " << len;
          ASSERT_EQ(o.result, Errc::Ok);
          const Bytes ref = reference(mode, c.key, c.iv, c.in, enc);
          ASSERT_EQ(o.out, ref) << to_string(mode) << "-" << bits << (enc ? " enc" : " dec")
                                << " len " << len << " case " << n;
          ASSERT_EQ(o.iv, expected_iv(mode, c.iv, c.in, o.out, enc)) << "IV, len " << len;
          ++checked;
        }
      }
    }
  }, sc_time(2000, SC_MS));
  EXPECT_TRUE(done);
  EXPECT_EQ(checked, static_cast<int>(6 * lengths.size()));
  const OmapAesDev& dev = rig.drv->device(0);
  EXPECT_EQ(dev.pio_only(), !use_dma);
  EXPECT_EQ(dev.stats().completed, static_cast<std::uint64_t>(checked));
  EXPECT_EQ(dev.stats().failed, 0u);
  EXPECT_GT(dev.stats().bounced_in, 0u);   // in place / partial CTR / unaligned
  EXPECT_GT(dev.stats().bounced_out, 0u);  // unaligned destination
  EXPECT_EQ(rig.k().mmio_faults(), 0u);
  EXPECT_EQ(rig.drv->fallback_requests(), 0u);
  // Bounce buffers freed; what stays is the sDMA descriptor pool's coherent pages, held by the
  // channels until they are released (as Linux's dma_pool).
  std::size_t pool_pages = 0;
  if (const auto* od = dynamic_cast<const kernel::OmapDma*>(&rig.drv->dma()); od && use_dma)
    pool_pages = od->descriptor_pages(*dev.dma_lch_in()).size() +
                 od->descriptor_pages(*dev.dma_lch_out()).size();
  EXPECT_EQ(rig.k().allocator().allocations(), pool_pages);
}

class AesDriverDmaPath : public ::testing::TestWithParam<SkcipherMode> {};
TEST_P(AesDriverDmaPath, EveryKeySizeDirectionAndLengthMatchesReference) { all_cases(GetParam(), true); }
INSTANTIATE_TEST_SUITE_P(Modes, AesDriverDmaPath, ::testing::ValuesIn(kModes), mode_name);

class AesDriverPioPath : public ::testing::TestWithParam<SkcipherMode> {};
TEST_P(AesDriverPioPath, EveryKeySizeDirectionMatchesReference) { all_cases(GetParam(), false); }
INSTANTIATE_TEST_SUITE_P(Modes, AesDriverPioPath, ::testing::ValuesIn(kModes), mode_name);

// The fast timing mode gives the same bytes.
TEST(AesDriverDmaPath, FastModeMatchesReference) {
  DriverParams dp;
  Rig rig(dp, 1, "fast");
  std::mt19937 g(77);
  const bool done = rig.run([&] {
    for (SkcipherMode m : kModes) {
      CryptCase c;
      c.mode = m;
      c.key = random_bytes(key_len_for(m, 256), g);
      c.iv = random_iv(g);
      c.in = random_bytes(8192, g);
      const CryptOutcome o = run_case(*rig.drv, c);
      EXPECT_EQ(o.result, Errc::Ok);
      EXPECT_EQ(o.out, reference(m, c.key, c.iv, c.in, true)) << to_string(m);
    }
  });
  EXPECT_TRUE(done);
}

// One driver on the DMA path (aes1) and one on the PIO path (aes2) of the same system:
// identical bytes and IVs for the same requests.
TEST(AesDriverPaths, DmaAndPioGiveIdenticalBytes) {
  DriverParams dma_p, pio_p;
  dma_p.aes_fallback_sz = pio_p.aes_fallback_sz = 0;
  pio_p.use_dma = false;
  Rig rig(dma_p, 2);
  OmapAesDriver pio_drv(rig.k(), *rig.dma, pio_p);
  std::mt19937 g(99);
  int compared = 0;
  const bool done = rig.run([&] {
    ASSERT_EQ(rig.drv->probe_instance(0), 0);
    ASSERT_EQ(pio_drv.probe_instance(1), 0);
    for (SkcipherMode m : kModes) {
      for (std::size_t len : {16u, 272u, 3000u}) {
        CryptCase c;
        c.mode = m;
        c.key = random_bytes(key_len_for(m, 128), g);
        c.iv = random_iv(g);
        c.in = random_bytes(m == SkcipherMode::Ctr ? len : len / 16 * 16, g);
        c.enc = (len % 2) == 0;
        const CryptOutcome a = run_case(*rig.drv, c);
        const CryptOutcome b = run_case(pio_drv, c);
        ASSERT_EQ(a.result, Errc::Ok);
        ASSERT_EQ(b.result, Errc::Ok);
        EXPECT_EQ(a.out, b.out) << to_string(m) << " len " << len;
        EXPECT_EQ(a.iv, b.iv);
        EXPECT_EQ(a.out, reference(m, c.key, c.iv, c.in, c.enc));
        ++compared;
      }
    }
  }, sc_time(200, SC_MS), false);
  EXPECT_TRUE(done);
  EXPECT_EQ(compared, 12);
  EXPECT_FALSE(rig.drv->device(0).pio_only());
  EXPECT_TRUE(pio_drv.device(0).pio_only());
  EXPECT_GT(pio_drv.device(0).stats().pio_irqs, 0u);
  EXPECT_GT(rig.k().irq_count(rig.platform->aes_resources(1).irq), 0u);
  EXPECT_EQ(rig.k().irq_count(rig.platform->aes_resources(0).irq), 0u);
}

// --- IV chaining --------------------------------------------------------------------------

class AesDriverChaining : public ::testing::TestWithParam<SkcipherMode> {};

// Consecutive requests chain through req->iv: two requests (one below the fallback
// threshold, one on the hardware, and two on the hardware) equal one big request.
TEST_P(AesDriverChaining, SplitRequestsEqualOneRequest) {
  const SkcipherMode m = GetParam();
  Rig rig;
  std::mt19937 g(5);
  const bool done = rig.run([&] {
    for (bool enc : {true, false}) {
      for (auto split : {std::pair<std::size_t, std::size_t>{160, 4096}, {4096, 1024}, {512, 2000}}) {
        if (m != SkcipherMode::Ctr && split.second % 16 != 0) continue;
        const Bytes key = random_bytes(key_len_for(m, 192), g);
        const Iv iv0 = random_iv(g);
        const Bytes data = random_bytes(split.first + split.second, g);
        CryptCase whole;
        whole.mode = m;
        whole.key = key;
        whole.iv = iv0;
        whole.in = data;
        whole.enc = enc;
        const CryptOutcome big = run_case(*rig.drv, whole);
        ASSERT_EQ(big.result, Errc::Ok);
        ASSERT_EQ(big.out, reference(m, key, iv0, data, enc));
        CryptCase a = whole, b = whole;
        a.in.assign(data.begin(), data.begin() + static_cast<long>(split.first));
        b.in.assign(data.begin() + static_cast<long>(split.first), data.end());
        const CryptOutcome ra = run_case(*rig.drv, a);
        ASSERT_EQ(ra.result, Errc::Ok);
        EXPECT_EQ(ra.iv, expected_iv(m, iv0, a.in, ra.out, enc));  // the next chaining value
        b.iv = ra.iv;
        const CryptOutcome rb = run_case(*rig.drv, b);
        ASSERT_EQ(rb.result, Errc::Ok);
        Bytes joined = ra.out;
        joined.insert(joined.end(), rb.out.begin(), rb.out.end());
        EXPECT_EQ(joined, big.out) << (enc ? "enc " : "dec ") << split.first << "+" << split.second;
        EXPECT_EQ(rb.iv, big.iv);
      }
    }
  });
  EXPECT_TRUE(done);
  EXPECT_GT(rig.drv->fallback_requests(), 0u);
}
INSTANTIATE_TEST_SUITE_P(Modes, AesDriverChaining, ::testing::Values(SkcipherMode::Cbc, SkcipherMode::Ctr),
                         mode_name);

// --- fallback ------------------------------------------------------------------------------

TEST(AesDriverFallback, BelowThresholdSoftwareAtOrAboveHardware) {
  Rig rig;  // default aes_fallback_sz = 200
  std::mt19937 g(8);
  std::vector<std::pair<std::size_t, Errc>> submits;
  std::vector<std::uint64_t> blocks_after;
  sc_time fallback_busy;
  Bytes key;
  const bool done = rig.run([&] {
    auto& aes = *rig.platform->aes[0];
    for (auto [mode, len] : {std::pair{SkcipherMode::Cbc, std::size_t{192}},
                             std::pair{SkcipherMode::Ctr, std::size_t{199}},
                             std::pair{SkcipherMode::Xts, std::size_t{16}},
                             std::pair{SkcipherMode::Ctr, std::size_t{200}},
                             std::pair{SkcipherMode::Cbc, std::size_t{208}}}) {
      CryptCase c;
      c.mode = mode;
      c.key = random_bytes(key_len_for(mode, 128), g);
      c.iv = random_iv(g);
      c.in = random_bytes(len, g);
      const CryptOutcome o = run_case(*rig.drv, c);
      EXPECT_EQ(o.result, Errc::Ok);
      EXPECT_EQ(o.out, reference(mode, c.key, c.iv, c.in, true)) << len;
      EXPECT_EQ(o.iv, expected_iv(mode, c.iv, c.in, o.out, true));
      submits.emplace_back(len, o.submit);
      blocks_after.push_back(aes.blocks_processed());
    }
    // The fallback's cost on the submitter: entry + call + per byte, nothing else.
    ExecContext& me = *rig.k().current();
    CryptoSkcipher tfm(*rig.drv, SkcipherMode::Ecb);
    key = random_bytes(16, g);
    EXPECT_EQ(crypto_skcipher_setkey(tfm, key), Errc::Ok);
    Scatterlist sg = alloc_sg(rig.k(), 192);
    SkcipherRequest req(tfm);
    req.set_crypt_inplace(sg, 192, nullptr);
    const sc_time t0 = me.busy_time() + me.local_time();
    EXPECT_EQ(crypto_skcipher_encrypt(req), Errc::Ok);
    fallback_busy = me.busy_time() + me.local_time() - t0;
  });
  ASSERT_TRUE(done);
  ASSERT_EQ(submits.size(), 5u);
  // Below 200 bytes: synchronous Ok, no AES block processed.
  EXPECT_EQ(submits[0].second, Errc::Ok);
  EXPECT_EQ(submits[1].second, Errc::Ok);
  EXPECT_EQ(submits[2].second, Errc::Ok);
  EXPECT_EQ(blocks_after[2], 0u);
  // At / above: the hardware (CTR 200 bytes = 13 blocks padded, then 13 blocks of CBC).
  EXPECT_EQ(submits[3].second, Errc::InProgress);
  EXPECT_EQ(submits[4].second, Errc::InProgress);
  EXPECT_EQ(blocks_after[3], 13u);
  EXPECT_EQ(blocks_after[4], 26u);
  EXPECT_EQ(rig.drv->fallback_requests(), 4u);
  // Defaults (driver_params.h): entry 250 + call 600 + 40 cycles/B x 192 B (AES-128) = 8530
  // cycles; the platform's CPU clock turns them into time.
  EXPECT_NEAR(fallback_busy.to_seconds(), rig.platform->cpu.cycles(8530.0).to_seconds(), 1e-12);
}

TEST(AesDriverApi, KeyAndLengthValidation) {
  DriverParams dp;
  dp.aes_fallback_sz = 0;
  Rig rig(dp);
  const bool done = rig.run([&] {
    for (SkcipherMode m : kModes) {
      CryptoSkcipher tfm(*rig.drv, m);
      for (std::size_t len : {0u, 8u, 15u, 16u, 20u, 24u, 31u, 32u, 40u, 48u, 64u, 65u}) {
        const bool ok = m == SkcipherMode::Xts ? (len == 32 || len == 48 || len == 64)
                                               : (len == 16 || len == 24 || len == 32);
        EXPECT_EQ(crypto_skcipher_setkey(tfm, Bytes(len, 1)), ok ? Errc::Ok : Errc::Inval)
            << to_string(m) << " " << len;
      }
      SkcipherRequest nokey(tfm);
      Scatterlist sg = alloc_sg(rig.k(), 64);
      nokey.set_crypt_inplace(sg, 64, nullptr);
      EXPECT_EQ(crypto_skcipher_encrypt(nokey), Errc::Inval);  // no valid key set
      ASSERT_EQ(crypto_skcipher_setkey(tfm, Bytes(m == SkcipherMode::Xts ? 32 : 16, 3)), Errc::Ok);
      SkcipherRequest odd(tfm);
      odd.set_crypt_inplace(sg, 33, nullptr);
      Errc rc = Errc::Ok;
      const Errc fin = crypt_wait(rig.k(), odd, true, &rc);
      if (m == SkcipherMode::Ctr) {
        EXPECT_EQ(rc, Errc::InProgress);  // CTR: any length
        EXPECT_EQ(fin, Errc::Ok);
      } else {
        EXPECT_EQ(rc, Errc::Inval) << to_string(m);
      }
      SkcipherRequest too_long(tfm);
      too_long.set_crypt_inplace(sg, 128, nullptr);  // list shorter than cryptlen
      EXPECT_EQ(crypto_skcipher_decrypt(too_long), Errc::Inval);
    }
  });
  EXPECT_TRUE(done);
}

// --- concurrency ---------------------------------------------------------------------------

// Several submitter threads, two AES instances, a small queue with backlog (dm-crypt style:
// after Busy, wait for the InProgress notification before sending more).
class AesDriverConcurrencyModes : public ::testing::TestWithParam<const char*> {};
TEST_P(AesDriverConcurrencyModes, ManySubmittersTwoInstancesBacklogExactlyOnce) {
  DriverParams dp;
  dp.queue_len = 2;
  Rig rig(dp, 2, GetParam());
  constexpr int kThreads = 3, kPerThread = 24;
  struct Slot {
    std::unique_ptr<CryptoSkcipher> tfm;
    std::unique_ptr<SkcipherRequest> req;
    Bytes key, in, ref;
    Iv iv0{}, iv_ref{};
    Scatterlist src, dst;
    int finals = 0, notifications = 0;
    Errc submit = Errc::Ok, result = Errc::Ok;
  };
  std::vector<Slot> slots(kThreads * kPerThread);
  std::mt19937 g(2024);
  for (int i = 0; i < kThreads * kPerThread; ++i) {
    Slot& s = slots[static_cast<std::size_t>(i)];
    const SkcipherMode m = kModes[i % 4];
    s.in = random_bytes(m == SkcipherMode::Ctr ? 200 + 97 * (i % 7) : 208 + 16 * (i % 40), g);
    s.iv0 = random_iv(g);
    s.key = random_bytes(key_len_for(m, 128 + 64 * (i % 3)), g);
    s.ref = reference(m, s.key, s.iv0, s.in, (i % 2) == 0);
    s.iv_ref = expected_iv(m, s.iv0, s.in, s.ref, (i % 2) == 0);
    s.tfm = std::make_unique<CryptoSkcipher>(*rig.drv, m);
    s.req = std::make_unique<SkcipherRequest>(*s.tfm);
    s.req->id = static_cast<std::uint64_t>(1000 + i);
  }
  Kernel& k = rig.k();
  kernel::Completion all_done(k);
  int total_finals = 0;
  bool probed = false;
  kernel::Completion probe_done(k);
  k.spawn_thread("prober", ContextClass::Thread, 0, [&] {
    EXPECT_EQ(rig.drv->probe(), 0);
    probed = true;
    probe_done.complete_all();
  });
  for (int t = 0; t < kThreads; ++t) {
    k.spawn_thread("submitter" + std::to_string(t), ContextClass::Thread, static_cast<unsigned>(t % 2), [&, t] {
      probe_done.wait_for_completion();
      kernel::Completion restart(k);
      for (int j = 0; j < kPerThread; ++j) {
        Slot& s = slots[static_cast<std::size_t>(t * kPerThread + j)];
        ASSERT_EQ(crypto_skcipher_setkey(*s.tfm, s.key), Errc::Ok);
        s.src = alloc_sg(k, s.in.size());
        s.dst = alloc_sg(k, s.in.size());
        kernel::sg_place_bytes(k, s.src, s.in);
        s.req->set_crypt(s.src, s.dst, static_cast<std::uint32_t>(s.in.size()), s.iv0.data());
        s.req->set_callback(true, [&, sp = &s](engine::Request&, Errc e) {
          if (e == Errc::InProgress) {
            ++sp->notifications;
            restart.complete();
            return;
          }
          sp->result = e;
          ++sp->finals;
          if (++total_finals == kThreads * kPerThread) all_done.complete();
        });
        s.submit = (((t * kPerThread + j) % 2) == 0) ? crypto_skcipher_encrypt(*s.req)
                                                     : crypto_skcipher_decrypt(*s.req);
        EXPECT_TRUE(s.submit == Errc::InProgress || s.submit == Errc::Busy) << engine::to_string(s.submit);
        if (s.submit == Errc::Busy) restart.wait_for_completion();  // wait for the notification
      }
    });
  }
  k.spawn_thread("waiter", ContextClass::Thread, 1, [&] { all_done.wait_for_completion(); });
  sc_core::sc_start(sc_time(500, SC_MS));
  ASSERT_TRUE(probed);
  ASSERT_EQ(total_finals, kThreads * kPerThread);
  int busy = 0;
  for (auto& s : slots) {
    EXPECT_EQ(s.finals, 1) << s.req->id;
    EXPECT_EQ(s.result, Errc::Ok);
    EXPECT_EQ(kernel::sg_fetch_bytes(k, s.dst), s.ref) << s.req->id;
    EXPECT_EQ(s.req->iv, s.iv_ref) << s.req->id;
    EXPECT_EQ(s.notifications, s.submit == Errc::Busy ? 1 : 0);
    busy += s.submit == Errc::Busy;
  }
  EXPECT_GT(busy, 0);  // the backlog was exercised
  std::uint64_t submitted = 0, completed = 0, backlogged = 0, notified = 0, hw = 0;
  for (std::size_t d = 0; d < rig.drv->device_count(); ++d) {
    OmapAesDev& dev = rig.drv->device(d);
    const engine::EngineStats st = dev.engine().stats();
    EXPECT_EQ(st.failed, 0u);
    EXPECT_EQ(st.completed, st.submitted);
    EXPECT_EQ(st.dispatched, st.submitted);
    EXPECT_EQ(st.backlogged, st.backlog_notified);
    EXPECT_LE(st.queue_high_water, dp.queue_len + kThreads);
    EXPECT_GT(st.submitted, 0u);  // round-robin used both instances
    EXPECT_EQ(dev.stats().completed, st.completed);
    EXPECT_EQ(rig.platform->aes[d]->blocks_processed() > 0, true);
    submitted += st.submitted;
    completed += st.completed;
    backlogged += st.backlogged;
    notified += st.backlog_notified;
    hw += dev.stats().requests;
  }
  EXPECT_EQ(submitted, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(completed, submitted);
  EXPECT_EQ(hw, submitted);
  EXPECT_EQ(backlogged, static_cast<std::uint64_t>(busy));
  EXPECT_EQ(notified, backlogged);
  EXPECT_EQ(rig.drv->device(0).engine().stats().submitted, rig.drv->device(1).engine().stats().submitted);
}

INSTANTIATE_TEST_SUITE_P(Timing, AesDriverConcurrencyModes, ::testing::Values("accurate", "fast"));

// Queue of one: without MAY_BACKLOG a full queue refuses (-ENOSPC); with it the request is
// backlogged (-EBUSY), notified with -EINPROGRESS, then completed.
TEST(AesDriverConcurrency, BacklogAndNoSpcWithSmallQueue) {
  DriverParams dp;
  dp.queue_len = 1;
  Rig rig(dp);
  std::vector<Errc> rcs;
  std::map<std::uint64_t, std::vector<Errc>> calls;
  const bool done = rig.run([&] {
    Kernel& k = rig.k();
    CryptoSkcipher tfm(*rig.drv, SkcipherMode::Ecb);
    ASSERT_EQ(crypto_skcipher_setkey(tfm, Bytes(16, 7)), Errc::Ok);
    std::vector<std::unique_ptr<SkcipherRequest>> reqs;
    kernel::Completion all(k);
    int finals = 0;
    for (std::uint64_t i = 0; i < 6; ++i) {
      auto r = std::make_unique<SkcipherRequest>(tfm);
      r->id = i;
      Scatterlist sg = alloc_sg(k, 4096);
      r->set_crypt_inplace(sg, 4096, nullptr);
      r->set_callback(i != 3, [&](engine::Request& rq, Errc e) {
        calls[rq.id].push_back(e);
        if (e != Errc::InProgress && ++finals == 5) all.complete();
      });
      rcs.push_back(crypto_skcipher_encrypt(*r));
      reqs.push_back(std::move(r));
    }
    all.wait_for_completion();
  });
  ASSERT_TRUE(done);
  ASSERT_EQ(rcs.size(), 6u);
  // Request 0 is queued; the pump (on core 0) may take it before request 1 arrives, so 1 is
  // queued or backlogged; from then on the queue of one is full: 2, 4, 5 are backlogged,
  // 3 (no MAY_BACKLOG) is refused.
  EXPECT_EQ(rcs[0], Errc::InProgress);
  EXPECT_TRUE(rcs[1] == Errc::InProgress || rcs[1] == Errc::Busy);
  EXPECT_EQ(rcs[2], Errc::Busy);
  EXPECT_EQ(rcs[3], Errc::NoSpc);
  EXPECT_EQ(rcs[4], Errc::Busy);
  EXPECT_EQ(rcs[5], Errc::Busy);
  EXPECT_EQ(calls.count(3), 0u);
  std::uint64_t busy = 0;
  for (std::uint64_t id : {0u, 1u, 2u, 4u, 5u}) {
    if (rcs[id] == Errc::Busy) {
      ++busy;
      EXPECT_EQ(calls[id], (std::vector<Errc>{Errc::InProgress, Errc::Ok})) << id;
    } else {
      EXPECT_EQ(calls[id], (std::vector<Errc>{Errc::Ok})) << id;
    }
  }
  const engine::EngineStats st = rig.drv->device(0).engine().stats();
  EXPECT_EQ(st.rejected_full, 1u);
  EXPECT_EQ(st.backlogged, busy);
  EXPECT_EQ(st.backlog_notified, busy);
  EXPECT_EQ(st.completed, 5u);
}

// --- errors and fault injection ------------------------------------------------------------

class AesDriverErrorModes : public ::testing::TestWithParam<const char*> {};
TEST_P(AesDriverErrorModes, DmaBusErrorFailsRequestWithEioAndNextPasses) {
  Rig rig(DriverParams{}, 1, GetParam());
  std::mt19937 g(31);
  std::vector<Errc> results;
  bool outputs_ok = true;
  const bool done = rig.run([&] {
    Kernel& k = rig.k();
    auto one = [&](bool fault_dst, bool fault_src) {
      CryptoSkcipher tfm(*rig.drv, SkcipherMode::Cbc);
      const Bytes key = random_bytes(32, g);
      EXPECT_EQ(crypto_skcipher_setkey(tfm, key), Errc::Ok);
      const Bytes in = random_bytes(4096, g);
      const Iv iv = random_iv(g);
      Scatterlist src = alloc_sg(k, 4096), dst = alloc_sg(k, 4096);
      kernel::sg_place_bytes(k, src, in);
      if (fault_dst) rig.platform->bus.inject_bus_error(dst[0].address + 1024, 64);
      if (fault_src) rig.platform->bus.inject_bus_error(src[0].address + 2048, 16);
      SkcipherRequest req(tfm);
      req.id = results.size() + 1;
      req.set_crypt(src, dst, 4096, iv.data());
      results.push_back(crypt_wait(k, req, true));
      rig.platform->bus.clear_bus_errors();
      if (!fault_dst && !fault_src) {
        outputs_ok = outputs_ok && kernel::sg_fetch_bytes(k, dst) == reference(SkcipherMode::Cbc, key, iv, in, true);
      }
      free_sg(k, src);
      free_sg(k, dst);
    };
    one(false, false);
    one(true, false);   // write to memory fails (output channel)
    one(false, false);
    one(false, true);   // read from memory fails (input channel)
    one(false, false);
  });
  // Injected bus errors answer with a TLM error response and nothing else: the driver
  // recovers without a warning, and no model reports misuse (none was swallowed here).
  EXPECT_TRUE(aesvp::testing::take_reports().empty());
  ASSERT_TRUE(done);
  EXPECT_EQ(results, (std::vector<Errc>{Errc::Ok, Errc::Io, Errc::Ok, Errc::Io, Errc::Ok}));
  EXPECT_TRUE(outputs_ok);
  const OmapAesDevStats& st = rig.drv->device(0).stats();
  EXPECT_EQ(st.resets, 2u);
  EXPECT_GE(st.dma_errors, 2u);
  EXPECT_EQ(st.failed, 2u);
  EXPECT_EQ(st.timeouts, 0u);
  EXPECT_EQ(rig.drv->device(0).engine().stats().failed, 2u);
  EXPECT_EQ(rig.k().allocator().allocations(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Timing, AesDriverErrorModes, ::testing::Values("accurate", "fast"));

TEST(AesDriverError, SuppressedInterruptTimesOutWithEioAndNextPasses) {
  DriverParams dp;
  dp.dma_timeout_us = 500;
  Rig rig(dp);
  std::mt19937 g(41);
  std::vector<Errc> results;
  std::vector<sc_time> durations;
  bool later_ok = false;
  const bool done = rig.run([&] {
    Kernel& k = rig.k();
    for (int i = 0; i < 3; ++i) {
      if (i == 1) rig.drv->device(0).drop_next_dma_completion();
      CryptCase c;
      c.mode = SkcipherMode::Ctr;
      c.key = random_bytes(16, g);
      c.iv = random_iv(g);
      c.in = random_bytes(1024, g);
      const sc_time t0 = k.now();
      const CryptOutcome o = run_case(*rig.drv, c, static_cast<std::uint64_t>(i));
      durations.push_back(k.now() - t0);
      results.push_back(o.result);
      if (i == 2) later_ok = o.out == reference(c.mode, c.key, c.iv, c.in, true);
    }
  });
  ASSERT_TRUE(done);
  EXPECT_EQ(results, (std::vector<Errc>{Errc::Ok, Errc::Io, Errc::Ok}));
  EXPECT_TRUE(later_ok);
  EXPECT_GE(durations[1], sc_time(500, SC_US));
  EXPECT_LT(durations[0], sc_time(500, SC_US));
  const OmapAesDevStats& st = rig.drv->device(0).stats();
  EXPECT_EQ(st.timeouts, 1u);
  EXPECT_EQ(st.dropped_callbacks, 1u);
  EXPECT_EQ(st.resets, 1u);
}

TEST(AesDriverError, PioSuppressedInterruptTimesOut) {
  DriverParams dp;
  dp.use_dma = false;
  dp.dma_timeout_us = 300;
  Rig rig(dp);
  std::vector<Errc> results;
  const bool done = rig.run([&] {
    Kernel& k = rig.k();
    std::mt19937 g(3);
    for (int i = 0; i < 2; ++i) {
      if (i == 0) k.disable_irq(rig.platform->aes_resources(0).irq);  // the interrupt is lost
      CryptCase c;
      c.mode = SkcipherMode::Ecb;
      c.key = random_bytes(16, g);
      c.in = random_bytes(512, g);
      const CryptOutcome o = run_case(*rig.drv, c);
      results.push_back(o.result);
      if (i == 0) k.enable_irq(rig.platform->aes_resources(0).irq);
      if (i == 1) {
        EXPECT_EQ(o.out, reference(c.mode, c.key, c.iv, c.in, true));
      }
    }
  });
  ASSERT_TRUE(done);
  EXPECT_EQ(results, (std::vector<Errc>{Errc::Io, Errc::Ok}));
  EXPECT_EQ(rig.drv->device(0).stats().timeouts, 1u);
}

// --- the request's path and costs ------------------------------------------------------------

TEST(AesDriverFlow, RequestIdFlowsThroughEveryStepInItsContext) {
  Rig rig;
  std::vector<DriverTraceEvent> ev;
  rig.drv->set_trace_hook([&](const DriverTraceEvent& e) {
    if (e.id == 42) ev.push_back(e);
  });
  const bool done = rig.run([&] {
    std::mt19937 g(1);
    CryptCase c;
    c.mode = SkcipherMode::Cbc;
    c.key = random_bytes(16, g);
    c.in = random_bytes(1024, g);
    EXPECT_EQ(run_case(*rig.drv, c, 42).result, Errc::Ok);
  });
  ASSERT_TRUE(done);
  std::vector<std::string> steps;
  for (const auto& e : ev) steps.emplace_back(e.step);
  EXPECT_EQ(steps, (std::vector<std::string>{"crypt", "transfer", "do_one_req", "write_ctrl", "dma_start",
                                             "dma_out_callback", "done_task", "finalize"}));
  const int T = static_cast<int>(ContextClass::Thread), R = static_cast<int>(ContextClass::RtThread),
            S = static_cast<int>(ContextClass::SoftIrq);
  std::vector<int> cls;
  for (const auto& e : ev) cls.push_back(e.context_class);
  EXPECT_EQ(cls, (std::vector<int>{T, T, R, R, R, S, S, S}));
  for (std::size_t i = 1; i < ev.size(); ++i) EXPECT_LE(ev[i - 1].at, ev[i].at);
}

// The engine's kthread advances simulated time by the driver's configured costs: a second
// driver on aes2 with a larger prepare cost shows exactly that difference in its worker's
// busy time.
TEST(AesDriverFlow, EngineKthreadIsChargedTheConfiguredCosts) {
  DriverParams a, b;
  b.prepare_req_cycles = a.prepare_req_cycles + 500000;
  b.write_ctrl_cycles = a.write_ctrl_cycles + 70000;
  b.engine_core = 1;  // instance 1 -> core (1 + 1) % 2 = 0: both workers on core 0
  Rig rig(a, 2);
  OmapAesDriver drv_b(rig.k(), *rig.dma, b);
  const bool done = rig.run([&] {
    ASSERT_EQ(rig.drv->probe_instance(0), 0);
    ASSERT_EQ(drv_b.probe_instance(1), 0);
    std::mt19937 g(2);
    CryptCase c;
    c.mode = SkcipherMode::Ecb;
    c.key = random_bytes(16, g);
    c.in = random_bytes(2048, g);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(run_case(*rig.drv, c).result, Errc::Ok);
      EXPECT_EQ(run_case(drv_b, c).result, Errc::Ok);
    }
  }, sc_time(200, SC_MS), false);
  ASSERT_TRUE(done);
  const sc_time busy_a = rig.drv->device(0).worker().context().busy_time();
  const sc_time busy_b = drv_b.device(0).worker().context().busy_time();
  const double expect = rig.platform->cpu.cycles(3 * 570000.0).to_seconds();
  // Within 1% (a context switch more or less on the shared core).
  EXPECT_NEAR((busy_b - busy_a).to_seconds(), expect, expect * 0.01);
}

TEST(AesDriverFlow, RuntimePmHeldPerRequestAndAutosuspended) {
  Rig rig;
  std::vector<int> usage;
  std::vector<bool> suspended;
  std::vector<unsigned long> resumes;
  const bool done = rig.run([&] {
    std::mt19937 g(9);
    CryptCase c;
    c.mode = SkcipherMode::Xts;
    c.key = random_bytes(64, g);
    c.in = random_bytes(4096, g);
    kernel::RuntimePm& pm = rig.drv->device(0).runtime_pm();
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(run_case(*rig.drv, c).result, Errc::Ok);
      rig.k().sleep(sc_time(10, SC_US));  // the done task's put follows the completion
      usage.push_back(pm.usage_count());
      suspended.push_back(pm.suspended());
      rig.k().sleep(sc_time(1100, SC_MS));  // autosuspend delay (1000 ms) elapses
      suspended.push_back(pm.suspended());
      resumes.push_back(pm.resumes());
    }
  }, sc_time(3000, SC_MS));
  ASSERT_TRUE(done);
  EXPECT_EQ(usage, (std::vector<int>{0, 0}));
  EXPECT_EQ(suspended, (std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(resumes, (std::vector<unsigned long>{1, 2}));  // probe's resume covers request 1
}

}  // namespace
}  // namespace aesvp::driver::testing
