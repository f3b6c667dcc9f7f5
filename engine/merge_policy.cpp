#include "engine/merge_policy.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace aesvp::engine {

std::string_view to_string(MergeMode m) {
  switch (m) {
    case MergeMode::Off: return "off";
    case MergeMode::Opportunistic: return "opportunistic";
    case MergeMode::Bounded: return "bounded";
    case MergeMode::MaxN: return "max";
    case MergeMode::Gather: return "gather";
  }
  return "?";
}

bool parse_merge_mode(std::string_view s, MergeMode& out) {
  for (MergeMode m : {MergeMode::Off, MergeMode::Opportunistic, MergeMode::Bounded,
                      MergeMode::MaxN, MergeMode::Gather}) {
    if (s == to_string(m)) {
      out = m;
      return true;
    }
  }
  return false;
}

std::string_view to_string(MergeRefusal r) {
  switch (r) {
    case MergeRefusal::NotDescribed: return "not_described";
    case MergeRefusal::SingleUnit: return "single_unit";
    case MergeRefusal::IvKind: return "iv_kind";
    case MergeRefusal::Transform: return "transform";
    case MergeRefusal::Key: return "key";
    case MergeRefusal::Direction: return "direction";
    case MergeRefusal::UnitSize: return "unit_size";
    case MergeRefusal::NotConsecutive: return "not_consecutive";
    case MergeRefusal::Bytes: return "bytes";
    case MergeRefusal::Segments: return "segments";
  }
  return "?";
}

namespace {

/// Can the hardware take this request as a run of data units at all?
bool unit_shaped(const MergeView& v, const MergeLimits& lim, MergeRefusal& why) {
  if (v.bulk.single_unit()) {
    why = MergeRefusal::SingleUnit;
    return false;
  }
  const auto kind = static_cast<std::size_t>(v.bulk.iv_kind);
  if (kind >= lim.iv_kinds.size() || !lim.iv_kinds[kind]) {
    why = MergeRefusal::IvKind;
    return false;
  }
  if (v.bytes == 0 || v.bytes % v.bulk.data_unit_size != 0) {
    why = MergeRefusal::UnitSize;
    return false;
  }
  return true;
}

bool over(std::size_t value, std::size_t limit) { return limit != 0 && value > limit; }

}  // namespace

MergePolicy::MergePolicy(MergeConfig cfg, MergeAdapter& adapter)
    : cfg_(cfg), adapter_(adapter), limits_(adapter.limits()) {
  stats_.per_dispatch.assign(2, 0);
}

MergePolicy::~MergePolicy() = default;

bool MergePolicy::compatible(const MergeView& last, const MergeView& next, MergeRefusal& why) {
  if (next.transform != last.transform) {
    why = MergeRefusal::Transform;
  } else if (next.key_id != last.key_id) {
    why = MergeRefusal::Key;
  } else if (next.encrypt != last.encrypt) {
    why = MergeRefusal::Direction;
  } else if (next.bulk.iv_kind != last.bulk.iv_kind) {
    why = MergeRefusal::IvKind;
  } else if (next.bulk.data_unit_size != last.bulk.data_unit_size ||
             next.bulk.data_unit_step != last.bulk.data_unit_step) {
    why = MergeRefusal::UnitSize;
  } else {
    const std::uint64_t units = last.bytes / last.bulk.data_unit_size;
    // Unsigned wrap-around is what the hardware's counter does too.
    const std::uint64_t expect = last.bulk.first_data_unit + units * last.bulk.data_unit_step;
    if (next.bulk.first_data_unit == expect) return true;
    why = MergeRefusal::NotConsecutive;
  }
  return false;
}

std::size_t MergePolicy::cap() const {
  switch (cfg_.mode) {
    case MergeMode::Off: return 1;
    case MergeMode::Opportunistic: return std::numeric_limits<std::size_t>::max();
    case MergeMode::Bounded:
    case MergeMode::MaxN:
    case MergeMode::Gather: return std::max<std::size_t>(1, cfg_.max_requests);
  }
  return 1;
}

