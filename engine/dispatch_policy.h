// The dispatch-time policy point: what the pump takes from the queue and hands to the driver.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/crypto_queue.h"
#include "engine/request.h"

namespace aesvp::engine {

/// Decides, at each dispatch, how many requests the pump takes from the head of the queue and
/// turns them into the one request handed to the driver's do_one_request.
///
/// The pump calls, for every dispatch:
///  1. select(queue) with the engine lock held: inspect the queued requests (read-only) and
///     return how many to take from the head. The result is clamped to [1, queue.size()]:
///     a policy cannot hold requests back (nothing would re-kick the pump) and cannot
///     reorder (it only takes a prefix, so FIFO order and the backlog mark are respected).
///  2. assemble(taken) with the engine lock held: return the request to dispatch. With one
///     taken request this is normally that request; a merging policy returns a composite
///     request it owns, whose completion fans out to every taken request (each original then
///     completes exactly once, with the composite's result).
///  3. disassemble(dispatched, taken) without the lock, only when the driver refused the
///     dispatched request with NoSpc (retry support): undo assemble (the engine puts the
///     taken requests back at the head, in order; the composite must not complete).
/// select() and assemble() must not call the engine (its lock is held) and must not block.
class DispatchPolicy {
 public:
  virtual ~DispatchPolicy() = default;
  virtual std::size_t select(const CryptoQueue& queue) = 0;
  virtual Request& assemble(const std::vector<Request*>& taken) { return *taken.front(); }
  virtual void disassemble(Request& dispatched, const std::vector<Request*>& taken) {
    (void)dispatched;
    (void)taken;
  }
};

/// The default: one request at a time, in FIFO order (what Linux does).
class FifoPolicy final : public DispatchPolicy {
 public:
  std::size_t select(const CryptoQueue& queue) override {
    (void)queue;
    return 1;
  }
};

}  // namespace aesvp::engine
