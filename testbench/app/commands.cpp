#include "testbench/app/commands.h"

namespace aesvp {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"run", "the main job: a dm-crypt workload through the simulated stack, every sector verified", run_command},
      {"hw", "the hardware path alone: bare-metal AES + sDMA requests, verified", hw_command},
      {"speed", "openssl-speed-like sweep of request sizes through the driver stack", speed_command},
      {"crypt", "pass a plain dm-crypt image through the simulated hardware (cryptsetup plain-mode options)", crypt_command},
      {"bench", "the simulator's host cost: time per request, start-up, RSS, against OpenSSL", bench_command},
      {"sweep", "parameter grids and regression farms: run many points locally or on Slurm", sweep_command},
  };
  return list;
}

}  // namespace aesvp
