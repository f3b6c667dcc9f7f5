#include "testbench/app/stats_output.h"
#include "driver/kernel/omap_dma.h"

#include "traces/core/stats.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace po = boost::program_options;

namespace aesvp {

const char* tool_version() { return AESVP_VERSION; }

namespace {

nlohmann::json host_facts(bool normalise) {
  if (normalise) return {{"name", nullptr}, {"os", nullptr}, {"machine", nullptr}, {"cpus", nullptr}};
  struct utsname u {};
  ::uname(&u);
  return {{"name", u.nodename},
          {"os", std::string(u.sysname) + " " + u.release},
          {"machine", u.machine},
          {"cpus", std::thread::hardware_concurrency()}};
}

// Sets `key` in `j` unless the command's figures already have it.
void set_default(nlohmann::json& j, const char* key, nlohmann::json value) {
  if (!j.contains(key)) j[key] = std::move(value);
}

}  // namespace

void StatsOutput::add_options(po::options_description& d) {
  d.add_options()
      ("stats", po::value<std::string>(&file_),
       "write the statistics JSON to FILE (docs/traces.md: configuration, figures)")
      ("stats-normalise", po::bool_switch(&normalise_),
       "write host time and host facts as null in the statistics (byte-reproducible)");
}

void StatsOutput::add_alias(po::options_description& d, const char* name, const char* help) {
  alias_name_ = name;
  d.add_options()(name, po::value<std::string>(&alias_), help);
}

void StatsOutput::check(OutputFiles& outputs) {
  if (!file_.empty() && !alias_.empty() && file_ != alias_)
    throw UsageError("--stats and --" + alias_name_ + " name the same output: give one");
  if (file_.empty()) file_ = alias_;
  if (!file_.empty()) temporary_ = outputs.add(alias_.empty() ? "--stats" : "--" + alias_name_, file_);
}

void StatsOutput::write(OutputFiles& outputs, nlohmann::json j, const CommandLine& cli,
                        const std::vector<std::string>& args, const CommonOptions& common) const {
  if (file_.empty()) return;
  set_default(j, "schema", "aesvp.run-statistics");
  set_default(j, "schema_version", traces::RunStatistics::kSchemaVersion);
  j["tool"] = {{"name", "aesvp"}, {"version", tool_version()}};
  // Normalised, the file's own name is "<stats>": two runs differing only in it give the
  // same bytes.
  nlohmann::json line = nlohmann::json::array({"aesvp", cli.command()});
  for (const std::string& a : args) {
    const std::size_t eq = a.find('=');
    if (normalise_ && a == file_) line.push_back("<stats>");
    else if (normalise_ && eq != std::string::npos && a.compare(eq + 1, std::string::npos, file_) == 0)
      line.push_back(a.substr(0, eq + 1) + "<stats>");
    else line.push_back(a);
  }
  j["command_line"] = std::move(line);
  j["run"]["command"] = cli.command();
  j["run"]["seed"] = common.seed;
  j["run"]["timing_mode"] = common.params.soc.timing_mode;
  j["run"]["profile"] = common.params.soc.profile;
  // The command's own summary of its job (e.g. run's cipher, sizes) stays; the complete
  // configuration is added beside it.
  nlohmann::json& config = j["configuration"];
  if (!config.is_object()) config = nlohmann::json::object();
  const nlohmann::json effective = cli.configuration_json(common);
  for (auto it = effective.begin(); it != effective.end(); ++it) config[it.key()] = it.value();
  // The statistics file is the output, not part of the configuration.
  for (const std::string& own : {std::string("stats"), alias_name_})
    if (!own.empty()) config["options"].erase(own);
  j["host"] = host_facts(normalise_);

  outputs.write(temporary_, [&](std::ostream& os) { os << j.dump(2) << "\n"; });
}

void add_cpu_busy(traces::RunStatistics& rs, const CpuLoad& from, const CpuLoad& to) {
  const auto cores = static_cast<unsigned>(std::min(from.busy.size(), to.busy.size()));
  rs.cpu_cores(cores);
  for (unsigned c = 0; c < cores; ++c)
    for (unsigned k = 0; k < kContextClasses; ++k)
      rs.cpu_busy(c, to_string(static_cast<ContextClass>(k)),
                  static_cast<traces::Time>((to.busy[c][k] - from.busy[c][k]).value()));
}

void add_hardware_busy(traces::RunStatistics& rs, Platform& platform) {
  sc_core::sc_time aes_busy;
  for (const auto& a : platform.aes) aes_busy += a->core_busy_time();
  rs.hardware_busy("aes", static_cast<traces::Time>(aes_busy.value()))
      .hardware_busy("sdma_port", static_cast<traces::Time>(platform.sdma.port_busy_time().value()));
  if (platform.edma3)  // the TPTCs' busy time, summed (the sDMA port is idle on these SoCs)
    rs.hardware_busy("edma3_tcs", static_cast<traces::Time>(platform.dma_busy_time().value()));
}

}  // namespace aesvp

