# The long randomised regression suite (ctest label "long"): RUNS random dm-crypt jobs through
# the whole stack with `aesvp run`, each verified sector by sector by the scoreboard against
# the independent OpenSSL reference: cipher spec x key size x sector size x IV mode x
# direction (every job writes, reads back, and some mix random reads and writes), queue
# depth, bio size and timing mode drawn from a fixed seed (reproducible; change SEED to
# explore). cmake -DAESVP=<aesvp> -DRUNS=<n> -DSEED=<n> -P long_random_test.cmake
set(specs
  "aes-ecb" "aes-cbc-plain" "aes-cbc-plain64" "aes-cbc-plain64be" "aes-cbc-essiv:sha256"
  "aes-cbc-essiv:md5" "aes-cbc-benbi" "aes-cbc-null" "aes-ctr-plain" "aes-ctr-plain64"
  "aes-ctr-plain64be" "aes-xts-plain" "aes-xts-plain64" "aes-xts-plain64be"
  "aes-xts-essiv:sha256" "capi:xts(aes)-plain64" "capi:cbc(aes)-essiv:sha256"
  "capi:ctr(aes)-plain64" "capi:ecb(aes)" "aes:2-cbc-plain64" "aes:4-xts-plain64")
list(LENGTH specs nspecs)
set(key_bits 128 192 256)
set(sector_sizes 512 1024 2048 4096)
string(RANDOM LENGTH 1 RANDOM_SEED ${SEED} ALPHABET 0 ignored)  # seeds the generator

# A random integer in [0, n).
function(pick n out)
  string(RANDOM LENGTH 6 ALPHABET 0123456789 r)
  string(REGEX REPLACE "^0+" "" r "${r}")
  if(r STREQUAL "")
    set(r 0)
  endif()
  math(EXPR v "${r} % ${n}")
  set(${out} ${v} PARENT_SCOPE)
endfunction()

math(EXPR last "${RUNS} - 1")
foreach(i RANGE ${last})
  pick(${nspecs} s)
  list(GET specs ${s} spec)
  set(keycount 1)
  if(spec MATCHES "^aes:([0-9]+)-")
    set(keycount ${CMAKE_MATCH_1})
  endif()
  pick(3 k)
  list(GET key_bits ${k} bits)
  if(spec MATCHES "xts")
    math(EXPR bits "2 * ${bits}")
  endif()
  math(EXPR bits "${bits} * ${keycount}")
  pick(4 z)
  list(GET sector_sizes ${z} sector)
  set(args --cipher ${spec} --key-size ${bits} --sector-size ${sector} --size-mib 1
           --seed ${i})
  pick(2 large)
  if(sector GREATER 512 AND large EQUAL 1)
    list(APPEND args --iv-large-sectors)
  endif()
  pick(16 q)
  math(EXPR q "${q} + 1")
  list(APPEND args --queue-depth ${q})
  pick(3 mix)
  if(mix EQUAL 0)
    list(APPEND args --pattern rand --read-percent 60 --mixed-mib 1)
  endif()
  pick(4 acc)
  if(acc EQUAL 0)
    list(APPEND args --soc.timing_mode=accurate)
  endif()
  execute_process(COMMAND ${AESVP} run ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run ${i}: aesvp run ${args}\nexit ${rc}\n${err}\n${out}")
  endif()
  string(REGEX MATCH "verified +[0-9]+ of [0-9]+" v "${out}")
  message(STATUS "run ${i}: ${spec} ${bits} bits, sector ${sector}: ${v}")
endforeach()
