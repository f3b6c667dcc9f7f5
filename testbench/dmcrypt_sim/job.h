// One dm-crypt job on the simulated stack: a DmCrypt target over the omap-aes driver, a disk,
// a workload in phases, kcryptd-like worker threads (one per bio in flight) and the
// scoreboard. Used by `aesvp run` and the tests.
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
  // Throws dmcrypt::Error (mapping/key) or std::invalid_argument (workload) with one line.
  // The disk must hold the whole area (its size is the area size).
  DmCryptJob(Stack& stack, const dmcrypt::VolumeKey& key, const dmcrypt::SectorMapping& mapping,
             Disk& disk, const Workload& workload, DmCryptCosts costs = {});
  ~DmCryptJob();

  // Called in a kernel thread (Stack::run's main): runs every phase, one after the other.
  void run();

  // Called in the main thread after each phase but the last (e.g. fault injection).
  std::function<void(const PhaseResult& finished)> between_phases;
  // Kernel threads of the workers: worker i runs on core (first_core + i) % cores.
  unsigned first_core = 1;

  const std::vector<PhaseResult>& phases() const { return results_; }
  const DmCrypt& target() const { return *dm_; }
  const Scoreboard& scoreboard() const { return scoreboard_; }
  std::uint64_t bio_errors() const { return bio_errors_; }
  sc_core::sc_time start() const { return start_; }
  sc_core::sc_time end() const { return end_; }
  std::uint64_t area_sectors() const { return area_sectors_; }

 private:
  void worker(unsigned w, const Phase& phase, PhaseResult& result);
  void check_read(std::uint64_t first, std::uint32_t sectors, const std::vector<std::uint8_t>& expected,
                  const std::vector<std::uint8_t>& actual);

  Stack& stack_;
  dmcrypt::VolumeKey key_;
  dmcrypt::SectorMapping mapping_;
  Disk& disk_;
  Workload workload_;
  DmCryptCosts costs_;
  std::uint64_t area_sectors_;
  std::vector<Phase> plan_;
  Scoreboard scoreboard_;
  std::unique_ptr<SectorCipher> cipher_;
  std::unique_ptr<DmCrypt> dm_;
  std::vector<std::uint32_t> version_;  // per sector: 0 = never written
  std::vector<std::uint64_t> pages_;    // each worker's bio buffer (simulated DRAM)
  struct Range {
    std::uint64_t first = 0, end = 0;  // [first, end) sectors; empty when idle
  };
  std::vector<Range> in_flight_;
  sc_core::sc_event bio_done_;
  std::size_t next_ = 0;
  unsigned running_ = 0;
  std::uint64_t next_bio_id_ = 1;
  std::uint64_t bio_errors_ = 0;
  std::vector<PhaseResult> results_;
  sc_core::sc_time start_, end_;
};

}  // namespace aesvp::testbench
