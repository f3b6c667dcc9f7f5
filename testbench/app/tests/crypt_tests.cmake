# Tests of `aesvp crypt` (included from testbench/app/CMakeLists.txt): every supported cipher
# spec family against the independent OpenSSL reference plus round trips (crypt_case.cmake),
# and every refusal (crypt_error.cmake). Small images, fast timing: the suite runs in seconds.
if(NOT AESVP_BUILD_TESTS)
  return()
endif()

add_executable(crypt_reference_tool tests/crypt_reference_tool.cpp)
target_link_libraries(crypt_reference_tool PRIVATE aesvp_dmcrypt aesvp_warnings)
set_target_properties(crypt_reference_tool PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)

# The independent reference (shares no code with testbench/dmcrypt): grades both of the above.
add_executable(dmcrypt_oracle tests/dmcrypt_oracle/dmcrypt_oracle.cpp)
target_link_libraries(dmcrypt_oracle PRIVATE OpenSSL::Crypto aesvp_warnings)
set_target_properties(dmcrypt_oracle PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)

set(_crypt_work ${CMAKE_CURRENT_BINARY_DIR}/crypt_tests)

# crypt_case(NAME SPEC KEYBITS EXPECT_BYTES [DEFAULTS] [IMAGE bytes] [PROFILE p] [TIMING m]
#            [AREA opts...] [MAP opts...]
#            [BULK units|fallback])   BULK: the bulk-mode matrix case instead (crypt_bulk_case.cmake)
#            [RUN opts...]             more `aesvp crypt` options for the bulk case
function(crypt_case name spec keybits expect)
  cmake_parse_arguments(C "DEFAULTS" "IMAGE;PROFILE;TIMING;BULK" "AREA;MAP;RUN" ${ARGN})
  if(NOT C_IMAGE)
    set(C_IMAGE 40960)
  endif()
  string(REPLACE ";" "|" area "${C_AREA}")
  string(REPLACE ";" "|" map "${C_MAP}")
  string(REPLACE ";" "|" run_opts "${C_RUN}")
  set(script crypt_case)
  if(C_BULK)
    set(name bulk.${name})
    set(script crypt_bulk_case)
  endif()
  add_test(NAME app_crypt.${name}
           COMMAND ${CMAKE_COMMAND} -DAESVP=$<TARGET_FILE:aesvp>
                   -DREF=$<TARGET_FILE:crypt_reference_tool> -DWORK=${_crypt_work}/${name}
                   -DORACLE=$<TARGET_FILE:dmcrypt_oracle>
                   -DSPEC=${spec} -DKEYBITS=${keybits} -DIMAGE_BYTES=${C_IMAGE}
                   -DAREA_OPTS=${area} -DMAP_OPTS=${map} -DEXPECT_BYTES=${expect}
                   -DSIM_DEFAULTS=${C_DEFAULTS} -DPROFILE=${C_PROFILE} -DTIMING=${C_TIMING}
                   -DEXPECT=${C_BULK} -DRUN_OPTS=${run_opts}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/${script}.cmake)
  set_tests_properties(app_crypt.${name} PROPERTIES LABELS "app;crypt" TIMEOUT 120)
endfunction()

# crypt_error(NAME RC REGEX ARGS... [IMAGE bytes] [KEY bytes] [KEEP])
function(crypt_error name rc regex)
  cmake_parse_arguments(E "KEEP" "IMAGE;KEY" "ARGS" ${ARGN})
  string(REPLACE ";" "|" args "${E_ARGS}")
  set(extra)
  if(E_IMAGE)
    list(APPEND extra -DIMAGE_BYTES=${E_IMAGE})
  endif()
  if(E_KEY)
    list(APPEND extra -DKEY_BYTES=${E_KEY})
  endif()
  if(E_KEEP)
    list(APPEND extra -DKEEP_OUTPUT=1)
  endif()
  add_test(NAME app_crypt.error.${name}
           COMMAND ${CMAKE_COMMAND} -DAESVP=$<TARGET_FILE:aesvp>
                   -DREF=$<TARGET_FILE:crypt_reference_tool> -DWORK=${_crypt_work}/error.${name}
                   "-DARGS=${args}" -DEXPECT_RC=${rc} "-DEXPECT_REGEX=${regex}" ${extra}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/crypt_error.cmake)
  set_tests_properties(app_crypt.error.${name} PROPERTIES LABELS "app;crypt" TIMEOUT 60)
