// Parameters of the omap-aes driver (group "driver"): options and software costs in CPU
// cycles at cpu.clock_mhz (1 GHz Cortex-A9 by default). Costs charged by the kernel layer
// (MMIO latency, dma_map_sg, dmaengine prep/submit/issue, tasklet and work dispatch, copies,
// kmalloc, runtime PM) are not repeated here: these are the driver's own code paths only.
#pragma once

#include "models/core/params.h"

#include <cstdint>
#include <string>

namespace aesvp::driver {

#define AESVP_DRIVER_PARAMS(X)                                                                  \
  X(std::uint32_t, aes_fallback_sz, 200, "B",                                                   \
    "Linux omap-aes: module parameter / sysfs fallback_size, default 200 bytes (minimum 9)",    \
    "requests shorter than this are done by the software fallback, never by the hardware")     \
  X(double, sw_aes_cycles_per_byte, 40.0, "cycles/B",                                          \
    "BayLibre OMAP4 talk (shared/reference/calibration.md): ~25 MB/s software AES on the CPU " \
    "= 40 cycles/B at 1 GHz",                                                                   \
    "software fallback AES cost per byte with a 128-bit key (10 rounds; 192 and 256-bit keys "  \
    "cost 12/10 and 14/10 of it), charged to the submitter")                          \
  X(std::uint32_t, fallback_call_cycles, 600, "cycles",                                         \
    "estimate: skcipher_request_set_sync_tfm/callback/crypt + crypto_skcipher_encrypt of the " \
    "fallback tfm + its walk set-up (skcipher_walk_virt, kmap) once per request",             \
    "software fallback fixed cost per request")                                                 \
  X(std::uint32_t, queue_len, 10, "requests",                                                   \
    "Linux omap-aes: engine queue CRYPTO_ENGINE_MAX_QLEN = 10, changed by sysfs queue_len",     \
    "engine queue length per instance", AESVP_RANGE(1, 1000000))                                                         \
  X(bool, use_dma, true, "",                                                                    \
    "Linux omap-aes uses DMA whenever the channels can be had; PIO (pio_only) otherwise",       \
    "DMA path (true) or IRQ-driven PIO path (false)")                                           \
  X(std::uint32_t, engine_core, 0, "",                                                          \
    "assumption: the engine kthread is not pinned in Linux; core 0 here (tests pin it)",       \
    "core of the engine kthread workers (instance i uses (engine_core + i) % cores)")         \
  X(std::uint32_t, irq_core, 0, "",                                                             \
    "Linux default IRQ affinity: CPU0 handles SPIs unless irqbalance moves them",               \
    "core the AES interrupt (PIO path) is routed to")                                           \
  X(double, dma_timeout_us, 100000.0, "us",                                                     \
    "not in upstream omap-aes (no timeout there); chosen: 100 ms, far above the longest "      \
    "request (1 MiB at > 10 MB/s < 100 ms)",                                                    \
    "watchdog: a request not completed after this time is failed with -EIO after a reset")     \
  X(std::uint32_t, crypt_entry_cycles, 250, "cycles",                                           \
    "estimate: omap_aes_crypt: length/mode checks, omap_aes_find_dev (spinlock, list move), "  \
    "request context set-up, crypto_transfer_skcipher_request_to_engine call overhead",         \
    "crypt entry (submitter context)")                                                          \
  X(std::uint32_t, setkey_cycles, 300, "cycles",                                                \
    "estimate: omap_aes_setkey: memcpy of the key to the ctx + fallback crypto_skcipher_setkey " \
    "(software key expansion of aes-arm ~ 200 cycles)",                                        \
    "setkey (caller context)")                                                                  \
  X(std::uint32_t, prepare_req_cycles, 300, "cycles",                                           \
    "estimate: omap_aes_prepare_req: save the request, omap_crypto_align_sg checks, mode "     \
    "flags, sg_nents_for_len on both lists",                                                    \
    "prepare a request in do_one_request (engine kthread)")                                     \
  X(std::uint32_t, prepare_entry_cycles, 30, "cycles",                                          \
    "estimate: omap_crypto_check_sg per scatterlist entry (offset/length alignment tests)",    \
    "per scatterlist entry checked in prepare")                                                 \
  X(std::uint32_t, write_ctrl_cycles, 150, "cycles",                                            \
    "estimate: omap_aes_write_ctrl bookkeeping around its register writes (the MMIO latency "  \
    "is charged by the bus)",                                                                    \
    "context write (engine kthread), MMIO excluded")                                            \
  X(std::uint32_t, dma_start_cycles, 250, "cycles",                                             \
    "estimate: omap_aes_crypt_dma_start + omap_aes_crypt_dma: slave config structs, "           \
    "descriptor callback set-up (dmaengine costs are the kernel layer's)",                      \
    "DMA start bookkeeping (engine kthread)")                                                   \
  X(std::uint32_t, dma_callback_cycles, 60, "cycles",                                           \
    "estimate: omap_aes_dma_out_callback: container_of + tasklet_schedule call",               \
    "output DMA descriptor callback (softirq), tasklet_schedule excluded")                      \
  X(std::uint32_t, done_task_cycles, 250, "cycles",                                             \
    "estimate: omap_aes_done_task + omap_aes_finish_req bookkeeping (flags, IV loop), "         \
    "unmap/copy/finalize/PM costs excluded",                                                     \
    "done tasklet (softirq)")                                                                   \
  X(std::uint32_t, pio_block_cycles, 80, "cycles",                                              \
    "estimate: omap_aes_irq per block: scatter_walk map/advance/done and the 4-word loop "      \
    "(the DATA and IRQ register accesses are MMIO)",                                            \
    "PIO interrupt handler per block (hard IRQ), MMIO excluded")                                \
  X(std::uint32_t, reset_poll_max, 1000, "reads",                                               \
    "chosen: bound of the SYSSTATUS.RESETDONE poll after a soft reset (each read costs the "   \
    "bus latency; the model resets in aes.softreset time)",                                      \
    "error recovery: maximum RESETDONE polls", AESVP_RANGE(1, 1000000000))                                                \
  X(std::string, merge, "off", "",                                                             \
    "aesvp bulk mode (not in Linux); used only when the AES has the bulk extension",           \
    "engine merge policy: off, opportunistic, bounded, max or gather (engine/merge_policy.h)") \
  X(std::uint32_t, merge_max, 16, "requests",                                                  \
    "chosen: 16 x 512 B = 8 KiB, two pages of a bio",                                          \
    "merge policies max, bounded and gather: most requests per dispatch (bounded: target)", AESVP_RANGE(1, 4096)) \
  X(double, merge_wait_us, 20.0, "us",                                                         \
    "chosen: about one 512-byte request's service time",                                       \
    "merge policy bounded: longest wait of the head request for more to merge")                \
  X(std::uint32_t, merge_lookahead, 0, "requests",                                             \
    "chosen: 0 = the whole queue (queue_len plus the backlog)",                               \
    "merge policy gather: queued requests after the head it looks at (0 = all)", AESVP_RANGE(0, 65536)) \
  X(std::uint32_t, merge_max_bytes, 65536, "B",                                                \
    "chosen: 64 KiB, the largest request aesvp speed measures",                                \
    "largest merged request", AESVP_RANGE(16, 16777216))

AESVP_PARAM_GROUP(DriverParams, "driver", AESVP_DRIVER_PARAMS);

}  // namespace aesvp::driver
