# `aesvp hw --vcd`: bad options -> one error line, exit 2, no file; a good run writes a VCD.
# Run by ctest: cmake -DAESVP=<aesvp binary> -DWORK=<scratch dir> -P waveform_cli_test.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(small --requests 1 --request-bytes 64)

function(expect_usage_error what)
  execute_process(COMMAND ${AESVP} hw ${small} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(STRIP "${err}" err)
  string(FIND "${err}" "\n" newline)
  if(NOT rc EQUAL 2 OR NOT newline EQUAL -1 OR NOT err MATCHES "^aesvp hw: error: ")
    message(FATAL_ERROR "${what}: expected one error line and exit 2, got ${rc}: '${err}'")
  endif()
  file(GLOB left ${WORK}/bad*)
  if(left)
    message(FATAL_ERROR "${what}: a file was left behind")
  endif()
  message(STATUS "${what}: ${err}")
endfunction()

set(bad --vcd ${WORK}/bad.vcd)
expect_usage_error("unknown group" ${bad} --vcd-signals irq,bogus)
expect_usage_error("no group" ${bad} --vcd-signals "")
expect_usage_error("empty window" ${bad} --vcd-window 5us:1us)
expect_usage_error("bad unit" ${bad} --vcd-window 0:5parsecs)
expect_usage_error("not BEGIN:END" ${bad} --vcd-window 5us)
expect_usage_error("window without --vcd" --vcd-window 0:5us)
expect_usage_error("not .vcd" --vcd ${WORK}/bad.txt)

execute_process(COMMAND ${AESVP} hw ${small} --vcd ${WORK}/run.vcd --vcd-signals irq,dma
                        --vcd-window 0:100us
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "good run failed (${rc}): ${err}")
endif()
file(READ ${WORK}/run.vcd vcd)
foreach(want "$enddefinitions" " sdma_l0 " " aes1_tx ")
  string(FIND "${vcd}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "run.vcd has no '${want}'")
  endif()
endforeach()
string(FIND "${vcd}" " core_busy " at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "run.vcd has the unselected aes group")
endif()
if(NOT out MATCHES "waveforms +")
  message(FATAL_ERROR "the summary does not mention the waveform file: ${out}")
endif()
# The GTKWave layout beside it opens it, zoomed to the recorded range.
file(READ ${WORK}/run.gtkw gtkw)
if(NOT gtkw MATCHES "\\[dumpfile\\] \"[^\"]*run\\.vcd\"" OR NOT gtkw MATCHES "\n\\*-[0-9]+\\.[0-9]+ -1")
  message(FATAL_ERROR "run.gtkw does not name run.vcd or has no zoom:\n${gtkw}")
endif()

# A window with an end stops aesvp hw there when nothing else (--stats) needs the run.
execute_process(COMMAND ${AESVP} hw --requests 64 --request-bytes 4096 --vcd ${WORK}/stop.vcd
                        --vcd-signals irq --vcd-window 0:50us
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "stopped +at 50\\.000 us" OR NOT out MATCHES "completed +[0-9]+ of 64 requests")
  message(FATAL_ERROR "the window did not stop the run (${rc}): ${out}${err}")
endif()
execute_process(COMMAND ${AESVP} hw --requests 64 --request-bytes 4096 --vcd ${WORK}/full.vcd
                        --vcd-signals irq --vcd-window 0:50us --stats ${WORK}/full.json
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR out MATCHES "stopped" OR NOT out MATCHES "verified +64 of 64")
  message(FATAL_ERROR "with --stats the run must go to its end (${rc}): ${out}${err}")
endif()
