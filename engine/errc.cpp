#include "engine/errc.h"

#include <cerrno>

namespace aesvp::engine {

#if defined(__linux__)
static_assert(to_int(Errc::Io) == -EIO);
static_assert(to_int(Errc::NoMem) == -ENOMEM);
static_assert(to_int(Errc::Busy) == -EBUSY);
static_assert(to_int(Errc::Inval) == -EINVAL);
static_assert(to_int(Errc::NoSpc) == -ENOSPC);
static_assert(to_int(Errc::NoDev) == -ENODEV);
static_assert(to_int(Errc::BadMsg) == -EBADMSG);
static_assert(to_int(Errc::Shutdown) == -ESHUTDOWN);
static_assert(to_int(Errc::TimedOut) == -ETIMEDOUT);
static_assert(to_int(Errc::InProgress) == -EINPROGRESS);
#endif

std::string_view to_string(Errc e) noexcept {
  switch (e) {
    case Errc::Ok: return "OK";
    case Errc::Io: return "EIO";
    case Errc::NoMem: return "ENOMEM";
    case Errc::Busy: return "EBUSY";
    case Errc::Inval: return "EINVAL";
    case Errc::NoSpc: return "ENOSPC";
    case Errc::NoDev: return "ENODEV";
    case Errc::BadMsg: return "EBADMSG";
    case Errc::Shutdown: return "ESHUTDOWN";
    case Errc::TimedOut: return "ETIMEDOUT";
    case Errc::InProgress: return "EINPROGRESS";
  }
  return "E?";
}

}  // namespace aesvp::engine