std::size_t MergePolicy::run_length(const CryptoQueue& queue, std::size_t limit, bool& refused,
                                    MergeRefusal& why, bool& open) const {
  refused = false;
  open = false;
  MergeView head;
  if (!adapter_.describe(queue.at(0), head)) {
    refused = true;
    why = MergeRefusal::NotDescribed;
    return 1;
  }
  if (!unit_shaped(head, limits_, why)) {
    refused = true;
    return 1;
  }
  std::size_t bytes = head.bytes;
  std::size_t segments = head.segments;
  MergeView last = head;
  std::size_t n = 1;
  for (; n < limit; ++n) {
    if (n >= queue.size()) {
      open = true;
      return n;
    }
    MergeView next;
    if (!extends(last, queue.at(n), bytes, segments, next, why)) {
      refused = true;
      return n;
    }
    bytes += next.bytes;
    segments += next.segments;
    last = next;
  }
  return n;  // the policy's cap
}

bool MergePolicy::extends(const MergeView& last, const Request& next, std::size_t bytes,
                          std::size_t segments, MergeView& view, MergeRefusal& why) const {
  if (!adapter_.describe(next, view)) {
    why = MergeRefusal::NotDescribed;
    return false;
  }
  if (!unit_shaped(view, limits_, why) || !compatible(last, view, why)) return false;
  if (over(bytes + view.bytes, limits_.max_bytes)) {
    why = MergeRefusal::Bytes;
    return false;
  }
  if (over(segments + view.segments, limits_.max_segments)) {
    why = MergeRefusal::Segments;
    return false;
  }
  return true;
}

void MergePolicy::pick(const CryptoQueue& queue, std::vector<std::size_t>& out) {
  if (cfg_.mode == MergeMode::Gather) {
    hold_head_ = nullptr;
    gather(queue, out);
    return;
  }
  DispatchPolicy::pick(queue, out);
}

void MergePolicy::gather(const CryptoQueue& queue, std::vector<std::size_t>& out) {
  out.assign(1, 0);
  if (queue.size() < 2) return;
  MergeView last;
  MergeRefusal why{};
  bool refused = false;  // the in-order run ended (counted once, as the other modes do)
  if (!adapter_.describe(queue.at(0), last)) {
    why = MergeRefusal::NotDescribed;
    refused = true;
  } else if (!unit_shaped(last, limits_, why)) {
    refused = true;
  }
  if (refused) {
    std::lock_guard<std::mutex> lk(m_);
    ++stats_.refused[static_cast<std::size_t>(why)];
    return;
  }
  // Counted locally, published at the end (describe() runs without the statistics lock).
  MergeStats d;
  const std::size_t limit = cap();
  const std::size_t end = cfg_.lookahead == 0 ? queue.size()
                                              : std::min(queue.size(), cfg_.lookahead + 1);
  const std::size_t mark = queue.backlog_index();
  std::size_t bytes = last.bytes;
  std::size_t segments = last.segments;
  std::vector<std::uint64_t> left_submitters;  // submitters with a request left queued
  for (std::size_t i = 1; i < end; ++i) {
    if (out.size() >= limit) {
      ++d.capped;
      break;
    }
    const bool skipped = !left_submitters.empty();
    if (skipped && i >= mark) {  // everything from here on is backlogged: no overtaking
      ++d.backlog_stops;
      break;
    }
    const Request& r = queue.at(i);
    MergeView next;
    MergeRefusal reason{};
    bool take = extends(last, r, bytes, segments, next, reason);
    if (take && std::find(left_submitters.begin(), left_submitters.end(), r.submitter) !=
                    left_submitters.end()) {
      take = false;  // it would overtake its own submitter's earlier request
      ++d.order_skips;
    } else if (!take && !skipped) {
      ++d.refused[static_cast<std::size_t>(reason)];  // what ended the in-order run
    }
    if (!take) {
      if (reason == MergeRefusal::Bytes || reason == MergeRefusal::Segments) break;  // full
      left_submitters.push_back(r.submitter);
      continue;
    }
    if (skipped) ++d.gathered;
    out.push_back(i);
    bytes += next.bytes;
    segments += next.segments;
    last = next;
  }
  std::lock_guard<std::mutex> lk(m_);
  stats_.capped += d.capped;
  stats_.backlog_stops += d.backlog_stops;
  stats_.order_skips += d.order_skips;
  stats_.gathered += d.gathered;
  for (std::size_t r = 0; r < kMergeRefusalCount; ++r) stats_.refused[r] += d.refused[r];
}

