# `aesvp crypt --key-file -`: a passphrase on standard input, hashed as cryptsetup's plain mode
# does (one direct hash; round i hashes i x 'A' then the passphrase; rounds concatenated and
# truncated to the key size). The expected key is computed here by Python's hashlib, not by
# aesvp's code, then used as a raw key file: both runs must give the same bytes.
# Variables: AESVP, REF (crypt_reference_tool, for the image), WORK, PYTHON.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
include("${CMAKE_CURRENT_LIST_DIR}/crypt_helpers.cmake")
run("${REF}" gen "${WORK}/image" 16384 5)
# Only the first line counts: cryptsetup reads a passphrase up to the first newline.
file(WRITE "${WORK}/pass" "correct horse battery staple\nnot part of it\n")

# key(HASH BYTES OUT): the cryptsetup plain-mode key for the passphrase above.
function(key hash bytes out)
  execute_process(
    COMMAND "${PYTHON}" -c "
import hashlib, sys
p = b'correct horse battery staple'; n = ${bytes}; k = b''; i = 0
while len(k) < n:
    k += hashlib.new('${hash}', b'A' * i + p).digest(); i += 1
sys.stdout.buffer.write(k[:n])"
    OUTPUT_FILE "${out}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "hashlib failed: ${err}")
  endif()
endfunction()

# stdin_run(OUT ARGS...): aesvp crypt with the passphrase file on standard input.
function(stdin_run out)
  execute_process(COMMAND "${AESVP}" crypt --soc.timing_mode=fast --key-file - ${ARGN}
                          --encrypt "${WORK}/image" "${out}"
                  INPUT_FILE "${WORK}/pass" RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "--key-file - failed (${rc}): ${o}${e}")
  endif()
endfunction()

# The defaults: aes-cbc-essiv:sha256, 256-bit key, ripemd160 (20 bytes: two rounds).
key(ripemd160 32 "${WORK}/key.rmd")
stdin_run("${WORK}/enc.stdin")
run("${AESVP}" crypt --soc.timing_mode=fast --key-file "${WORK}/key.rmd" --encrypt
    "${WORK}/image" "${WORK}/enc.file")
same("${WORK}/enc.stdin" "${WORK}/enc.file" "default hash ripemd160")

# sha256 for a 512-bit XTS key (two rounds of 32 bytes).
key(sha256 64 "${WORK}/key.sha")
stdin_run("${WORK}/xts.stdin" -c aes-xts-plain64 -s 512 -h sha256)
run("${AESVP}" crypt --soc.timing_mode=fast -c aes-xts-plain64 -s 512 --key-file "${WORK}/key.sha"
    --encrypt "${WORK}/image" "${WORK}/xts.file")
same("${WORK}/xts.stdin" "${WORK}/xts.file" "--hash sha256, 512-bit key")

# --keyfile-size bounds the passphrase: 7 bytes of it.
execute_process(
  COMMAND "${PYTHON}" -c "
import hashlib, sys
p = b'correct'; k = hashlib.new('sha256', p).digest()
sys.stdout.buffer.write(k[:32])"
  OUTPUT_FILE "${WORK}/key.short" RESULT_VARIABLE rc)
stdin_run("${WORK}/short.stdin" -h sha256 --keyfile-size 7)
run("${AESVP}" crypt --soc.timing_mode=fast --key-file "${WORK}/key.short" --encrypt
    "${WORK}/image" "${WORK}/short.file")
same("${WORK}/short.stdin" "${WORK}/short.file" "--keyfile-size 7")

# The outputs differ from each other (a hash that was ignored would make two of them equal).
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${WORK}/enc.stdin" "${WORK}/short.stdin"
                RESULT_VARIABLE differ)
if(differ EQUAL 0)
  message(FATAL_ERROR "the ripemd160 and the sha256 keys gave the same output")
endif()
# A key file with --keyfile-size covering the key: the first key-size / 8 bytes, as without it.
run("${AESVP}" crypt --soc.timing_mode=fast --key-file "${WORK}/key.rmd" --keyfile-size 32
    --encrypt "${WORK}/image" "${WORK}/enc.sized")
same("${WORK}/enc.sized" "${WORK}/enc.file" "key file with --keyfile-size 32")

# An unknown hash is refused in one line, exit 2.
execute_process(COMMAND "${AESVP}" crypt --key-file - -h nohash --encrypt "${WORK}/image"
                        "${WORK}/bad" INPUT_FILE "${WORK}/pass" RESULT_VARIABLE rc
                OUTPUT_VARIABLE o ERROR_VARIABLE e)
if(NOT rc EQUAL 2 OR NOT e MATCHES "^aesvp crypt: error: .*unknown hash 'nohash'\n$" OR EXISTS "${WORK}/bad")
  message(FATAL_ERROR "unknown hash: rc ${rc}, stderr '${e}'")
endif()
file(REMOVE_RECURSE "${WORK}")
