#include "testbench/dmcrypt_sim/job.h"

#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"

#include <algorithm>
#include <stdexcept>

namespace aesvp::testbench {

namespace {

std::uint64_t area_of(const Disk& disk, const dmcrypt::SectorMapping& m) {
  m.validate();
  if (disk.size() % m.sector_size != 0)
    throw dmcrypt::MappingError("the disk size " + std::to_string(disk.size()) +
                                " is not a whole number of " + std::to_string(m.sector_size) +
                                "-byte sectors");
  return disk.size() / m.sector_size;
}

}  // namespace

DmCryptJob::DmCryptJob(Stack& stack, const dmcrypt::VolumeKey& key,
                       const dmcrypt::SectorMapping& mapping, Disk& disk,
                       const Workload& workload, DmCryptCosts costs)
    : stack_(stack),
      key_(key),
      mapping_(mapping),
      disk_(disk),
      workload_(workload),
      costs_(costs),
      area_sectors_(area_of(disk, mapping)),
      plan_(make_phases(workload, area_sectors_, mapping.sector_size)),
      scoreboard_(dmcrypt::Reference(key, mapping)),
      version_(area_sectors_, 0) {}

DmCryptJob::~DmCryptJob() = default;

void DmCryptJob::run() {
  kernel::Kernel& k = stack_.kernel();
  cipher_ = std::make_unique<SectorCipher>(stack_.driver(), key_, mapping_);
  dm_ = std::make_unique<DmCrypt>(k, *cipher_, disk_, costs_,
                                  key_.spec().iv == dmcrypt::IvMode::essiv);
  const std::uint32_t max_bio =
      *std::max_element(workload_.bio_bytes.begin(), workload_.bio_bytes.end());
  const unsigned q = workload_.queue_depth;
  pages_.assign(q, 0);
  for (auto& p : pages_) {
    p = k.kmalloc(max_bio);  // the bio's pages (user / page cache memory)
    if (p == 0) throw std::runtime_error("out of simulated DRAM for the bio buffers");
  }
  in_flight_.assign(q, Range{});
  start_ = k.now();
  const unsigned cores = stack_.platform().cpu.cores();
  for (std::size_t ph = 0; ph < plan_.size(); ++ph) {
    const Phase& phase = plan_[ph];
    results_.push_back(PhaseResult{phase.name, 0, 0, 0, k.now(), k.now()});
    PhaseResult& result = results_.back();
    next_ = 0;
    kernel::Completion all_done(k);
    running_ = q;
    for (unsigned w = 0; w < q; ++w) {
      k.spawn_thread("kcryptd/" + phase.name + "/" + std::to_string(w), ContextClass::Thread,
                     (first_core + w) % cores, [this, w, &phase, &result, &all_done] {
                       worker(w, phase, result);
                       if (--running_ == 0) all_done.complete();
                     });
    }
    all_done.wait_for_completion();
    result.end = k.now();
    if (between_phases && ph + 1 < plan_.size()) between_phases(result);
  }
  end_ = k.now();
  for (auto p : pages_) k.kfree(p);
  pages_.clear();
}

void DmCryptJob::worker(unsigned w, const Phase& phase, PhaseResult& result) {
  kernel::Kernel& k = stack_.kernel();
  const std::uint32_t ss = mapping_.sector_size;
  std::vector<std::uint8_t> plain;
  while (next_ < phase.bios.size()) {
    const BioSpec& spec = phase.bios[next_++];
    const std::uint64_t first = spec.index, end = spec.index + spec.sectors;
    // Never two bios on the same sectors at once: the scoreboard knows what a read must see.
    k.wait_event(
        [&] {
          for (const Range& r : in_flight_)
            if (r.first < end && first < r.end) return false;
          return true;
        },
        bio_done_);
    in_flight_[w] = Range{first, end};

    Bio bio;
    bio.dir = spec.dir;
    bio.sector = mapping_.position512(spec.index);
    bio.bytes = spec.sectors * ss;
    bio.page = pages_[w];
    bio.id = next_bio_id_++;
    plain.resize(bio.bytes);
    for (std::uint32_t s = 0; s < spec.sectors; ++s) {
      std::uint32_t& v = version_[first + s];
      if (spec.dir == BioDir::Write) ++v;
      fill_plaintext(workload_.seed, first + s, v, plain.data() + std::size_t{s} * ss, ss);
    }
    // The bio's data is the user's: placed by the testbench in zero time.
    if (spec.dir == BioDir::Write) kernel::place_bytes(k, bio.page, plain);

    const engine::Errc rc = dm_->run_bio(bio);
    if (rc != engine::Errc::Ok) {
      ++bio_errors_;
      scoreboard_.failed(spec.sectors);
      // A failed write bio leaves the disk as it was (the dm-crypt model writes a bio only
      // when all its requests succeeded): later reads must see the previous version.
      if (spec.dir == BioDir::Write)
        for (std::uint32_t s = 0; s < spec.sectors; ++s) --version_[first + s];
    } else if (spec.dir == BioDir::Write) {
      scoreboard_.check_write(first, plain, disk_.read(bio.sector * dmcrypt::kSectorBytes, bio.bytes));
    } else {
      check_read(first, spec.sectors, plain, kernel::fetch_bytes(k, bio.page, bio.bytes));
    }
    if (spec.dir == BioDir::Write) result.bytes_written += bio.bytes;
    else result.bytes_read += bio.bytes;
    ++result.bios;
    in_flight_[w] = Range{};
    k.notify_at_current(bio_done_);
  }
}

void DmCryptJob::check_read(std::uint64_t first, std::uint32_t sectors,
                            const std::vector<std::uint8_t>& expected,
                            const std::vector<std::uint8_t>& actual) {
  // A sector never written successfully (its write bios failed) holds whatever the disk had:
  // nothing to compare it with. The written ones are checked in runs.
  const std::size_t ss = mapping_.sector_size;
  std::uint32_t s = 0;
  while (s < sectors) {
    if (version_[first + s] == 0) {
      scoreboard_.unwritten(1);
      ++s;
      continue;
    }
    std::uint32_t e = s;
    while (e < sectors && version_[first + e] != 0) ++e;
    if (s == 0 && e == sectors) {
      scoreboard_.check_read(first, expected, actual);
    } else {
      const auto from = static_cast<std::ptrdiff_t>(s * ss), to = static_cast<std::ptrdiff_t>(e * ss);
      scoreboard_.check_read(first + s, {expected.begin() + from, expected.begin() + to},
                             {actual.begin() + from, actual.begin() + to});
    }
    s = e;
  }
}

}  // namespace aesvp::testbench
