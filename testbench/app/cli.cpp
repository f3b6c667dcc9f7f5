#include "testbench/app/cli.h"

#include "models/platform/platform.h"
#include "testbench/app/input_files.h"
#include "testbench/app/output_files.h"
#include "testbench/app/software_profile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace aesvp {
namespace {

// Every parameter group of the hardware and of the software stack, in one table.
ParamTable table_of(CommonOptions& c) {
  ParamTable t;
  c.params.for_each_group([&](auto& group) { t.add_group(group); });
  t.add_group(c.kernel);
  t.add_group(c.driver);
  t.add_group(c.cryptodev);
  return t;
}

po::options_description common_description() {
  po::options_description d("Common options");
  d.add_options()
      ("help", "show this help")
      ("config", po::value<std::vector<std::string>>()->composing(),
       "read options from this file (config-file form); may be repeated: later files win over "
       "earlier ones, the command line over every file")
      ("print-config", "print the effective configuration in config-file form and exit")
      ("profile", po::value<std::string>(),
       "SoC profile: omap4 (default, uncalibrated), am335x, am57x (docs/calibration.md)")
      ("seed", po::value<std::string>(), "seed of every random choice (default 1)");
  return d;
}

po::options_description parameter_description(const ParamTable& table) {
  po::options_description d("Model parameters (--group.name=value; see --print-config)");
  for (const ParamEntry& e : table.entries())
    d.add_options()(e.key.c_str(), po::value<std::string>(), e.info.help);
  return d;
}

// A config file is small text: refuse what is not a regular file, too large, or binary
// before Boost sees it (it would take a directory as an empty file).
constexpr std::size_t kMaxConfigBytes = 1u << 20;

std::string read_config_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw UsageError("--config: cannot read '" + path + "': " + std::strerror(errno));
  struct stat st{};
  const bool ok = ::fstat(fd, &st) == 0;
  if (!ok || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw UsageError("--config: '" + path + "' is not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxConfigBytes) {
    ::close(fd);
    throw UsageError("--config: '" + path + "' is larger than 1 MiB; a config file is text");
  }
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  const int e = read_fully(fd, reinterpret_cast<std::uint8_t*>(text.data()), text.size(), &got);
  ::close(fd);
  if (e != 0) throw std::runtime_error("--config: cannot read '" + path + "': " + std::strerror(e));
  text.resize(got);
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\r' && c != '\t')
      throw UsageError("--config: '" + path + "' is not a text file (control byte " +
                       std::to_string(u) + ")");
  }
  return text;
}

// Boost reads "-1" into an unsigned option as 4294967295: every value of an unsigned option
// must be plain decimal digits (or 0x hex), checked on the tokens before they are stored.
bool is_unsigned_option(const po::option_description& d) {
  const po::value_semantic* s = d.semantic().get();
  return dynamic_cast<const po::typed_value<unsigned>*>(s) != nullptr ||
         dynamic_cast<const po::typed_value<unsigned long>*>(s) != nullptr ||
         dynamic_cast<const po::typed_value<unsigned long long>*>(s) != nullptr ||
         dynamic_cast<const po::typed_value<unsigned short>*>(s) != nullptr;
}

const po::parsed_options& refuse_signed_unsigned(const po::parsed_options& parsed,
                                                 const po::options_description& all) {
  for (const auto& o : parsed.options) {
    const po::option_description* d = all.find_nothrow(o.string_key, false);
    if (d == nullptr || !is_unsigned_option(*d)) continue;
    for (const std::string& v : o.value) {
      bool digits = !v.empty();
      for (const char c : v) digits = digits && c >= '0' && c <= '9';
      if (!digits)
        throw UsageError("--" + o.string_key + ": '" + v + "' is not a non-negative integer");
    }
  }
  return parsed;
}

// The subcommands whose own options a config file may hold under a [COMMAND] section.
constexpr const char* kCommands[] = {"run", "crypt", "speed", "hw"};

