#include "testbench/app/commands.h"

namespace aesvp {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"run", "the main job: DMA-driven AES through the simulated platform, verified", run_command},
  };
  return list;
}

}  // namespace aesvp
