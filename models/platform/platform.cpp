#include "models/platform/platform.h"

#include "models/edma3/edma3_regs.h"
#include "models/intc/gic_regs.h"
#include "models/intc/omap_intc_regs.h"
#include "models/platform/omap4_map.h"

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

std::string too_few(const char* what, unsigned have, const std::string& need) {
  return std::string(what) + ": " + std::to_string(have) + " is too few for the wiring (" + need + ")";
}

}  // namespace

void Platform::check_params(const PlatformParams& p) {
  const SocMap& m = soc_map(p.soc.profile);
  if (p.soc.aes_instances < 1 || p.soc.aes_instances > m.aes.size())
    throw std::invalid_argument("soc.aes_instances must be 1.." + std::to_string(m.aes.size()) +
                                " on " + p.soc.profile);
  if (p.soc.timing_mode != "accurate" && p.soc.timing_mode != "fast")
    throw std::invalid_argument("soc.timing_mode: '" + p.soc.timing_mode + "' is not accurate or fast");
  // Interrupt numbers at the SoC's controller and the AES's DMA lines.
  unsigned irq_needed = 0, lines_needed = 0;
  for (unsigned spi : m.sdma_irq_spi) irq_needed = std::max(irq_needed, spi + 1);
  for (unsigned i = 0; i < p.soc.aes_instances; ++i) {
    irq_needed = std::max(irq_needed, m.aes[i].irq + 1);
    lines_needed = std::max({lines_needed, m.aes[i].dma_in, m.aes[i].dma_out});
  }
  if (m.dma == DmaKind::Edma3) {
    irq_needed = std::max({irq_needed, m.ccint + 1, m.ccerrint + 1});
    for (unsigned l : m.tcerrint) irq_needed = std::max(irq_needed, l + 1);
    if (p.edma3.queues != m.tptc_bases.size())
      throw std::invalid_argument("edma3.queues: " + std::to_string(p.edma3.queues) + " on " +
                                  p.soc.profile + ", which has " +
                                  std::to_string(m.tptc_bases.size()) + " transfer controllers");
  }
  if (m.intc == IntcKind::Gic && p.intc.spi_count < irq_needed)
    throw std::invalid_argument(too_few("intc.spi_count", p.intc.spi_count,
                                        "the devices use SPIs up to " + std::to_string(irq_needed - 1)));
  if (m.dma == DmaKind::Sdma) {
    if (p.sdma.request_lines < lines_needed)
      throw std::invalid_argument(too_few("sdma.request_lines", p.sdma.request_lines,
                                          "the AES instances use lines up to " +
                                              std::to_string(lines_needed)));
    if (p.sdma.channels < 2 * p.soc.aes_instances)
      throw std::invalid_argument("sdma.channels: " + std::to_string(p.sdma.channels) +
                                  " is too few (two per AES instance)");
  }
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
  bus.attach(gic.dist, map_.gic_dist_base, omap4::kGicDistSize, "gic_dist");
  bus.attach(sdma.regs, map_.sdma_base, omap4::kSdmaSize, "sdma", l4);
  if (map_.intc == IntcKind::OmapIntc) {
    omap_intc = std::make_unique<OmapIntc>("omap_intc", params.omap_intc);
    bus.attach(omap_intc->regs, map_.omap_intc_base, omap_intc::kWindowSize, "omap_intc", l4);
  }
  if (map_.dma == DmaKind::Edma3) build_edma3(l4);
  for (unsigned i = 0; i < params.soc.aes_instances; ++i) {
    const SocMap::Aes& r = map_.aes[i];
    aes.push_back(std::make_unique<OmapAes>(r.name, params.aes, mode_));
    bus.attach(aes.back()->socket, r.base, omap4::kAesSize, r.name, l4);
  }

  // Initiators.
  cpu.bus.bind(bus.from_initiators);
  sdma.bus.bind(bus.from_initiators);

  // Interrupts: device lines -> the SoC's controller (GIC SPIs or INTC lines) -> the cores.
  std::vector<sc_core::sc_signal_in_if<bool>*> spi(gic.spi.size(), &tie_low_);
  std::vector<sc_core::sc_signal_in_if<bool>*> line(omap_intc::kLines, &tie_low_);
  // check_params() made sure the controller covers every number the SoC map wires.
  auto connect_irq = [&](unsigned n, LevelSignal& w) {
    (map_.intc == IntcKind::Gic ? spi : line).at(n) = &w;
  };
  for (unsigned l = 0; l < 4; ++l) {
    LevelSignal& w = wire("sdma_irq_l" + std::to_string(l));
    sdma.irq[l].bind(w);
    if (map_.intc == IntcKind::Gic) spi.at(map_.sdma_irq_spi[l]) = &w;
  }
  if (edma3) {
    LevelSignal& cc = wire("edma3_ccint");
    LevelSignal& ccerr = wire("edma3_ccerrint");
    edma3->ccint.bind(cc);
    edma3->ccerrint.bind(ccerr);
    connect_irq(map_.ccint, cc);
    connect_irq(map_.ccerrint, ccerr);
    for (unsigned t = 0; t < map_.tcerrint.size(); ++t) {
      LevelSignal& w = wire("edma3_tcerrint" + std::to_string(t));
      edma3->tcerrint[t].bind(w);
      connect_irq(map_.tcerrint[t], w);
    }
  }
  // DMA requests: AES request outputs -> sDMA request inputs (1-based line n is input n) or
  // EDMA3 events.
  std::vector<sc_core::sc_signal_in_if<bool>*> req(sdma.dma_req.size(), &tie_low_);
  std::vector<sc_core::sc_signal_in_if<bool>*> event(edma3::kMaxChannels, &tie_low_);
  auto& dma_inputs = map_.dma == DmaKind::Sdma ? req : event;
  for (unsigned i = 0; i < aes.size(); ++i) {
    const SocMap::Aes& r = map_.aes[i];
    LevelSignal& irq = wire(std::string(r.name) + "_irq");
    LevelSignal& in = wire(std::string(r.name) + "_dma_in");
    LevelSignal& out = wire(std::string(r.name) + "_dma_out");
    aes[i]->irq.bind(irq);
    aes[i]->dma_req_in.bind(in);
    aes[i]->dma_req_out.bind(out);
    connect_irq(r.irq, irq);
    dma_inputs.at(r.dma_in) = &in;
    dma_inputs.at(r.dma_out) = &out;
  }
  for (unsigned n = 0; n < spi.size(); ++n) gic.spi[n].bind(*spi[n]);
  for (unsigned n = 0; n < req.size(); ++n) sdma.dma_req[n].bind(*req[n]);
  if (edma3)
    for (unsigned n = 0; n < event.size(); ++n) edma3->event[n].bind(*event[n]);
  if (omap_intc) {
    for (unsigned n = 0; n < line.size(); ++n) omap_intc->line[n].bind(*line[n]);
    // One core (AM335x): the INTC drives its IRQ input; the GIC's outputs go nowhere.
    LevelSignal& w = wire("cpu0_irq");
    omap_intc->irq.bind(w);
    omap_intc->fiq.bind(wire("cpu0_fiq"));
    cpu.irq[0].bind(w);
    for (unsigned c = 0; c < params.cpu.cores; ++c) gic.irq[c].bind(wire("gic_irq" + std::to_string(c)));
  } else {
    for (unsigned c = 0; c < params.cpu.cores; ++c) {
      LevelSignal& w = wire("cpu" + std::to_string(c) + "_irq");
      gic.irq[c].bind(w);
      cpu.irq[c].bind(w);
    }
  }
  build_device_tree();
}

