# One `aesvp crypt` case (registered in testbench/app/CMakeLists.txt). Variables:
#   AESVP, REF        the program and crypt_reference_tool (the testbench's own reference)
#   ORACLE            dmcrypt_oracle (the independent reference, no code shared with REF)
#   WORK              a directory of its own
#   SPEC, KEYBITS     --cipher, --key-size
#   IMAGE_BYTES       size of the generated image
#   AREA_OPTS         area options, '|'-separated (--offset|3|--size|40)
#   MAP_OPTS          mapping options, '|'-separated (--skip|8|--sector-size|4096|--iv-large-sectors)
#   EXPECT_BYTES      bytes the area holds (computed by hand in the registration)
#   SIM_DEFAULTS      if set, aesvp gets neither --cipher nor --key-size (SPEC and KEYBITS are
#                     then what the defaults must be: aes-cbc-essiv:sha256, 256)
#   PROFILE, TIMING   SoC profile (default omap4) and timing mode (default fast)
# Checks, through the simulated hardware:
#   1. --encrypt of the image equals the independent oracle over the same area, and so does
#      the testbench's reference (dmcrypt::Reference); the output holds exactly EXPECT_BYTES;
#   2. --decrypt of the image (taken as a ciphertext volume) equals both references;
#   3. round trip: --decrypt of the encrypted area (now a volume of its own: --offset 0,
#      same --skip) gives back the plaintext area.
string(REPLACE "|" ";" AREA_OPTS "${AREA_OPTS}")
string(REPLACE "|" ";" MAP_OPTS "${MAP_OPTS}")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

include("${CMAKE_CURRENT_LIST_DIR}/crypt_helpers.cmake")

math(EXPR key_bytes "${KEYBITS} / 8 + 13")  # extra bytes: plain mode uses only the first ones
run("${REF}" gen "${WORK}/image" ${IMAGE_BYTES} 7)
run("${REF}" gen "${WORK}/key" ${key_bytes} 11)
set(common --cipher "${SPEC}" --key-size ${KEYBITS} --key-file "${WORK}/key" ${MAP_OPTS})
if(NOT PROFILE)
  set(PROFILE omap4)
endif()
if(NOT TIMING)
  set(TIMING fast)
endif()
set(soc --profile ${PROFILE} --soc.timing_mode=${TIMING})
if(SIM_DEFAULTS)  # the program without --cipher / --key-size: cryptsetup's plain defaults
  set(sim "${AESVP}" crypt ${soc} --key-file "${WORK}/key" ${MAP_OPTS})
else()
  set(sim "${AESVP}" crypt ${soc} ${common})
endif()

# 1. encrypt
run(${sim} ${AREA_OPTS} --encrypt "${WORK}/image" "${WORK}/enc")
run("${REF}" encrypt ${common} ${AREA_OPTS} "${WORK}/image" "${WORK}/enc.ref")
file(SIZE "${WORK}/enc" size)
if(NOT size EQUAL EXPECT_BYTES)
  message(FATAL_ERROR "output holds ${size} bytes, the area ${EXPECT_BYTES}")
endif()
run("${ORACLE}" encrypt ${common} ${AREA_OPTS} "${WORK}/image" "${WORK}/enc.oracle")
same("${WORK}/enc" "${WORK}/enc.oracle" "encrypt (aesvp crypt) vs independent oracle")
same("${WORK}/enc.ref" "${WORK}/enc.oracle" "testbench reference vs independent oracle (encrypt)")

# 2. decrypt
run(${sim} ${AREA_OPTS} --decrypt "${WORK}/image" "${WORK}/dec")
run("${REF}" decrypt ${common} ${AREA_OPTS} "${WORK}/image" "${WORK}/dec.ref")
run("${ORACLE}" decrypt ${common} ${AREA_OPTS} "${WORK}/image" "${WORK}/dec.oracle")
same("${WORK}/dec" "${WORK}/dec.oracle" "decrypt (aesvp crypt) vs independent oracle")
same("${WORK}/dec.ref" "${WORK}/dec.oracle" "testbench reference vs independent oracle (decrypt)")

# 3. round trip
run(${sim} --decrypt "${WORK}/enc" "${WORK}/rt")
run("${REF}" extract ${common} ${AREA_OPTS} "${WORK}/image" "${WORK}/area")
same("${WORK}/rt" "${WORK}/area" "round trip")
file(GLOB leftovers "${WORK}/*aesvp-tmp*")
if(leftovers)
  message(FATAL_ERROR "temporary files left: ${leftovers}")
endif()
file(REMOVE_RECURSE "${WORK}")
