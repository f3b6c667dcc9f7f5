// Command-line and config-file handling shared by the aesvp subcommands: every platform
// parameter is an option (--group.name=value, or "name = value" under [group] in a config
// file), plus the common options (--config, --print-config, --profile, --seed, --help).
#pragma once

#include "driver/kernel/kernel_params.h"
#include "driver/omap_aes/driver_params.h"
#include "models/platform/platform_params.h"
#include "testbench/app/cryptodev.h"
#include "testbench/app/param_table.h"
#include "testbench/app/values.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace aesvp {

struct CommonOptions {
  PlatformParams params;          // the hardware (models/)
  kernel::KernelParams kernel;    // software costs of the kernel services (driver/kernel)
  driver::DriverParams driver;    // the omap-aes driver's options and costs (driver/omap_aes)
  testbench::CryptodevParams cryptodev;  // the cryptodev-like user path of aesvp speed
  std::uint64_t seed = 1;
  // driver.merge came from the command line or a config file (--bulk engine then keeps it,
  // "off" included; otherwise --bulk engine means opportunistic).
  bool merge_given = false;
  bool print_config = false;
  bool help = false;
};

// --bulk (aesvp bulk mode, docs/bulk-mode.md), on run and crypt:
//   off     sector mode, as Linux;
//   engine  the AES bulk extension (BEYOND TI SILICON) + the engine merge policy driver.merge
//           (opportunistic unless set): the engine merges queued per-sector requests;
//   submit  the extension + dm-crypt sends one request per run of consecutive sectors (at most
//           driver.merge_max_bytes), per sector where the spec or driver cannot.
enum class BulkMode { Off, Engine, Submit };
void add_bulk_option(boost::program_options::options_description& own, std::string& value);
// Applies --bulk to the parameters (before --print-config answers). Throws UsageError.
BulkMode apply_bulk_mode(const std::string& value, CommonOptions& common);
const char* to_string(BulkMode m);

class CommandLine {
 public:
  // `command_options` are the subcommand's own options (added to --help); `synopsis` follows
  // "usage: aesvp COMMAND" in --help.
  CommandLine(std::string command, std::string summary,
              boost::program_options::options_description command_options,
              std::string synopsis = "[options]");

  // Parses argv (after the subcommand name). Throws UsageError.
  boost::program_options::variables_map parse(const std::vector<std::string>& args,
                                              CommonOptions& common);

  // Parameter groups (e.g. "driver") the command does not use: given on its command line they
  // are refused with `why`; in a config file they are accepted and have no effect.
  void unused_groups(std::vector<std::string> groups, std::string why);

  // An older option kept as an alias of a byte-size option (docs/units.md): `--alias N`
  // (N in `unit`s, "K" or "M"; a comma-separated list when `list`) means `--canonical NK`.
  // N is checked against min..max here, so a refusal names the option the user typed; both
  // from one source (the command line, or one config file) are refused. --print-config and
  // --stats show the canonical option only.
  void size_alias(std::string alias, std::string canonical, const char* unit, std::uint64_t min,
                  std::uint64_t max, bool list = false);

  // Declares the files the parse read (--config) as inputs of the command's outputs.
  void declare_inputs(class OutputFiles& outputs) const;

  void print_help(std::ostream& os) const;
  // --help or --print-config: prints the answer on stdout and returns true (the command then
  // exits 0 without running anything).
  bool answered(const CommonOptions& common) const;
  // The effective configuration in config-file form (read back by --config).
  void print_config(std::ostream& os, const CommonOptions& common) const;
  // The same as JSON, for statistics files: {"profile", "parameters": {"group.name": value,
  // every model parameter}, "options": {"name": value, the command's own options as parsed,
  // flags as true}}.
  nlohmann::json configuration_json(const CommonOptions& common) const;
  const std::string& command() const { return command_; }

 private:
  std::string command_, summary_, synopsis_;
  boost::program_options::options_description command_options_;
  boost::program_options::variables_map parsed_;  // the last parse, for print_config
  std::vector<std::string> unused_groups_;
  std::string unused_why_;
  struct SizeAlias {
    std::string alias, canonical, unit;
    std::uint64_t min, max;
    bool list;
  };
  std::vector<SizeAlias> aliases_;

  boost::program_options::parsed_options& resolve_aliases(
      boost::program_options::parsed_options& parsed) const;

  void refuse_unused(const boost::program_options::parsed_options& command_line) const;
};

}  // namespace aesvp