endfunction()

# --- every spec family, key sizes (40 KiB image = 80 sectors) ---------------------------------
crypt_case(ecb_128             aes-ecb                 128 40960)
crypt_case(ecb_256             aes-ecb                 256 40960)
crypt_case(cbc_plain           aes-cbc-plain           256 40960)
crypt_case(cbc_plain64_192     aes-cbc-plain64         192 40960)
crypt_case(cbc_plain64be       aes-cbc-plain64be       128 40960)
crypt_case(cbc_essiv_sha256    aes-cbc-essiv:sha256    256 40960)
crypt_case(plain_defaults      aes-cbc-essiv:sha256    256 40960 DEFAULTS)
crypt_case(cbc_essiv_md5       aes-cbc-essiv:md5       128 40960)
crypt_case(cbc_benbi           aes-cbc-benbi           256 40960)
crypt_case(cbc_null            aes-cbc-null            192 40960)
crypt_case(ctr_plain           aes-ctr-plain           128 40960)
crypt_case(ctr_plain64         aes-ctr-plain64         256 40960)
crypt_case(ctr_plain64be       aes-ctr-plain64be       192 40960)
crypt_case(xts_plain_256       aes-xts-plain           256 40960)
crypt_case(xts_plain64_512     aes-xts-plain64         512 40960)
crypt_case(xts_plain64_384     aes-xts-plain64         384 40960)
crypt_case(xts_plain64be       aes-xts-plain64be       512 40960)
crypt_case(xts_essiv_sha256    aes-xts-essiv:sha256    512 40960)
crypt_case(capi_xts_plain64    "capi:xts(aes)-plain64" 512 40960)
crypt_case(capi_cbc_essiv      "capi:cbc(aes)-essiv:sha256" 256 40960)
crypt_case(capi_ecb            "capi:ecb(aes)"         128 40960)
crypt_case(capi_ctr_plain64be  "capi:ctr(aes)-plain64be" 256 40960)

# --- the same spec families on am335x (EDMA3 + OMAP INTC) and am57x (EDMA3 + GIC) -------------
# Every spec on each SoC, the timing modes alternating between specs and between the SoCs
# (each SoC runs both modes; 16 KiB images keep the suite short).
set(_soc_specs aes-ecb:128 aes-cbc-plain:256 aes-cbc-plain64:192 aes-cbc-plain64be:128
    aes-cbc-essiv:sha256:256 aes-cbc-essiv:md5:128 aes-cbc-benbi:256 aes-cbc-null:192
    aes-ctr-plain:128 aes-ctr-plain64:256 aes-ctr-plain64be:192 aes-xts-plain:256
    aes-xts-plain64:512 aes-xts-plain64be:512 aes-xts-essiv:sha256:512)
set(_i 0)
foreach(_s IN LISTS _soc_specs)
  string(REGEX MATCH "[0-9]+$" _bits "${_s}")
  string(REGEX REPLACE ":[0-9]+$" "" _spec "${_s}")
  string(REPLACE ":" "_" _name "${_spec}")
  math(EXPR _odd "${_i} % 2")
  if(_odd)
    set(_m335 fast)
    set(_m57 accurate)
  else()
    set(_m335 accurate)
    set(_m57 fast)
  endif()
  crypt_case(am335x.${_name} ${_spec} ${_bits} 16384 IMAGE 16384 PROFILE am335x TIMING ${_m335})
  crypt_case(am57x.${_name} ${_spec} ${_bits} 16384 IMAGE 16384 PROFILE am57x TIMING ${_m57})
  math(EXPR _i "${_i} + 1")
endforeach()

# --- sector sizes and --iv-large-sectors ----------------------------------------------------
crypt_case(xts_4096            aes-xts-plain64         512 40960 MAP --sector-size 4096)
crypt_case(xts_4096_large      aes-xts-plain64         512 40960 MAP --sector-size 4096 --iv-large-sectors)
crypt_case(xts_4096_large_skip aes-xts-plain64         512 40960 MAP --sector-size 4096 --iv-large-sectors --skip 64)
crypt_case(essiv_4096_large    aes-cbc-essiv:sha256    256 40960 MAP --sector-size 4096 --iv-large-sectors)
crypt_case(benbi_1024_large    aes-cbc-benbi           128 40960 MAP --sector-size 1024 --iv-large-sectors --skip 6)
crypt_case(ctr_2048            aes-ctr-plain64         128 40960 MAP --sector-size 2048 --skip 4)

