// A FIFO burst that stands for a run of DMA units (the sDMA's fast mode, docs/sdma-model.md):
// the data array holds up to `units` beats of the streaming width, each one unit of the
// initiator issued as a crossing of its own; the transaction's data length covers the first
// beat only, so a target that ignores the extension moves exactly one unit (and leaves
// `beats` at 0). A target that honours it goes on: between the end of one beat and the start
// of the next the initiator spends `gap`, and every unit crosses the hops on the way again:
// what they added to the annotated delay since the initiator issued the transaction with
// `issued` (spacing()), so the target sees each beat at the time a unit-by-unit transfer would
// bring it. No hop needs to know the extension.
// Before each beat after the first the target asks `more()`: false ends the run there (the
// initiator's request line fell), with an OK response. `beats` reports the beats done.
// `line`, when the initiator has one, is the value of the request line that paces the run: a
// target that drives that very line itself knows where it falls and may take the run in one
// call without asking more() per beat (RegisterBank::on_beat_run).
#pragma once

#include <systemc>
#include <tlm>

#include <functional>

namespace aesvp {

struct UnitBurst : tlm::tlm_extension<UnitBurst> {
  unsigned units = 0;
  sc_core::sc_time gap{sc_core::SC_ZERO_TIME};
  sc_core::sc_time issued{sc_core::SC_ZERO_TIME};  // set by the initiator: the delay it calls
                                                   // b_transport with
  std::function<bool()> more;
  const bool* line = nullptr;
  unsigned beats = 0;

  // From the end of one beat to the start of the next, at a target called with `delay`.
  sc_core::sc_time spacing(const sc_core::sc_time& delay) const { return gap + (delay - issued); }

  tlm::tlm_extension_base* clone() const override { return new UnitBurst(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override {
    *this = static_cast<const UnitBurst&>(e);
  }
};

}  // namespace aesvp
