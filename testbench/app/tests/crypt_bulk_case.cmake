# One case of the bulk-mode matrix (registered in crypt_tests.cmake): the same area through
# `aesvp crypt` with --bulk off, engine and submit, encrypt and decrypt, each graded against the
# independent oracle (dmcrypt_oracle; not the stack's own output). Variables:
#   AESVP, REF, ORACLE, WORK, SPEC, KEYBITS, IMAGE_BYTES, AREA_OPTS, MAP_OPTS (as crypt_case.cmake)
#   EXPECT   units    the spec is one the bulk extension derives IVs for: submit must send
#                     requests of several sectors and the engine must build composites;
#            fallback it is not (ECB, CTR, benbi, null, ESSIV with XTS, several key slots):
#                     submit must say it fell back to one request per sector, the engine must
#                     build no composite, and the bytes must still be right.
# The requests are capped at 12 KiB and the image goes through 16 KiB chunks, so requests of
# several sizes (and single-sector remainders) occur within one case.
string(REPLACE "|" ";" AREA_OPTS "${AREA_OPTS}")
string(REPLACE "|" ";" MAP_OPTS "${MAP_OPTS}")
string(REPLACE "|" ";" RUN_OPTS "${RUN_OPTS}")
string(FIND "${RUN_OPTS}" "--scatter-pages" scatter_at)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
include("${CMAKE_CURRENT_LIST_DIR}/crypt_helpers.cmake")

math(EXPR key_bytes "${KEYBITS} / 8")
run("${REF}" gen "${WORK}/image" ${IMAGE_BYTES} 5)
run("${REF}" gen "${WORK}/key" ${key_bytes} 17)
set(common --cipher "${SPEC}" --key-size ${KEYBITS} --key-file "${WORK}/key" ${MAP_OPTS} ${AREA_OPTS})
run("${ORACLE}" encrypt ${common} "${WORK}/image" "${WORK}/encrypt.oracle")
run("${ORACLE}" decrypt ${common} "${WORK}/image" "${WORK}/decrypt.oracle")

foreach(mode off engine submit)
  foreach(dir encrypt decrypt)
    set(out "${WORK}/${dir}.${mode}")
    execute_process(COMMAND "${AESVP}" crypt --soc.timing_mode=fast --bulk ${mode}
                            --driver.merge_max_bytes=12288 --chunk-kib 16 ${RUN_OPTS} ${common}
                            --${dir} "${WORK}/image" "${out}"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "--bulk ${mode} --${dir} failed (${rc}):\n${text}${err}")
    endif()
    same("${out}" "${WORK}/${dir}.oracle" "--bulk ${mode} --${dir} vs independent oracle")
    # Scattered pages: the multi-unit requests' lists reach the DMA as they are (the output
    # side at least: in place the input is copied, as Linux omap-aes does) and the sDMA runs
    # them as descriptor lists.
    if(NOT scatter_at EQUAL -1 AND NOT mode STREQUAL "off" AND EXPECT STREQUAL "units")
      if(NOT text MATCHES "bulk DMA +[1-9][0-9]* multi-unit requests: ([0-9]+) mapped as scatterlists, ([0-9]+) in place")
        message(FATAL_ERROR "--bulk ${mode} --${dir}: no bulk DMA summary:\n${text}")
      endif()
      if(dir STREQUAL "encrypt" AND CMAKE_MATCH_1 EQUAL 0 OR dir STREQUAL "decrypt" AND CMAKE_MATCH_2 EQUAL 0)
        message(FATAL_ERROR "--bulk ${mode} --${dir}: multi-unit lists were bounced:\n${text}")
      endif()
      if(NOT text MATCHES "sDMA descriptor lists: [1-9][0-9]* transfers as descriptor lists")
        message(FATAL_ERROR "--bulk ${mode} --${dir}: no sDMA descriptor list:\n${text}")
      endif()
    endif()
    if(mode STREQUAL "submit")
      if(EXPECT STREQUAL "units" AND NOT text MATCHES "requests +[0-9]+ \\(for [0-9]+ sectors of [0-9]+ bytes, [1-9][0-9]* of several\\)")
        message(FATAL_ERROR "--bulk submit sent no request of several sectors:\n${text}")
      elseif(EXPECT STREQUAL "fallback" AND NOT text MATCHES "dm-crypt bulk +one request per sector: ")
        message(FATAL_ERROR "--bulk submit did not report its fallback:\n${text}")
      endif()
    elseif(mode STREQUAL "engine")
      if(EXPECT STREQUAL "units" AND NOT text MATCHES "engine merging .* [1-9][0-9]* composites")
        message(FATAL_ERROR "--bulk engine built no composite:\n${text}")
      elseif(EXPECT STREQUAL "fallback" AND NOT text MATCHES "engine merging .* 0 composites")
        message(FATAL_ERROR "--bulk engine merged requests of a spec it cannot run as units:\n${text}")
      endif()
    endif()
  endforeach()
endforeach()
file(REMOVE_RECURSE "${WORK}")
