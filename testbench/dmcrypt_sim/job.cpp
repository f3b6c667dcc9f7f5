#include "testbench/dmcrypt_sim/job.h"

#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

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

DmCryptJob::Volume::Volume(const dmcrypt::VolumeKey& k, const dmcrypt::SectorMapping& m,
                           Disk& d, Workload w)
    : key(k),
      mapping(m),
      disk(d),
      workload(std::move(w)),
      area_sectors(area_of(d, m)),
      plan(make_phases(workload, area_sectors, m.sector_size)),
      scoreboard(dmcrypt::Reference(k, m)),
      version(area_sectors, 0) {}

DmCryptJob::DmCryptJob(Stack& stack, const dmcrypt::VolumeKey& key,
                       const dmcrypt::SectorMapping& mapping, Disk& disk,
                       const Workload& workload, DmCryptCosts costs)
    : stack_(stack), costs_(costs) {
  volumes_.push_back(std::make_unique<Volume>(key, mapping, disk, workload));
}

DmCryptJob::~DmCryptJob() = default;

void DmCryptJob::add_volume(const dmcrypt::VolumeKey& key, const dmcrypt::SectorMapping& mapping,
                            Disk& disk) {
  if (volumes_.size() >= kMaxVolumes)
    throw std::invalid_argument("more than " + std::to_string(kMaxVolumes) + " volumes");
  Workload w = volumes_.front()->workload;
  w.seed += volumes_.size();
  volumes_.push_back(std::make_unique<Volume>(key, mapping, disk, std::move(w)));
}

// The volume's transforms (its own key), its dm-crypt target and its workers' bio buffers.
void DmCryptJob::start_volume(Volume& v, std::size_t index) {
  kernel::Kernel& k = stack_.kernel();
  v.cipher = std::make_unique<SectorCipher>(stack_.driver(), v.key, v.mapping);
  if (unit_request_bytes != 0) v.cipher->allow_unit_requests(unit_request_bytes);
  v.dm = std::make_unique<DmCrypt>(k, *v.cipher, v.disk, costs_,
                                   v.key.spec().iv == dmcrypt::IvMode::essiv);
  v.dm->set_next_request_id(index * kVolumeIdStride + 1);
  const std::uint32_t max_bio =
      *std::max_element(v.workload.bio_bytes.begin(), v.workload.bio_bytes.end());
  v.pages.assign(v.workload.queue_depth, 0);
  for (auto& p : v.pages) {
    p = k.kmalloc(max_bio);  // the bio's pages (user / page cache memory)
    if (p == 0) throw std::runtime_error("out of simulated DRAM for the bio buffers");
  }
  v.in_flight.assign(v.workload.queue_depth, Range{});
}

void DmCryptJob::run() {
  kernel::Kernel& k = stack_.kernel();
  for (std::size_t i = 0; i < volumes_.size(); ++i) start_volume(*volumes_[i], i);
  start_ = k.now();
  const unsigned cores = stack_.platform().cpu.cores();
  const std::vector<Phase>& plan = volumes_.front()->plan;  // the same phases on every volume
  for (std::size_t ph = 0; ph < plan.size(); ++ph) {
    results_.push_back(PhaseResult{plan[ph].name, 0, 0, 0, k.now(), k.now()});
    kernel::Completion all_done(k);
    unsigned thread = 0;
    running_ = 0;
    for (auto& vp : volumes_) running_ += vp->workload.queue_depth;
    for (auto& vp : volumes_) {
      Volume& v = *vp;
      v.next = 0;
      v.results.push_back(PhaseResult{plan[ph].name, 0, 0, 0, k.now(), k.now()});
      for (unsigned w = 0; w < v.workload.queue_depth; ++w, ++thread) {
        k.spawn_thread("kcryptd/" + plan[ph].name + "/" + std::to_string(thread),
                       ContextClass::Thread, (first_core + thread) % cores,
                       [this, &v, w, ph, &all_done] {
                         PhaseResult& mine = v.results[ph];
                         worker(v, w, v.plan[ph], mine);
                         mine.end = stack_.kernel().now();
                         if (--running_ == 0) all_done.complete();
                       });
      }
    }
    all_done.wait_for_completion();
    PhaseResult& result = results_.back();
    result.end = k.now();
    for (auto& vp : volumes_) {
      result.bytes_read += vp->results[ph].bytes_read;
      result.bytes_written += vp->results[ph].bytes_written;
      result.bios += vp->results[ph].bios;
    }
    if (between_phases && ph + 1 < plan.size()) between_phases(result);
  }
  end_ = k.now();
  for (auto& vp : volumes_) {
    for (auto p : vp->pages) k.kfree(p);
    vp->pages.clear();
  }
}

