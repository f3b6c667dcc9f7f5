# Fast mode's results do not depend on the quantum (docs/timing.md, "The quantum"): the same
# workloads at two quanta must give the same simulated figures within TOLERANCE_MILLIPCT
# (1/1000 %). Software running ahead of simulated time must never let another context see its
# acts early; when it did (a request queued to the crypto engine by a context 5 us ahead),
# `speed` at 256 bytes ran 20 % faster at a 5 us quantum than at 1 us.
# cmake -DAESVP=<aesvp> -DTOLERANCE_MILLIPCT=<1/1000 percent> -P quantum_independence_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/timing_helpers.cmake")

# figures(<var> <quantum_ns>): "us/op" of each `speed` size, then the simulated ms of a `run`.
function(figures var quantum)
  execute_process(COMMAND ${AESVP} speed --sizes 256,1024 --seconds-per-size 0.002
                          --soc.timing_mode=fast --cpu.quantum_ns=${quantum}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "aesvp speed failed (${rc}): ${err}")
  endif()
  set(values "")
  foreach(size 256 1024)
    # The table row: bytes, ops, kB/s, us/op, ...
    if(NOT out MATCHES "\n +${size} +[0-9]+ +[0-9.]+ +([0-9.]+) ")
      message(FATAL_ERROR "no ${size}-byte row in the speed table:\n${out}")
    endif()
    list(APPEND values ${CMAKE_MATCH_1})
  endforeach()
  simulated_ms(ms run --size-mib 1 --pattern rand --bio-kib 4 --queue-depth 8
               --read-percent 50 --soc.timing_mode=fast --cpu.quantum_ns=${quantum})
  list(APPEND values ${ms})
  set(${var} ${values} PARENT_SCOPE)
endfunction()

figures(small 1000)
figures(large 10000)
set(names speed_256_us_per_op speed_1024_us_per_op run_random_4k_qd8_ms)
set(failed "")
foreach(i RANGE 2)
  list(GET small ${i} a)
  list(GET large ${i} b)
  list(GET names ${i} name)
  millipercent(d abs_d ${b} ${a})
  message(STATUS "${name}: quantum 1 us ${a}, quantum 10 us ${b}, difference ${d}/1000 %")
  if(abs_d GREATER TOLERANCE_MILLIPCT)
    list(APPEND failed ${name})
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "fast mode depends on the quantum by more than ${TOLERANCE_MILLIPCT}/1000 %: ${failed}")
endif()