# --- --offset / --skip / --size ------------------------------------------------------------------
crypt_case(xts_offset_skip_size aes-xts-plain64        512 20480 AREA --offset 3 --size 40 MAP --skip 1000)
crypt_case(cbc_offset_to_end    aes-cbc-essiv:sha256   256 35840 AREA --offset 10)
crypt_case(plain_wraps_32bit    aes-cbc-plain          256 32768 AREA --size 64 MAP --skip 4294967280)
crypt_case(plain64_no_wrap      aes-cbc-plain64        256 32768 AREA --size 64 MAP --skip 4294967280)
crypt_case(offset_4096          aes-xts-plain64be      512 16384 AREA --offset 8 --size 32 MAP --sector-size 4096 --iv-large-sectors --skip 8)
crypt_case(odd_tail             aes-xts-plain64        256 40960 IMAGE 41060)
crypt_case(small_chunks         aes-cbc-plain64        256 40960 MAP --chunk-kib 3)

# --- key count 2 (and 4) --------------------------------------------------------------------------
crypt_case(keycount2_essiv      aes:2-cbc-essiv:sha256  512 40960)
crypt_case(keycount2_xts        aes:2-xts-plain64      1024 24576 AREA --offset 1 --size 48 MAP --skip 3)
crypt_case(keycount4_plain64    aes:4-cbc-plain64       512 40960)

# --- bulk mode: --bulk off / engine / submit byte-identical to the oracle (crypt_bulk_case.cmake) ----
# crypt_bulk(NAME SPEC KEYBITS units|fallback [IMAGE bytes] [AREA opts...] [MAP opts...])
function(crypt_bulk name spec keybits expect)
  crypt_case(${name} ${spec} ${keybits} 0 BULK ${expect} ${ARGN})
endfunction()
# Every IV kind the extension derives x every key size x sector sizes 512..4096, with and
# without iv_large_sectors, skip and offset; then the specs it cannot run (fallback).
crypt_bulk(xts_plain_256          aes-xts-plain        256 units)
crypt_bulk(xts_plain64_384_1024   aes-xts-plain64      384 units MAP --sector-size 1024)
crypt_bulk(xts_plain64_512_4096   aes-xts-plain64      512 units MAP --sector-size 4096)
crypt_bulk(xts_plain64be_512_2048_large aes-xts-plain64be 512 units MAP --sector-size 2048 --iv-large-sectors)
crypt_bulk(xts_plain_384_4096_large_skip aes-xts-plain 384 units MAP --sector-size 4096 --iv-large-sectors --skip 64)
crypt_bulk(xts_plain64_offset_skip aes-xts-plain64     256 units IMAGE 24576 AREA --offset 3 --size 40 MAP --skip 1000)
crypt_bulk(xts_plain_wraps_32bit  aes-xts-plain        512 units AREA --size 64 MAP --skip 4294967280)
crypt_bulk(cbc_plain_128          aes-cbc-plain        128 units)
crypt_bulk(cbc_plain_wraps_32bit  aes-cbc-plain        256 units AREA --size 64 MAP --skip 4294967280)
crypt_bulk(cbc_plain64_192_2048   aes-cbc-plain64      192 units MAP --sector-size 2048 --skip 12)
crypt_bulk(cbc_plain64_256_4096_large aes-cbc-plain64  256 units MAP --sector-size 4096 --iv-large-sectors)
crypt_bulk(cbc_plain64be_128_1024_large aes-cbc-plain64be 128 units MAP --sector-size 1024 --iv-large-sectors --skip 6)
crypt_bulk(cbc_plain64be_256      aes-cbc-plain64be    256 units AREA --offset 5 --size 70)
crypt_bulk(cbc_essiv_sha256_128   aes-cbc-essiv:sha256 128 units)
crypt_bulk(cbc_essiv_sha256_192_4096 aes-cbc-essiv:sha256 192 units MAP --sector-size 4096 --skip 8)
crypt_bulk(cbc_essiv_md5_256_1024_large aes-cbc-essiv:md5 256 units MAP --sector-size 1024 --iv-large-sectors)
crypt_bulk(cbc_essiv_offset_skip  aes-cbc-essiv:sha256 256 units IMAGE 20480 AREA --offset 2 --size 33 MAP --skip 77)
# The composites' and multi-sector requests' sectors in separate, non-contiguous 4 KiB pages:
# multi-entry scatterlists mapped by omap-aes and run as sDMA descriptor lists.
crypt_bulk(xts_plain64_scattered_pages aes-xts-plain64 256 units IMAGE 81920 RUN --scatter-pages)
crypt_bulk(cbc_essiv_scattered_pages_2048 aes-cbc-essiv:sha256 128 units MAP --sector-size 2048 RUN --scatter-pages)
crypt_bulk(fallback_xts_essiv     aes-xts-essiv:sha256 512 fallback)
crypt_bulk(fallback_ecb           aes-ecb              128 fallback)
crypt_bulk(fallback_ctr_plain64   aes-ctr-plain64      256 fallback MAP --sector-size 2048)
crypt_bulk(fallback_cbc_benbi     aes-cbc-benbi        192 fallback)
crypt_bulk(fallback_cbc_null      aes-cbc-null         256 fallback)
crypt_bulk(fallback_keycount2     aes:2-cbc-plain64    512 fallback)

