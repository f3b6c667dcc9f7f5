// Faults on demand (aesvp run --inject-*, docs/errors.md "Injected faults"): a plan says, per
// kind of fault, which requests get one - a rate (each request independently, from a seed) or
// a list of request ids - and the injector arms the fault in the hardware models when such a
// request reaches the omap-aes driver's fault sites (driver::FaultPoint), disarms it when
// the driver is done with the request, and counts what became of it.
//
//   dma-read-error       bus error on the memory the DMA reads (the request's input)
//   dma-write-error      bus error on the memory the DMA writes (the request's output)
//   dropped-completion   the output DMA's completion callback is lost (driver hook)
//   lost-irq             the next assertion of the completion interrupt (DMA, or the AES's
//                        own in PIO mode) is not seen by the interrupt controller (GIC or
//                        OMAP INTC, whichever the profile has)
//   spurious-irq         that interrupt is made pending with no cause (GICD_ISPENDR on the
//                        GIC, a glitch on the input of the OMAP INTC)
//   stuck-aes            the AES core hangs until it is reset
//   mmio-error           bus error on the AES's CTRL register while the driver programs it
//
// One fault per request at most (the first kind of this list that selects it). Selection is
// a function of (seed, kind, request id) only, so it does not depend on timing.
#pragma once

#include "driver/omap_aes/omap_aes.h"
#include "testbench/stack/stack.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aesvp::testbench {

enum class FaultKind {
  DmaReadError,
  DmaWriteError,
  DroppedCompletion,
  LostIrq,
  SpuriousIrq,
  StuckAes,
  MmioError
};
inline constexpr std::size_t kFaultKinds = 7;
const char* to_string(FaultKind k);  // "dma-read-error", ...
const char* describe(FaultKind k);   // one line for --help and docs
bool needs_dma(FaultKind k);         // acts on the DMA (none when the driver runs by PIO)

// Which requests get a fault of one kind: "rate:P" (0 <= P <= 1) or "ids:N,M,..." (request
// ids, 1-based as dm-crypt numbers them), or "off".
struct FaultSelector {
  double rate = 0.0;
  std::vector<std::uint64_t> ids;  // sorted, unique
  bool active() const { return rate > 0.0 || !ids.empty(); }
};
// Throws std::invalid_argument with one line naming what is wrong.
FaultSelector parse_fault_selector(const std::string& text);

struct FaultPlan {
  std::array<FaultSelector, kFaultKinds> kinds;
  std::uint64_t seed = 1;
  bool any() const;
  // The kind of fault request `id` gets, or false.
  bool select(std::uint64_t id, FaultKind& kind) const;
};

// What became of the faults of one kind. injected = failed + absorbed once every request
// has completed.
struct FaultOutcomes {
  std::uint64_t injected = 0;  // armed in a request
  std::uint64_t failed = 0;    // that request ended with an error (its bio fails)
  std::uint64_t absorbed = 0;  // that request succeeded: the stack rode the fault out
  // Requests of other AES instances that failed with it: a lost assertion of a completion
  // interrupt the instances share (the EDMA3 completion line on am57x) also hides theirs.
  std::uint64_t collateral = 0;
};

class FaultInjector {
 public:
  // Installs itself as the driver's fault hook (before the simulation starts).
  FaultInjector(Stack& stack, FaultPlan plan);
  ~FaultInjector();
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  const FaultPlan& plan() const { return plan_; }
  const FaultOutcomes& outcomes(FaultKind k) const { return out_[static_cast<std::size_t>(k)]; }
  FaultOutcomes total() const;
  // Requests the driver finished with an error although no fault was injected into them.
  std::uint64_t unfaulted_failures() const { return unfaulted_failures_; }
  // Faults armed in requests the driver has not finished (0 after a complete run).
  std::size_t outstanding() const { return armed_.size(); }

 private:
  struct Armed {
    FaultKind kind;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> bus_errors;  // (base, size)
  };
  void on_site(const driver::FaultSite& s);
  void note_started(const driver::OmapAesDev& dev);
  void arm(FaultKind kind, const driver::FaultSite& s, Armed& a);
  void clear_bus_errors(Armed& a);
  void add_bus_error(Armed& a, std::uint64_t base, std::uint64_t size);
  unsigned completion_irq(const driver::OmapAesDev& dev) const;

  Stack& stack_;
  FaultPlan plan_;
  std::array<FaultOutcomes, kFaultKinds> out_{};
  std::map<const driver::OmapAesDev*, Armed> armed_;  // the device's current request
  // Devices whose current request has started, and those of them whose request runs while a
  // lost interrupt hides completions on its (shared) line: the kind that exposes it.
  std::map<const driver::OmapAesDev*, unsigned> started_;  // completion interrupt
  std::map<const driver::OmapAesDev*, FaultKind> exposed_;
  std::uint64_t unfaulted_failures_ = 0;
};

}  // namespace aesvp::testbench
