# The long randomised regression (ctest label "long") is a sweep spec,
# long_regression.sweep.json: here it runs with the local runner, from scratch, and every
# point must finish with exit 0 (each `aesvp run` verifies every sector against OpenSSL).
# On a farm: aesvp sweep submit long_regression.sweep.json --out DIR (docs/sweeps.md).
# cmake -DAESVP=<aesvp> -DSPEC=<spec> -DWORK=<dir> [-DJOBS=<n>] -P long_sweep_test.cmake
if(NOT JOBS)
  set(JOBS 2)
endif()
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${AESVP} sweep run ${SPEC} --out ${WORK} --jobs ${JOBS} --no-progress
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "aesvp sweep run ${SPEC}: exit ${rc}\n${err}\n"
                      "the failed points' files are in ${WORK}/points/<id>/")
endif()
