#include "testbench/app/cli.h"

#include "testbench/app/software_profile.h"

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
      ("help,h", "show this help")
      ("config", po::value<std::string>(), "read options from this file (config-file form)")
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

}  // namespace

CommandLine::CommandLine(std::string command, std::string summary,
                         po::options_description command_options)
    : command_(std::move(command)),
      summary_(std::move(summary)),
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
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("config")) {
      const std::string path = vm["config"].as<std::string>();
      std::ifstream in(path);
      if (!in) throw UsageError("cannot read config file '" + path + "'");
      // Stored after the command line: command-line values win.
      po::store(po::parse_config_file(in, all, false), vm);
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
    try {
      table.set(e.key, vm[e.key].as<std::string>());
    } catch (const std::invalid_argument& err) {
      throw UsageError(err.what());
    }
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

bool CommandLine::answered(const CommonOptions& common) const {
  if (common.help) print_help(std::cout);
  else if (common.print_config) print_config(std::cout, common);
  return common.help || common.print_config;
}

void CommandLine::print_help(std::ostream& os) const {
  os << "usage: aesvp " << command_ << " [options]\n\n" << summary_ << "\n\n";
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
  os << "seed = " << common.seed << "\n";
  os << "\n# options of aesvp " << command_ << "\n";
  for (const auto& opt : command_options_.options()) {
    const std::string& name = opt->long_name();
    auto it = parsed_.find(name);
    if (it == parsed_.end()) continue;
    std::string text;
    if (option_text(it->second.value(), text)) os << name << " = " << text << "\n";
    else os << "# " << name << ": a flag, given on the command line\n";
  }
  os << "\n";
  table.print(os);
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
