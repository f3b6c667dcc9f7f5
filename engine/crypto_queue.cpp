#include "engine/crypto_queue.h"

namespace aesvp::engine {

Errc CryptoQueue::enqueue(Request& req) {
  Errc err = Errc::InProgress;
  if (items_.size() >= max_len_) {
    if (!req.flags.may_backlog) return Errc::NoSpc;
    err = Errc::Busy;
    if (backlog_ == npos) backlog_ = items_.size();
  }
  items_.push_back(&req);
  return err;
}

void CryptoQueue::enqueue_head(Request& req) {
  items_.push_front(&req);
  if (backlog_ != npos) ++backlog_;
}

Request* CryptoQueue::dequeue() { return items_.empty() ? nullptr : remove(0); }

Request* CryptoQueue::remove(std::size_t i) {
  const std::size_t old_size = items_.size();
  Request* r = items_.at(i);
  items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
  // The mark moves to the request after the one it pointed at (or is cleared when that was
  // the last one). The erase shifts later indices down by one, so that request keeps the old
  // index. (A request removed at or behind the mark: the mark still moves one request on, as
  // for a dequeue that takes the backlogged head with queue_len 0.)
  if (backlog_ != npos && backlog_ + 1 >= old_size) backlog_ = npos;
  return r;
}

Request* CryptoQueue::backlog() const { return backlog_ == npos ? nullptr : items_[backlog_]; }

void CryptoQueue::restore_backlog(const Request& req) {
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (items_[i] == &req) {
      if (backlog_ == npos || i < backlog_) backlog_ = i;
      return;
    }
  }
}

}  // namespace aesvp::engine