namespace aesvp {

namespace {

// Original requests that went out in `ms.dispatches` dispatches.
std::uint64_t requests_dispatched(const engine::MergeStats& ms) {
  return ms.dispatches - ms.merges + ms.merged_requests;
}

// The sDMA provider's multi-entry transfers (null on an EDMA3 SoC).
const kernel::OmapDma* omap_dma(driver::OmapAesDriver& driver) {
  return dynamic_cast<const kernel::OmapDma*>(&driver.dma());
}

// How the multi-unit requests reached the DMA, summed over the AES instances.
driver::OmapAesDevStats multi_unit_mapping(driver::OmapAesDriver& driver) {
  driver::OmapAesDevStats t;
  for (std::size_t d = 0; d < driver.device_count(); ++d) {
    const driver::OmapAesDevStats& s = driver.device(d).stats();
    t.multi_unit += s.multi_unit;
    t.multi_unit_mapped += s.multi_unit_mapped;
    t.multi_unit_in_place += s.multi_unit_in_place;
    t.multi_unit_unaligned += s.multi_unit_unaligned;
    t.multi_unit_entries += s.multi_unit_entries;
  }
  return t;
}

void print_bulk_dma_summary(driver::OmapAesDriver& driver) {
  const driver::OmapAesDevStats t = multi_unit_mapping(driver);
  if (t.multi_unit == 0) return;
  std::printf("  bulk DMA            %llu multi-unit requests: %llu mapped as scatterlists, %llu in "
              "place (input copied), %llu unaligned (bounced); %.1f entries per request",
              static_cast<unsigned long long>(t.multi_unit),
              static_cast<unsigned long long>(t.multi_unit_mapped),
              static_cast<unsigned long long>(t.multi_unit_in_place),
              static_cast<unsigned long long>(t.multi_unit_unaligned),
              static_cast<double>(t.multi_unit_entries) / static_cast<double>(t.multi_unit));
  if (const kernel::OmapDma* od = omap_dma(driver))
    std::printf("; sDMA %s: %llu transfers as descriptor lists, %llu entry by entry",
                od->linked_lists() ? "descriptor lists" : "no descriptor lists",
                static_cast<unsigned long long>(od->list_transfers()),
                static_cast<unsigned long long>(od->entry_transfers()));
  std::printf("\n");
}

nlohmann::json bulk_dma_statistics(driver::OmapAesDriver& driver) {
  const driver::OmapAesDevStats t = multi_unit_mapping(driver);
  nlohmann::json j = {{"multi_unit_requests", t.multi_unit},
                      {"mapped", t.multi_unit_mapped},
                      {"in_place", t.multi_unit_in_place},
                      {"unaligned", t.multi_unit_unaligned},
                      {"sg_entries", t.multi_unit_entries}};
  if (const kernel::OmapDma* od = omap_dma(driver)) {
    j["sdma_descriptor_lists"] = od->linked_lists();
    j["sdma_list_transfers"] = od->list_transfers();
    j["sdma_entry_transfers"] = od->entry_transfers();
  }
  return j;
}

}  // namespace

void print_merge_summary(driver::OmapAesDriver& driver) {
  print_bulk_dma_summary(driver);
  for (std::size_t d = 0; d < driver.device_count(); ++d) {
    const engine::MergePolicy* mp = driver.device(d).merge_policy();
    if (mp == nullptr) continue;
    const engine::MergeStats ms = mp->stats();
    std::string refused;
    for (std::size_t r = 0; r < engine::kMergeRefusalCount; ++r)
      if (ms.refused[r] != 0)
        refused += " " + std::string(engine::to_string(static_cast<engine::MergeRefusal>(r))) + "=" +
                   std::to_string(ms.refused[r]);
    const std::uint64_t reqs = requests_dispatched(ms);
    std::printf("  engine merging      aes%zu %s: %llu dispatches for %llu requests (%.2f per dispatch), "
                "%llu composites; refused:%s\n",
                d + 1, std::string(engine::to_string(mp->config().mode)).c_str(),
                static_cast<unsigned long long>(ms.dispatches), static_cast<unsigned long long>(reqs),
                ms.dispatches ? static_cast<double>(reqs) / static_cast<double>(ms.dispatches) : 0.0,
                static_cast<unsigned long long>(ms.merges), refused.empty() ? " none" : refused.c_str());
    if (mp->config().mode == engine::MergeMode::Gather)
      std::printf("  engine gathering    aes%zu: %llu requests taken past others, %llu scans stopped at "
                  "the backlog, %llu left for their submitter's order\n",
                  d + 1, static_cast<unsigned long long>(ms.gathered),
                  static_cast<unsigned long long>(ms.backlog_stops),
                  static_cast<unsigned long long>(ms.order_skips));
  }
}

void add_merge_statistics(nlohmann::json& figures, driver::OmapAesDriver& driver) {
  nlohmann::json merging = nlohmann::json::object();
  for (std::size_t d = 0; d < driver.device_count(); ++d) {
    const engine::MergePolicy* mp = driver.device(d).merge_policy();
    if (mp == nullptr) continue;
    const engine::MergeStats ms = mp->stats();
    nlohmann::json per = nlohmann::json::object();
    for (std::size_t n = 1; n < ms.per_dispatch.size(); ++n)
      if (ms.per_dispatch[n] != 0) per[std::to_string(n)] = ms.per_dispatch[n];
    nlohmann::json refused = nlohmann::json::object();
    for (std::size_t r = 0; r < engine::kMergeRefusalCount; ++r)
      refused[std::string(engine::to_string(static_cast<engine::MergeRefusal>(r)))] = ms.refused[r];
    merging["aes" + std::to_string(d + 1)] = {
        {"policy", std::string(engine::to_string(mp->config().mode))},
        {"dispatches", ms.dispatches},
        {"requests", requests_dispatched(ms)},
        {"composites", ms.merges},
        {"merged_requests", ms.merged_requests},
        {"failed_composites", ms.failed_composites},
        {"failed_members", ms.failed_members},
        {"undone", ms.undone},
        {"holds", ms.holds},
        {"capped", ms.capped},
        {"gathered", ms.gathered},
        {"backlog_stops", ms.backlog_stops},
        {"order_skips", ms.order_skips},
        {"per_dispatch", std::move(per)},
        {"refused", std::move(refused)}};
  }
  if (!merging.empty()) figures["merging"] = std::move(merging);
  figures["bulk_dma"] = bulk_dma_statistics(driver);
}

}  // namespace aesvp
