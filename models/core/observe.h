// Observation hooks (timelines, waveforms) sit in hot paths of the models and the driver.
// Behaviour never depends on them; with no observer installed each costs one branch. To
// measure that cost they can be compiled out: cmake -DAESVP_TRACE_HOOKS=OFF (a measurement
// build only: the waveform and timeline tests need the hooks).
#pragma once

#if defined(AESVP_NO_TRACE_HOOKS)
#define AESVP_OBSERVE(...) \
  do {                     \
  } while (0)
#else
#define AESVP_OBSERVE(...) \
  do {                     \
    __VA_ARGS__;           \
  } while (0)
#endif
