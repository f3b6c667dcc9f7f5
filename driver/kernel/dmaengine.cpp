#include "driver/kernel/dmaengine.h"

#include "driver/kernel/edma.h"
#include "driver/kernel/omap_dma.h"

#include <stdexcept>

namespace aesvp::kernel {

const char* to_string(DmaTxResult res) {
  switch (res) {
    case DmaTxResult::NoError: return "no-error";
    case DmaTxResult::ReadFailed: return "read-failed";
    case DmaTxResult::WriteFailed: return "write-failed";
    case DmaTxResult::Aborted: return "aborted";
  }
  return "?";
}

DmaCookie DmaEngine::dmaengine_submit(DmaAsyncTxDescriptor* tx) {
  if (tx == nullptr || tx->chan == nullptr) return -kEINVAL;
  k_.charge_cycles(k_.params().dma_submit_cycles);
  DmaChan& c = *tx->chan;
  for (auto it = c.allocated_.begin(); it != c.allocated_.end(); ++it) {
    if (it->get() != tx) continue;
    tx->cookie = c.next_cookie_++;
    c.submitted_.push_back(std::move(*it));
    c.allocated_.erase(it);
    return tx->cookie;
  }
  return -kEINVAL;
}

void DmaEngine::dma_async_issue_pending(DmaChan* chan) {
  if (chan == nullptr) return;
  k_.charge_cycles(k_.params().dma_issue_pending_cycles);
  while (!chan->submitted_.empty()) {
    chan->issued_.push_back(std::move(chan->submitted_.front()));
    chan->submitted_.pop_front();
  }
  start_desc(*chan);
}

int DmaEngine::dmaengine_terminate_sync(DmaChan* chan) {
  const int rc = dmaengine_terminate_all(chan);
  if (rc == 0) k_.tasklet_kill(*chan->tasklet_);
  return rc;
}

DmaStatus DmaEngine::dmaengine_tx_status(DmaChan* chan, DmaCookie cookie, std::uint32_t* residue) {
  if (chan == nullptr) return DmaStatus::Error;
  if (cookie > 0 && cookie <= chan->completed_cookie_) {
    // Finished: an errored descriptor whose callback has not run yet still tells its residue.
    if (residue != nullptr) *residue = 0;
    for (const auto& d : chan->done_)
      if (d->cookie == cookie && residue != nullptr) *residue = d->result.residue;
    return chan->errored_.count(cookie) != 0 ? DmaStatus::Error : DmaStatus::Complete;
  }
  if (residue != nullptr) {
    *residue = 0;
    if (chan->active_ && chan->active_->cookie == cookie) {
      // The provider reads the channel's registers, so this thread may wait on the bus, and
      // the descriptor may complete and be freed meanwhile (Linux holds the vchan lock here).
      const std::uint32_t left = active_residue(*chan);
      if (!chan->active_ || chan->active_->cookie != cookie)
        return dmaengine_tx_status(chan, cookie, residue);  // it finished while we read
      *residue = left;
    } else {
      for (const auto* q : {&chan->submitted_, &chan->issued_})
        for (const auto& d : *q)
          if (d->cookie == cookie) *residue = d->bytes;
    }
  }
  return DmaStatus::InProgress;
}

void DmaChan::finish(DmaCookie cookie, bool ok) {
  if (!ok) {
    errored_.insert(cookie);
    if (errored_.size() > kErrorHistory) errored_.erase(errored_.begin());
  }
  if (cookie > completed_cookie_) completed_cookie_ = cookie;
}

void DmaEngine::make_tasklet(DmaChan& c, const std::string& name) {
  c.tasklet_ = std::make_unique<Tasklet>(k_, name, [this, &c] { tasklet_fn(c); });
}

bool DmaEngine::take_issued(DmaChan& c) {
  if (c.active_ || c.halted_ || c.issued_.empty()) return false;
  c.active_ = std::move(c.issued_.front());
  c.issued_.pop_front();
  return true;
}

void DmaEngine::complete_active(DmaChan& c, DmaengineResult res) {
  c.active_->result = res;
  const bool ok = res.result == DmaTxResult::NoError;
  ++(ok ? c.completed_ : c.errors_);
  c.finish(c.active_->cookie, ok);
  c.done_.push_back(std::move(c.active_));
  c.tasklet_->schedule();  // vchan_cookie_complete
}

void DmaEngine::drop_descriptors(DmaChan& c) {
  auto drop = [&c](std::deque<std::unique_ptr<Desc>>& q) {
    for (auto& d : q)
      if (d->cookie > 0) c.finish(d->cookie, false);
    q.clear();
  };
  if (c.active_) {
    c.finish(c.active_->cookie, false);
    c.active_.reset();
  }
  drop(c.allocated_);
  drop(c.submitted_);
  drop(c.issued_);
  c.done_.clear();  // completed, callback not yet run: dropped as vchan_get_all_descriptors does
  c.halted_ = false;
}

void DmaEngine::tasklet_fn(DmaChan& c) {
  // vchan_complete: callbacks in completion order.
  while (!c.done_.empty()) {
    std::unique_ptr<Desc> d = std::move(c.done_.front());
    c.done_.pop_front();
    k_.charge_cycles(k_.params().dma_complete_cycles);
    if (d->callback_result) d->callback_result(d->result);
    retire(std::move(d));
  }
}

void DmaEngine::retire(std::unique_ptr<Desc> d) {
  if (free_descs_.size() < kFreeDescs && recycle(*d)) free_descs_.push_back(std::move(d));
}

std::unique_ptr<DmaEngine> make_dma_engine(Kernel& k) {
  const std::string& compatible = k.device_tree().dma.compatible;
  if (compatible == "ti,omap4430-sdma") return std::make_unique<OmapDma>(k);
  if (compatible == "ti,edma3-tpcc") return std::make_unique<Edma>(k);
  throw std::invalid_argument("no dmaengine provider for '" + compatible + "'");
}

}  // namespace aesvp::kernel
