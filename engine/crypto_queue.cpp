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

Request* CryptoQueue::dequeue() {
  if (items_.empty()) return nullptr;
  const std::size_t old_size = items_.size();
  Request* head = items_.front();
  items_.pop_front();
  // The mark moves to the request after the one it pointed at (or is cleared when that was
  // the last one). The pop shifts indices down by one, so that request keeps the old index.
  if (backlog_ != npos && backlog_ + 1 >= old_size) backlog_ = npos;
  return head;
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
