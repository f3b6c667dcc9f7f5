#include "testbench/app/image_crypt.h"

#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"
#include "driver/omap_aes/skcipher.h"
#include "testbench/stack/sector_cipher.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace aesvp::testbench {
namespace {

using driver::Errc;

// A chunk of simulated DRAM, freed on every path; ok() is false if an allocation failed.
// Linear: one kmalloc'd block. Scattered (--scatter-pages): one 4 KiB page per piece,
// allocated one by one and used in the reverse order, so no two consecutive pages are
// adjacent (as page-cache pages and dm-crypt's clone pages are not).
class DramBuffer {
 public:
  DramBuffer(kernel::Kernel& k, std::size_t len, bool scattered) : k_(k), len_(len) {
    const std::size_t piece = scattered ? kernel::Kernel::kPageSize : len;
    for (std::size_t off = 0; off < len; off += piece) {
      const std::uint64_t a = k.kmalloc(std::min(piece, len - off));
      if (a == 0) return;
      pages_.push_back(a);
    }
    std::reverse(pages_.begin(), pages_.end());
    piece_ = piece;
  }
  ~DramBuffer() {
    for (std::uint64_t a : pages_) k_.kfree(a);
  }
  bool ok() const { return piece_ != 0; }
  DramBuffer(const DramBuffer&) = delete;
  DramBuffer& operator=(const DramBuffer&) = delete;
  // The bytes [off, off + len) as a scatterlist: one entry per page touched. sg_into builds
  // it in `l`'s storage (one list per request, kept across requests: no allocation).
  void sg_into(std::size_t off, std::size_t len, kernel::Scatterlist& l) const {
    l.clear();
    while (len > 0) {
      const std::size_t in_piece = off % piece_, n = std::min(len, piece_ - in_piece);
      l.push_back(pages_[off / piece_] + in_piece, static_cast<std::uint32_t>(n));
      off += n;
      len -= n;
    }
  }
  kernel::Scatterlist sg(std::size_t off, std::size_t len) const {
    kernel::Scatterlist l;
    sg_into(off, len, l);
    return l;
  }

 private:
  kernel::Kernel& k_;
  std::size_t len_, piece_ = 0;
  std::vector<std::uint64_t> pages_;
};

std::string request_error(std::uint64_t index, const dmcrypt::SectorMapping& m, Errc e,
                          const char* what) {
  return "encryption sector " + std::to_string(index) + " (512-byte sector " +
         std::to_string(m.position512(index)) + " of the area): " + what + " " +
         std::string(engine::to_string(e));
}

}  // namespace

