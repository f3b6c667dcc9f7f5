// The dm-crypt model through the full simulated stack (platform, kernel services, sDMA
// dmaengine, omap-aes driver, crypto engine): specs x sector sizes x directions with a clean
// scoreboard, the -EBUSY backlog path, mixed random workloads, a file-backed disk, and fault
// injection that the scoreboard must report with the sector number. One bench per test.
#include "testbench/dmcrypt_sim/job.h"

#include <gtest/gtest.h>
#include <systemc>

#include <cstdio>
#include <random>
#include <string>
#include <tuple>
#include <unistd.h>

namespace aesvp::testbench {
namespace {

dmcrypt::VolumeKey make_key(const std::string& spec_text, std::size_t bytes, std::uint64_t seed = 7) {
  const dmcrypt::CipherSpec spec = dmcrypt::parse_cipher_spec(spec_text);
  std::mt19937_64 g(seed);
  std::vector<std::uint8_t> k(bytes);
  for (auto& b : k) b = static_cast<std::uint8_t>(g());
  return dmcrypt::VolumeKey(spec, k);
}

StackParams fast_params(const std::string& mode = "fast") {
  StackParams p;
  p.platform.soc.timing_mode = mode;
  return p;
}

void expect_clean(const DmCryptJob& job, std::uint64_t area_sectors) {
  const DmCryptStats& st = job.target().stats();
  const Scoreboard& sb = job.scoreboard();
  for (const auto& m : sb.mismatches()) ADD_FAILURE() << m.describe();
  EXPECT_TRUE(sb.clean());
  EXPECT_EQ(job.bio_errors(), 0u);
  EXPECT_EQ(st.duplicate_completions, 0u);
  EXPECT_EQ(st.unexpected_notifications, 0u);
  EXPECT_EQ(st.requests_completed, st.requests_submitted);
  EXPECT_EQ(st.backlog_notifications, st.busy);
  EXPECT_EQ(st.request_latency.count(), st.requests_submitted);
  EXPECT_GE(sb.sectors_written_verified(), area_sectors);
}

void expect_clean_volume(const DmCryptJob& job, std::size_t v) {
  const DmCryptStats& st = job.target(v).stats();
  const Scoreboard& sb = job.scoreboard(v);
  for (const auto& m : sb.mismatches()) ADD_FAILURE() << m.describe();
  EXPECT_TRUE(sb.clean());
  EXPECT_EQ(job.volume_bio_errors(v), 0u);
  EXPECT_EQ(st.duplicate_completions, 0u);
  EXPECT_EQ(st.requests_completed, st.requests_submitted);
  EXPECT_EQ(sb.sectors_verified(), 2 * job.area_sectors(v));  // written, then read back
}

struct SpecCase {
  const char* spec;
  std::size_t key_bytes;
  std::uint32_t sector_size;
  bool iv_large;
  std::uint64_t skip;
};

void PrintTo(const SpecCase& c, std::ostream* os) {
  *os << c.spec << " key " << c.key_bytes * 8 << " sector " << c.sector_size
      << (c.iv_large ? " iv_large_sectors" : "") << " skip " << c.skip;
}

class DmCryptSpecs : public ::testing::TestWithParam<SpecCase> {};

TEST_P(DmCryptSpecs, WriteThenReadBackThroughTheStackIsClean) {
  const SpecCase c = GetParam();
  const dmcrypt::VolumeKey key = make_key(c.spec, c.key_bytes);
  dmcrypt::SectorMapping m;
  m.sector_size = c.sector_size;
  m.iv_large_sectors = c.iv_large;
  m.skip = c.skip;
  m.keycount = key.keycount();
  MemoryDisk disk(64 * 1024);
  Workload w;
  w.bio_bytes = {8192, 16384};
  w.queue_depth = 3;
  w.seed = 3;
  Stack stack(fast_params());
  DmCryptJob job(stack, key, m, disk, w);
  stack.run([&] { job.run(); });
  expect_clean(job, disk.size() / c.sector_size);
  ASSERT_EQ(job.phases().size(), 2u);
  EXPECT_EQ(job.phases()[0].bytes_written, disk.size());
  EXPECT_EQ(job.phases()[1].bytes_read, disk.size());
  EXPECT_EQ(job.scoreboard().sectors_read_verified(), disk.size() / c.sector_size);
  // The disk holds exactly the reference encryption of what was written.
  const dmcrypt::Reference ref(key, m);
  std::vector<std::uint8_t> plain(c.sector_size);
  fill_plaintext(w.seed, 3, 1, plain.data(), plain.size());
  EXPECT_EQ(disk.read(3 * std::uint64_t{c.sector_size}, c.sector_size), ref.encrypt(3, plain));
}

INSTANTIATE_TEST_SUITE_P(
    Specs, DmCryptSpecs,
    ::testing::Values(SpecCase{"aes-xts-plain64", 64, 512, false, 0},
                      SpecCase{"aes-xts-plain64", 32, 4096, false, 0},
                      SpecCase{"aes-xts-plain64", 64, 4096, true, 16},
                      SpecCase{"aes-cbc-essiv:sha256", 32, 512, false, 0},
                      SpecCase{"aes-cbc-essiv:sha256", 16, 4096, true, 0},
                      SpecCase{"aes:2-cbc-plain", 64, 512, false, 0},
                      SpecCase{"aes:2-cbc-plain", 32, 4096, false, 8},
                      SpecCase{"aes-ctr-plain64", 24, 512, false, 0},
                      SpecCase{"aes-ctr-plain64", 32, 4096, true, 0},
                      SpecCase{"aes-ecb", 16, 512, false, 0},
                      SpecCase{"aes-ecb", 32, 4096, false, 0}),
    [](const ::testing::TestParamInfo<SpecCase>& i) {
      std::string n = i.param.spec;
      for (auto& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n + "_k" + std::to_string(i.param.key_bytes * 8) + "_s" +
             std::to_string(i.param.sector_size) + (i.param.iv_large ? "_large" : "") +
             (i.param.skip ? "_skip" : "");
    });

TEST(DmCryptSim, BacklogPathEveryRequestCompletesOnce) {
  // 6 bios of 32 sectors in flight against an engine queue of 10: -EBUSY must happen.
  const dmcrypt::VolumeKey key = make_key("aes-xts-plain64", 64);
  dmcrypt::SectorMapping m;
  MemoryDisk disk(256 * 1024);
  Workload w;
  w.bio_bytes = {16384};
  w.queue_depth = 6;
  Stack stack(fast_params());
  DmCryptJob job(stack, key, m, disk, w);
  stack.run([&] { job.run(); });
  expect_clean(job, disk.size() / 512);
  const DmCryptStats& st = job.target().stats();
  EXPECT_GT(st.busy, 0u);
  EXPECT_EQ(st.requests_submitted, 2 * disk.size() / 512);
}

TEST(DmCryptSim, AccurateModeBacklogAndScoreboard) {
  const dmcrypt::VolumeKey key = make_key("aes-cbc-essiv:sha256", 32);
  dmcrypt::SectorMapping m;
  MemoryDisk disk(64 * 1024);
  Workload w;
  w.bio_bytes = {8192};
  w.queue_depth = 4;
  Stack stack(fast_params("accurate"));
  DmCryptJob job(stack, key, m, disk, w);
  stack.run([&] { job.run(); });
  expect_clean(job, disk.size() / 512);
  EXPECT_GT(job.target().stats().busy, 0u);
}

TEST(DmCryptSim, MixedRandomWorkloadIsClean) {
  const dmcrypt::VolumeKey key = make_key("aes-xts-plain64", 64);
  dmcrypt::SectorMapping m;
  m.sector_size = 4096;
  MemoryDisk disk(128 * 1024);
  Workload w;
  w.pattern = Pattern::Random;
  w.read_percent = 50;
  w.bio_bytes = {4096, 8192, 16384};
  w.queue_depth = 5;
  w.mixed_bytes = 256 * 1024;
  w.seed = 11;
  Stack stack(fast_params());
  DmCryptJob job(stack, key, m, disk, w);
  stack.run([&] { job.run(); });
  expect_clean(job, disk.size() / 4096);
  ASSERT_EQ(job.phases().size(), 2u);
  EXPECT_EQ(job.phases()[1].name, "mixed");
  EXPECT_GT(job.phases()[1].bytes_read, 0u);
  EXPECT_GT(job.phases()[1].bytes_written, 0u);
  EXPECT_EQ(job.phases()[1].bytes_read + job.phases()[1].bytes_written, 256u * 1024);
}

TEST(DmCryptSim, FileBackedDiskHoldsTheCiphertext) {
  const std::string path = "dmcrypt_sim_test_disk_" + std::to_string(::getpid()) + ".img";
  {
    const dmcrypt::VolumeKey key = make_key("aes-cbc-essiv:sha256", 32);
    dmcrypt::SectorMapping m;
    FileDisk disk(path, 32 * 1024);
    Workload w;
    w.bio_bytes = {4096};
    Stack stack(fast_params());
    DmCryptJob job(stack, key, m, disk, w);
    stack.run([&] { job.run(); });
    expect_clean(job, disk.size() / 512);
    const dmcrypt::Reference ref(key, m);
    std::vector<std::uint8_t> plain(512);
    fill_plaintext(w.seed, 63, 1, plain.data(), plain.size());
    EXPECT_EQ(disk.read(63 * 512, 512), ref.encrypt(63, plain));
  }
  std::remove(path.c_str());
}

TEST(DmCryptSim, CorruptedDiskSectorIsReportedWithItsNumber) {
  const dmcrypt::VolumeKey key = make_key("aes-xts-plain64", 64);
  dmcrypt::SectorMapping m;
  MemoryDisk disk(64 * 1024);
  Workload w;
  w.bio_bytes = {8192};
  Stack stack(fast_params());
  DmCryptJob job(stack, key, m, disk, w);
  job.between_phases = [&](const PhaseResult& done) {
    EXPECT_EQ(done.name, "write");
    disk.flip_byte(37 * 512 + 100);  // sector 37, byte 100
  };
  stack.run([&] { job.run(); });
  const Scoreboard& sb = job.scoreboard();
  EXPECT_EQ(sb.sectors_mismatched(), 1u);
  ASSERT_EQ(sb.mismatches().size(), 1u);
  const Mismatch& mm = sb.mismatches()[0];
  EXPECT_EQ(mm.kind, "read");
  EXPECT_EQ(mm.index, 37u);
  EXPECT_EQ(mm.sector512, 37u);
  EXPECT_EQ(mm.first_diff, 96u);  // XTS: the whole 16-byte block decrypts differently
  EXPECT_NE(mm.describe().find("sector 37"), std::string::npos) << mm.describe();
  EXPECT_EQ(mm.expected_hex.size(), 32u);
  EXPECT_EQ(sb.sectors_written_verified(), 128u);
  EXPECT_EQ(sb.sectors_read_verified(), 127u);
}

TEST(DmCryptSim, ScoreboardWithAWrongKeyReportsEveryWrittenSector) {
  // The stack encrypts with one key; the scoreboard's reference has another.
  const dmcrypt::VolumeKey key = make_key("aes-cbc-plain64", 32, 1);
  const dmcrypt::VolumeKey wrong = make_key("aes-cbc-plain64", 32, 2);
  dmcrypt::SectorMapping m;
  m.sector_size = 4096;
  Scoreboard sb{dmcrypt::Reference(wrong, m)};
  const dmcrypt::Reference right(key, m);
  std::vector<std::uint8_t> plain(2 * 4096);
  fill_plaintext(1, 10, 1, plain.data(), plain.size());
  EXPECT_EQ(sb.check_write(10, plain, right.encrypt(10, plain)), 2u);
  ASSERT_EQ(sb.mismatches().size(), 2u);
  EXPECT_EQ(sb.mismatches()[0].index, 10u);
  EXPECT_EQ(sb.mismatches()[0].sector512, 80u);
  EXPECT_EQ(sb.mismatches()[1].index, 11u);
  EXPECT_FALSE(sb.clean());
}

TEST(DmCryptSim, TwoVolumesOnOneDriverEachVerifiedWithItsOwnKey) {
  // Two volumes on one backing disk (partitions), different keys and sector sizes: each
  // scoreboard (its own OpenSSL reference) verifies its area; the phases add up.
  const dmcrypt::VolumeKey k1 = make_key("aes-xts-plain64", 64, 1), k2 = make_key("aes-xts-plain64", 64, 2);
  dmcrypt::SectorMapping m1, m2;
  m2.sector_size = 4096;
  MemoryDisk whole(128 * 1024);
  PartitionDisk a(whole, 0, 64 * 1024), b(whole, 64 * 1024, 64 * 1024);
  EXPECT_THROW(PartitionDisk(whole, 96 * 1024, 64 * 1024), std::out_of_range);
  Workload w;
  w.bio_bytes = {8192};
  w.queue_depth = 2;
  Stack stack(fast_params());
  DmCryptJob job(stack, k1, m1, a, w);
  job.add_volume(k2, m2, b);
  ASSERT_EQ(job.volume_count(), 2u);
  stack.run([&] { job.run(); });
  for (std::size_t v = 0; v < 2; ++v) {
    SCOPED_TRACE("volume " + std::to_string(v + 1));
    expect_clean_volume(job, v);
    EXPECT_EQ(job.scoreboard(v).sectors_written_verified(), job.area_sectors(v));
    EXPECT_EQ(job.volume_phases(v).at(0).bytes_written, 64u * 1024);
  }
  EXPECT_EQ(job.area_sectors(1), 16u);
  ASSERT_EQ(job.phases().size(), 2u);
  EXPECT_EQ(job.phases()[0].bytes_written, 128u * 1024);
  EXPECT_EQ(job.phases()[1].bytes_read, 128u * 1024);
  EXPECT_EQ(job.total_scoreboard().verified, 2u * (128 + 16));
  EXPECT_EQ(job.total_stats().requests_submitted, 2u * (128 + 16));
  // Written through the partitions: the first volume's ciphertext is not the second's.
  EXPECT_NE(whole.read(0, 512), whole.read(64 * 1024, 512));
}

TEST(DmCryptSim, AtMostSixteenVolumes) {
  const dmcrypt::VolumeKey key = make_key("aes-xts-plain64", 64);
  dmcrypt::SectorMapping m;
  MemoryDisk disk(4096);
  Stack stack(fast_params());
  Workload w;
  w.bio_bytes = {4096};
  DmCryptJob job(stack, key, m, disk, w);
  for (std::size_t v = 1; v < DmCryptJob::kMaxVolumes; ++v) job.add_volume(key, m, disk);
  EXPECT_THROW(job.add_volume(key, m, disk), std::invalid_argument);
}

TEST(DmCryptSim, BadWorkloadsAndBiosAreRefused) {
  EXPECT_THROW(make_phases(Workload{Pattern::Sequential, 100, {1000}, 1, 0, 1}, 16, 512),
               std::invalid_argument);
  EXPECT_THROW(make_phases(Workload{Pattern::Sequential, 100, {4096}, 0, 0, 1}, 16, 512),
               std::invalid_argument);
  EXPECT_THROW(make_phases(Workload{Pattern::Sequential, 101, {4096}, 1, 0, 1}, 16, 512),
               std::invalid_argument);
  const auto phases = make_phases(Workload{Pattern::Random, 100, {2048}, 1, 0, 5}, 10, 512);
  ASSERT_EQ(phases.size(), 2u);
  std::uint64_t covered = 0;
  for (const auto& b : phases[0].bios) covered += b.sectors;
  EXPECT_EQ(covered, 10u);  // the last bio is shortened to fit
}

}  // namespace
}  // namespace aesvp::testbench
