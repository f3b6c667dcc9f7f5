#include "testbench/dmcrypt_sim/workload.h"

#include <algorithm>
#include <random>
#include <stdexcept>

namespace aesvp::testbench {

const char* to_string(Pattern p) { return p == Pattern::Sequential ? "seq" : "rand"; }

namespace {

std::uint64_t splitmix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Covers [0, area) with bios of drawn sizes (the last one shortened to fit).
std::vector<BioSpec> cover(BioDir dir, std::uint64_t area, const std::vector<std::uint32_t>& sizes,
                           std::mt19937_64& rng) {
  std::vector<BioSpec> v;
  for (std::uint64_t at = 0; at < area;) {
    const std::uint64_t want = sizes[rng() % sizes.size()];
    const auto n = static_cast<std::uint32_t>(std::min(want, area - at));
    v.push_back({dir, at, n});
    at += n;
  }
  return v;
}

}  // namespace

std::vector<Phase> make_phases(const Workload& w, std::uint64_t area_sectors,
                               std::uint32_t sector_size) {
  if (area_sectors == 0) throw std::invalid_argument("the encrypted area is empty");
  if (w.queue_depth == 0) throw std::invalid_argument("queue depth must be at least 1");
  if (w.read_percent > 100)
    throw std::invalid_argument("read percent " + std::to_string(w.read_percent) +
                                " is above 100");
  if (w.bio_bytes.empty()) throw std::invalid_argument("no bio size given");
  std::vector<std::uint32_t> sizes;  // in sectors
  for (std::uint32_t b : w.bio_bytes) {
    if (b == 0 || b % sector_size != 0)
      throw std::invalid_argument("bio size " + std::to_string(b) +
                                  " bytes is not a positive multiple of the sector size " +
                                  std::to_string(sector_size));
    if (b / sector_size > area_sectors)
      throw std::invalid_argument("bio size " + std::to_string(b) +
                                  " bytes is larger than the encrypted area");
    sizes.push_back(b / sector_size);
  }
  std::mt19937_64 rng(w.seed * 0x2545f4914f6cdd1dull + 17);
  std::vector<Phase> phases;
  Phase fill{"write", cover(BioDir::Write, area_sectors, sizes, rng)};
  if (w.pattern == Pattern::Random) std::shuffle(fill.bios.begin(), fill.bios.end(), rng);
  phases.push_back(std::move(fill));
  if (w.read_percent == 100) {
    Phase back{"read", cover(BioDir::Read, area_sectors, sizes, rng)};
    if (w.pattern == Pattern::Random) std::shuffle(back.bios.begin(), back.bios.end(), rng);
    phases.push_back(std::move(back));
    return phases;
  }
  const std::uint64_t total =
      (w.mixed_bytes == 0 ? area_sectors * sector_size : w.mixed_bytes) / sector_size;
  Phase mixed{"mixed", {}};
  std::uint64_t cursor = 0;
  for (std::uint64_t done = 0; done < total;) {
    const BioDir dir = rng() % 100 < w.read_percent ? BioDir::Read : BioDir::Write;
    const auto n = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(sizes[rng() % sizes.size()], total - done));  // last: shortened
    std::uint64_t at;
    if (w.pattern == Pattern::Random) {
      at = rng() % (area_sectors - n + 1);
    } else {
      if (cursor + n > area_sectors) cursor = 0;
      at = cursor;
      cursor += n;
    }
    mixed.bios.push_back({dir, at, n});
    done += n;
  }
  phases.push_back(std::move(mixed));
  return phases;
}

void fill_plaintext(std::uint64_t seed, std::uint64_t index, std::uint32_t version,
                    std::uint8_t* out, std::size_t len) {
  std::uint64_t x = seed ^ (index * 0x9e3779b97f4a7c15ull) ^ (std::uint64_t{version} << 48);
  splitmix(x);
  for (std::size_t i = 0; i < len; i += 8) {
    const std::uint64_t v = splitmix(x);
    for (std::size_t b = 0; b < 8 && i + b < len; ++b)
      out[i + b] = static_cast<std::uint8_t>(v >> (8 * b));
  }
}

}  // namespace aesvp::testbench
