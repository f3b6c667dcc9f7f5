// The request queue with a backlog mark (Linux struct crypto_queue and its helpers).
#pragma once

#include <cstddef>
#include <deque>

#include "engine/errc.h"
#include "engine/request.h"

namespace aesvp::engine {

/// FIFO of request pointers with a backlog mark, as crypto_enqueue_request /
/// crypto_dequeue_request / crypto_get_backlog / crypto_enqueue_request_head define it:
///  - size() (qlen) counts queued and backlogged requests;
///  - enqueue() when size() >= max_len(): NoSpc without may_backlog (not queued), Busy with it
///    (queued; if no request is backlogged yet, the mark moves to this request);
///  - the mark points at the first backlogged request; every dequeue() moves it one request
///    further (the backlogged request it pointed at is now "in the queue"), or clears it when
///    it pointed at the last request;
///  - backlog() is the request the next dequeue() moves into the queue (the one to notify).
/// Not synchronised: the engine guards it with its lock.
class CryptoQueue {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  explicit CryptoQueue(std::size_t max_len) : max_len_(max_len) {}

  /// crypto_enqueue_request: InProgress, Busy (backlogged) or NoSpc (rejected).
  Errc enqueue(Request& req);
  /// crypto_enqueue_request_head: put a request back in front; the mark is not touched.
  void enqueue_head(Request& req);
  /// crypto_dequeue_request: head request or nullptr; advances the backlog mark.
  Request* dequeue();
  /// Not in Linux: remove the i-th request (i < size(); i = 0 is dequeue()). Frees one slot
  /// like a dequeue, so the backlog mark moves the same way (its request is now queued). The
  /// engine only removes a request past the head when it is ahead of the mark, so no
  /// backlogged request is overtaken.
  Request* remove(std::size_t i);
  /// crypto_get_backlog: the first backlogged request or nullptr.
  Request* backlog() const;
  /// Not in Linux: make `req` (still queued) the first backlogged request again, unless an
  /// earlier request already is. Used to undo a dequeue whose request went back to the head.
  void restore_backlog(const Request& req);

  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  std::size_t max_len() const noexcept { return max_len_; }
  /// The i-th queued request from the head (0 = next to be dequeued).
  Request& at(std::size_t i) const { return *items_.at(i); }
  /// Index of the first backlogged request, npos when none is backlogged.
  std::size_t backlog_index() const noexcept { return backlog_; }
  /// Number of backlogged requests (from the mark to the tail).
  std::size_t backlogged() const noexcept { return backlog_ == npos ? 0 : items_.size() - backlog_; }

 private:
  std::deque<Request*> items_;
  std::size_t max_len_;
  std::size_t backlog_ = npos;
};

}  // namespace aesvp::engine
