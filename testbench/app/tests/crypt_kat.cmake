# One known-answer image (registered in crypt_tests.cmake). Variables:
#   AESVP, REF, ORACLE  the program, the testbench's reference, the independent oracle
#   KAT                 the case directory: args (aesvp crypt options), key, plain, expected
#   WORK                a directory of its own
# The expected bytes are checked in: for ieee1619_* and sp800_38a_* they are the published
# vectors, for the others the independent oracle's output at the time they were made
# (dmcrypt_oracle/kat/README.md). Checks:
#   1. aesvp crypt --encrypt of `plain` gives `expected`; --decrypt of `expected` gives the
#      plaintext area back;
#   2. the testbench's reference and the oracle give `expected` too.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(STRINGS "${KAT}/args" args LIMIT_COUNT 1)
separate_arguments(args UNIX_COMMAND "${args}")

include("${CMAKE_CURRENT_LIST_DIR}/crypt_helpers.cmake")

set(key --key-file "${KAT}/key")
run("${AESVP}" crypt --soc.timing_mode=fast ${args} ${key} --encrypt "${KAT}/plain" "${WORK}/enc")
same("${WORK}/enc" "${KAT}/expected" "aesvp crypt --encrypt vs known answer")
run("${REF}" encrypt ${args} ${key} "${KAT}/plain" "${WORK}/enc.ref")
same("${WORK}/enc.ref" "${KAT}/expected" "testbench reference vs known answer")
run("${ORACLE}" encrypt ${args} ${key} "${KAT}/plain" "${WORK}/enc.oracle")
same("${WORK}/enc.oracle" "${KAT}/expected" "independent oracle vs known answer")

# Decrypt the expected area as a volume of its own (no --offset) and compare with the plaintext
# area.
set(dec_args)
set(offset 0)
set(skip_next FALSE)
foreach(a IN LISTS args)
  if(skip_next)
    set(offset ${a})
    set(skip_next FALSE)
  elseif(a STREQUAL "--offset")
    set(skip_next TRUE)
  else()
    list(APPEND dec_args "${a}")
  endif()
endforeach()
run("${AESVP}" crypt --soc.timing_mode=fast ${dec_args} ${key} --decrypt "${KAT}/expected" "${WORK}/dec")
math(EXPR skip_bytes "${offset} * 512")
file(READ "${KAT}/plain" plain_hex OFFSET ${skip_bytes} HEX)
file(READ "${WORK}/dec" dec_hex HEX)
if(NOT plain_hex STREQUAL dec_hex)
  message(FATAL_ERROR "aesvp crypt --decrypt of the known answer does not give the plaintext back")
endif()
file(REMOVE_RECURSE "${WORK}")