// A config file's options for `command`: keys under [command] are its own options; keys under
// another command's section belong to that command and are skipped, so one file (e.g. written
// by --print-config of any command) works with every command; any other unknown key is refused.
po::parsed_options config_options(std::istream& in, const po::options_description& all,
                                  const std::string& command, const std::string& path) {
  po::parsed_options parsed = po::parse_config_file(in, all, true);
  for (po::option& o : parsed.options) {
    if (!o.unregistered) continue;
    const std::string& key = o.string_key;
    const std::size_t dot = key.find('.');
    const std::string section = dot == std::string::npos ? "" : key.substr(0, dot);
    const std::string rest = dot == std::string::npos ? key : key.substr(dot + 1);
    if (section == command && all.find_nothrow(rest, false) != nullptr) {
      o.string_key = rest;
      o.unregistered = false;
      continue;
    }
    bool other_command = false;
    for (const char* c : kCommands) other_command = other_command || section == c;
    if (!other_command || section == command)
      throw UsageError("--config '" + path + "': unrecognised option '" + key + "'");
  }
  return parsed;
}

}  // namespace

void CommandLine::size_alias(std::string alias, std::string canonical, const char* unit,
                             std::uint64_t min, std::uint64_t max, bool list) {
  const std::string help = "the same as --" + canonical + " with N" + (list ? "[,N...]" : "") +
                           " in " + unit + "iB (" + std::to_string(min) + ".." +
                           std::to_string(max) + "): --" + alias + " N is --" + canonical +
                           " N" + unit + " (docs/units.md)";
  command_options_.add_options()(alias.c_str(), po::value<std::string>(), help.c_str());
  aliases_.push_back({std::move(alias), std::move(canonical), unit, min, max, list});
}

// Rewrites every alias of one source (the command line or one config file) into its canonical
// option before Boost stores it, so the usual precedence applies to the canonical option.
po::parsed_options& CommandLine::resolve_aliases(po::parsed_options& parsed) const {
  for (const SizeAlias& a : aliases_) {
    bool alias_seen = false, canonical_seen = false;
    for (po::option& o : parsed.options) {
      if (o.string_key == a.canonical) canonical_seen = true;
      if (o.string_key != a.alias) continue;
      alias_seen = true;
      const std::string name = "--" + a.alias;
      for (std::string& value : o.value) {
        const std::vector<std::string> items =
            a.list ? split_list(name, value, "4,16,64") : std::vector<std::string>{value};
        std::string text;
        for (const std::string& item : items) {
          const std::uint64_t n = parse_count(name, item, a.max);
          if (n < a.min)
            throw UsageError(name + ": " + item + " is not in " + std::to_string(a.min) + ".." +
                             std::to_string(a.max));
          text += (text.empty() ? "" : ",") + std::to_string(n) + a.unit;
        }
        value = text;
      }
      o.string_key = a.canonical;
    }
    if (alias_seen && canonical_seen)
      throw UsageError("--" + a.alias + " and --" + a.canonical + " set the same size (--" +
                       a.alias + " N is --" + a.canonical + " N" + a.unit + "): give one");
  }
  return parsed;
}

void CommandLine::declare_inputs(OutputFiles& outputs) const {
  auto it = parsed_.find("config");
  if (it == parsed_.end()) return;
  for (const std::string& path : it->second.as<std::vector<std::string>>())
    outputs.input("--config", path);
}

void CommandLine::unused_groups(std::vector<std::string> groups, std::string why) {
  unused_groups_ = std::move(groups);
  unused_why_ = std::move(why);
}

// A parameter of a group the command does not use, given on its command line, would silently
// do nothing: refused. From a config file it is accepted (a platform file serves every command).
void CommandLine::refuse_unused(const po::parsed_options& command_line) const {
  for (const po::option& o : command_line.options) {
    const std::size_t dot = o.string_key.find('.');
    if (dot == std::string::npos) continue;
    const std::string group = o.string_key.substr(0, dot);
    for (const std::string& g : unused_groups_) {
      if (g == group)
        throw UsageError("--" + o.string_key + ": aesvp " + command_ + " does not use the [" +
                         group + "] parameters (" + unused_why_ + ")");
    }
  }
}

