// The dispatch-time policy point: what the pump takes from the queue and hands to the driver.
#pragma once

#include <cstddef>
#include <cstdint>
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
///
/// A policy that takes requests out of queue order overrides pick() instead of relying on
/// select(): it names the queue indices to take (ascending, starting with the head, 0). The
/// engine keeps the longest prefix of that list that is valid: ascending, in range, and no
/// index after a skipped one at or behind the backlog mark (a backlogged request is never
/// overtaken). The taken requests go to assemble() in queue order; the skipped ones stay
/// queued in their order, and the backlog mark moves one request per request taken, exactly
/// as for a prefix.
///
/// Before select(), the pump asks hold(queue, now_ns): a policy that wants to wait for more
/// requests (a bounded merge window) returns the time until which the head may wait. The
/// engine honours it only when its context can post delayed work
/// (ExecutionContext::post_after); it then re-runs the pump at that time and on every new
/// submission, and asks again. hold() runs with the engine lock held, like select().
class DispatchPolicy {
 public:
  /// No hold: dispatch now.
  static constexpr std::uint64_t kNoHold = 0;
  virtual ~DispatchPolicy() = default;
  /// Time (context ns) until which the pump should leave the queue alone, or kNoHold.
  virtual std::uint64_t hold(const CryptoQueue& queue, std::uint64_t now_ns) {
    (void)queue;
    (void)now_ns;
    return kNoHold;
  }
  virtual std::size_t select(const CryptoQueue& queue) = 0;
  /// Queue indices to take (see above). Default: the prefix of select()'s length.
  virtual void pick(const CryptoQueue& queue, std::vector<std::size_t>& out) {
    const std::size_t n = select(queue);
    out.clear();
    for (std::size_t i = 0; i < n; ++i) out.push_back(i);
  }
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
