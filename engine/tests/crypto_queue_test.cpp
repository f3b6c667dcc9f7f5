// CryptoQueue: the Linux crypto_queue semantics (qlen, backlog mark, head enqueue).
#include "engine/crypto_queue.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace aesvp::engine {
namespace {

struct Reqs {
  std::vector<std::unique_ptr<Request>> v;
  explicit Reqs(int n, bool backlog = false) {
    for (int i = 0; i < n; ++i) v.push_back(std::make_unique<Request>(i, nullptr, backlog));
  }
  Request& operator[](int i) { return *v[static_cast<std::size_t>(i)]; }
};

TEST(CryptoQueue, EnqueueUpToMaxThenNoSpcWithoutBacklog) {
  CryptoQueue q(2);
  Reqs r(3);
  EXPECT_EQ(q.enqueue(r[0]), Errc::InProgress);
  EXPECT_EQ(q.enqueue(r[1]), Errc::InProgress);
  EXPECT_EQ(q.enqueue(r[2]), Errc::NoSpc);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.backlog(), nullptr);
  EXPECT_EQ(q.dequeue(), &r[0]);
  EXPECT_EQ(q.dequeue(), &r[1]);
  EXPECT_EQ(q.dequeue(), nullptr);
}

TEST(CryptoQueue, BacklogCountsInQlenAndMarkAdvancesPerDequeue) {
  CryptoQueue q(2);
  Reqs r(5, true);
  EXPECT_EQ(q.enqueue(r[0]), Errc::InProgress);
  EXPECT_EQ(q.enqueue(r[1]), Errc::InProgress);
  EXPECT_EQ(q.enqueue(r[2]), Errc::Busy);
  EXPECT_EQ(q.enqueue(r[3]), Errc::Busy);
  EXPECT_EQ(q.size(), 4u);  // backlogged requests count in qlen
  EXPECT_EQ(q.backlogged(), 2u);
  EXPECT_EQ(q.backlog(), &r[2]);
  // qlen is still >= max: a further request is backlogged behind the others.
  EXPECT_EQ(q.enqueue(r[4]), Errc::Busy);
  EXPECT_EQ(q.backlog(), &r[2]);

  EXPECT_EQ(q.dequeue(), &r[0]);  // moves r2 into the queue
  EXPECT_EQ(q.backlog(), &r[3]);
  EXPECT_EQ(q.dequeue(), &r[1]);
  EXPECT_EQ(q.backlog(), &r[4]);
  EXPECT_EQ(q.dequeue(), &r[2]);
  EXPECT_EQ(q.backlog(), nullptr);  // r4 was the last one: mark cleared
  EXPECT_EQ(q.backlogged(), 0u);
  EXPECT_EQ(q.dequeue(), &r[3]);
  EXPECT_EQ(q.dequeue(), &r[4]);
  EXPECT_TRUE(q.empty());
}

TEST(CryptoQueue, EnqueueHeadKeepsBacklogMarkOnSameRequest) {
  CryptoQueue q(1);
  Reqs r(3, true);
  EXPECT_EQ(q.enqueue(r[0]), Errc::InProgress);
  EXPECT_EQ(q.enqueue(r[1]), Errc::Busy);
  Request* head = q.dequeue();
  EXPECT_EQ(head, &r[0]);
  EXPECT_EQ(q.backlog(), nullptr);
  q.enqueue_head(*head);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(&q.at(0), &r[0]);
  EXPECT_EQ(&q.at(1), &r[1]);
  EXPECT_EQ(q.enqueue(r[2]), Errc::Busy);
  EXPECT_EQ(q.backlog(), &r[2]);
  q.enqueue_head(r[0]);  // mark index shifts with the new head
  EXPECT_EQ(q.backlog(), &r[2]);
}

TEST(CryptoQueue, RestoreBacklogUndoesAdvance) {
  CryptoQueue q(1);
  Reqs r(3, true);
  q.enqueue(r[0]);
  q.enqueue(r[1]);
  q.enqueue(r[2]);
  Request* b = q.backlog();
  ASSERT_EQ(b, &r[1]);
  Request* head = q.dequeue();
  EXPECT_EQ(q.backlog(), &r[2]);
  q.enqueue_head(*head);
  q.restore_backlog(*b);
  EXPECT_EQ(q.backlog(), &r[1]);
  EXPECT_EQ(q.backlogged(), 2u);
  // A later request never moves the mark backwards past an earlier one.
  q.restore_backlog(r[2]);
  EXPECT_EQ(q.backlog(), &r[1]);
}

TEST(CryptoQueue, ZeroLengthQueueBacklogsEverything) {
  CryptoQueue q(0);
  Reqs r(2, true);
  EXPECT_EQ(q.enqueue(r[0]), Errc::Busy);
  EXPECT_EQ(q.backlog(), &r[0]);
  EXPECT_EQ(q.enqueue(r[1]), Errc::Busy);
  EXPECT_EQ(q.dequeue(), &r[0]);
  EXPECT_EQ(q.backlog(), &r[1]);
}

}  // namespace
}  // namespace aesvp::engine