CommandLine::CommandLine(std::string command, std::string summary,
                         po::options_description command_options, std::string synopsis)
    : command_(std::move(command)),
      summary_(std::move(summary)),
      synopsis_(std::move(synopsis)),
      command_options_(std::move(command_options)) {}

po::variables_map CommandLine::parse(const std::vector<std::string>& args, CommonOptions& common) {
  ParamTable table = table_of(common);
  po::options_description all;
  all.add(common_description()).add(command_options_).add(parameter_description(table));
  po::positional_options_description positional;
  for (const auto& opt : command_options_.options()) {
    // Subcommands name their positional arguments "input" and "output".
    if (opt->long_name() == "input") positional.add("input", 1);
    if (opt->long_name() == "output") positional.add("output", 1);
  }

  po::variables_map vm;
  try {
    // No abbreviations: "--mixed" must not quietly mean "--mixed-size".
    const int style = po::command_line_style::default_style &
                      ~po::command_line_style::allow_guessing;
    po::parsed_options command_line =
        po::command_line_parser(args).options(all).positional(positional).style(style).run();
    refuse_unused(command_line);
    po::store(refuse_signed_unsigned(resolve_aliases(command_line), all), vm);
    if (vm.count("config")) {
      // Boost keeps the first value stored: the command line first, then the files from the
      // last to the first, so later files win over earlier ones.
      const auto paths = vm["config"].as<std::vector<std::string>>();
      for (auto path = paths.rbegin(); path != paths.rend(); ++path) {
        std::istringstream in(read_config_file(*path));
        try {
          po::parsed_options file = config_options(in, all, command_, *path);
          po::store(refuse_signed_unsigned(resolve_aliases(file), all), vm);
        } catch (const po::error& e) {
          throw UsageError("--config '" + *path + "': " + e.what());
        }
      }
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }

  // The profile decides the defaults, so it is applied before any parameter is set:
  // --profile, else soc.profile from a config file (as --print-config writes it).
  std::string profile = "omap4";
  if (vm.count("profile")) profile = vm["profile"].as<std::string>();
  else if (vm.count("soc.profile")) profile = vm["soc.profile"].as<std::string>();
  try {
    apply_profile(common.params, profile);
    apply_software_profile(profile, common.kernel, common.driver, common.cryptodev);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  for (const ParamEntry& e : table.entries()) {
    if (!vm.count(e.key) || e.key == "soc.profile") continue;
    if (e.key == "driver.merge") common.merge_given = true;
    try {
      table.set(e.key, vm[e.key].as<std::string>());
    } catch (const std::invalid_argument& err) {
      throw UsageError(err.what());
    }
  }
  // Structure beyond each parameter's range, still before anything is elaborated.
  try {
    Platform::check_params(common.params);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  for (const auto& [name, core] : {std::pair{"driver.engine_core", common.driver.engine_core},
                                   std::pair{"driver.irq_core", common.driver.irq_core}}) {
    if (core >= common.params.cpu.cores)
      throw UsageError(std::string(name) + ": " + std::to_string(core) + " is not below cpu.cores = " +
                       std::to_string(common.params.cpu.cores));
  }
  if (vm.count("seed")) {
    const std::string s = vm["seed"].as<std::string>();
    try {
      std::size_t used = 0;
      common.seed = std::stoull(s, &used, 0);
      if (used != s.size() || s[0] == '-') throw std::invalid_argument(s);
    } catch (const std::exception&) {
      throw UsageError("--seed: '" + s + "' is not a non-negative integer");
    }
  }
  common.help = vm.count("help") != 0;
  common.print_config = vm.count("print-config") != 0;
  parsed_ = vm;
  return vm;
}

void add_bulk_option(po::options_description& own, std::string& value) {
  own.add_options()("bulk", po::value<std::string>(&value)->default_value("off"),
                    "bulk mode (docs/bulk-mode.md): off; engine (the AES bulk extension, BEYOND TI "
                    "SILICON, and the engine merge policy driver.merge, opportunistic unless set); "
                    "submit (the extension, and dm-crypt sends one request per run of consecutive "
                    "sectors up to driver.merge_max_bytes, per sector where it cannot)");
}

BulkMode apply_bulk_mode(const std::string& value, CommonOptions& common) {
  if (value == "off") return BulkMode::Off;
  if (value != "engine" && value != "submit")
    throw UsageError("--bulk: '" + value + "' is not off, engine or submit");
  common.params.aes.bulk_extension = true;
  if (value == "submit") return BulkMode::Submit;
  if (!common.merge_given) common.driver.merge = "opportunistic";
  return BulkMode::Engine;
}

const char* to_string(BulkMode m) {
  switch (m) {
    case BulkMode::Off: return "off";
    case BulkMode::Engine: return "engine";
    case BulkMode::Submit: return "submit";
  }
  return "off";
}

bool CommandLine::answered(const CommonOptions& common) const {
  if (common.help) print_help(std::cout);
  else if (common.print_config) print_config(std::cout, common);
  return common.help || common.print_config;
}

void CommandLine::print_help(std::ostream& os) const {
  os << "usage: aesvp " << command_ << " " << synopsis_ << "\n\n" << summary_ << "\n\n";
  os << command_options_ << "\n" << common_description() << "\n";
  os << "Every model parameter is an option too: --group.name=value (list them with "
        "--print-config).\n";
}

namespace {

// The text of an option's value as a config file takes it; false for a value-less flag.
bool option_text(const boost::any& v, std::string& out) {
  if (const auto* s = boost::any_cast<std::string>(&v)) out = *s;
  else if (const auto* u = boost::any_cast<unsigned>(&v)) out = std::to_string(*u);
  else if (const auto* ul = boost::any_cast<unsigned long>(&v)) out = std::to_string(*ul);
  else if (const auto* ull = boost::any_cast<unsigned long long>(&v)) out = std::to_string(*ull);
  else if (const auto* i = boost::any_cast<int>(&v)) out = std::to_string(*i);
  else if (const auto* d = boost::any_cast<double>(&v)) out = ParamTable::value_text(ParamRef{const_cast<double*>(d)});
  else if (const auto* b = boost::any_cast<bool>(&v)) out = *b ? "true" : "false";
  else return false;
  return true;
}

}  // namespace

void CommandLine::print_config(std::ostream& os, const CommonOptions& common) const {
  CommonOptions copy = common;
  ParamTable table = table_of(copy);
  os << "# aesvp " << command_ << ": effective configuration (read back with --config FILE)\n";
  os << "# profile " << profile_description(common.params.soc.profile) << "\n";
  if (common.params.aes.bulk_extension)
    os << "# aes.bulk_extension = true: the AES derives per-data-unit IVs, a modelled extension\n"
          "# BEYOND TI SILICON (no TI AES has it; docs/bulk-mode.md)\n";
  os << "seed = " << common.seed << "\n\n";
  table.print(os);
  // The job last, in a section of its own: other commands skip it, so the platform part of
  // this file works with every command.
  os << "\n# options of aesvp " << command_ << " (other commands skip this section)\n";
  os << "[" << command_ << "]\n";
  for (const auto& opt : command_options_.options()) {
    const std::string& name = opt->long_name();
    auto it = parsed_.find(name);
    if (it == parsed_.end()) continue;
    std::string text;
    if (option_text(it->second.value(), text)) os << name << " = " << text << "\n";
    else os << "# " << name << ": a flag, given on the command line\n";
  }
}

nlohmann::json CommandLine::configuration_json(const CommonOptions& common) const {
  CommonOptions copy = common;
  nlohmann::json parameters = nlohmann::json::object();
  const ParamTable table = table_of(copy);
  for (const ParamEntry& e : table.entries())
    std::visit([&](auto* v) { parameters[e.key] = *v; }, e.ref);
  nlohmann::json options = nlohmann::json::object();
  for (const auto& opt : command_options_.options()) {
    const std::string& name = opt->long_name();
    auto it = parsed_.find(name);
    if (it == parsed_.end()) continue;
    std::string text;
    options[name] = option_text(it->second.value(), text) ? nlohmann::json(text) : nlohmann::json(true);
  }
  return {{"profile", common.params.soc.profile},
          {"parameters", std::move(parameters)},
          {"options", std::move(options)}};
}

}  // namespace aesvp
