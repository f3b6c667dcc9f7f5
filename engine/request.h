// The request the engine queues. Driver-specific requests (skcipher, ...) derive from it.
#pragma once

#include <cstdint>
#include <functional>

#include "engine/errc.h"

namespace aesvp::engine {

/// How the per-data-unit IV is derived in bulk mode (as dm-crypt / blk-crypto name them).
/// The engine core never interprets it; merge policies (engine/merge_policy.h) compare it.
enum class IvKind : std::uint8_t {
  None,       ///< single unit: the request carries its own IV
  Plain,      ///< 32-bit little-endian data-unit number
  Plain64,    ///< 64-bit little-endian data-unit number
  Plain64Be,  ///< 64-bit big-endian data-unit number
  Essiv,      ///< encrypted data-unit number
};

/// Bulk-mode description of the data a request covers. The default (data_unit_size == 0)
/// means "the whole request is one unit with the IV the request carries". A submitter that
/// fills it declares that unit i of the request uses the IV derived (iv_kind) from data-unit
/// number first_data_unit + i * data_unit_step: such requests can be merged, and hardware
/// with the bulk extension can take several units in one request.
struct BulkInfo {
  std::uint32_t data_unit_size = 0;    ///< bytes per data unit; 0 = single unit
  std::uint64_t first_data_unit = 0;   ///< number of the first data unit
  IvKind iv_kind = IvKind::None;
  /// Increment of the data-unit number per unit: 1 in blk-crypto; dm-crypt without
  /// iv_large_sectors counts 512-byte sectors, so a 4096-byte unit steps it by 8.
  std::uint32_t data_unit_step = 1;
  bool single_unit() const noexcept { return data_unit_size == 0; }
};

/// Submission flags (CRYPTO_TFM_REQ_* equivalents the engine looks at).
struct RequestFlags {
  bool may_backlog = false;  ///< CRYPTO_TFM_REQ_MAY_BACKLOG
};

/// Base request. The engine keeps pointers to requests and never copies them; the submitter
/// keeps the object alive until its final completion.
class Request {
 public:
  /// Called with Errc::InProgress when a backlogged request has been moved into the queue,
  /// and exactly once with the final result.
  using Completion = std::function<void(Request&, Errc)>;

  Request() = default;
  explicit Request(std::uint64_t id_, Completion completion = {}, bool may_backlog = false)
      : id(id_), complete(std::move(completion)) {
    flags.may_backlog = may_backlog;
  }
  virtual ~Request() = default;
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;
  Request(Request&&) = delete;
  Request& operator=(Request&&) = delete;

  /// Calls the completion if one is set.
  void notify(Errc err) {
    if (complete) complete(*this, err);
  }

  std::uint64_t id = 0;        ///< request id, carried through all layers
  RequestFlags flags;
  Completion complete;
  /// Free slot for the driver (the Linux request context): the engine never touches it.
  void* driver_ctx = nullptr;
  BulkInfo bulk;               ///< reserved for bulk mode
  /// Who submitted it, for a merge policy that takes requests out of queue order (gather):
  /// requests with equal values come from one submitter, whose order is kept. 0 = unknown;
  /// all unknown requests count as one submitter (they keep FIFO order among themselves).
  /// dm-crypt: one bio's conversion loop (it submits that bio's sectors in order).
  std::uint64_t submitter = 0;
};

}  // namespace aesvp::engine
