// Bulk mode under faults, at system level: the dm-crypt model over the full stack with the AES
// bulk extension, requests merged by the engine (or sent as multi-unit requests by dm-crypt),
// while DMA bus errors (on the AES data port) and lost DMA completions (the driver's watchdog
// fires) are injected through the models' fault API. Every original request must complete
// exactly once; an error of a composite must reach every member; the scoreboard must see no
// wrong byte (failed bios leave the disk as it was); work after the faults must succeed.
#include "models/aes/omap_aes_regs.h"
#include "testbench/dmcrypt_sim/job.h"

#include <gtest/gtest.h>
#include <systemc>

#include <random>
#include <string>

namespace aesvp::testbench {
namespace {

dmcrypt::VolumeKey make_key(const std::string& spec_text, std::size_t bytes) {
  const dmcrypt::CipherSpec spec = dmcrypt::parse_cipher_spec(spec_text);
  std::mt19937_64 g(99);
  std::vector<std::uint8_t> k(bytes);
  for (auto& b : k) b = static_cast<std::uint8_t>(g());
  return dmcrypt::VolumeKey(spec, k);
}

struct Outcome {
  DmCryptStats dm;
  engine::MergeStats merge;
  driver::OmapAesDevStats dev;
  std::uint64_t bio_errors = 0, mismatched = 0, verified = 0, failed_sectors = 0;
  std::uint64_t bus_errors = 0, last_phase_bios = 0;
};

// Fill the area, then a mixed read/write phase (one bio in flight, so consecutive sectors
// queue up and merge) during which `faults` faults are injected, alternating a bus error on
// the AES data registers and a dropped DMA completion, one every 700 us. The bus error lasts
// 250 us: in fast timing a request's DMA moves its data in a few large chunks, and the window
// must catch one.
Outcome run_with_faults(bool submit, const std::string& spec, std::size_t key_bytes, int faults) {
  StackParams p;
  p.platform.soc.timing_mode = "fast";
  p.platform.aes.bulk_extension = true;
  p.driver.merge = submit ? "off" : "opportunistic";
  p.driver.dma_timeout_us = 2000;
  const dmcrypt::VolumeKey key = make_key(spec, key_bytes);
  dmcrypt::SectorMapping m;
  m.keycount = key.keycount();
  MemoryDisk disk(256 * 1024);
  Workload w;
  w.read_percent = 50;
  w.bio_bytes = {8192, 16384};
  w.queue_depth = 1;
  w.seed = 5;
  Stack stack(p);
  DmCryptJob job(stack, key, m, disk, w);
  if (submit) job.unit_request_bytes = 8192;
  const std::uint64_t data = stack.platform().aes_resources(0).base + omap_aes::kDataInOut0;
  job.between_phases = [&](const PhaseResult&) {
    driver::OmapAesDev& dev = stack.driver().device(0);  // probed by now
    sc_core::sc_spawn([&stack, &dev, data, faults] {
      for (int i = 0; i < faults; ++i) {
        sc_core::wait(sc_core::sc_time(700, sc_core::SC_US));
        if (i % 2 == 0) {
          stack.platform().bus.inject_bus_error(data, 16);
          sc_core::wait(sc_core::sc_time(250, sc_core::SC_US));
          stack.platform().bus.clear_bus_errors();
        } else {
          dev.drop_next_dma_completion();
        }
      }
    });
  };
  stack.run([&] { job.run(); });
  driver::OmapAesDev& dev = stack.driver().device(0);
  Outcome o;
  o.dm = job.target().stats();
  if (dev.merge_policy() != nullptr) o.merge = dev.merge_policy()->stats();
  o.dev = dev.stats();
  o.bio_errors = job.bio_errors();
  o.mismatched = job.scoreboard().sectors_mismatched();
  o.verified = job.scoreboard().sectors_verified();
  o.failed_sectors = job.scoreboard().sectors_failed();
  o.bus_errors = stack.platform().bus.injected_errors();
  o.last_phase_bios = job.phases().back().bios;
  for (const auto& mm : job.scoreboard().mismatches()) ADD_FAILURE() << mm.describe();
  return o;
}

void expect_exactly_once(const Outcome& o) {
  EXPECT_EQ(o.dm.duplicate_completions, 0u);
  EXPECT_EQ(o.dm.unexpected_notifications, 0u);
  EXPECT_EQ(o.dm.requests_completed, o.dm.requests_submitted);
  EXPECT_EQ(o.dm.request_latency.count(), o.dm.requests_submitted);
  EXPECT_EQ(o.dm.backlog_notifications, o.dm.busy);
  EXPECT_EQ(o.mismatched, 0u);
  EXPECT_EQ(o.dm.bios_failed, o.bio_errors);
  // Every sector is either verified or in a failed bio.
  EXPECT_EQ(o.verified + o.failed_sectors, o.dm.sectors_submitted);
}

TEST(BulkFaults, EngineMergingEveryRequestCompletesOnceAndErrorsReachEveryMember) {
  const Outcome o = run_with_faults(false, "aes-xts-plain64", 64, 8);
  expect_exactly_once(o);
  EXPECT_GT(o.bus_errors, 0u);
  EXPECT_GE(o.dev.dma_errors, 1u);
  EXPECT_GE(o.dev.timeouts, 1u);
  EXPECT_GE(o.bio_errors, 2u);
  EXPECT_LT(o.bio_errors, o.last_phase_bios);  // the rest still succeeded
  // Merging happened, and failed composites fanned their error out: every request the
  // driver failed was either a single request or a composite whose members all failed.
  EXPECT_GT(o.merge.merges, 0u);
  EXPECT_GE(o.merge.failed_composites, 1u);
  EXPECT_GE(o.merge.failed_members, 2 * o.merge.failed_composites);
  EXPECT_EQ(o.merge.completed_composites + o.merge.failed_composites, o.merge.merges);
  EXPECT_EQ(o.dm.requests_failed, o.dev.failed - o.merge.failed_composites + o.merge.failed_members);
}

TEST(BulkFaults, SubmitterUnitRequestsCompleteOnceUnderFaults) {
  const Outcome o = run_with_faults(true, "aes-cbc-essiv:sha256", 32, 8);
  expect_exactly_once(o);
  EXPECT_GE(o.dev.dma_errors, 1u);
  EXPECT_GE(o.dev.timeouts, 1u);
  EXPECT_GE(o.bio_errors, 2u);
  EXPECT_LT(o.bio_errors, o.last_phase_bios);
  EXPECT_GT(o.dm.unit_requests, 0u);
  EXPECT_LT(o.dm.requests_submitted, o.dm.sectors_submitted);  // requests of several sectors
  EXPECT_EQ(o.dm.requests_failed, o.dev.failed);  // no merging: one driver failure each
  EXPECT_EQ(o.merge.merges, 0u);
}

}  // namespace
}  // namespace aesvp::testbench
