// The current simulated time, read inline: sc_core::sc_time_stamp() is an out-of-line call
// into libsystemc on every use (~160 per request in fast mode, ~1,000 in accurate mode),
// while the simulation context's own accessor is inline.
#pragma once

#include <systemc>

namespace aesvp {

inline const sc_core::sc_time& sim_now() {
  return sc_core::sc_get_curr_simcontext()->time_stamp();
}

}  // namespace aesvp
