// The scoreboard of the dm-crypt model: every sector written is compared with the independent
// OpenSSL reference (dmcrypt::Reference: same spec, key and mapping) -- the ciphertext on the
// disk must equal the reference encryption of the plaintext -- and every sector read back
// must equal the plaintext last written there. Mismatches keep the sector number, the
// expected and the actual bytes (first 16, hex).
#pragma once

#include "testbench/dmcrypt/reference.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aesvp::testbench {

struct Mismatch {
  std::string kind;             // "write" (ciphertext on disk) or "read" (plaintext)
  std::uint64_t index = 0;      // encryption sector index from the start of the area
  std::uint64_t sector512 = 0;  // the same as a 512-byte sector number
  std::size_t first_diff = 0;   // byte offset of the first difference in the sector
  std::string expected_hex, actual_hex;  // 16 bytes from the first difference's block
  std::string describe() const;
};

class Scoreboard {
 public:
  static constexpr std::size_t kKeptMismatches = 16;

  explicit Scoreboard(dmcrypt::Reference reference) : ref_(std::move(reference)) {}
  const dmcrypt::Reference& reference() const { return ref_; }

  // A write of consecutive sectors from `first_index`: `plain` was written, `on_disk` is what
  // the disk holds now. Returns the number of mismatching sectors.
  std::size_t check_write(std::uint64_t first_index, const std::vector<std::uint8_t>& plain,
                          const std::vector<std::uint8_t>& on_disk);
  // A read: `actual` came back, `expected` is the plaintext last written there.
  std::size_t check_read(std::uint64_t first_index, const std::vector<std::uint8_t>& expected,
                         const std::vector<std::uint8_t>& actual);
  // Sectors of a bio that failed: counted as not verified.
  void failed(std::uint64_t sectors) { failed_ += sectors; }
  // Sectors read back that no successful write ever reached (their writes failed): not
  // comparable, counted apart.
  void unwritten(std::uint64_t sectors) { unwritten_ += sectors; }

  std::uint64_t sectors_verified() const { return verified_; }  // matched
  std::uint64_t sectors_written_verified() const { return written_ok_; }
  std::uint64_t sectors_read_verified() const { return read_ok_; }
  std::uint64_t sectors_mismatched() const { return mismatched_; }
  std::uint64_t sectors_failed() const { return failed_; }
  std::uint64_t sectors_unwritten() const { return unwritten_; }
  bool clean() const { return mismatched_ == 0 && failed_ == 0; }
  // The first kKeptMismatches mismatches.
  const std::vector<Mismatch>& mismatches() const { return kept_; }

 private:
  std::size_t compare(const char* kind, std::uint64_t first_index,
                      const std::vector<std::uint8_t>& expected,
                      const std::vector<std::uint8_t>& actual);
  dmcrypt::Reference ref_;
  std::uint64_t verified_ = 0, written_ok_ = 0, read_ok_ = 0, mismatched_ = 0, failed_ = 0,
                unwritten_ = 0;
  std::vector<Mismatch> kept_;
};

// The counts of several scoreboards (one per volume) added up.
struct ScoreboardTotals {
  std::uint64_t verified = 0, written_verified = 0, read_verified = 0, mismatched = 0,
                failed = 0, unwritten = 0;
  void add(const Scoreboard& sb);
  bool clean() const { return mismatched == 0 && failed == 0; }
};

}  // namespace aesvp::testbench