# --- known-answer images (checked in; published vectors and the independent oracle) ---------------
file(GLOB _kats LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/tests/dmcrypt_oracle/kat/*)
foreach(_kat IN LISTS _kats)
  if(IS_DIRECTORY ${_kat})
    get_filename_component(_name ${_kat} NAME)
    add_test(NAME app_crypt.kat.${_name}
             COMMAND ${CMAKE_COMMAND} -DAESVP=$<TARGET_FILE:aesvp>
                     -DREF=$<TARGET_FILE:crypt_reference_tool> -DORACLE=$<TARGET_FILE:dmcrypt_oracle>
                     -DKAT=${_kat} -DWORK=${_crypt_work}/kat.${_name}
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/crypt_kat.cmake)
    set_tests_properties(app_crypt.kat.${_name} PROPERTIES LABELS "app;crypt" TIMEOUT 60)
  endif()
endforeach()

# --- refusals: exit 2 (usage) or 1 (I/O), one line, no output ----------------------------------
set(_k --key-file @W@/key)
crypt_error(not_whole_sectors  2 "not a whole number of 4096-byte encryption sectors"
            IMAGE 10240 ARGS ${_k} --sector-size 4096 --encrypt @W@/image @W@/out)
crypt_error(size_not_whole     2 "not a whole number of 1024-byte encryption sectors"
            ARGS ${_k} --sector-size 1024 --size 3 --decrypt @W@/image @W@/out)
crypt_error(offset_past_end    2 "--offset 16 is at or beyond the end"
            ARGS ${_k} --offset 16 --decrypt @W@/image @W@/out)
crypt_error(size_past_end      2 "device too small"
            ARGS ${_k} --offset 4 --size 13 --decrypt @W@/image @W@/out)
crypt_error(empty_image        2 "no whole 512-byte sector"
            IMAGE 100 ARGS ${_k} --decrypt @W@/image @W@/out)
crypt_error(short_key_file     2 "key file .* needs 32"
            KEY 31 ARGS ${_k} --decrypt @W@/image @W@/out)
crypt_error(short_key_offset   2 "holds 24 bytes from offset 40"
            KEY 64 ARGS ${_k} --keyfile-offset 40 --decrypt @W@/image @W@/out)
crypt_error(unknown_spec       2 "cipher spec 'aes-foo-plain64'"
            ARGS ${_k} --cipher aes-foo-plain64 --decrypt @W@/image @W@/out)
crypt_error(missing_iv_mode    2 "cipher spec 'aes-cbc'"
            ARGS ${_k} --cipher aes-cbc --decrypt @W@/image @W@/out)
crypt_error(other_cipher       2 "cipher spec 'twofish-xts-plain64'"
            ARGS ${_k} --cipher twofish-xts-plain64 --decrypt @W@/image @W@/out)
crypt_error(bad_essiv_hash     2 "cipher spec 'aes-cbc-essiv:sha1'"
            ARGS ${_k} --cipher aes-cbc-essiv:sha1 --decrypt @W@/image @W@/out)
crypt_error(bad_key_size       2 "key of 40 bytes \\(320 bits\\) does not fit"
            ARGS ${_k} --cipher aes-xts-plain64 --key-size 320 --decrypt @W@/image @W@/out)
crypt_error(key_size_not_bytes 2 "--key-size 100 is not a positive multiple of 8"
            ARGS ${_k} --key-size 100 --decrypt @W@/image @W@/out)
crypt_error(key_size_negative  2 "--key-size: '-256' is not a non-negative integer"
            ARGS ${_k} --key-size=-256 --decrypt @W@/image @W@/out)
crypt_error(offset_negative    2 "--offset: '-1' is not a non-negative integer"
            ARGS ${_k} --offset=-1 --decrypt @W@/image @W@/out)
crypt_error(sector_size        2 "sector size 1000 is not a power of two"
            ARGS ${_k} --sector-size 1000 --decrypt @W@/image @W@/out)
crypt_error(skip_unaligned     2 "IV offset \\(skip\\) 3 is not a multiple"
            ARGS ${_k} --sector-size 4096 --skip 3 --decrypt @W@/image @W@/out)
crypt_error(iv_large_512       2 "--iv-large-sectors needs --sector-size larger than 512"
            ARGS ${_k} --iv-large-sectors --decrypt @W@/image @W@/out)
crypt_error(both_directions    2 "exactly one of --encrypt and --decrypt"
            ARGS ${_k} --encrypt --decrypt @W@/image @W@/out)
crypt_error(no_direction       2 "exactly one of --encrypt and --decrypt"
            ARGS ${_k} @W@/image @W@/out)
crypt_error(no_key_file        2 "--key-file FILE is required"
            ARGS --decrypt @W@/image @W@/out)
crypt_error(no_output          2 "give the INPUT and OUTPUT files"
            ARGS ${_k} --decrypt @W@/image)
crypt_error(unknown_option     2 "unrecognised option '--pbkdf'"
            ARGS ${_k} --pbkdf argon2id --decrypt @W@/image @W@/out)
crypt_error(keyfile_size_short 2 "--keyfile-size 16 is shorter than the key \\(32 bytes"
            ARGS ${_k} --keyfile-size 16 --decrypt @W@/image @W@/out)
crypt_error(keyfile_size_zero  2 "--keyfile-size: must be at least 1"
            ARGS ${_k} -l 0 --decrypt @W@/image @W@/out)
crypt_error(unreadable_key     1 "cannot read key file '.*/nokey': No such file"
            ARGS --key-file @W@/nokey --decrypt @W@/image @W@/out)
