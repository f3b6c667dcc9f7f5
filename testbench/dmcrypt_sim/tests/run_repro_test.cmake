# `aesvp run` is reproducible: the same seed and options give the same statistics (host time
# normalised with --stats-normalise) and the same summary apart from the host-time line.
# Run by ctest: cmake -DAESVP=<aesvp binary> -DWORK=<scratch dir> -P run_repro_test.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(job --size-mib 1 --pattern rand --read-percent 60 --mixed-mib 1 --bio-kib 4,16
        --queue-depth 5 --cipher aes-xts-plain64 --stats-normalise)
foreach(i 1 2)
  execute_process(COMMAND ${AESVP} run ${job} --seed 42 --stats ${WORK}/run${i}.json
    RESULT_VARIABLE rc OUTPUT_VARIABLE out${i} ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run ${i} failed (${rc}): ${err}")
  endif()
  string(REGEX REPLACE "host time[^\n]*" "" out${i} "${out${i}}")
  string(REGEX REPLACE "statistics[^\n]*" "" out${i} "${out${i}}")
endforeach()
file(READ ${WORK}/run1.json a)
file(READ ${WORK}/run2.json b)
if(NOT a STREQUAL b)
  message(FATAL_ERROR "the statistics of two identical runs differ")
endif()
if(NOT out1 STREQUAL out2)
  message(FATAL_ERROR "the summaries differ:\n${out1}\n---\n${out2}")
endif()
string(FIND "${a}" "\"host_s\": null" at)
if(at EQUAL -1)
  message(FATAL_ERROR "host time not normalised")
endif()
# A different seed changes the simulated results.
execute_process(COMMAND ${AESVP} run ${job} --seed 43 --stats ${WORK}/run3.json
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
file(READ ${WORK}/run3.json c)
if(NOT rc EQUAL 0 OR a STREQUAL c)
  message(FATAL_ERROR "seed 43: rc ${rc}, same statistics as seed 42")
endif()
