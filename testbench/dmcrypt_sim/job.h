// One dm-crypt job on the simulated stack: a DmCrypt target over the omap-aes driver, a disk,
// a workload in phases, kcryptd-like worker threads (one per bio in flight) and the
// scoreboard. Used by `aesvp run` and the tests.
//
// Several volumes (add_volume) share the one driver and its engines, as several dm-crypt
// targets share one hardware skcipher in Linux: each has its own key (its own transform
// objects), its own IV numbering (its own mapping), disk, scoreboard and kcryptd workers, and
// its own copy of the workload (seed + volume index). Phases run in step: every volume starts
// a phase together and the next phase starts when all have finished it. Request ids are
// volume x kVolumeIdStride + n, bio ids are unique across volumes.
#pragma once

#include "testbench/dmcrypt/reference.h"
#include "testbench/dmcrypt_sim/disk.h"
#include "testbench/dmcrypt_sim/dm_crypt.h"
#include "testbench/dmcrypt_sim/scoreboard.h"
#include "testbench/dmcrypt_sim/workload.h"
#include "testbench/stack/stack.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aesvp::testbench {

struct PhaseResult {
  std::string name;
  std::uint64_t bytes_read = 0, bytes_written = 0;
  std::uint64_t bios = 0;
  sc_core::sc_time start, end;
  double seconds() const { return (end - start).to_seconds(); }
};

class DmCryptJob {
 public:
  // Request ids of volume v start at v x kVolumeIdStride + 1 (below the engine's composite ids).
  static constexpr std::uint64_t kVolumeIdStride = 1'000'000'000ULL;
  static constexpr std::size_t kMaxVolumes = 16;

  // Throws dmcrypt::Error (mapping/key) or std::invalid_argument (workload) with one line.
  // The disk must hold the whole area (its size is the area size).
  DmCryptJob(Stack& stack, const dmcrypt::VolumeKey& key, const dmcrypt::SectorMapping& mapping,
             Disk& disk, const Workload& workload, DmCryptCosts costs = {});
  ~DmCryptJob();

  // Another volume on the same driver, before run(): its own key, mapping and disk (its
  // area); the workload is the first volume's with the seed + the volume's index. Throws as
  // the constructor, std::invalid_argument beyond kMaxVolumes.
  void add_volume(const dmcrypt::VolumeKey& key, const dmcrypt::SectorMapping& mapping, Disk& disk);

  // Called in a kernel thread (Stack::run's main): runs every phase, one after the other.
  void run();

  // Called in the main thread after each phase but the last (e.g. fault injection).
  std::function<void(const PhaseResult& finished)> between_phases;
  // Kernel threads of the workers: worker i (counted over all volumes) runs on core
  // (first_core + i) % cores.
  unsigned first_core = 1;
  // Submitter-side bulk (aesvp, docs/bulk-mode.md): the largest request of consecutive sectors
  // dm-crypt may send when the driver can run several data units; 0 = one request per sector.
  std::uint32_t unit_request_bytes = 0;

  std::size_t volume_count() const { return volumes_.size(); }
  // The phases over all volumes: bytes and bios summed, from the common start to the end of
  // the last volume's part.
  const std::vector<PhaseResult>& phases() const { return results_; }
  // One volume's part of each phase (its own end).
  const std::vector<PhaseResult>& volume_phases(std::size_t v) const { return volumes_.at(v)->results; }
  const DmCrypt& target(std::size_t v = 0) const { return *volumes_.at(v)->dm; }
  const SectorCipher& cipher(std::size_t v = 0) const { return *volumes_.at(v)->cipher; }  // after run()
  const Scoreboard& scoreboard(std::size_t v = 0) const { return volumes_.at(v)->scoreboard; }
  std::uint64_t volume_bio_errors(std::size_t v) const { return volumes_.at(v)->bio_errors; }
  std::uint64_t area_sectors(std::size_t v = 0) const { return volumes_.at(v)->area_sectors; }
  // Over all volumes.
  std::uint64_t bio_errors() const;
  DmCryptStats total_stats() const;  // counters summed, latencies merged
  ScoreboardTotals total_scoreboard() const;
  sc_core::sc_time start() const { return start_; }
  sc_core::sc_time end() const { return end_; }

 private:
  struct Range {
    std::uint64_t first = 0, end = 0;  // [first, end) sectors; empty when idle
  };
  struct Volume {
    Volume(const dmcrypt::VolumeKey& k, const dmcrypt::SectorMapping& m, Disk& d, Workload w);
    dmcrypt::VolumeKey key;
    dmcrypt::SectorMapping mapping;
    Disk& disk;
    Workload workload;
    std::uint64_t area_sectors;
    std::vector<Phase> plan;
    Scoreboard scoreboard;
    std::unique_ptr<SectorCipher> cipher;
    std::unique_ptr<DmCrypt> dm;
    std::vector<std::uint32_t> version;  // per sector: 0 = never written
    std::vector<std::uint64_t> pages;    // each worker's bio buffer (simulated DRAM)
    std::vector<Range> in_flight;
    sc_core::sc_event bio_done;
    std::size_t next = 0;
    std::uint64_t bio_errors = 0;
    std::vector<PhaseResult> results;
  };
  void start_volume(Volume& v, std::size_t index);
  void worker(Volume& v, unsigned w, const Phase& phase, PhaseResult& result);
  static void check_read(Volume& v, std::uint64_t first, std::uint32_t sectors,
                         const std::vector<std::uint8_t>& expected,
                         const std::vector<std::uint8_t>& actual);

  Stack& stack_;
  DmCryptCosts costs_;
  std::vector<std::unique_ptr<Volume>> volumes_;
  unsigned running_ = 0;
  std::uint64_t next_bio_id_ = 1;
  std::vector<PhaseResult> results_;
  sc_core::sc_time start_, end_;
};

}  // namespace aesvp::testbench
