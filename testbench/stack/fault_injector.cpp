#include "testbench/stack/fault_injector.h"

#include "models/aes/omap_aes_regs.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace aesvp::testbench {

namespace {

struct KindName {
  const char* name;
  const char* what;
};
constexpr KindName kKindNames[kFaultKinds] = {
    {"dma-read-error", "bus error on the memory the DMA reads (the request's input)"},
    {"dma-write-error", "bus error on the memory the DMA writes (the request's output)"},
    {"dropped-completion", "the output DMA's completion callback is lost"},
    {"lost-irq", "the next assertion of the completion interrupt is not seen by the interrupt controller"},
    {"spurious-irq", "the completion interrupt is made pending with no cause"},
    {"stuck-aes", "the AES core hangs until it is reset"},
    {"mmio-error", "bus error on the AES CTRL register while the driver programs it"},
};

// splitmix64: a well-mixed 64-bit hash, so that selection depends on (seed, kind, id) only.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t parse_id(const std::string& item) {
  const bool digits = !item.empty() && item.size() <= 19 &&
                      std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; });
  const std::uint64_t v = digits ? std::strtoull(item.c_str(), nullptr, 10) : 0;
  if (v == 0) throw std::invalid_argument("'" + item + "' is not a request id (1, 2, ...)");
  return v;
}

}  // namespace

const char* to_string(FaultKind k) { return kKindNames[static_cast<std::size_t>(k)].name; }
const char* describe(FaultKind k) { return kKindNames[static_cast<std::size_t>(k)].what; }
bool needs_dma(FaultKind k) {
  return k == FaultKind::DmaReadError || k == FaultKind::DmaWriteError ||
         k == FaultKind::DroppedCompletion;
}

