// aesvp: the program. `aesvp <command> [options]`; each command has --help.
#include "testbench/app/cli.h"
#include "testbench/app/commands.h"
#include "testbench/app/stats_output.h"

#include <openssl/crypto.h>
#include <systemc>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Silence SystemC's banner before the kernel prints it.
const bool kQuietBanner = [] {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return true;
}();

// libcrypto serves the AES model, the driver's fallback and the references from its built-in
// default provider, whatever the machine's openssl.cnf says (Debian's activates nothing more):
// the simulator's bytes must not depend on a host configuration, and reading that file is
// 1.7 M instructions of every start. Its exit-time cleanup only frees memory the process is
// about to give back (1 M instructions). The legacy cipher name table (EVP_get_cipherbyname,
// unused here: ciphers come from EVP_aes_*() or EVP_CIPHER_fetch) would be copied into the
// provider name map at the first fetch; the digest one stays, for EVP_get_digestbyname of
// passphrase hashes. docs/performance.md, "Start-up".
void init_openssl() {
  OPENSSL_init_crypto(
      OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_NO_ADD_ALL_CIPHERS,
      nullptr);
}

// The one error line: "aesvp <command>: error: <what>" (newlines folded: one line, always).
int report_error(const std::string& command, std::string what, int status) {
  for (char& c : what)
    if (c == '\n' || c == '\r') c = ' ';
  while (!what.empty() && what.back() == ' ') what.pop_back();
  std::cerr << "aesvp " << command << ": error: " << what << "\n";
  return status;
}

void print_usage(std::ostream& os) {
  os << "usage: aesvp <command> [options]\n\n"
        "A virtual platform of a TI OMAP AES accelerator with its system DMA, interrupts and\n"
        "a Linux-like crypto driver stack.\n\n"
        "commands:\n";
  for (const aesvp::Command& c : aesvp::commands()) {
    os << "  " << c.name << std::string(10 - std::min<std::size_t>(9, c.name.size()), ' ')
       << c.summary << "\n";
  }
  os << "\n`aesvp <command> --help` describes a command's options; `aesvp --version` (-V)\n"
        "prints the version.\n";
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  (void)kQuietBanner;
  init_openssl();
  // The program ends its simulations with sc_stop(); that is not news for the user.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  // SystemC errors (including an exception escaping a simulation thread, E549) are thrown to
  // sc_start()'s caller and reported below in the one error line, not displayed on stdout.
  sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_THROW);
  sc_core::sc_report_handler::set_actions(sc_core::SC_FATAL, sc_core::SC_THROW);
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--version" || name == "-V") {
    std::cout << "aesvp " << aesvp::tool_version() << "\n";
    return 0;
  }
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  for (const aesvp::Command& c : aesvp::commands()) {
    if (c.name != name) continue;
    try {
      return c.run(std::vector<std::string>(argv + 2, argv + argc));
    } catch (const aesvp::UsageError& e) {
      return report_error(name, e.what(), 2);
    } catch (const sc_core::sc_report& e) {
      return report_error(name, e.get_msg(), 1);  // the original message, without SystemC's frame
    } catch (const std::exception& e) {
      return report_error(name, e.what(), 1);
    }
  }
  std::cerr << "aesvp: error: unknown command '" << name << "' (try aesvp --help)\n";
  return 2;
}
