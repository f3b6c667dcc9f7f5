// Software costs of the kernel-services layer, in CPU cycles at the CPU clock (cpu.clock_mhz).
// Each is declared once here, with its default for a 1 GHz Cortex-A9 (OMAP4430) running
// Linux and its source. Costs the CPU model already charges (exception entry/exit, context
// switch) and MMIO latencies (returned by the bus) are not repeated here.
#pragma once

#include "models/core/params.h"

#include <cstdint>

namespace aesvp::kernel {

#define AESVP_KERNEL_PARAMS(X)                                                                 \
  X(std::uint32_t, irq_dispatch_cycles, 80, "cycles",                                          \
    "estimate: handle_fasteoi_irq + handle_irq_event (desc lock, IRQD_IRQ_INPROGRESS, action " \
    "walk, kstat/note_interrupt) per dispatched interrupt; exception entry, irq_enter and the " \
    "domain lookup are in cpu.irq_entry_cycles, the GICC_IAR/EOIR accesses are MMIO",          \
    "generic IRQ layer cost per interrupt handed to a handler (hard-IRQ context)")            \
  X(std::uint32_t, tasklet_schedule_cycles, 60, "cycles",                                      \
    "estimate: local_irq_save, test_and_set_bit(TASKLET_STATE_SCHED), list append, "          \
    "raise_softirq_irqoff: a few dozen instructions, one atomic",                              \
    "tasklet_schedule (charged to the caller)")                                                \
  X(std::uint32_t, softirq_entry_cycles, 200, "cycles",                                        \
    "estimate: __do_softirq entry/exit (pending mask, local_bh_disable, irq enable, vector "  \
    "loop) + tasklet_action list splice",                                                      \
    "one softirq run that finds tasklets pending (softirq context)")                          \
  X(std::uint32_t, tasklet_dispatch_cycles, 50, "cycles",                                      \
    "estimate: tasklet_trylock (atomic), clear SCHED, indirect call, unlock",                  \
    "per tasklet run (softirq context)")                                                       \
  X(std::uint32_t, kthread_queue_work_cycles, 100, "cycles",                                   \
    "estimate: kthread_queue_work: spin_lock_irqsave, list_add_tail, unlock (the wake-up is " \
    "wakeup_cycles)",                                                                          \
    "queueing a work item on a kthread worker (charged to the caller)")                       \
  X(std::uint32_t, wakeup_cycles, 400, "cycles",                                               \
    "estimate: try_to_wake_up of a sleeping task: pi_lock + rq lock, enqueue_task_{rt,fair}, " \
    "check_preempt_curr; some 300-500 cycles on a Cortex-A9 (the switch itself is "            \
    "cpu.context_switch_cycles)",                                                              \
    "waking a sleeping thread (charged to the waker, only if the thread sleeps)")             \
  X(std::uint32_t, kthread_work_dispatch_cycles, 100, "cycles",                                \
    "estimate: kthread_worker_fn loop: lock, list_first_entry + list_del_init, unlock, "       \
    "set current_work, indirect call",                                                         \
    "per work item run by a kthread worker (worker context)")                                 \
  X(std::uint32_t, complete_cycles, 80, "cycles",                                              \
    "estimate: complete(): spin_lock_irqsave, done++, swake_up_locked (the wake-up of a "      \
    "sleeping waiter is wakeup_cycles)",                                                        \
    "complete() (charged to the caller)")                                                      \
  X(std::uint32_t, wait_for_completion_cycles, 100, "cycles",                                  \
    "estimate: wait_for_common fast path / bookkeeping around schedule()",                     \
    "wait_for_completion entry (charged to the waiter)")                                      \
  X(double, cache_clean_cycles_per_byte, 1.0, "cycles/B",                                      \
    "estimate: v7_dma_clean_range (DCCMVAC per 32-byte line, ~6 cycles) + PL310 "              \
    "outer_clean_range (one L2 register write + sync per line, ~25 cycles): ~31 cycles per "   \
    "32 B",                                                                                    \
    "dma_map for DMA_TO_DEVICE (clean), per byte")                                             \
  X(double, cache_invalidate_cycles_per_byte, 0.8, "cycles/B",                                 \
    "estimate: v7_dma_inv_range (DCIMVAC per line) + PL310 outer_inv_range: ~25 cycles per "  \
    "32 B",                                                                                    \
    "dma_map / dma_unmap for DMA_FROM_DEVICE (invalidate), per byte")                         \
  X(std::uint32_t, dma_map_sg_cycles, 200, "cycles",                                           \
    "estimate: dma_map_sg/dma_unmap_sg entry (dma_map_ops lookup, loop set-up, debug hooks)",  \
    "fixed cost of one dma_map_sg or dma_unmap_sg call")                                      \
  X(std::uint32_t, dma_map_entry_cycles, 60, "cycles",                                         \
    "estimate: arm_dma_map_page per entry: page_to_phys, dma address, sg_dma_len",             \
    "per scatterlist entry mapped or unmapped (cache maintenance extra)")                     \
  X(double, memcpy_cycles_per_byte, 2.0, "cycles/B",                                           \
    "estimate: Cortex-A9 + LPDDR2 (PandaBoard) memcpy of buffers larger than the caches "      \
    "runs at some 500 MB/s (tinymembench-class figures), i.e. 2 cycles per byte at 1 GHz",     \
    "memcpy done by the modelled software, per byte")                                          \
  X(std::uint32_t, memcpy_call_cycles, 40, "cycles",                                           \
    "estimate: call, alignment checks and tail handling of memcpy / sg_copy_buffer set-up "    \
    "(per contiguous piece)",                                                                   \
    "fixed cost per contiguous piece copied")                                                  \
  X(std::uint32_t, kmalloc_cycles, 150, "cycles",                                              \
    "estimate: SLUB kmalloc fast path (cmpxchg on the per-cpu freelist) plus size-class "      \
    "lookup",                                                                                  \
    "kmalloc (charged to the caller)")                                                         \
  X(std::uint32_t, kfree_cycles, 100, "cycles", "estimate: SLUB kfree fast path",              \
    "kfree (charged to the caller)")                                                           \
  X(std::uint32_t, dma_alloc_coherent_cycles, 3000, "cycles",                                  \
    "estimate: page allocation from the CMA/atomic pool, clearing is extra in Linux but "      \
    "small buffers come from the atomic pool; remap bookkeeping",                              \
    "dma_alloc_coherent / dma_free_coherent (charged to the caller)")                         \
  X(std::uint32_t, dma_prep_cycles, 600, "cycles",                                             \
    "estimate: omap_dma_prep_slave_sg: kzalloc of the descriptor, CSDP/CCR/CICR computation, " \
    "vchan_tx_prep",                                                                            \
    "dmaengine_prep_slave_sg fixed cost")                                                      \
  X(std::uint32_t, dma_prep_entry_cycles, 40, "cycles",                                        \
    "estimate: per-sg loop body (address, element and frame counts)",                         \
    "dmaengine_prep_slave_sg per scatterlist entry")                                          \
  X(std::uint32_t, dma_desc_fill_cycles, 60, "cycles",                                         \
    "estimate: omap_dma_fill_type2_desc: dma_pool_alloc and seven stores of a type-2 "        \
    "descriptor",                                                                               \
    "dmaengine_prep_slave_sg per entry in descriptor-list mode (on top of the entry cost)")    \
  X(std::uint32_t, dma_submit_cycles, 100, "cycles",                                           \
    "estimate: vchan_tx_submit: lock, cookie assignment, list_move_tail",                      \
    "dmaengine_submit")                                                                        \
  X(std::uint32_t, dma_issue_pending_cycles, 150, "cycles",                                    \
    "estimate: vchan_issue_pending list splice + omap_dma_start_desc bookkeeping (the "        \
    "register writes are MMIO)",                                                                \
    "dma_async_issue_pending bookkeeping")                                                     \
  X(std::uint32_t, dma_irq_cycles, 100, "cycles",                                              \
    "estimate: omap_dma_irq channel loop and omap_dma_callback bookkeeping beside the MMIO",   \
    "sDMA interrupt handler, per channel serviced (hard-IRQ context)")                        \
  X(std::uint32_t, dma_complete_cycles, 200, "cycles",                                         \
    "estimate: vchan_complete: list splice, dmaengine_desc_get_callback, descriptor kfree",   \
    "DMA tasklet, per completed descriptor (softirq context)")                                \
  X(std::uint32_t, dma_terminate_cycles, 300, "cycles",                                        \
    "estimate: omap_dma_terminate_all: lock, vchan_get_all_descriptors, descriptor frees "     \
    "(register writes are MMIO)",                                                               \
    "dmaengine_terminate_all bookkeeping")                                                     \
  X(std::uint32_t, rpm_get_cycles, 150, "cycles",                                              \
    "estimate: __pm_runtime_resume: atomic usage increment, spin_lock_irqsave, rpm_resume "    \
    "status check (device active)",                                                            \
    "pm_runtime_get_sync when the device is already active")                                  \
  X(std::uint32_t, rpm_put_cycles, 150, "cycles",                                              \
    "estimate: pm_runtime_mark_last_busy + __pm_runtime_suspend(RPM_ASYNC|RPM_AUTO): atomic "  \
    "decrement, lock, autosuspend timer (re)arm",                                              \
    "pm_runtime_put_autosuspend")                                                              \
  X(std::uint32_t, rpm_resume_cycles, 20000, "cycles",                                         \
    "estimate: omap_device_enable / omap_hwmod _enable: clock and power-domain enable, module " \
    "ready wait, some 20 us (the CPU is busy polling meanwhile)",                              \
    "runtime resume of a suspended device (charged to the caller of pm_runtime_get_sync)")    \
  X(std::uint32_t, rpm_suspend_cycles, 10000, "cycles",                                        \
    "estimate: omap_device_idle / hwmod _idle: idle request, wait for idle ack, clock "        \
    "disable, some 10 us",                                                                      \
    "runtime suspend (charged to the pm workqueue thread)")                                   \
  X(double, autosuspend_delay_ms, 1000.0, "ms",                                                \
    "Linux omap-aes: DEFAULT_AUTOSUSPEND_DELAY = 1000 ms (pm_runtime_set_autosuspend_delay)",  \
    "inactivity before a runtime-PM device with autosuspend is suspended")                     \
  X(double, mmio_path_ns, 0.0, "ns",                                                           \
    "fitted per SoC (docs/calibration.md): the MPU subsystem's path to the L3/L4 "             \
    "interconnect (asynchronous bridge, clock-domain crossings) that the interconnect model "  \
    "does not contain; ARMv7 readl()/writel() end/start with a barrier (DSB) that waits for "  \
    "the access to complete, so a write costs the round trip like a read. 0 on omap4 "         \
    "(uncalibrated)",                                                                          \
    "extra latency of each readl/writel (not the interrupt controller's CPU interface, which "  \
    "sits inside the MPU subsystem), charged to the accessing context (the core stalls)")

AESVP_PARAM_GROUP(KernelParams, "kernel", AESVP_KERNEL_PARAMS);

}  // namespace aesvp::kernel
