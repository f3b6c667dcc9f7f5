// A single-writer bool wire whose new value is visible immediately (no delta delay); its
// events fire in the next delta cycle. It binds to sc_in<bool> / sc_out<bool> and traces
// like an sc_signal<bool>.
//
// Why not sc_signal<bool>: a DMA request line must be sampled right after the transaction
// that serviced the request. With sc_signal the device's "lower the request" write is only
// visible one delta later, so a DMA that re-samples at once would service the same request
// twice. With this wire the device lowers the line inside the servicing transaction, and
// any later sample sees it low.
#pragma once

#include <systemc>

#include <string>

namespace aesvp {

class LevelSignal : public sc_core::sc_object, public sc_core::sc_signal_inout_if<bool> {
 public:
  explicit LevelSignal(const char* name, bool initial = false)
      : sc_core::sc_object(name), value_(initial) {}

  const char* kind() const override { return "aesvp::LevelSignal"; }

  // sc_signal_write_if<bool>
  void write(const bool& v) override {
    if (v == value_) return;
    value_ = v;
    last_change_delta_ = sc_core::sc_delta_count();
    ++edges_;
    changed_.notify(sc_core::SC_ZERO_TIME);
    (v ? posedge_ : negedge_).notify(sc_core::SC_ZERO_TIME);
  }

  // sc_signal_in_if<bool>
  const sc_core::sc_event& value_changed_event() const override { return changed_; }
  const sc_core::sc_event& posedge_event() const override { return posedge_; }
  const sc_core::sc_event& negedge_event() const override { return negedge_; }
  const sc_core::sc_event& default_event() const override { return changed_; }
  const bool& read() const override { return value_; }
  const bool& get_data_ref() const override { return value_; }
  bool event() const override { return last_change_delta_ == sc_core::sc_delta_count(); }
  bool posedge() const override { return event() && value_; }
  bool negedge() const override { return event() && !value_; }

  // Number of value changes so far (tests count request-line toggles with it).
  unsigned long edges() const { return edges_; }

 private:
  bool value_;
  unsigned long edges_ = 0;
  sc_dt::uint64 last_change_delta_ = ~sc_dt::uint64{0};
  sc_core::sc_event changed_, posedge_, negedge_;
};

}  // namespace aesvp
