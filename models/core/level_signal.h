// A single-writer bool wire whose new value is visible immediately (no delta delay); its
// events fire in the next delta cycle, and event()/posedge()/negedge() are true in that delta
// (as with sc_signal, whose events and event() belong to the delta after the write). It binds
// to sc_in<bool> / sc_out<bool>.
//
// Why not sc_signal<bool>: a DMA request line must be sampled right after the transaction
// that serviced the request. With sc_signal the device's "lower the request" write is only
// visible one delta later, so a DMA that re-samples at once would service the same request
// twice. With this wire the device lowers the line inside the servicing transaction, and
// any later sample sees it low.
//
// Differences from sc_signal<bool>, all following from the immediate value:
//  - read() returns the new value in the writer's own delta (sc_signal: the old one);
//  - two writes in one delta that undo each other (high then low) still notify both edges,
//    and posedge()/negedge() then say which edges happened (sc_signal: no event at all);
//  - the wire changes at the simulated time of the write, sc_time_stamp(); a writer running
//    ahead on a local time offset (loosely-timed) changes it before its annotated time
//    (docs/modelling.md, "Wires", gives the bound). write_at() passes the annotated time to
//    the change observer (waveforms) without changing when the value or events change.
//
// A rise announced ahead (schedule_rise): the writer knows that, unless it writes again, the
// line rises at a later time t; the wire records it, read() returns high once sim time >= t,
// and the edge listeners are told t now instead of being called at t (no process of the
// writer has to run at t only to raise the line). The wire refuses what it cannot honour that
// way: event waiters, observers, a listener that cannot take announcements (or refuses this
// one), a line already high. An announced rise notifies no events and marks no event() delta.
#pragma once

#include "models/core/sim_time.h"

#include <systemc>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace aesvp {

class LevelSignal : public sc_core::sc_object, public sc_core::sc_signal_inout_if<bool> {
 public:
  // Called after every value change with the new value and the change's time (the annotated
  // time given to write_at, else sc_time_stamp()). Behaviour never depends on observers.
  using ChangeObserver = std::function<void(bool value, const sc_core::sc_time& at)>;
  // Part of behaviour, unlike an observer: a sink that follows every edge in the writer's own
  // delta without a process activation of its own (the sDMA's request latch). Called inside
  // the writer's process, before the observers; it must not write this wire.
  using EdgeListener = std::function<void(bool value)>;
  // Told of an announced rise (announced = true, its time) and of its withdrawal
  // (announced = false); may refuse an announcement by returning false.
  using RiseListener = std::function<bool(bool announced, const sc_core::sc_time& at)>;

  explicit LevelSignal(const char* name, bool initial = false)
      : sc_core::sc_object(name), value_(initial) {}

  const char* kind() const override { return "aesvp::LevelSignal"; }

  // sc_signal_write_if<bool>
  void write(const bool& v) override { write_at(v, sim_now()); }
  // The same change, observed at `at` (the writer's annotated time, >= sc_time_stamp()).
  void write_at(bool v, const sc_core::sc_time& at) {
    if (rise_pending_) cancel_rise();  // a write before the announced rise withdraws it
    if (v == value_) return;
    value_ = v;
    mark_event(v);
    ++edges_;
    // Only events someone has asked for can have waiters (see wanted_).
    if (wanted_ & kChanged) changed_.notify(sc_core::SC_ZERO_TIME);
    if (wanted_ & (v ? kPosedge : kNegedge)) (v ? posedge_ : negedge_).notify(sc_core::SC_ZERO_TIME);
    for (const EdgeListener& l : listeners_) l(v);
    for (const ChangeObserver& o : observers_) o(v, at);
  }

  // sc_signal_in_if<bool>
  const sc_core::sc_event& value_changed_event() const override { return want(kChanged, changed_); }
  const sc_core::sc_event& posedge_event() const override { return want(kPosedge, posedge_); }
  const sc_core::sc_event& negedge_event() const override { return want(kNegedge, negedge_); }
  const sc_core::sc_event& default_event() const override { return want(kChanged, changed_); }
  const bool& read() const override {
    if (__builtin_expect(rise_pending_, 0)) settle_rise();
    return value_;
  }
  const bool& get_data_ref() const override { return read(); }
  // True in the delta cycle in which the change's events fire (the one after the write);
  // false outside the simulation (elaboration, between sc_start calls).
  bool event() const override {
    return event_delta_ == sc_core::sc_delta_count() &&
           event_time_ == sim_now() &&
           sc_core::sc_get_status() == sc_core::SC_RUNNING;
  }
  bool posedge() const override { return event() && rose_; }
  bool negedge() const override { return event() && fell_; }