FaultSelector parse_fault_selector(const std::string& text) {
  FaultSelector s;
  if (text == "off") return s;
  if (text.rfind("rate:", 0) == 0) {
    const std::string v = text.substr(5);
    char* end = nullptr;
    errno = 0;
    const double p = v.empty() ? -1.0 : std::strtod(v.c_str(), &end);
    if (v.empty() || errno != 0 || end != v.c_str() + v.size() || !(p >= 0.0 && p <= 1.0))
      throw std::invalid_argument("'" + text + "': the rate must be a number from 0 to 1");
    s.rate = p;
    return s;
  }
  if (text.rfind("ids:", 0) == 0) {
    const std::string list = text.substr(4);
    std::size_t from = 0;
    for (;;) {
      const std::size_t comma = list.find(',', from);
      s.ids.push_back(parse_id(list.substr(from, comma - from)));
      if (s.ids.size() > 100000) throw std::invalid_argument("at most 100000 request ids");
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    std::sort(s.ids.begin(), s.ids.end());
    s.ids.erase(std::unique(s.ids.begin(), s.ids.end()), s.ids.end());
    return s;
  }
  throw std::invalid_argument("'" + text + "' is not rate:P, ids:N,M,... or off");
}

bool FaultPlan::any() const {
  return std::any_of(kinds.begin(), kinds.end(), [](const FaultSelector& s) { return s.active(); });
}

bool FaultPlan::select(std::uint64_t id, FaultKind& kind) const {
  for (std::size_t k = 0; k < kFaultKinds; ++k) {
    const FaultSelector& s = kinds[k];
    bool hit = std::binary_search(s.ids.begin(), s.ids.end(), id);
    if (!hit && s.rate > 0.0) {
      const std::uint64_t h = mix(seed ^ mix((k + 1) * 0x100000001b3ull ^ mix(id)));
      hit = static_cast<double>(h >> 11) * 0x1.0p-53 < s.rate;
    }
    if (hit) {
      kind = static_cast<FaultKind>(k);
      return true;
    }
  }
  return false;
}

FaultInjector::FaultInjector(Stack& stack, FaultPlan plan) : stack_(stack), plan_(std::move(plan)) {
  stack_.driver().set_fault_hook([this](const driver::FaultSite& s) { on_site(s); });
}

FaultInjector::~FaultInjector() {
  stack_.driver().set_fault_hook(nullptr);
  for (auto& [dev, a] : armed_) clear_bus_errors(a);
}

FaultOutcomes FaultInjector::total() const {
  FaultOutcomes t;
  for (const FaultOutcomes& o : out_) {
    t.injected += o.injected;
    t.failed += o.failed;
    t.absorbed += o.absorbed;
    t.collateral += o.collateral;
  }
  return t;
}

unsigned FaultInjector::completion_irq(const driver::OmapAesDev& dev) const {
  return dev.pio_only() ? dev.resources().irq : stack_.dma().irq_id();
}

void FaultInjector::add_bus_error(Armed& a, std::uint64_t base, std::uint64_t size) {
  stack_.platform().bus.inject_bus_error(base, size);
  a.bus_errors.emplace_back(base, size);
}

void FaultInjector::clear_bus_errors(Armed& a) {
  for (const auto& [base, size] : a.bus_errors) stack_.platform().bus.remove_bus_error(base, size);
  a.bus_errors.clear();
}

void FaultInjector::arm(FaultKind kind, const driver::FaultSite& s, Armed& a) {
  Platform& p = stack_.platform();
  driver::OmapAesDev& dev = s.dev;
  switch (kind) {
    case FaultKind::DmaReadError:
      for (const auto& e : s.in.entries()) add_bus_error(a, e.address, e.length);
      break;
    case FaultKind::DmaWriteError:
      for (const auto& e : s.out.entries()) add_bus_error(a, e.address, e.length);
      break;
    case FaultKind::DroppedCompletion: dev.drop_next_dma_completion(); break;
    case FaultKind::LostIrq:
      if (p.omap_intc) p.omap_intc->lose_next_assertion(completion_irq(dev));
      else p.gic.lose_next_assertion(completion_irq(dev));
      break;
    case FaultKind::SpuriousIrq:
      if (p.omap_intc) p.omap_intc->make_pending(completion_irq(dev));
      else p.gic.make_pending(completion_irq(dev));
      break;
    case FaultKind::StuckAes: p.aes.at(dev.instance())->hang(); break;
    case FaultKind::MmioError: break;  // armed at Prepared
  }
}

// A lost assertion hides every completion on that line until the line falls, so requests of
// other instances that run on the same line meanwhile are exposed to it (and so, in turn,
// are requests that start while an exposed one is still running).
void FaultInjector::note_started(const driver::OmapAesDev& dev) {
  const unsigned line = completion_irq(dev);
  started_[&dev] = line;
  auto hides = [&](const driver::OmapAesDev* d) {
    auto a = armed_.find(d);
    return (a != armed_.end() && a->second.kind == FaultKind::LostIrq) || exposed_.count(d) != 0;
  };
  auto armed_here = armed_.find(&dev);
  if (armed_here != armed_.end() && armed_here->second.kind == FaultKind::LostIrq) {
    for (const auto& [other, other_line] : started_)
      if (other != &dev && other_line == line && armed_.count(other) == 0)
        exposed_.emplace(other, FaultKind::LostIrq);
    return;
  }
  if (armed_here != armed_.end()) return;
  for (const auto& [other, other_line] : started_)
    if (other != &dev && other_line == line && hides(other)) {
      exposed_.emplace(&dev, FaultKind::LostIrq);
      return;
    }
}

void FaultInjector::on_site(const driver::FaultSite& s) {
  const std::uint64_t id = s.req.id;
  switch (s.point) {
    case driver::FaultPoint::Prepared: {
      FaultKind kind{};
      if (!plan_.select(id, kind)) return;
      if (needs_dma(kind) && s.dev.pio_only()) return;  // no DMA here (refused up front)
      Armed& a = armed_[&s.dev];
      clear_bus_errors(a);  // cannot be left over: Finalized cleared them
      a.kind = kind;
      ++out_[static_cast<std::size_t>(kind)].injected;
      if (kind == FaultKind::MmioError)
        add_bus_error(a, s.dev.resources().base + omap_aes::kCtrl, 4);
      return;
    }
    case driver::FaultPoint::Started: {
      auto it = armed_.find(&s.dev);
      if (it != armed_.end()) {
        if (it->second.kind == FaultKind::MmioError) clear_bus_errors(it->second);
        else arm(it->second.kind, s, it->second);
      }
      note_started(s.dev);
      return;
    }
    case driver::FaultPoint::Finalized: {
      started_.erase(&s.dev);
      auto ex = exposed_.find(&s.dev);
      const bool was_exposed = ex != exposed_.end();
      if (was_exposed) {
        if (s.err != engine::Errc::Ok) ++out_[static_cast<std::size_t>(ex->second)].collateral;
        exposed_.erase(ex);
      }
      auto it = armed_.find(&s.dev);
      if (it == armed_.end()) {
        if (s.err != engine::Errc::Ok && !was_exposed) ++unfaulted_failures_;
        return;
      }
      clear_bus_errors(it->second);
      FaultOutcomes& o = out_[static_cast<std::size_t>(it->second.kind)];
      if (s.err != engine::Errc::Ok) ++o.failed;
      else ++o.absorbed;
      armed_.erase(it);
      return;
    }
  }
}

}  // namespace aesvp::testbench
