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

# The layout written beside the VCD opens it by itself, shows its signals, and is zoomed to
# the recorded range: GTKWave's window spans the whole file (not the first few ps) and not
# much more.
file(READ ${WORK}/run.vcd vcd)
string(REGEX MATCHALL "\n#[0-9]+" stamps "${vcd}")
list(GET stamps -1 last)
string(REGEX REPLACE "\n#" "" last "${last}")
file(WRITE ${WORK}/zoom.tcl
  "puts \"WIN [gtkwave::getWindowStartTime] [gtkwave::getWindowEndTime]\"\n"
  "puts \"NSIG [llength [gtkwave::getDisplayedSignals]]\"\ngtkwave::/File/Quit\n")
execute_process(COMMAND ${XVFB_RUN} -a ${GTKWAVE} -S ${WORK}/zoom.tcl ${WORK}/run.gtkw
  WORKING_DIRECTORY ${WORK} TIMEOUT 120 RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT out MATCHES "WIN ([0-9]+) ([0-9]+)")
  message(FATAL_ERROR "GTKWave did not report its window (rc ${rc}):\n${out}\n${err}")
endif()
set(start ${CMAKE_MATCH_1})
set(end ${CMAKE_MATCH_2})
math(EXPR twice "${last} * 2")
if(NOT start EQUAL 0 OR end LESS last OR end GREATER twice)
  message(FATAL_ERROR "the layout shows ${start}..${end} ps of a file that ends at ${last} ps")
endif()
if(NOT out MATCHES "NSIG 28")
  message(FATAL_ERROR "the generated layout does not show the 28 signals:\n${out}")
endif()
message(STATUS "the generated layout shows ${start}..${end} ps of a ${last} ps file")