  // Number of value changes so far (tests count request-line toggles with it).
  unsigned long edges() const {
    if (rise_pending_) settle_rise();
    return edges_;
  }
  void add_change_observer(ChangeObserver o) { observers_.push_back(std::move(o)); }
  // `rise`: how the listener takes announced rises; without one the wire refuses them.
  void add_edge_listener(EdgeListener l, RiseListener rise = nullptr) {
    listeners_.push_back(std::move(l));
    rise_listeners_.push_back(std::move(rise));
  }

  // Announces that the line rises at `at` (> now) unless the writer writes it before; false
  // (nothing recorded, nobody told) when the wire cannot honour it (see the header). A rise
  // already announced for `at` is kept; one for another time is withdrawn first.
  bool schedule_rise(const sc_core::sc_time& at) {
    if (rise_pending_) {
      settle_rise();
      if (rise_pending_ && rise_at_ == at) return true;
      cancel_rise();
    }
    if (value_ || !takes_announcements() || at <= sim_now()) return false;
    for (std::size_t k = 0; k < rise_listeners_.size(); ++k) {
      if (rise_listeners_[k](true, at)) continue;
      for (std::size_t j = 0; j < k; ++j) rise_listeners_[j](false, at);  // undo the told ones
      return false;
    }
    rise_pending_ = true;
    rise_at_ = at;
    return true;
  }
  // Whether schedule_rise can be honoured at all (no event waiters, no observers, every
  // listener takes announcements); a listener may still refuse a particular one.
  bool takes_announcements() const {
    if (wanted_ != 0 || !observers_.empty()) return false;
    for (const RiseListener& r : rise_listeners_)
      if (!r) return false;
    return true;
  }
  // Withdraws an announced rise not yet due (the writer changed its mind); no-op without one.
  void cancel_rise() {
    if (rise_pending_) settle_rise();
    if (!rise_pending_) return;
    rise_pending_ = false;
    if (rise_events_ & kChanged) changed_.cancel();  // notified for this rise only (want())
    if (rise_events_ & kPosedge) posedge_.cancel();
    rise_events_ = 0;
    for (const RiseListener& r : rise_listeners_) r(false, rise_at_);
  }
  // The announced rise still to come, if any.
  bool rise_announced(sc_core::sc_time& at) const {
    if (rise_pending_) settle_rise();
    if (rise_pending_) at = rise_at_;
    return rise_pending_;
  }

 private:
  // The delta in which this write's events fire: the next one while a process runs (the
  // kernel counts a delta when the evaluation phase ends), the first one of the next
  // sc_start when written from outside the simulation (elaboration, between sc_start calls).
  void mark_event(bool v) {
    const bool running = sc_core::sc_get_status() == sc_core::SC_RUNNING;
    const sc_dt::uint64 delta = sc_core::sc_delta_count() + (running ? 1 : 0);
    const sc_core::sc_time now = sim_now();
    if (delta != event_delta_ || now != event_time_) rose_ = fell_ = false;
    event_delta_ = delta;
    event_time_ = now;
    (v ? rose_ : fell_) = true;
  }

