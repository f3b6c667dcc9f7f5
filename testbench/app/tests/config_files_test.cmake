# Config files (docs/testbench.md "Configuration"): one file from --print-config of any command
# serves every command (job options sit in a [COMMAND] section the others skip); several
# --config files stack, later files winning and the command line over all.
# Variables: AESVP, WORK.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# cfg(OUT_VAR ARGS...): the --print-config text of `aesvp ARGS`, failing on a non-zero exit.
function(cfg out)
  execute_process(COMMAND "${AESVP}" ${ARGN} --print-config RESULT_VARIABLE rc
                  OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "aesvp ${cmd} --print-config failed (${rc}): ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# expect(TEXT REGEX WHAT)
function(expect text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: no match for '${regex}' in:\n${text}")
  endif()
endfunction()

# 1. A run configuration, with a platform change and a job option, works for crypt and hw too.
cfg(run_text run --size-mib 3 --aes.clock_mhz=123 --profile am335x)
file(WRITE "${WORK}/run.cfg" "${run_text}")
expect("${run_text}" "\n\\[run\\]\n" "run's own section")
# --size-mib 3 is written as the size option it is an alias of (docs/units.md).
expect("${run_text}" "\nsize = 3M\n" "run's job option")
cfg(crypt_text crypt --config "${WORK}/run.cfg")
expect("${crypt_text}" "\nclock_mhz = 123\n" "crypt takes the platform part")
expect("${crypt_text}" "\nprofile = am335x\n" "crypt takes the profile")
if(crypt_text MATCHES "size = 3M")
  message(FATAL_ERROR "crypt took run's job option size:\n${crypt_text}")
endif()
cfg(hw_text hw --config "${WORK}/run.cfg")
expect("${hw_text}" "\nclock_mhz = 123\n" "hw takes the platform part")
cfg(again run --config "${WORK}/run.cfg")
expect("${again}" "\nsize = 3M\n" "run reads its own section back")

# 2. Stacking: later files win, the command line wins over all.
file(WRITE "${WORK}/a.cfg" "[aes]\nclock_mhz = 100\n")
file(WRITE "${WORK}/b.cfg" "[aes]\nclock_mhz = 200\n")
cfg(ab run --config "${WORK}/a.cfg" --config "${WORK}/b.cfg")
expect("${ab}" "\nclock_mhz = 200\n" "a then b: b wins")
cfg(ba run --config "${WORK}/b.cfg" --config "${WORK}/a.cfg")
expect("${ba}" "\nclock_mhz = 100\n" "b then a: a wins")
cfg(cl run --config "${WORK}/a.cfg" --aes.clock_mhz=300 --config "${WORK}/b.cfg")
expect("${cl}" "\nclock_mhz = 300\n" "the command line wins")

# 3. A platform file may hold parameters a command does not use (hw: the driver's).
file(WRITE "${WORK}/platform.cfg" "[driver]\nqueue_len = 4\n[aes]\nclock_mhz = 150\n")
cfg(hw_platform hw --config "${WORK}/platform.cfg")
expect("${hw_platform}" "\nclock_mhz = 150\n" "hw with a platform file holding [driver]")

# 4. --bulk engine picks the opportunistic merge policy only where driver.merge is not set;
#    set to off (command line or file) it stays off: the extension without engine merging.
cfg(bulk_default run --bulk engine)
expect("${bulk_default}" "\nmerge = opportunistic\n" "--bulk engine alone merges")
cfg(bulk_off run --bulk engine --driver.merge=off)
expect("${bulk_off}" "\nbulk_extension = true\n" "--bulk engine --driver.merge=off: extension on")
expect("${bulk_off}" "\nmerge = off\n" "--bulk engine --driver.merge=off: no merging")
file(WRITE "${WORK}/merge-off.cfg" "[driver]\nmerge = off\n")
cfg(bulk_file run --config "${WORK}/merge-off.cfg" --bulk engine)
expect("${bulk_file}" "\nmerge = off\n" "driver.merge = off from a file holds under --bulk engine")
file(REMOVE_RECURSE "${WORK}")
