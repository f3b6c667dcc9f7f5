# traces/gtkwave/aesvp.gtkw resolves every signal of an `aesvp hw --vcd` file in GTKWave.
# Added by traces/sc/CMakeLists.txt only when gtkwave and xvfb-run (a virtual display) exist.
# cmake -DAESVP=<aesvp> -DGTKW=<layout> -DGTKWAVE=<gtkwave> -DXVFB_RUN=<xvfb-run> -DWORK=<dir>
#       -P gtkw_layout_test.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${AESVP} hw --requests 1 --request-bytes 64 --vcd ${WORK}/run.vcd
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "aesvp hw failed (${rc})")
endif()
file(WRITE ${WORK}/check.tcl
  "foreach s [gtkwave::getDisplayedSignals] { puts \"SIG $s\" }\ngtkwave::/File/Quit\n")
execute_process(COMMAND ${XVFB_RUN} -a ${GTKWAVE} -S ${WORK}/check.tcl ${WORK}/run.vcd ${GTKW}
  WORKING_DIRECTORY ${WORK} TIMEOUT 120 RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCHALL "SIG [^\n]+" shown "${out}")
list(LENGTH shown n)
# Every signal of the default platform (1 AES, 2 cores), all groups: 28.
if(NOT n EQUAL 28)
  message(FATAL_ERROR "GTKWave shows ${n} of 28 layout signals (rc ${rc}):\n${out}\n${err}")
endif()
message(STATUS "GTKWave resolves all ${n} signals of the layout")
