# --stats on every command says how the file was made: the tool version that `aesvp --version`
# prints, the command line as given, model-parameter overrides with the values given here, the
# command's options, the seed and the host; --stats-normalise nulls the host facts.
# cmake -DAESVP=<aesvp> -DWORK=<dir> -P stats_provenance_test.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${AESVP} --version OUTPUT_VARIABLE version_line RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT version_line MATCHES "^aesvp ([0-9]+\\.[0-9]+\\.[0-9]+)")
  message(FATAL_ERROR "aesvp --version: '${version_line}' (exit ${rc})")
endif()
set(version ${CMAKE_MATCH_1})
execute_process(COMMAND ${AESVP} -V OUTPUT_VARIABLE v2)
if(NOT v2 STREQUAL version_line)
  message(FATAL_ERROR "aesvp -V: '${v2}'")
endif()

function(check_field json expected)
  string(JSON got GET "${json}" ${ARGN})
  if(NOT got STREQUAL "${expected}")
    message(FATAL_ERROR "${ARGN}: '${got}', expected '${expected}'")
  endif()
endfunction()

# One run per command, each with a parameter override and a seed.
set(cmd_run run --size-mib 1 --seed 5 --cpu.clock_mhz=800 --stats ${WORK}/run.json)
set(cmd_hw hw --requests 2 --request-bytes 256 --seed 5 --cpu.clock_mhz=800 --stats ${WORK}/hw.json)
set(cmd_speed speed --sizes 64 --seconds-per-size 0.0005 --seed 5 --cpu.clock_mhz=800
              --stats ${WORK}/speed.json)
file(WRITE ${WORK}/key "0123456789abcdef0123456789abcdef")
string(REPEAT "0123456789abcdef" 4096 image)
file(WRITE ${WORK}/image "${image}")
set(cmd_crypt crypt --cipher aes-cbc-plain --key-size 256 --key-file ${WORK}/key --encrypt
              --seed 5 --cpu.clock_mhz=800 --stats ${WORK}/crypt.json ${WORK}/image ${WORK}/out)
foreach(c run hw speed crypt)
  execute_process(COMMAND ${AESVP} ${cmd_${c}} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "aesvp ${cmd_${c}}: exit ${rc}: ${err}")
  endif()
  file(READ ${WORK}/${c}.json j)
  check_field("${j}" "aesvp.run-statistics" schema)
  check_field("${j}" "${version}" tool version)
  check_field("${j}" "${c}" run command)
  check_field("${j}" "5" run seed)
  check_field("${j}" "omap4" configuration profile)
  check_field("${j}" "800.0" configuration parameters cpu.clock_mhz)  # a double parameter
  check_field("${j}" "500.0" configuration parameters intc.clock_mhz)  # a default, also there
  # The command line, word by word.
  set(i 1)
  foreach(word ${cmd_${c}})
    check_field("${j}" "${word}" command_line ${i})
    math(EXPR i "${i} + 1")
  endforeach()
  string(JSON n LENGTH "${j}" command_line)
  if(NOT n EQUAL i)
    message(FATAL_ERROR "${c}: command_line has ${n} words, expected ${i}")
  endif()
  string(JSON host GET "${j}" host name)
  if(host STREQUAL "" OR host STREQUAL "null")
    message(FATAL_ERROR "${c}: no host name")
  endif()
endforeach()
check_field("${j}" "aes-cbc-plain" configuration options cipher)
file(READ ${WORK}/run.json j)
check_field("${j}" "1M" configuration options size)  # --size-mib 1 is --size 1M
file(READ ${WORK}/speed.json j)
check_field("${j}" "64" sizes 0 bytes)  # speed's own layout is kept

execute_process(COMMAND ${AESVP} hw --requests 1 --request-bytes 16 --stats ${WORK}/n.json
                        --stats-normalise RESULT_VARIABLE rc OUTPUT_QUIET)
file(READ ${WORK}/n.json j)
foreach(f "host;name" "host;os" "time;host_s")
  string(JSON t TYPE "${j}" ${f})
  if(NOT t STREQUAL "NULL")
    message(FATAL_ERROR "--stats-normalise: ${f} is ${t}, not null")
  endif()
endforeach()
