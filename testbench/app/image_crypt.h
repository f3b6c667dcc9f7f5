// The core of `aesvp crypt`: a cryptsetup plain-mode area of an image passed through the
// simulated driver stack the way dm-crypt sends it: one skcipher request per encryption
// sector, or one per run of sectors with submitter-side bulk (MAY_BACKLOG, async completion,
// -EBUSY -> wait for the -EINPROGRESS notification before sending more), chunk by chunk
// through simulated DRAM. Writes (encrypt) go
// out of place into a second buffer, reads (decrypt) in place, as dm-crypt does.
#pragma once

#include "testbench/dmcrypt/key.h"
#include "testbench/dmcrypt/mapping.h"
#include "testbench/dmcrypt/reference.h"
#include "testbench/stack/stack.h"

#include <systemc>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace aesvp::testbench {

struct ImageCryptJob {
  dmcrypt::VolumeKey key;
  dmcrypt::PlainArea area;
  dmcrypt::Direction direction = dmcrypt::Direction::decrypt;
  std::size_t chunk_bytes = 1u << 20;  // simulated DRAM per chunk (rounded down to sectors)
  // Submitter-side bulk (aesvp, docs/bulk-mode.md): the largest request of consecutive sectors
  // when the driver can run several data units; 0 = one request per sector.
  std::uint32_t unit_request_bytes = 0;
  // The chunk's buffers as separate 4 KiB pages in descending address order instead of one
  // block: requests and composites then span non-contiguous memory (multi-entry lists).
  bool scatter_pages = false;
};

struct ImageCryptStats {
  std::uint64_t bytes = 0;
  std::uint64_t sectors = 0;   // encryption sectors
  std::uint64_t requests = 0;  // requests sent (= sectors unless submitter-side bulk)
  std::uint64_t unit_requests = 0;  // of them, requests of several sectors
  std::string unit_refusal;    // with unit_request_bytes: why requests stayed per sector
  std::uint64_t chunks = 0;
  std::uint64_t busy = 0;      // submissions answered -EBUSY (backlogged)
  std::uint64_t sync = 0;      // submissions completed synchronously (0)
  sc_core::sc_time started{sc_core::SC_ZERO_TIME};
  sc_core::sc_time finished{sc_core::SC_ZERO_TIME};
  double cpu_load = 0.0;       // all cores, average over [started, finished]
  unsigned cores = 0;
  std::string error;           // why the job stopped early (empty: the whole area done)
};

// Pulls the next `len` bytes of the area into `buf`; returns an error message, empty if fine.
using AreaReader = std::function<std::string(std::uint8_t* buf, std::size_t len)>;
// Takes the next `len` processed bytes; returns an error message, empty if fine.
using AreaWriter = std::function<std::string(const std::uint8_t* buf, std::size_t len)>;

// Runs inside Stack::run's main function (a kernel thread, driver probed). A failed request
// (its errno name), DRAM that cannot be allocated or a failed read/write stops the job with
// ImageCryptStats::error set. Nothing here throws: an exception unwinding a SystemC thread's
// coroutine stack confuses AddressSanitizer's stack bookkeeping (a false
// stack-buffer-underflow later), so errors travel as values.
ImageCryptStats crypt_image(Stack& stack, const ImageCryptJob& job, const AreaReader& read,
                            const AreaWriter& write);

}  // namespace aesvp::testbench
