# `aesvp run`: bad options -> one error line, exit 2, no output file; a small good run prints
# the summary and writes the statistics JSON.
# Run by ctest: cmake -DAESVP=<aesvp binary> -DWORK=<scratch dir> -P run_cli_test.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(small --size-mib 1 --bio-kib 16)

function(expect_usage_error what)
  set(stats --stats ${WORK}/bad.json)
  list(FIND ARGN --stats given)
  if(NOT given EQUAL -1)
    set(stats "")
  endif()
  execute_process(COMMAND ${AESVP} run ${small} ${stats} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(STRIP "${err}" err)
  string(FIND "${err}" "\n" newline)
  if(NOT rc EQUAL 2 OR NOT newline EQUAL -1 OR NOT err MATCHES "^aesvp run: error: ")
    message(FATAL_ERROR "${what}: expected one error line and exit 2, got ${rc}: '${err}'")
  endif()
  if(NOT out STREQUAL "")
    message(FATAL_ERROR "${what}: output on stdout: '${out}'")
  endif()
  file(GLOB left ${WORK}/bad*)
  if(left)
    message(FATAL_ERROR "${what}: a file was left behind")
  endif()
  message(STATUS "${what}: ${err}")
endfunction()

file(WRITE ${WORK}/short.key "0123456789")
expect_usage_error("unknown option" --bogus 1)
expect_usage_error("bad cipher" --cipher aes-xts-benbi)
expect_usage_error("unknown chain" --cipher aes-ofb-plain64)
expect_usage_error("bad key size" --key-size 320)
expect_usage_error("key size for cbc" --cipher aes-cbc-plain64 --key-size 512)
expect_usage_error("key size not bytes" --key-size 500)
expect_usage_error("short key file" --key-file ${WORK}/short.key)
expect_usage_error("missing key file" --key-file ${WORK}/none.key)
expect_usage_error("bad sector size" --sector-size 1000)
expect_usage_error("large sector size" --sector-size 8192)
expect_usage_error("iv large with 512" --iv-large-sectors)
expect_usage_error("bad skip" --sector-size 4096 --skip 3)
expect_usage_error("bad pattern" --pattern zigzag)
expect_usage_error("read percent" --read-percent 101)
expect_usage_error("bio size" --bio-kib 0)
expect_usage_error("bio list" --bio-kib 4,x)
expect_usage_error("bio not sectors" --sector-size 4096 --bio-kib 2)
expect_usage_error("queue depth" --queue-depth 0)
expect_usage_error("size" --size-mib 0)
expect_usage_error("timing mode" --soc.timing_mode slow)
expect_usage_error("vcd name" --vcd ${WORK}/bad.txt)
expect_usage_error("vcd window without vcd" --vcd-window 0:5us)
expect_usage_error("seed" --seed -4)
expect_usage_error("mixed without reads" --mixed-mib 2)
expect_usage_error("corruption sector" --inject-corruption 2048)
expect_usage_error("stats dir" --stats ${WORK}/nodir/bad.json)
expect_usage_error("bulk mode" --bulk sometimes)

# A good small run with a key file and a file-backed disk.
file(WRITE ${WORK}/good.key "0123456789abcdef0123456789ABCDEF")
execute_process(COMMAND ${AESVP} run --size-mib 1 --bio-kib 8,32 --queue-depth 3
                        --cipher aes-cbc-essiv:sha256 --key-size 256 --key-file ${WORK}/good.key
                        --disk ${WORK}/disk.img --stats ${WORK}/run.json
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "good run failed (${rc}): ${err}\n${out}")
endif()
foreach(want "aes-cbc-essiv:sha256" "timing mode +fast" "simulated time" "phase write" "phase read"
             "request latency +p50" "AES core +busy" "sDMA port +busy" "CPU load"
             "verified +4096 of 4096 sectors" "host time")
  if(NOT out MATCHES "${want}")
    message(FATAL_ERROR "the summary has no '${want}':\n${out}")
  endif()
endforeach()
file(SIZE ${WORK}/disk.img disk_size)
if(NOT disk_size EQUAL 1048576)
  message(FATAL_ERROR "disk file of ${disk_size} bytes")
endif()
file(READ ${WORK}/run.json json)
string(JSON schema GET "${json}" schema)
string(JSON verified GET "${json}" counts requests_verified)
if(NOT schema STREQUAL "aesvp.run-statistics")
  message(FATAL_ERROR "statistics schema '${schema}'")
endif()
if(NOT verified EQUAL 4096)
  message(FATAL_ERROR "statistics: ${verified} requests verified, expected 4096")
endif()

# A flipped disk byte between the write and the read phase: reported with its sector, exit 1;
# the failed run writes none of its outputs and does not name them as written.
file(REMOVE ${WORK}/failed.json ${WORK}/failed.trace.json)
execute_process(COMMAND ${AESVP} run --size-mib 1 --bio-kib 16 --inject-corruption 1000
                        --stats ${WORK}/failed.json --timeline ${WORK}/failed.trace.json
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT out MATCHES "read mismatch: sector 1000 \\(512-byte sector 1000\\)"
   OR NOT out MATCHES "1 mismatching sectors" OR NOT err MATCHES "no output written")
  message(FATAL_ERROR "corruption run: rc ${rc}, output:\n${out}\n${err}")
endif()
if(EXISTS ${WORK}/failed.json OR EXISTS ${WORK}/failed.trace.json
   OR out MATCHES "statistics  " OR out MATCHES "timeline  ")
  message(FATAL_ERROR "a failed run wrote or named its outputs:\n${out}")
endif()

# --bulk: --print-config reflects it (the extension on, labelled beyond TI silicon; engine:
# the merge policy) and reads back; submit sends one request per bio, verified, JSON says so.
foreach(mode engine submit)
  execute_process(COMMAND ${AESVP} run --bulk ${mode} --print-config
    RESULT_VARIABLE rc OUTPUT_VARIABLE cfg ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT cfg MATCHES "\nbulk = ${mode}\n" OR NOT cfg MATCHES "\nbulk_extension = true\n"
     OR NOT cfg MATCHES "BEYOND TI SILICON")
    message(FATAL_ERROR "--bulk ${mode} --print-config (${rc}): ${err}\n${cfg}")
  endif()
  if(mode STREQUAL "engine" AND NOT cfg MATCHES "\nmerge = opportunistic\n")
    message(FATAL_ERROR "--bulk engine --print-config: no merge policy\n${cfg}")
  endif()
  file(WRITE ${WORK}/bulk.cfg "${cfg}")
  execute_process(COMMAND ${AESVP} run --config ${WORK}/bulk.cfg --print-config
    RESULT_VARIABLE rc OUTPUT_VARIABLE again ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT again STREQUAL cfg)
    message(FATAL_ERROR "--bulk ${mode}: the printed configuration does not read back (${rc}): ${err}")
  endif()
endforeach()
execute_process(COMMAND ${AESVP} run ${small} --bulk submit --stats ${WORK}/submit.json
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "dm-crypt bulk +128 requests for 4096 sectors \\(32.00 per request\\)"
   OR NOT out MATCHES "verified +4096 of 4096 sectors")
  message(FATAL_ERROR "--bulk submit run (${rc}): ${err}\n${out}")
endif()
file(READ ${WORK}/submit.json json)
string(JSON submitted GET "${json}" counts requests_submitted)
string(JSON units GET "${json}" counts unit_requests)
if(NOT submitted EQUAL 128 OR NOT units EQUAL 128)
  message(FATAL_ERROR "--bulk submit statistics: ${submitted} requests, ${units} of several sectors")
endif()
