// Bulk mode in the engine: dispatch policies that merge compatible queued requests into one
// composite request for hardware that derives each data unit's IV itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "engine/crypto_queue.h"
#include "engine/dispatch_policy.h"
#include "engine/request.h"

namespace aesvp::engine {

/// How many requests a dispatch may combine (the crypto engine's open question 2).
enum class MergeMode : std::uint8_t {
  Off,            ///< one request per dispatch (FifoPolicy behaviour)
  Opportunistic,  ///< merge the compatible run queued now, never wait
  Bounded,        ///< hold the queue up to max_wait_ns or until max_requests are queued
  MaxN,           ///< like Opportunistic, at most max_requests per dispatch
  /// Like MaxN, but the run may skip queued requests: from the head, take each later request
  /// (within `lookahead`) that continues the run's data units, leaving the others queued in
  /// their order; never past the backlog mark once something was skipped, never past a skipped
  /// request of the same submitter (Request::submitter). Merges interleaved streams.
  Gather,
};

std::string_view to_string(MergeMode m);
/// Parses "off", "opportunistic", "bounded", "max", "gather"; false if unknown.
bool parse_merge_mode(std::string_view s, MergeMode& out);

struct MergeConfig {
  MergeMode mode = MergeMode::Off;
  std::size_t max_requests = 16;   ///< N: cap for MaxN, target (and cap) for Bounded
  std::uint64_t max_wait_ns = 0;   ///< T: Bounded's longest hold of the head request
  std::size_t lookahead = 0;       ///< Gather: queued requests after the head it looks at; 0 = all
};

/// Why the request after a compatible run was not merged (question 1's data). The first
/// incompatibility found is counted, once per dispatch.
enum class MergeRefusal : std::uint8_t {
  NotDescribed,    ///< the adapter cannot describe the request (not a bulk-capable request)
  SingleUnit,      ///< the request has no data-unit description (BulkInfo::single_unit)
  IvKind,          ///< an IV kind the hardware does not generate
  Transform,       ///< another transform (algorithm / mode)
  Key,             ///< another key
  Direction,       ///< encrypt vs decrypt
  UnitSize,        ///< another data-unit size or step
  NotConsecutive,  ///< data-unit numbers do not continue the run
  Bytes,           ///< combined length over the hardware limit
  Segments,        ///< combined scatterlist entries over the hardware limit
};
constexpr std::size_t kMergeRefusalCount = 10;
std::string_view to_string(MergeRefusal r);

/// What a merge policy needs to know about a request (provided by the driver's adapter).
struct MergeView {
  const void* transform = nullptr;  ///< algorithm/mode identity (e.g. the tfm's alg)
  std::uint64_t key_id = 0;         ///< equal keys have equal ids (e.g. tfm + key generation)
  bool encrypt = false;
  std::size_t bytes = 0;            ///< payload length
  std::size_t segments = 0;         ///< scatterlist entries (source; destination alike)
  BulkInfo bulk;
};

/// The hardware's limits for one dispatched request.
struct MergeLimits {
  std::size_t max_bytes = 0;        ///< 0 = no limit
  std::size_t max_segments = 0;     ///< 0 = no limit
  /// IV kinds the hardware derives per data unit (indexed by IvKind).
  std::array<bool, 5> iv_kinds{};
};

/// Supplied by the driver, which knows its request type: describes requests and builds the
/// composite (a request of the driver's own type covering all members' data, in order, with
/// BulkInfo of the first member). Called with the engine lock held: must not call the engine.
class MergeAdapter {
 public:
  virtual ~MergeAdapter() = default;
  virtual bool describe(const Request& req, MergeView& out) const = 0;
  virtual MergeLimits limits() const = 0;
  /// A new composite for `members` (two or more, compatible, in queue order). The policy
  /// sets its id and completion; the driver may keep per-composite state in it.
  virtual std::unique_ptr<Request> combine(const std::vector<Request*>& members) = 0;
};

/// Merge statistics (a consistent snapshot from MergePolicy::stats()).
struct MergeStats {
  std::uint64_t dispatches = 0;        ///< requests handed to the driver (composites count once)
  std::uint64_t merges = 0;            ///< composites built
  std::uint64_t merged_requests = 0;   ///< original requests that went out inside a composite
  std::uint64_t undone = 0;            ///< composites taken apart after NoSpc
  std::uint64_t completed_composites = 0;
  std::uint64_t failed_composites = 0; ///< completed with an error (fanned out to members)
  std::uint64_t failed_members = 0;    ///< original requests failed with their composite
  std::uint64_t holds = 0;             ///< pump runs that held the queue (Bounded)
  std::uint64_t capped = 0;            ///< runs cut by the policy's max_requests
  std::uint64_t gathered = 0;          ///< Gather: requests taken past a request left queued
  std::uint64_t backlog_stops = 0;     ///< Gather: scans ended at the backlog mark
  std::uint64_t order_skips = 0;       ///< Gather: compatible requests left for their submitter's order
  /// per_dispatch[n] = dispatches that carried n original requests (index 0 unused).
  std::vector<std::uint64_t> per_dispatch;
  std::array<std::uint64_t, kMergeRefusalCount> refused{};
};

/// The merging DispatchPolicy. Every mode but Gather takes only a prefix of the queue (no
/// request is overtaken); Gather may leave requests of other streams queued, within the rules
/// of DispatchPolicy::pick (no backlogged request overtaken) and keeping each submitter's
/// order. Members complete in queue order, each exactly once, with the composite's result.
class MergePolicy final : public DispatchPolicy {
 public:
  /// First id given to composites (members keep their own ids): far above any submitter's
  /// sequential ids, and still exact as a JSON number in trace viewers (< 2^53).
  static constexpr std::uint64_t kCompositeIdBase = 1'000'000'000'000ULL;

