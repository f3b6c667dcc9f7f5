// The dm-crypt target model (Linux drivers/md/dm-crypt.c, crypt_convert and friends) over the
// skcipher API of the omap-aes driver. A bio (direction, start sector in 512-byte units from
// the start of the encrypted area, a length that is a multiple of the encryption sector size,
// a data buffer in simulated DRAM) becomes one SkcipherRequest per encryption sector, each
// with MAY_BACKLOG and an asynchronous completion. Submission follows dm-crypt:
//   InProgress  -> next sector;
//   Busy        -> the submitting thread sleeps until that request's InProgress
//                  notification (ctx->restart), then continues;
//   Ok          -> the sector is done (synchronous: the software fallback);
//   other       -> the sector failed: the bio ends with that error.
// A bio completes when its last sector completes (a pending count), with the first error of
// any sector. Writes encrypt out of place from the bio's buffer into a separate buffer, which
// then goes to the disk; reads take the data from the disk into the bio's buffer and decrypt it
// in place. With submitter-side bulk (SectorCipher::allow_unit_requests) one request covers a
// run of consecutive sectors instead of one. Disk transfers and the testbench's placement of data are zero-time; the model's
// own software steps are charged to the submitting thread (DmCryptCosts). See docs/testbench.md.
#pragma once

#include "driver/kernel/completion.h"
#include "driver/kernel/kernel.h"
#include "driver/omap_aes/skcipher.h"
#include "testbench/dmcrypt_sim/disk.h"
#include "testbench/stack/sector_cipher.h"
#include "traces/core/stats.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

namespace aesvp::testbench {

enum class BioDir { Read, Write };
const char* to_string(BioDir d);

struct Bio {
  BioDir dir = BioDir::Read;
  std::uint64_t sector = 0;  // 512-byte units from the start of the encrypted area
  std::uint32_t bytes = 0;   // multiple of the encryption sector size
  std::uint64_t page = 0;    // the bio's data buffer in simulated DRAM (`bytes` long)
  std::uint64_t id = 0;      // bio id (request ids are DmCrypt's own)
};

// Software costs of the dm-crypt model itself, in CPU cycles, charged to the submitting
// (kcryptd) thread. Estimates (no measurement behind them): per bio crypt_io set-up, clone
// allocation and the end-of-bio path; per sector skcipher_request_alloc from the mempool,
// the IV generator (plain64: a few stores; ESSIV's AES is done here in software: + essiv) and
// set_crypt.
struct DmCryptCosts {
  double bio_cycles = 1500;
  double sector_cycles = 300;
  double essiv_cycles = 700;  // one software AES block (~40 cycles/B) + key schedule reuse
};

struct DmCryptStats {
  std::uint64_t bios = 0, bios_failed = 0;
  std::uint64_t requests_submitted = 0;   // crypto_skcipher_encrypt/decrypt calls
  std::uint64_t sectors_submitted = 0;    // encryption sectors those requests cover
  std::uint64_t unit_requests = 0;        // requests of several sectors (submitter-side bulk)
  std::uint64_t requests_completed = 0;   // final results (async or synchronous)
  std::uint64_t requests_failed = 0;
  std::uint64_t busy = 0;                 // -EBUSY returns (backlogged)
  std::uint64_t backlog_notifications = 0;  // InProgress notifications received
  std::uint64_t duplicate_completions = 0;  // a request completed more than once (bug)
  std::uint64_t unexpected_notifications = 0;  // InProgress without a preceding Busy (bug)
  traces::LatencyRecorder request_latency;  // submission -> final completion (ps)
  traces::LatencyRecorder bio_latency;      // bio start -> bio end (ps)

  // Adds another target's figures (several volumes): counters summed, latencies merged.
  DmCryptStats& operator+=(const DmCryptStats& o);
};

struct CryptIo;

class DmCrypt {
 public:
  DmCrypt(kernel::Kernel& k, const SectorCipher& cipher, Disk& disk, DmCryptCosts costs = {},
          bool essiv = false);
  ~DmCrypt();
  DmCrypt(const DmCrypt&) = delete;
  DmCrypt& operator=(const DmCrypt&) = delete;

  // Runs one bio from a kernel thread: submits its requests (sleeping on backlog) and sleeps
  // until the bio completes; writes then go to the disk. Returns Ok or the bio's error.
  // Throws std::invalid_argument for a bio that is not aligned to encryption sectors or lies
  // beyond the disk (the kernel kills such bios).
  engine::Errc run_bio(const Bio& bio);

  const DmCryptStats& stats() const { return stats_; }
  std::uint32_t sector_size() const { return cipher_.sector_size(); }
  // The id of the next request (default 1; several volumes take disjoint ranges).
  void set_next_request_id(std::uint64_t id) { next_request_id_ = id; }

 private:
  static constexpr std::size_t kRetired = 256;
  void finish_request(CryptIo& io, std::size_t i, engine::Errc e);
  kernel::Kernel& k_;
  const SectorCipher& cipher_;
  Disk& disk_;
  DmCryptCosts costs_;
  bool essiv_;
  std::uint64_t next_request_id_ = 1;
  DmCryptStats stats_;
  std::deque<std::unique_ptr<CryptIo>> retired_;
};

}  // namespace aesvp::testbench
