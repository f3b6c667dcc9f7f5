# Helpers of the timing tests (timing_agreement_test, quantum_independence_test).

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

# millipercent(<var> <abs_var> <value> <reference>): (value - reference) / reference in
# 1/1000 %, and its absolute value. Integer arithmetic (math(EXPR) has no floats): both
# figures must be printed with the same number of decimals.
function(millipercent var abs_var value reference)
  string(REPLACE "." "" v "${value}")
  string(REPLACE "." "" r "${reference}")
  math(EXPR d "(${v} - ${r}) * 100000 / ${r}")
  set(abs_d ${d})
  if(d LESS 0)
    math(EXPR abs_d "0 - ${d}")
  endif()
  set(${var} ${d} PARENT_SCOPE)
  set(${abs_var} ${abs_d} PARENT_SCOPE)
endfunction()
