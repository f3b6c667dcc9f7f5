#include "testbench/app/commands.h"

namespace aesvp {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"hw", "the hardware path alone: bare-metal AES + sDMA requests, verified", hw_command},
  };
  return list;
}

}  // namespace aesvp
