// Engine error codes: the negative errno values the Linux crypto API passes around.
#pragma once

#include <string_view>

namespace aesvp::engine {

/// Result of an engine or driver operation. The numeric values are the Linux (negative) errno
/// values, fixed here so that they do not depend on the host C library.
enum class Errc : int {
  Ok = 0,
  Io = -5,            ///< -EIO: hardware or bus error
  NoMem = -12,        ///< -ENOMEM
  NoDev = -19,        ///< -ENODEV: no device to take the request
  Busy = -16,         ///< -EBUSY: request backlogged / engine already running / stop failed
  Inval = -22,        ///< -EINVAL
  NoSpc = -28,        ///< -ENOSPC: queue (or hardware queue) full
  BadMsg = -74,       ///< -EBADMSG: authentication failure
  Shutdown = -108,    ///< -ESHUTDOWN: engine not running
  TimedOut = -110,    ///< -ETIMEDOUT
  InProgress = -115,  ///< -EINPROGRESS: queued / backlog notification
};

/// Short symbolic name ("EINPROGRESS", "OK", ...); "E?" followed by nothing for unknown values.
std::string_view to_string(Errc e) noexcept;

/// The plain errno value (negative, 0 for Ok).
constexpr int to_int(Errc e) noexcept { return static_cast<int>(e); }

}  // namespace aesvp::engine