std::uint64_t MergePolicy::hold(const CryptoQueue& queue, std::uint64_t now_ns) {
  if (cfg_.mode != MergeMode::Bounded || cfg_.max_wait_ns == 0 || queue.empty()) return kNoHold;
  bool refused = false;
  bool open = false;
  MergeRefusal why{};
  const std::size_t n = run_length(queue, cap(), refused, why, open);
  // Wait only while the run could still grow: it reached the queue's end below the target.
  if (!open) return kNoHold;
  const Request* head = &queue.at(0);
  if (head != hold_head_) {
    hold_head_ = head;
    hold_start_ = now_ns;
    std::lock_guard<std::mutex> lk(m_);
    ++stats_.holds;
  }
  (void)n;
  const std::uint64_t until = hold_start_ + cfg_.max_wait_ns;
  return until > now_ns ? until : kNoHold;
}

std::size_t MergePolicy::select(const CryptoQueue& queue) {
  hold_head_ = nullptr;  // the head leaves now: a new window starts with the next head
  if (cfg_.mode == MergeMode::Off || queue.size() < 2) return 1;
  bool refused = false;
  bool open = false;
  MergeRefusal why{};
  const std::size_t limit = cap();
  const std::size_t n = run_length(queue, limit, refused, why, open);
  std::lock_guard<std::mutex> lk(m_);
  if (refused) {
    ++stats_.refused[static_cast<std::size_t>(why)];
  } else if (!open && n == limit && n < queue.size()) {
    ++stats_.capped;
  }
  return n;
}

Request& MergePolicy::assemble(const std::vector<Request*>& taken) {
  std::lock_guard<std::mutex> lk(m_);
  const std::size_t n = taken.size();
  ++stats_.dispatches;
  if (stats_.per_dispatch.size() <= n) stats_.per_dispatch.resize(n + 1, 0);
  ++stats_.per_dispatch[n];
  if (n == 1) return *taken.front();

  retired_.clear();  // completed composites whose completion has returned
  Composite c{adapter_.combine(taken), taken};
  Request& req = *c.req;
  req.id = next_id_++;
  req.bulk = taken.front()->bulk;
  req.complete = [this](Request& r, Errc err) { complete_composite(r, err); };
  live_.push_back(std::move(c));
  ++stats_.merges;
  stats_.merged_requests += n;
  return req;
}

void MergePolicy::disassemble(Request& dispatched, const std::vector<Request*>& taken) {
  std::lock_guard<std::mutex> lk(m_);
  if (taken.size() < 2) {  // a single request put back: its dispatch did not happen
    --stats_.dispatches;
    --stats_.per_dispatch[1];
    return;
  }
  auto it = std::find_if(live_.begin(), live_.end(),
                         [&](const Composite& c) { return c.req.get() == &dispatched; });
  if (it == live_.end()) return;
  retired_.push_back(std::move(it->req));
  live_.erase(it);
  const std::size_t n = taken.size();
  --stats_.dispatches;
  --stats_.per_dispatch[n];
  --stats_.merges;
  stats_.merged_requests -= n;
  ++stats_.undone;
}

void MergePolicy::complete_composite(Request& composite, Errc err) {
  if (err == Errc::InProgress) return;  // a composite is never backlogged
  std::vector<Request*> members;
  {
    std::lock_guard<std::mutex> lk(m_);
    auto it = std::find_if(live_.begin(), live_.end(),
                           [&](const Composite& c) { return c.req.get() == &composite; });
    if (it == live_.end() || it->members.empty()) return;  // completes once, never twice
    members = std::move(it->members);
    it->members.clear();
    if (err == Errc::Ok) {
      ++stats_.completed_composites;
    } else {
      ++stats_.failed_composites;
      stats_.failed_members += members.size();
    }
  }
  // In queue order: what each submitter sees is the order it would have seen unmerged.
  for (Request* m : members) m->notify(err);
  // Last: the composite may be freed by the next assemble once this is visible.
  std::lock_guard<std::mutex> lk(m_);
  auto it = std::find_if(live_.begin(), live_.end(),
                         [&](const Composite& c) { return c.req.get() == &composite; });
  if (it != live_.end()) {
    retired_.push_back(std::move(it->req));
    live_.erase(it);
  }
}

MergeStats MergePolicy::stats() const {
  std::lock_guard<std::mutex> lk(m_);
  return stats_;
}

std::vector<std::uint64_t> MergePolicy::members_of(std::uint64_t composite_id) const {
  std::lock_guard<std::mutex> lk(m_);
  for (const Composite& c : live_) {
    if (c.req->id != composite_id) continue;
    std::vector<std::uint64_t> ids;
    for (const Request* m : c.members) ids.push_back(m->id);
    return ids;
  }
  return {};
}

}  // namespace aesvp::engine
