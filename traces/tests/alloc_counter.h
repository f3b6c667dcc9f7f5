// Counts global operator new calls (test-only; defined in alloc_counter.cpp, a separate
// translation unit so the replacement is never inlined into callers).
#pragma once

#include <cstdint>

namespace aesvp::traces {
std::uint64_t allocation_count();
}  // namespace aesvp::traces
