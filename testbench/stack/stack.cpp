#include "testbench/stack/stack.h"

#include <stdexcept>

namespace aesvp::testbench {

Stack::Stack(const StackParams& params)
    : platform_(std::make_unique<Platform>("platform", params.platform)),
      kernel_(std::make_unique<kernel::Kernel>(platform_->cpu, platform_->device_tree(), params.kernel)),
      dma_(kernel::make_dma_engine(*kernel_)),
      driver_(std::make_unique<driver::OmapAesDriver>(*kernel_, *dma_, params.driver)) {}

Stack::~Stack() = default;

unsigned Stack::default_user_core() const { return platform_->cpu.cores() > 1 ? 1 : 0; }

void Stack::run(const std::function<void()>& main, unsigned core) {
  if (core == kDefaultCore) core = default_user_core();
  std::string error;
  bool returned = false;
  kernel_->spawn_thread("main", ContextClass::Thread, core, [&] {
    try {
      // No throw of our own on this coroutine stack (see image_crypt.h: AddressSanitizer).
      const int rc = driver_->probe();
      if (rc != 0) error = "omap-aes probe failed: errno " + std::to_string(rc);
      else main();
      // Let each engine's last pump run (busy -> idle), as a driver unload would, so that
      // nothing is left queued on the kthread workers when the simulation stops.
      for (std::size_t d = 0; d < driver_->device_count(); ++d) {
        engine::CryptoEngine& e = driver_->device(d).engine();
        for (int i = 0; i < 1000 && e.busy(); ++i) kernel_->sleep(sc_core::sc_time(1, sc_core::SC_US));
      }
      returned = true;
    } catch (const std::exception& e) {
      error = e.what();
      returned = true;
    }
    kernel_->current()->sync();
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  if (!error.empty()) throw std::runtime_error(error);
  if (!returned) throw std::runtime_error(kSimulationStalled);
}

}  // namespace aesvp::testbench
