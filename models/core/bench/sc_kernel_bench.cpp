// Host cost of the SystemC kernel's own activations on this machine, with no model work:
// the floor under any simulated request, whatever the models do (docs/performance.md,
// "The kernel floor"). Each kind runs N activations in one simulation, one after the other:
//
//   thread wait(t)        a thread waking itself after a delay (a DMA unit, a fast-mode sync)
//   thread wait(t, e)     the same, also sensitive to an event (a preemptible CPU charge)
//   thread ping-pong      two threads waking each other by timed notification (a hand-off
//                         between two software contexts), per activation
//   method, timed notify  a method re-notifying itself (a device's wake-up)
//
//   sc_kernel_bench [N]   (default 1000000)
#include <systemc>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using Clock = std::chrono::steady_clock;

class KernelBench : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(KernelBench);
  KernelBench(sc_core::sc_module_name name, long n) : sc_core::sc_module(name), n_(n) {
    SC_THREAD(driver);
    SC_THREAD(partner);
    SC_METHOD(method);
    sensitive << method_ev_;
    dont_initialize();
  }

 private:
  void report(const char* what, Clock::time_point start, long activations) const {
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    std::printf("  %-22s %8.1f ns per activation (%ld activations)\n", what, ns / activations,
                activations);
    std::fflush(stdout);
  }

  void driver() {
    const sc_time step(10, SC_NS);
    auto start = Clock::now();
    for (long i = 0; i < n_; ++i) wait(step);
    report("thread wait(t)", start, n_);

    start = Clock::now();
    for (long i = 0; i < n_; ++i) wait(step, never_);
    report("thread wait(t, e)", start, n_);

    start = Clock::now();
    for (long i = 0; i < n_; ++i) {
      to_partner_.notify(step);
      wait(to_driver_);
    }
    report("thread ping-pong", start, 2 * n_);

    start = Clock::now();
    method_left_ = n_;
    method_ev_.notify(step);
    wait(method_done_);
    report("method, timed notify", start, n_);
  }

  void partner() {
    const sc_time step(10, SC_NS);
    for (;;) {
      wait(to_partner_);
      to_driver_.notify(step);
    }
  }

  void method() {
    if (--method_left_ > 0) method_ev_.notify(sc_time(10, SC_NS));
    else method_done_.notify();
  }

  long n_;
  long method_left_ = 0;
  sc_core::sc_event never_, to_partner_, to_driver_, method_ev_, method_done_;
};

}  // namespace

int sc_main(int argc, char* argv[]) {
  const long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  if (n <= 0) {
    std::fprintf(stderr, "sc_kernel_bench: error: N must be a positive number\n");
    return 2;
  }
  KernelBench bench("bench", n);  // prints the library's banner first
  std::printf("SystemC %s kernel, host time per activation (no model work):\n",
              sc_core::sc_release());
  std::fflush(stdout);
  sc_core::sc_start();
  return 0;
}
