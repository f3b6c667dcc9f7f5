// Large blocks of the global operator new on transparent huge pages (large_blocks.cpp).
#pragma once

#include <cstddef>

namespace aesvp::large_blocks {

// Whether this build replaces operator new (not under ASan/TSan, which bring their own).
bool enabled();

// Blocks of at least this many bytes come from 2 MiB-aligned huge-page-advised mappings.
inline constexpr std::size_t kThreshold = std::size_t{1} << 20;

// How many such blocks are allocated and not yet deleted (for tests).
std::size_t live();

}  // namespace aesvp::large_blocks