std::uint64_t DmCryptJob::bio_errors() const {
  std::uint64_t n = 0;
  for (const auto& v : volumes_) n += v->bio_errors;
  return n;
}

DmCryptStats DmCryptJob::total_stats() const {
  DmCryptStats t;
  for (const auto& vp : volumes_) t += vp->dm->stats();
  return t;
}

ScoreboardTotals DmCryptJob::total_scoreboard() const {
  ScoreboardTotals t;
  for (const auto& v : volumes_) t.add(v->scoreboard);
  return t;
}

void DmCryptJob::worker(Volume& v, unsigned w, const Phase& phase, PhaseResult& result) {
  kernel::Kernel& k = stack_.kernel();
  const std::uint32_t ss = v.mapping.sector_size;
  std::vector<std::uint8_t> plain;
  while (v.next < phase.bios.size()) {
    const BioSpec& spec = phase.bios[v.next++];
    const std::uint64_t first = spec.index, end = spec.index + spec.sectors;
    // Never two bios on the same sectors at once: the scoreboard knows what a read must see.
    k.wait_event(
        [&] {
          for (const Range& r : v.in_flight)
            if (r.first < end && first < r.end) return false;
          return true;
        },
        v.bio_done);
    v.in_flight[w] = Range{first, end};

    Bio bio;
    bio.dir = spec.dir;
    bio.sector = v.mapping.position512(spec.index);
    bio.bytes = spec.sectors * ss;
    bio.page = v.pages[w];
    bio.id = next_bio_id_++;
    plain.resize(bio.bytes);
    for (std::uint32_t s = 0; s < spec.sectors; ++s) {
      std::uint32_t& ver = v.version[first + s];
      if (spec.dir == BioDir::Write) ++ver;
      fill_plaintext(v.workload.seed, first + s, ver, plain.data() + std::size_t{s} * ss, ss);
    }
    // The bio's data is the user's: placed by the testbench in zero time.
    if (spec.dir == BioDir::Write) kernel::place_bytes(k, bio.page, plain);

    const engine::Errc rc = v.dm->run_bio(bio);
    if (rc != engine::Errc::Ok) {
      ++v.bio_errors;
      v.scoreboard.failed(spec.sectors);
      // A failed write bio leaves the disk as it was (the dm-crypt model writes a bio only
      // when all its requests succeeded): later reads must see the previous version.
      if (spec.dir == BioDir::Write)
        for (std::uint32_t s = 0; s < spec.sectors; ++s) --v.version[first + s];
    } else if (spec.dir == BioDir::Write) {
      v.scoreboard.check_write(first, plain,
                               v.disk.read(bio.sector * dmcrypt::kSectorBytes, bio.bytes));
    } else {
      check_read(v, first, spec.sectors, plain, kernel::fetch_bytes(k, bio.page, bio.bytes));
    }
    if (spec.dir == BioDir::Write) result.bytes_written += bio.bytes;
    else result.bytes_read += bio.bytes;
    ++result.bios;
    v.in_flight[w] = Range{};
    k.notify_at_current(v.bio_done);
  }
}

void DmCryptJob::check_read(Volume& v, std::uint64_t first, std::uint32_t sectors,
                            const std::vector<std::uint8_t>& expected,
                            const std::vector<std::uint8_t>& actual) {
  // A sector never written successfully (its write bios failed) holds whatever the disk had:
  // nothing to compare it with. The written ones are checked in runs.
  const std::size_t ss = v.mapping.sector_size;
  std::uint32_t s = 0;
  while (s < sectors) {
    if (v.version[first + s] == 0) {
      v.scoreboard.unwritten(1);
      ++s;
      continue;
    }
    std::uint32_t e = s;
    while (e < sectors && v.version[first + e] != 0) ++e;
    if (s == 0 && e == sectors) {
      v.scoreboard.check_read(first, expected, actual);
    } else {
      const auto from = static_cast<std::ptrdiff_t>(s * ss), to = static_cast<std::ptrdiff_t>(e * ss);
      v.scoreboard.check_read(first + s, {expected.begin() + from, expected.begin() + to},
                              {actual.begin() + from, actual.begin() + to});
    }
    s = e;
  }
}

}  // namespace aesvp::testbench