crypt_error(unreadable_input   1 "cannot read input '.*/missing': No such file"
            ARGS ${_k} --decrypt @W@/missing @W@/out)
crypt_error(input_directory    2 "input '.*' is a directory"
            ARGS ${_k} --decrypt @W@ @W@/out)
crypt_error(unwritable_output  2 "output: cannot write '.*/nodir/out': no such directory"
            ARGS ${_k} --decrypt @W@/image @W@/nodir/out)
crypt_error(output_directory   2 "output: '.*' is a directory"
            ARGS ${_k} --decrypt @W@/image @W@)
crypt_error(keeps_old_output   2 "--offset 16 is at or beyond the end"
            KEEP ARGS ${_k} --offset 16 --decrypt @W@/image @W@/out)
# A request that fails in the simulation (the driver's DMA watchdog fires: -EIO).
crypt_error(request_fails      1 "encryption sector 0 \\(512-byte sector 0 of the area\\): failed: EIO"
            ARGS ${_k} --driver.dma_timeout_us=0.5 --encrypt @W@/image @W@/out)

# --key-file -: a passphrase on standard input, hashed as cryptsetup does (checked with hashlib).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME app_crypt.passphrase_stdin
           COMMAND ${CMAKE_COMMAND} -DAESVP=$<TARGET_FILE:aesvp>
                   -DREF=$<TARGET_FILE:crypt_reference_tool> -DWORK=${_crypt_work}/passphrase
                   -DPYTHON=${Python3_EXECUTABLE}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/crypt_passphrase.cmake)
  set_tests_properties(app_crypt.passphrase_stdin PROPERTIES LABELS "app;crypt" TIMEOUT 120)
endif()
crypt_error(keyfile_size_past_end 2 "bytes hold fewer than --keyfile-offset 0 \\+ --keyfile-size 100"
            ARGS ${_k} --keyfile-size 100 --decrypt @W@/image @W@/out)
