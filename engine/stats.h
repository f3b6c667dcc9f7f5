// Engine statistics.
#pragma once

#include <cstddef>
#include <cstdint>

namespace aesvp::engine {

/// Counters kept by CryptoEngine (a consistent snapshot is returned by CryptoEngine::stats()).
/// "Requests" here are what the engine queues and finalizes; a composite request built by a
/// merging policy counts once in completed/failed/dispatched.
struct EngineStats {
  std::uint64_t submitted = 0;          ///< accepted by transfer_request (InProgress or Busy)
  std::uint64_t rejected_full = 0;      ///< transfer_request returned NoSpc
  std::uint64_t rejected_shutdown = 0;  ///< transfer_request returned Shutdown
  std::uint64_t dispatched = 0;         ///< requests the driver accepted (do_one_request Ok)
  std::uint64_t completed = 0;          ///< finalized with Ok
  std::uint64_t failed = 0;             ///< finalized with an error
  std::uint64_t idle_to_busy = 0;       ///< prepare_crypt_hardware transitions
  std::uint64_t busy_to_idle = 0;       ///< unprepare_crypt_hardware transitions
  std::uint64_t busy_ns = 0;            ///< time busy, by the context's now_ns (open period included)
  std::size_t queue_high_water = 0;     ///< largest queue length (queued + backlogged) seen
  std::uint64_t backlogged = 0;         ///< transfer_request returned Busy
  std::uint64_t backlog_notified = 0;   ///< InProgress notifications delivered
  std::uint64_t retries = 0;            ///< NoSpc from do_one_request: request put back at the head
  std::uint64_t pump_runs = 0;          ///< times the pump ran
  std::size_t in_flight_high_water = 0; ///< most requests held by the driver at once
};

}  // namespace aesvp::engine
