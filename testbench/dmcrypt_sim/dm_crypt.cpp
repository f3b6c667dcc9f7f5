#include "testbench/dmcrypt_sim/dm_crypt.h"

#include "driver/kernel/dma_mapping.h"

#include <memory>
#include <stdexcept>
#include <vector>

namespace aesvp::testbench {

using engine::Errc;

const char* to_string(BioDir d) { return d == BioDir::Read ? "read" : "write"; }

DmCrypt::DmCrypt(kernel::Kernel& k, const SectorCipher& cipher, Disk& disk, DmCryptCosts costs,
                 bool essiv)
    : k_(k), cipher_(cipher), disk_(disk), costs_(costs), essiv_(essiv) {}

// struct dm_crypt_io + its per-sector requests; lives on the submitter's stack until the bio
// has completed (every request is final by then).
struct CryptIo {
  explicit CryptIo(kernel::Kernel& k, std::size_t n)
      : done(k), restart(k), reqs(n), submitted_at(n), finals(n, 0), backlogged(n, 0) {
    for (auto& r : reqs) r = std::make_unique<driver::SkcipherRequest>();
  }
  kernel::Completion done;     // the bio completed (pending reached 0)
  kernel::Completion restart;  // ctx->restart: a backlogged request was queued
  std::vector<std::unique_ptr<driver::SkcipherRequest>> reqs;
  std::vector<sc_core::sc_time> submitted_at;
  std::vector<unsigned> finals;
  std::vector<unsigned char> backlogged;
  std::size_t pending = 0;
  Errc error = Errc::Ok;
};

void DmCrypt::finish_request(CryptIo& io, std::size_t i, Errc e) {
  ++stats_.requests_completed;
  if (++io.finals[i] > 1) {
    ++stats_.duplicate_completions;
    return;
  }
  stats_.request_latency.add(static_cast<traces::Time>((k_.now() - io.submitted_at[i]).value()));
  if (e != Errc::Ok) {
    ++stats_.requests_failed;
    if (io.error == Errc::Ok) io.error = e;
  }
  if (--io.pending == 0) io.done.complete();
}

DmCrypt::~DmCrypt() = default;

Errc DmCrypt::run_bio(const Bio& bio) {
  const std::uint32_t ss = cipher_.sector_size();
  const std::uint64_t units = ss / dmcrypt::kSectorBytes;
  if (bio.bytes == 0 || bio.bytes % ss != 0 || bio.sector % units != 0)
    throw std::invalid_argument("bio " + std::to_string(bio.id) + " at sector " +
                                std::to_string(bio.sector) + " of " + std::to_string(bio.bytes) +
                                " bytes is not aligned to " + std::to_string(ss) +
                                "-byte encryption sectors");
  const std::uint64_t offset = bio.sector * dmcrypt::kSectorBytes;
  if (offset > disk_.size() || bio.bytes > disk_.size() - offset)
    throw std::invalid_argument("bio " + std::to_string(bio.id) + " lies beyond the disk");

  const sc_core::sc_time start = k_.now();
  const std::size_t sectors = bio.bytes / ss;
  const std::uint64_t first = bio.sector / units;
  const bool write = bio.dir == BioDir::Write;
  // One request per encryption sector, or (submitter-side bulk) per run of consecutive
  // sectors the cipher lets one request carry: request r starts at sector starts[r].
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < sectors; i += cipher_.sectors_per_request(sectors - i)) starts.push_back(i);
  const std::size_t n = starts.size();
  // Kept after the bio ends (retired_): the driver may still be on its way out of the last
  // completion callback when this thread wakes up.
  auto holder = std::make_unique<CryptIo>(k_, n);
  CryptIo& io = *holder;
  io.pending = n;
  k_.charge_cycles(costs_.bio_cycles);

  std::uint64_t out = 0;
  if (write) {
    out = k_.kmalloc(bio.bytes);  // the clone's pages (crypt_alloc_buffer)
    if (out == 0) throw std::runtime_error("dm-crypt: out of simulated DRAM for a write clone");
  } else {
    // The read from the backing device lands in the bio's pages (zero-time disk).
    kernel::place_bytes(k_, bio.page, disk_.read(offset, bio.bytes));
  }

  for (std::size_t i = 0; i < n; ++i) {
    driver::SkcipherRequest& req = *io.reqs[i];
    const std::size_t at = starts[i];
    const auto count = static_cast<std::uint32_t>((i + 1 < n ? starts[i + 1] : sectors) - at);
    const kernel::Scatterlist src = kernel::sg_init_one(bio.page + at * ss, count * ss);
    k_.charge_cycles(costs_.sector_cycles + (essiv_ ? costs_.essiv_cycles : 0.0));
    if (write) {
      cipher_.prepare(req, first + at, src, kernel::sg_init_one(out + at * ss, count * ss), false, count);
    } else {
      cipher_.prepare(req, first + at, src, src, true, count);
    }
    req.id = next_request_id_++;
    req.submitter = bio.id + 1;  // this loop submits the bio's sectors in order (0 = unknown)
    if (count > 1) ++stats_.unit_requests;
    stats_.sectors_submitted += count;
    req.set_callback(true, [this, &io, i](engine::Request&, Errc e) {
      if (e == Errc::InProgress) {
        ++stats_.backlog_notifications;
        if (!io.backlogged[i]) ++stats_.unexpected_notifications;
        io.restart.complete();
        return;
      }
      finish_request(io, i, e);
    });
    io.submitted_at[i] = k_.now();
    ++stats_.requests_submitted;
    const Errc rc = write ? driver::crypto_skcipher_encrypt(req) : driver::crypto_skcipher_decrypt(req);
    if (rc == Errc::InProgress) continue;
    if (rc == Errc::Busy) {
      ++stats_.busy;
      io.backlogged[i] = 1;
      io.restart.wait_for_completion();  // until this request's InProgress notification
      continue;
    }
    finish_request(io, i, rc);  // Ok (synchronous) or refused
  }
  io.done.wait_for_completion();

  if (write) {
    if (io.error == Errc::Ok) disk_.write(offset, kernel::fetch_bytes(k_, out, bio.bytes).data(), bio.bytes);
    k_.kfree(out);
  }
  ++stats_.bios;
  if (io.error != Errc::Ok) ++stats_.bios_failed;
  stats_.bio_latency.add(static_cast<traces::Time>((k_.now() - start).value()));
  const Errc result = io.error;
  retired_.push_back(std::move(holder));
  while (retired_.size() > kRetired) retired_.pop_front();
  return result;
}

DmCryptStats& DmCryptStats::operator+=(const DmCryptStats& o) {
  bios += o.bios;
  bios_failed += o.bios_failed;
  requests_submitted += o.requests_submitted;
  sectors_submitted += o.sectors_submitted;
  unit_requests += o.unit_requests;
  requests_completed += o.requests_completed;
  requests_failed += o.requests_failed;
  busy += o.busy;
  backlog_notifications += o.backlog_notifications;
  duplicate_completions += o.duplicate_completions;
  unexpected_notifications += o.unexpected_notifications;
  request_latency.merge(o.request_latency);
  bio_latency.merge(o.bio_latency);
  return *this;
}

}  // namespace aesvp::testbench
