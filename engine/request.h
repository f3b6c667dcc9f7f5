// The request the engine queues. Driver-specific requests (skcipher, ...) derive from it.
#pragma once

#include <cstdint>
#include <functional>

#include "engine/errc.h"

namespace aesvp::engine {

/// How the per-data-unit IV is derived in bulk mode (as dm-crypt / blk-crypto name them).
/// Reserved for the bulk-mode study; the engine itself never interprets it.
enum class IvKind : std::uint8_t {
  None,       ///< single unit: the request carries its own IV
  Plain,      ///< 32-bit little-endian data-unit number
  Plain64,    ///< 64-bit little-endian data-unit number
  Plain64Be,  ///< 64-bit big-endian data-unit number
  Essiv,      ///< encrypted data-unit number
};

/// Bulk-mode description of the data a request covers. The default (data_unit_size == 0)
/// means "the whole request is one unit", the only mode in use today.
struct BulkInfo {
  std::uint32_t data_unit_size = 0;    ///< bytes per data unit; 0 = single unit
  std::uint64_t first_data_unit = 0;   ///< number of the first data unit
  IvKind iv_kind = IvKind::None;
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
};

}  // namespace aesvp::engine
