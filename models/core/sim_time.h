// The current simulated time, read inline: sc_core::sc_time_stamp() is an out-of-line call
// into libsystemc on every use (~160 per request in fast mode, ~1,000 in accurate mode).
// sc_get_curr_simcontext() is inline in the header but GCC keeps it out of line (it may
// create the default context), so the context pointer is read directly; it exists once any
// sc_object or sc_time has been made, i.e. before anything here asks for the time.
#pragma once

#include <systemc>

namespace aesvp {

// The simulation context, read inline (see above).
inline sc_core::sc_simcontext* sim_context() {
  sc_core::sc_simcontext* ctx = sc_core::sc_curr_simcontext;
  if (__builtin_expect(ctx == nullptr, 0)) ctx = sc_core::sc_get_curr_simcontext();
  return ctx;
}

inline const sc_core::sc_time& sim_now() { return sim_context()->time_stamp(); }

// The running process (null outside a process), read inline likewise.
inline const sc_core::sc_object* sim_process() {
  return sim_context()->get_curr_proc_info()->process_handle;
}

// The running process's kind (SC_NO_PROC_ outside a process), read inline for the same
// reason: sc_get_current_process_handle() is out of line and builds a reference-counted handle.
inline sc_core::sc_curr_proc_kind sim_process_kind() {
  return sim_context()->get_curr_proc_info()->kind;
}

}  // namespace aesvp