void Platform::build_edma3(const sc_time& l4) {
  edma3 = std::make_unique<Edma3>("edma3", params_.edma3, mode_);
  bus.attach(edma3->cc_regs, map_.tpcc_base, edma3::kTpccWindowSize, "edma3_tpcc", l4);
  for (unsigned t = 0; t < map_.tptc_bases.size(); ++t) {
    bus.attach(edma3->tc_regs[t], map_.tptc_bases[t], edma3::kTptcWindowSize,
               "edma3_tptc" + std::to_string(t), l4);
    edma3->tc_bus[t].bind(bus.from_initiators);
  }
}

sc_time Platform::dma_busy_time() const {
  if (!edma3) return sdma.port_busy_time();
  sc_time busy = sc_core::SC_ZERO_TIME;
  for (unsigned t = 0; t < params_.edma3.queues; ++t) busy += edma3->tc_stats(t).busy;
  return busy;
}

void Platform::build_device_tree() {
  dt_.model = params_.soc.profile;
  dt_.cpus = params_.cpu.cores;
  dt_.dram_base = map_.dram_base;
  dt_.dram_size = dram.size();
  // Interrupt numbers as software names them: GIC interrupt IDs (SPI + 32) or INTC lines.
  const bool on_gic = map_.intc == IntcKind::Gic;
  auto irq_number = [on_gic](unsigned n) { return on_gic ? gic::kSpiBase + n : n; };
  dt_.intc.compatible = map_.intc_compatible;
  if (on_gic) {
    dt_.intc.base = map_.gic_dist_base;
    dt_.intc.cpu_if_base = map_.gic_cpu_if_base;
    dt_.intc.cpu_if_stride = gic::kCpuIfStride;
    dt_.intc.lines = gic.interrupt_count();
  } else {
    dt_.intc.base = map_.omap_intc_base;
    dt_.intc.lines = omap_intc::kLines;
  }
  if (map_.dma == DmaKind::Sdma) {
    dt_.dma.compatible = "ti,omap4430-sdma";
    dt_.dma.base = map_.sdma_base;
    for (unsigned spi : map_.sdma_irq_spi) dt_.dma.irqs.push_back(irq_number(spi));
    dt_.dma.channels = params_.sdma.channels;
    dt_.dma.requests = params_.sdma.request_lines;
  } else {
    dt_.dma.compatible = "ti,edma3-tpcc";
    dt_.dma.base = map_.tpcc_base;
    dt_.dma.irqs = {irq_number(map_.ccint), irq_number(map_.ccerrint)};
    for (unsigned l : map_.tcerrint) dt_.dma.irqs.push_back(irq_number(l));
    dt_.dma.channels = edma3::kMaxChannels;
    dt_.dma.requests = edma3::kMaxChannels;
    dt_.dma.queue_priorities = map_.tc_priorities;
    dt_.dma.tc_bases = map_.tptc_bases;
  }
  for (unsigned i = 0; i < aes.size(); ++i) {
    const SocMap::Aes& r = map_.aes[i];
    dt_.aes.push_back({r.name, r.base, omap4::kAesSize, irq_number(r.irq), r.dma_in, r.dma_out,
                       params_.aes.bulk_extension});
  }
}

LevelSignal& Platform::wire(const std::string& name) {
  wires_.push_back(std::make_unique<LevelSignal>(name.c_str()));
  return *wires_.back();
}

}  // namespace aesvp
