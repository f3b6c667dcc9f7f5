#include "models/platform/platform.h"

#include <algorithm>
#include <stdexcept>

namespace aesvp {

using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

TimingMode mode_of(const PlatformParams& p) {
  return parse_timing_mode(p.soc.timing_mode);
}

sc_time cycles(double mhz, double n) { return sc_time(n * 1000.0 / mhz, SC_NS); }

}  // namespace

void Platform::check_params(const PlatformParams& p) {
  if (p.soc.aes_instances < 1 || p.soc.aes_instances > 2)
    throw std::invalid_argument("soc.aes_instances must be 1 or 2");
  if (p.soc.timing_mode != "accurate" && p.soc.timing_mode != "fast")
    throw std::invalid_argument("soc.timing_mode: '" + p.soc.timing_mode + "' is not accurate or fast");
  unsigned spi_needed = 0, lines_needed = 0;
  for (unsigned spi : omap4::kSdmaIrqSpi) spi_needed = std::max(spi_needed, spi + 1);
  for (unsigned i = 0; i < p.soc.aes_instances; ++i) {
    spi_needed = std::max(spi_needed, omap4::kAes[i].irq_spi + 1);
    lines_needed = std::max({lines_needed, omap4::kAes[i].dma_tx, omap4::kAes[i].dma_rx});
  }
  if (p.intc.spi_count < spi_needed)
    throw std::invalid_argument("intc.spi_count: " + std::to_string(p.intc.spi_count) +
                                " is too few for the wiring (the devices use SPIs up to " +
                                std::to_string(spi_needed - 1) + ")");
  if (p.sdma.request_lines < lines_needed)
    throw std::invalid_argument("sdma.request_lines: " + std::to_string(p.sdma.request_lines) +
                                " is too few for the wiring (the AES instances use lines up to " +
                                std::to_string(lines_needed) + ")");
  if (p.sdma.channels < 2 * p.soc.aes_instances)
    throw std::invalid_argument("sdma.channels: " + std::to_string(p.sdma.channels) +
                                " is too few (two per AES instance)");
}

Platform::Platform(sc_core::sc_module_name name, const PlatformParams& params)
    : sc_core::sc_module(name),
      params_(params),
      mode_(mode_of(params)),
      bus("bus", cycles(params.bus.l3_clock_mhz, params.bus.l3_hop_cycles)),
      dram("dram", params.dram),
      cpu("cpu", params.cpu, mode_),
      gic("gic", params.intc, params.cpu.cores),
      sdma("sdma", params.sdma, mode_) {
  check_params(params);
  const sc_time l4 = cycles(params.bus.l3_clock_mhz, params.bus.l4_bridge_cycles);

  // Memory map.
  bus.attach(dram.socket, omap4::kDramBase, dram.size(), "dram");
  bus.attach(gic.cpu_if, omap4::kGicCpuIfBase, 0x100 * params.cpu.cores, "gic_cpu_if");
  bus.attach(gic.dist, omap4::kGicDistBase, omap4::kGicDistSize, "gic_dist");
  bus.attach(sdma.regs, omap4::kSdmaBase, omap4::kSdmaSize, "sdma", l4);
  for (unsigned i = 0; i < params.soc.aes_instances; ++i) {
    const omap4::AesInstance& r = omap4::kAes[i];
    aes.push_back(std::make_unique<OmapAes>(r.name, params.aes, mode_));
    bus.attach(aes.back()->socket, r.base, omap4::kAesSize, r.name, l4);
  }

  // Initiators.
  cpu.bus.bind(bus.from_initiators);
  sdma.bus.bind(bus.from_initiators);

  // Interrupts: device lines -> GIC SPIs -> one line per core.
  std::vector<sc_core::sc_signal_in_if<bool>*> spi(gic.spi.size(), &tie_low_);
  for (unsigned l = 0; l < 4; ++l) {
    LevelSignal& w = wire("sdma_irq_l" + std::to_string(l));
    sdma.irq[l].bind(w);
    spi[omap4::kSdmaIrqSpi[l]] = &w;
  }
  // DMA requests: AES request outputs -> sDMA request inputs.
  std::vector<sc_core::sc_signal_in_if<bool>*> req(sdma.dma_req.size(), &tie_low_);
  for (unsigned i = 0; i < aes.size(); ++i) {
    const omap4::AesInstance& r = omap4::kAes[i];
    LevelSignal& irq = wire(std::string(r.name) + "_irq");
    LevelSignal& tx = wire(std::string(r.name) + "_dma_tx");
    LevelSignal& rx = wire(std::string(r.name) + "_dma_rx");
    aes[i]->irq.bind(irq);
    aes[i]->dma_req_in.bind(tx);
    aes[i]->dma_req_out.bind(rx);
    spi[r.irq_spi] = &irq;
    req[r.dma_tx] = &tx;
    req[r.dma_rx] = &rx;
  }
  for (unsigned n = 0; n < spi.size(); ++n) gic.spi[n].bind(*spi[n]);
  for (unsigned n = 0; n < req.size(); ++n) sdma.dma_req[n].bind(*req[n]);
  for (unsigned c = 0; c < params.cpu.cores; ++c) {
    LevelSignal& w = wire("cpu" + std::to_string(c) + "_irq");
    gic.irq[c].bind(w);
    cpu.irq[c].bind(w);
  }
}

LevelSignal& Platform::wire(const std::string& name) {
  wires_.push_back(std::make_unique<LevelSignal>(name.c_str()));
  return *wires_.back();
}

Platform::AesResources Platform::aes_resources(unsigned instance) const {
  if (instance >= aes.size()) throw std::out_of_range("no such AES instance");
  const omap4::AesInstance& r = omap4::kAes[instance];
  return {r.base, omap4::kGicSpiBase + r.irq_spi, r.dma_tx, r.dma_rx};
}

}  // namespace aesvp
