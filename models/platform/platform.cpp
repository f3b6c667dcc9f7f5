#include "models/platform/platform.h"

#include "models/intc/gic_regs.h"
#include "models/platform/omap4_map.h"
#include "models/sdma/omap_sdma_regs.h"

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

const SocMap& checked_map(const PlatformParams& p) {
  Platform::check_params(p);
  return soc_map(p.soc.profile);
}

}  // namespace

void Platform::check_params(const PlatformParams& p) {
  const SocMap& m = soc_map(p.soc.profile);
  if (p.soc.aes_instances < 1 || p.soc.aes_instances > m.aes.size())
    throw std::invalid_argument("soc.aes_instances must be 1.." + std::to_string(m.aes.size()) +
                                " on " + p.soc.profile);
  if (p.soc.timing_mode != "accurate" && p.soc.timing_mode != "fast")
    throw std::invalid_argument("soc.timing_mode: '" + p.soc.timing_mode + "' is not accurate or fast");
  unsigned spi_needed = 0, lines_needed = 0;
  for (unsigned spi : m.sdma_irq_spi) spi_needed = std::max(spi_needed, spi + 1);
  for (unsigned i = 0; i < p.soc.aes_instances; ++i) {
    spi_needed = std::max(spi_needed, m.aes[i].irq_spi + 1);
    lines_needed = std::max({lines_needed, m.aes[i].dma_in, m.aes[i].dma_out});
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
      map_(checked_map(params)),
      bus("bus", cycles(params.bus.l3_clock_mhz, params.bus.l3_hop_cycles)),
      dram("dram", params.dram),
      cpu("cpu", params.cpu, mode_),
      gic("gic", params.intc, params.cpu.cores),
      sdma("sdma", params.sdma, mode_) {
  const sc_time l4 = cycles(params.bus.l3_clock_mhz, params.bus.l4_bridge_cycles);

  // Memory map.
  bus.attach(dram.socket, map_.dram_base, dram.size(), "dram");
  bus.attach(gic.cpu_if, map_.gic_cpu_if_base, gic::kCpuIfStride * params.cpu.cores, "gic_cpu_if");
  bus.attach(gic.dist, map_.gic_dist_base, gic::kDistSize, "gic_dist");
  bus.attach(sdma.regs, map_.sdma_base, sdma::kWindowSize, "sdma", l4);
  for (unsigned i = 0; i < params.soc.aes_instances; ++i) {
    const SocMap::Aes& r = map_.aes[i];
    aes.push_back(std::make_unique<OmapAes>(r.name, params.aes, mode_));
    bus.attach(aes.back()->socket, r.base, omap4::kAesSize, r.name, l4);
  }

  // Initiators.
  cpu.bus.bind(bus.from_initiators);
  sdma.bus.bind(bus.from_initiators);

  // Interrupts: device lines -> GIC SPIs -> one line per core.
  std::vector<sc_core::sc_signal_in_if<bool>*> spi(gic.spi.size(), &tie_low_);
  // check_params() made sure intc.spi_count covers every SPI the SoC map wires.
  auto connect_spi = [&](unsigned n, LevelSignal& w) { spi[n] = &w; };
  for (unsigned l = 0; l < 4; ++l) {
    LevelSignal& w = wire("sdma_irq_l" + std::to_string(l));
    sdma.irq[l].bind(w);
    connect_spi(map_.sdma_irq_spi[l], w);
  }
  // DMA requests: AES request outputs -> sDMA request inputs (1-based line n is input n).
  std::vector<sc_core::sc_signal_in_if<bool>*> req(sdma.dma_req.size(), &tie_low_);
  for (unsigned i = 0; i < aes.size(); ++i) {
    const SocMap::Aes& r = map_.aes[i];
    LevelSignal& irq = wire(std::string(r.name) + "_irq");
    LevelSignal& in = wire(std::string(r.name) + "_dma_in");
    LevelSignal& out = wire(std::string(r.name) + "_dma_out");
    aes[i]->irq.bind(irq);
    aes[i]->dma_req_in.bind(in);
    aes[i]->dma_req_out.bind(out);
    connect_spi(r.irq_spi, irq);
    req.at(r.dma_in) = &in;
    req.at(r.dma_out) = &out;
  }
  for (unsigned n = 0; n < spi.size(); ++n) gic.spi[n].bind(*spi[n]);
  for (unsigned n = 0; n < req.size(); ++n) sdma.dma_req[n].bind(*req[n]);
  for (unsigned c = 0; c < params.cpu.cores; ++c) {
    LevelSignal& w = wire("cpu" + std::to_string(c) + "_irq");
    gic.irq[c].bind(w);
    cpu.irq[c].bind(w);
  }
  build_device_tree();
}

void Platform::build_device_tree() {
  dt_.model = params_.soc.profile;
  dt_.cpus = params_.cpu.cores;
  dt_.dram_base = map_.dram_base;
  dt_.dram_size = dram.size();
  dt_.intc.compatible = map_.gic_compatible;
  dt_.intc.base = map_.gic_dist_base;
  dt_.intc.cpu_if_base = map_.gic_cpu_if_base;
  dt_.intc.cpu_if_stride = gic::kCpuIfStride;
  dt_.intc.lines = gic.interrupt_count();
  dt_.dma.compatible = "ti,omap4430-sdma";
  dt_.dma.base = map_.sdma_base;
  for (unsigned spi : map_.sdma_irq_spi) dt_.dma.irqs.push_back(gic::kSpiBase + spi);
  dt_.dma.channels = params_.sdma.channels;
  dt_.dma.requests = params_.sdma.request_lines;
  for (unsigned i = 0; i < aes.size(); ++i) {
    const SocMap::Aes& r = map_.aes[i];
    dt_.aes.push_back({r.name, r.base, omap4::kAesSize, gic::kSpiBase + r.irq_spi, r.dma_in, r.dma_out,
                       params_.aes.bulk_extension});
  }
}

LevelSignal& Platform::wire(const std::string& name) {
  wires_.push_back(std::make_unique<LevelSignal>(name.c_str()));
  return *wires_.back();
}

}  // namespace aesvp