  // An event first requested while a rise is announced (a process that waits only once it
  // finds the line low) is notified at the rise's time, and withdrawn with the rise; later
  // announcements are refused (the wire has waiters now).
  //
  // A process can only wait on (or be sensitive to) an event it got from one of the getters
  // above, so an event never handed out has no waiters and its notification is skipped
  // (most request lines have no edge waiters: this halves the notifications per write).
  enum : unsigned { kChanged = 1, kPosedge = 2, kNegedge = 4 };
  // The first request for an event catches up with a change written in this delta, whose
  // events are still to fire (as they would have been notified at the write).
  sc_core::sc_event& want(unsigned which, sc_core::sc_event& e) const {
    if ((wanted_ & which) != 0) return e;
    wanted_ |= which;
    const bool running = sc_core::sc_get_status() == sc_core::SC_RUNNING;
    const bool pending = event_delta_ == sc_core::sc_delta_count() + (running ? 1 : 0) &&
                         event_time_ == sim_now();  // as mark_event() counts
    const bool edge = which == kChanged ? rose_ || fell_ : which == kPosedge ? rose_ : fell_;
    if (pending && edge) e.notify(sc_core::SC_ZERO_TIME);
    if (rise_pending_ && which != kNegedge && sim_now() < rise_at_) {
      e.notify(rise_at_ - sim_now());
      rise_events_ |= which;
    }
    return e;
  }

  // An announced rise whose time has come becomes the value (the listeners knew already).
  // Out of line: read() is on every DMA sample, where no rise is pending in fast mode.
  __attribute__((noinline)) void settle_rise() const {
    if (sim_now() < rise_at_) return;
    rise_pending_ = false;
    rise_events_ = 0;
    value_ = true;
    ++edges_;
  }

  mutable bool value_;
  mutable bool rise_pending_ = false;
  sc_core::sc_time rise_at_;
  mutable unsigned wanted_ = 0;
  mutable unsigned rise_events_ = 0;  // events notified for the announced rise (want())
  bool rose_ = false, fell_ = false;  // edges written for the pending/current event delta
  mutable unsigned long edges_ = 0;
  sc_dt::uint64 event_delta_ = ~sc_dt::uint64{0};
  sc_core::sc_time event_time_;
  mutable sc_core::sc_event changed_, posedge_, negedge_;  // mutable: see want()
  std::vector<EdgeListener> listeners_;
  std::vector<RiseListener> rise_listeners_;  // one per listener, empty: takes no announcements
  std::vector<ChangeObserver> observers_;
};

// Writes through a port: write_at when the port is bound to a LevelSignal, else write (the
// annotated time is then lost). For lines that change rarely (a dynamic_cast per call).
inline void write_at(sc_core::sc_out<bool>& port, bool v, const sc_core::sc_time& at) {
  if (auto* wire = dynamic_cast<LevelSignal*>(port.get_interface())) {
    wire->write_at(v, at);
  } else {
    port.write(v);
  }
}

// The levels of a group of up to 64 input lines as a bit mask (bit i = lines[first + i]),
// without a read per line: a line bound to a LevelSignal is followed edge by edge (an edge
// listener keeps its bit, as read() would see it), any other line is read when asked. For a
// model that looks at many lines on every change (an interrupt controller, a DMA controller's
// event inputs). follow() once the ports are bound (end_of_elaboration); the object must not
// move afterwards (the listeners refer to it).
class LineLevels {
 public:
  LineLevels() = default;
  LineLevels(const LineLevels&) = delete;
  LineLevels& operator=(const LineLevels&) = delete;

  void follow(sc_core::sc_vector<sc_core::sc_in<bool>>& lines, std::size_t first,
              unsigned count) {
    lines_ = &lines;
    first_ = first;
    for (unsigned i = 0; i < count; ++i) {
      const std::uint64_t bit = std::uint64_t{1} << i;
      auto* wire = dynamic_cast<LevelSignal*>(lines[first + i].get_interface());
      if (wire == nullptr) {
        unfollowed_ |= bit;
        continue;
      }
      if (wire->read()) level_ |= bit;
      wire->add_edge_listener([this, bit](bool v) {
        if (v) level_ |= bit;
        else level_ &= ~bit;
      });
    }
  }
  std::uint64_t levels() const {
    std::uint64_t v = level_;
    for (std::uint64_t rest = unfollowed_; rest != 0; rest &= rest - 1) {
      const unsigned i = static_cast<unsigned>(__builtin_ctzll(rest));
      if ((*lines_)[first_ + i].read()) v |= std::uint64_t{1} << i;
    }
    return v;
  }

 private:
  const sc_core::sc_vector<sc_core::sc_in<bool>>* lines_ = nullptr;
  std::size_t first_ = 0;
  std::uint64_t unfollowed_ = 0, level_ = 0;
};

}  // namespace aesvp
