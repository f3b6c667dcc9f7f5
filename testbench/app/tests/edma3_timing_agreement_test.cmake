# Fast and accurate timing agree on the EDMA3 profiles (docs/timing.md, docs/edma3-model.md):
# small `aesvp run` workloads on am335x (one AES) and am57x (two AES instances on one
# transfer controller) in both modes; the fast mode's simulated time must be within
# TOLERANCE_PCT of the accurate mode's. (timing_agreement_test covers omap4 and the sDMA.)
# cmake -DAESVP=<aesvp> -DTOLERANCE_PCT=<percent> -P edma3_timing_agreement_test.cmake

# simulated_ms(<var> <args>...): runs aesvp with the args, returns the summary's simulated time.
function(simulated_ms var)
  execute_process(COMMAND ${AESVP} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "aesvp ${ARGN} failed (${rc}): ${err}")
  endif()
  if(NOT out MATCHES "\n  simulated time +([0-9.]+) ms")
    message(FATAL_ERROR "no simulated time in the summary of aesvp ${ARGN}:\n${out}")
  endif()
  set(${var} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()

set(failed "")
function(agree name)
  simulated_ms(fast ${ARGN} --soc.timing_mode=fast)
  simulated_ms(accurate ${ARGN} --soc.timing_mode=accurate)
  # Percent difference in 1/1000 %, integer arithmetic (math(EXPR) has no floats).
  string(REPLACE "." "" f "${fast}")
  string(REPLACE "." "" a "${accurate}")
  math(EXPR d "(${f} - ${a}) * 100000 / ${a}")
  math(EXPR limit "${TOLERANCE_PCT} * 1000")
  set(abs_d ${d})
  if(d LESS 0)
    math(EXPR abs_d "0 - ${d}")
  endif()
  message(STATUS "${name}: fast ${fast} ms, accurate ${accurate} ms, difference ${d}/1000 %")
  if(abs_d GREATER limit)
    set(failed "${failed} ${name}" PARENT_SCOPE)
  endif()
endfunction()

agree(am335x_run run --profile am335x --size-mib 1)
agree(am335x_run_random_4k_qd8 run --profile am335x --size-mib 1 --pattern rand --bio-kib 4
      --queue-depth 8 --read-percent 50)
agree(am57x_run_qd1 run --profile am57x --size-mib 1 --queue-depth 1)
agree(am57x_run_random_4k_qd8 run --profile am57x --size-mib 1 --pattern rand --bio-kib 4
      --queue-depth 8 --read-percent 50)
if(failed)
  message(FATAL_ERROR "fast and accurate differ by more than ${TOLERANCE_PCT} %:${failed}")
endif()
