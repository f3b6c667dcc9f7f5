# Fast and accurate timing agree (docs/timing.md): small `aesvp run` workloads (omap4, am335x,
# am57x) and a small `aesvp crypt` in both modes; the fast mode's simulated time must be
# within TOLERANCE_PCT of the accurate mode's. The accurate mode is the reference (it follows
# every block, DMA frame and software step; tests elsewhere hold it to the pipeline formula
# exactly).
# cmake -DAESVP=<aesvp> -DWORK=<dir> -DTOLERANCE_PCT=<percent> -P timing_agreement_test.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
string(RANDOM LENGTH 64 SEED 7 key)
file(WRITE ${WORK}/key "${key}")
string(RANDOM LENGTH 4096 SEED 8 chunk)
set(image "")
foreach(i RANGE 1 128)  # 512 KiB
  string(APPEND image "${chunk}")
endforeach()
file(WRITE ${WORK}/image "${image}")

include("${CMAKE_CURRENT_LIST_DIR}/timing_helpers.cmake")

set(failed "")
function(agree name)
  simulated_ms(fast ${ARGN} --soc.timing_mode=fast)
  simulated_ms(accurate ${ARGN} --soc.timing_mode=accurate)
  millipercent(d abs_d ${fast} ${accurate})
  math(EXPR limit "${TOLERANCE_PCT} * 1000")
  message(STATUS "${name}: fast ${fast} ms, accurate ${accurate} ms, difference ${d}/1000 %")
  if(abs_d GREATER limit)
    set(failed "${failed} ${name}" PARENT_SCOPE)
  endif()
endfunction()

agree(run_default run --size-mib 1)
agree(run_random_4k_qd8 run --size-mib 1 --pattern rand --bio-kib 4 --queue-depth 8
      --read-percent 50)
agree(crypt_xts512 crypt --cipher aes-xts-plain64 --key-size 512 --key-file ${WORK}/key
      --encrypt ${WORK}/image ${WORK}/out)
# The EDMA3 profiles (docs/timing.md, item 1 of "Fast mode is optimistic").
agree(am335x_run run --profile am335x --size-mib 1)
agree(am335x_run_random_4k_qd8 run --profile am335x --size-mib 1 --pattern rand --bio-kib 4
      --queue-depth 8 --read-percent 50)
agree(am57x_run run --profile am57x --size-mib 1)
agree(am57x_run_qd1 run --profile am57x --size-mib 1 --queue-depth 1)
agree(am57x_run_random_4k_qd8 run --profile am57x --size-mib 1 --pattern rand --bio-kib 4
      --queue-depth 8 --read-percent 50)
if(failed)
  message(FATAL_ERROR "fast and accurate differ by more than ${TOLERANCE_PCT} %:${failed}")
endif()
