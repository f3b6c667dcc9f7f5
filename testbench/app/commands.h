// The aesvp subcommands.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace aesvp {

struct Command {
  std::string name;
  std::string summary;
  std::function<int(const std::vector<std::string>& args)> run;  // exit status
};

const std::vector<Command>& commands();

// The subcommands, one per file (<name>_command.cpp).
int run_command(const std::vector<std::string>& args);
int hw_command(const std::vector<std::string>& args);
int speed_command(const std::vector<std::string>& args);
int crypt_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);

}  // namespace aesvp
