// Workloads of the dm-crypt model: bios over the encrypted area in phases.
//   read_percent == 100 (default): phase "write" writes the whole area, phase "read" reads it
//                                   all back (the main job of `aesvp run`);
//   otherwise:                      phase "write" fills the area, then phase "mixed" issues
//                                   mixed_bytes of bios, read_percent % of them reads.
// Pattern: sequential (bios in address order; the mixed phase walks the area and wraps) or
// random (the fill / read-back phases visit bio-sized slots in a random order; the mixed
// phase picks random sector-aligned positions). Bio sizes: one size or a small set drawn
// uniformly. Everything follows from the seed.
#pragma once

#include "testbench/dmcrypt_sim/dm_crypt.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aesvp::testbench {

enum class Pattern { Sequential, Random };
const char* to_string(Pattern p);

struct Workload {
  Pattern pattern = Pattern::Sequential;
  unsigned read_percent = 100;
  std::vector<std::uint32_t> bio_bytes = {65536};  // multiples of the sector size
  unsigned queue_depth = 4;                        // bios in flight (kcryptd workers)
  std::uint64_t mixed_bytes = 0;                   // mixed phase; 0 = the area size
  std::uint64_t seed = 1;
};

struct BioSpec {
  BioDir dir = BioDir::Write;
  std::uint64_t index = 0;    // first encryption sector
  std::uint32_t sectors = 0;  // encryption sectors
};

struct Phase {
  std::string name;
  std::vector<BioSpec> bios;
};

// Throws std::invalid_argument with one precise line for a bad workload (bio size not a
// positive multiple of the sector size or larger than the area, queue depth 0, read percent
// above 100, empty area).
std::vector<Phase> make_phases(const Workload& w, std::uint64_t area_sectors,
                               std::uint32_t sector_size);

// Deterministic plaintext of one encryption sector: a function of (seed, index, version).
void fill_plaintext(std::uint64_t seed, std::uint64_t index, std::uint32_t version,
                    std::uint8_t* out, std::size_t len);

}  // namespace aesvp::testbench