  MergePolicy(MergeConfig cfg, MergeAdapter& adapter);
  ~MergePolicy() override;

  std::uint64_t hold(const CryptoQueue& queue, std::uint64_t now_ns) override;
  std::size_t select(const CryptoQueue& queue) override;
  void pick(const CryptoQueue& queue, std::vector<std::size_t>& out) override;
  Request& assemble(const std::vector<Request*>& taken) override;
  void disassemble(Request& dispatched, const std::vector<Request*>& taken) override;

  MergeStats stats() const;
  const MergeConfig& config() const noexcept { return cfg_; }
  /// Members of a composite still in flight (by composite id), empty if unknown. For traces.
  std::vector<std::uint64_t> members_of(std::uint64_t composite_id) const;

  /// Is `next` compatible with a run that ends with `last` (same key, direction, unit size,
  /// consecutive unit numbers)? Limits are checked separately. Exposed for tests.
  static bool compatible(const MergeView& last, const MergeView& next, MergeRefusal& why);

 private:
  struct Composite {
    std::unique_ptr<Request> req;
    std::vector<Request*> members;
  };
  /// Length of the compatible run at the head, capped by the hardware limits and `cap`;
  /// `why` tells what ended it (valid when `refused`). `open`: it ended at the queue's end.
  std::size_t run_length(const CryptoQueue& queue, std::size_t cap, bool& refused,
                         MergeRefusal& why, bool& open) const;
  std::size_t cap() const;
  /// Gather's pick: the head, then every later request that continues the run (see MergeMode).
  void gather(const CryptoQueue& queue, std::vector<std::size_t>& out);
  /// Can `next` extend a run ending with `last` (shape, compatibility, limits)? `bytes` and
  /// `segments` are the run's totals so far.
  bool extends(const MergeView& last, const Request& next, std::size_t bytes,
               std::size_t segments, MergeView& view, MergeRefusal& why) const;
  void complete_composite(Request& composite, Errc err);
  void reap_locked();

  const MergeConfig cfg_;
  MergeAdapter& adapter_;
  const MergeLimits limits_;
  const Request* hold_head_ = nullptr;  // head request the window was opened for
  std::uint64_t hold_start_ = 0;

  mutable std::mutex m_;  // composites and statistics (completions come from any thread)
  std::vector<Composite> live_;
  std::vector<std::unique_ptr<Request>> retired_;  // completed; freed at the next assemble
  std::uint64_t next_id_ = kCompositeIdBase;
  MergeStats stats_;
};

}  // namespace aesvp::engine
