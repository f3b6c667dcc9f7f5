# The CMake package from a consumer's side (ctest package_test, label package):
#  1. `cmake --install` of this build into a temporary prefix; the files a user needs are there;
#  2. consumer/ configured against the installed package (find_package(aesvp)), built, and its
#     programs run: one engine request, and the platform elaborated with one AES request
#     through the driver stack, checked against OpenSSL;
#  3. consumer/ with add_subdirectory() of the source tree: configures (no module-path or
#     helper failures, no build type forced: the consumer leaves it empty; consumer/ checks
#     that no other setting of its own changed), and both its programs build and run: only
#     their dependency closure is compiled (no aesvp tests or program), the platform with it.
# -DBUILD=<this build> -DSRC=<source tree> -DWORK=<scratch dir> [-DLAUNCHER=ccache]
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${WORK})
set(ENV{SYSTEMC_DISABLE_COPYRIGHT_MESSAGE} 1)
set(consumer ${CMAKE_CURRENT_LIST_DIR}/consumer)
set(common_args -DCMAKE_CXX_COMPILER=${CXX})
if(LAUNCHER)
  list(APPEND common_args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_out "${out}" PARENT_SCOPE)
endfunction()

# Runs both consumer programs built in DIR; the platform one must report a match with OpenSSL.
function(run_consumer dir how)
  step("engine_request (${how})" ${dir}/engine_request)
  message(STATUS "${step_out}")
  step("platform_request (${how})" ${dir}/platform_request)
  message(STATUS "${step_out}")
  if(NOT step_out MATCHES "through the hardware, equal to OpenSSL")
    message(FATAL_ERROR "platform_request (${how}): unexpected output: ${step_out}")
  endif()
endfunction()

# 1. install
set(prefix ${WORK}/prefix)
step("cmake --install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})
foreach(f bin/aesvp share/aesvp/aesvp.gtkw share/aesvp/aesvp_plot.py
          lib/cmake/aesvp/aesvpConfig.cmake lib/cmake/aesvp/aesvpConfigVersion.cmake
          lib/cmake/aesvp/aesvpTargets.cmake include/aesvp/models/platform/platform.h
          include/aesvp/engine/crypto_engine.h include/aesvp/testbench/stack/stack.h
          lib/libaesvp_platform.a lib/libaesvp_engine.a)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "cmake --install did not install ${f}")
  endif()
endforeach()
file(GLOB_RECURSE test_headers RELATIVE ${prefix}/include ${prefix}/include/*/tests/*)
if(test_headers)
  message(FATAL_ERROR "test headers installed: ${test_headers}")
endif()
file(READ ${prefix}/lib/cmake/aesvp/aesvpTargets.cmake targets)
foreach(t models engine driver traces testbench)
  if(NOT targets MATCHES "add_library\\(aesvp::${t} ")
    message(FATAL_ERROR "the package exports no aesvp::${t}")
  endif()
endforeach()
step("installed aesvp --help" ${prefix}/bin/aesvp run --help)

# 2. consumer against the installed package
step("configure against the package" ${CMAKE_COMMAND} -S ${consumer} -B ${WORK}/installed
     -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix} ${common_args})
step("build against the package" ${CMAKE_COMMAND} --build ${WORK}/installed -j2)
run_consumer(${WORK}/installed package)

# 3. consumer with add_subdirectory()
step("configure with add_subdirectory" ${CMAKE_COMMAND} -S ${consumer} -B ${WORK}/subdir
     -DAESVP_SOURCE_DIR=${SRC} ${common_args})
file(STRINGS ${WORK}/subdir/CMakeCache.txt build_type REGEX "^CMAKE_BUILD_TYPE:")
if(NOT build_type STREQUAL "CMAKE_BUILD_TYPE:STRING=")
  message(FATAL_ERROR "add_subdirectory forced a build type on the consumer: ${build_type}")
endif()
file(STRINGS ${WORK}/subdir/CMakeCache.txt tests REGEX "^AESVP_BUILD_TESTS:")
if(NOT tests STREQUAL "AESVP_BUILD_TESTS:BOOL=OFF")
  message(FATAL_ERROR "add_subdirectory builds aesvp's tests by default: ${tests}")
endif()
string(TIMESTAMP t0 "%s")
step("build with add_subdirectory" ${CMAKE_COMMAND} --build ${WORK}/subdir -j2
     --target engine_request platform_request)
string(TIMESTAMP t1 "%s")
math(EXPR seconds "${t1} - ${t0}")
message(STATUS "add_subdirectory build of engine_request + platform_request: ${seconds} s")
if(EXISTS ${WORK}/subdir/aesvp/bin/aesvp)
  message(FATAL_ERROR "building the consumer's targets also built the aesvp program")
endif()
run_consumer(${WORK}/subdir add_subdirectory)