ImageCryptStats crypt_image(Stack& stack, const ImageCryptJob& job, const AreaReader& read,
                            const AreaWriter& write) {
  kernel::Kernel& k = stack.kernel();
  const dmcrypt::SectorMapping& mapping = job.area.mapping;
  const std::uint32_t ss = mapping.sector_size;
  const bool encrypt = job.direction == dmcrypt::Direction::encrypt;
  const std::uint64_t length = job.area.length_bytes;

  std::size_t chunk = std::max<std::size_t>(job.chunk_bytes / ss, 1) * ss;
  chunk = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, length));
  const std::size_t per_chunk = chunk / ss;

  ImageCryptStats stats;
  if (length == 0) return stats;

  SectorCipher cipher(stack.driver(), job.key, mapping);
  if (job.unit_request_bytes != 0 && !cipher.allow_unit_requests(job.unit_request_bytes))
    stats.unit_refusal = cipher.unit_requests_refusal();
  // dm-crypt: writes are encrypted into a separate clone bio (out of place), reads are
  // decrypted in place in the bio's own pages.
  const DramBuffer src(k, chunk, job.scatter_pages);
  std::unique_ptr<DramBuffer> dst_buffer;
  if (encrypt) dst_buffer = std::make_unique<DramBuffer>(k, chunk, job.scatter_pages);
  if (!src.ok() || (dst_buffer && !dst_buffer->ok())) {
    stats.error = "cannot allocate " + std::to_string(chunk) +
                  " bytes of simulated DRAM (see --dram.size_mib)";
    return stats;
  }
  const DramBuffer& dst = encrypt ? *dst_buffer : src;

  std::unique_ptr<driver::SkcipherRequest[]> reqs(new driver::SkcipherRequest[per_chunk]);
  kernel::Completion restart(k);  // dm-crypt ctx->restart: a backlogged request was queued
  kernel::Completion done(k);     // the last request of the chunk finished
  unsigned pending = 0;
  Errc failure = Errc::Ok;
  std::uint64_t failed_index = 0;
  bool refused = false;

  // kcryptd_async_done for the request of sector `index`. Each request's callback holds a
  // pointer to this and the index: small enough for std::function's own storage.
  const auto request_done = [&](std::uint64_t index, Errc e) {
    if (e == Errc::InProgress) {  // a backlogged request was queued: complete(&ctx->restart)
      restart.complete();
      return;
    }
    if (e != Errc::Ok && failure == Errc::Ok) {
      failure = e;
      failed_index = index;
    }
    if (--pending == 0) done.complete();
  };

  stats.started = k.now();
  const CpuLoad load0 = k.cpu().load();
  std::vector<std::uint8_t> buf;
  kernel::Scatterlist s, d;  // the request being prepared (set_crypt copies them)
  for (std::uint64_t off = 0; off < length; off += chunk) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, length - off));
    buf.resize(n);
    stats.error = read(buf.data(), n);
    if (stats.error.empty() && !kernel::sg_place_bytes(k, src.sg(0, n), buf))
      stats.error = "cannot place data in simulated DRAM";
    if (!stats.error.empty()) return stats;

    const std::uint64_t first = off / ss;
    const std::size_t count = n / ss;
    pending = 1;  // the submitter's own reference, as dm-crypt's cc_pending
    std::size_t r = 0;  // request slot
    for (std::size_t i = 0; i < count && failure == Errc::Ok; ++r) {
      driver::SkcipherRequest& req = reqs[r];
      const std::uint64_t index = first + i;
      const std::uint32_t units = cipher.sectors_per_request(count - i);
      req.id = index + 1;
      src.sg_into(i * ss, units * ss, s);
      dst.sg_into(i * ss, units * ss, d);
      cipher.prepare(req, index, s, d, !encrypt, units);
      i += units;
      ++stats.requests;
      if (units > 1) ++stats.unit_requests;
      req.set_callback(true, [&request_done, index](engine::Request&, Errc e) {
        request_done(index, e);
      });
      ++pending;
      const Errc rc =
          encrypt ? driver::crypto_skcipher_encrypt(req) : driver::crypto_skcipher_decrypt(req);
      switch (rc) {
        case Errc::Busy:  // backlogged: wait until it is queued before sending more
          ++stats.busy;
          restart.wait_for_completion();
          break;
        case Errc::InProgress:
          break;
        case Errc::Ok:
          ++stats.sync;
          --pending;
          break;
        default:  // refused: stop sending, let the queued requests finish
          --pending;
          if (failure == Errc::Ok) {
            failure = rc;
            failed_index = index;
            refused = true;
          }
          break;
      }
    }
    if (--pending > 0) done.wait_for_completion();
    if (failure != Errc::Ok) {
      stats.error = request_error(failed_index, mapping, failure,
                                  refused ? "refused by the driver:" : "failed:");
      return stats;
    }

    // The result comes back through the same host buffer: no allocation per chunk.
    stats.error = kernel::sg_pcopy_to_buffer(k, dst.sg(0, n), buf.data(), n, 0) == n
                      ? write(buf.data(), n)
                      : "cannot fetch data from simulated DRAM";
    if (!stats.error.empty()) return stats;
    stats.bytes += n;
    stats.sectors += count;
    ++stats.chunks;
  }
  stats.finished = k.now();
  const CpuLoadReport load = k.cpu().load_since(load0);
  stats.cpu_load = load.total;
  stats.cores = load.cores;
  return stats;
}

}  // namespace aesvp::testbench
