# The CMake package of aesvp (docs/platform.md "Using aesvp from another CMake project"):
# `cmake --install` puts the libraries, headers, the aesvp program, the GTKWave layout and the
# plot script under the prefix, with an aesvpConfig.cmake that exports aesvp:: targets. A
# project that adds this tree with add_subdirectory() gets the same aesvp:: names as aliases.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(AESVP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/aesvp)
# share/aesvp: the installed program looks for the plot script there (speed_command.cpp).
set(AESVP_INSTALL_DATADIR share/aesvp)

# The libraries, grouped as the tree is: aesvp::models, aesvp::engine, aesvp::driver,
# aesvp::traces and aesvp::testbench link a whole layer; each library is also exported on its
# own as aesvp::<name without the aesvp_ prefix>.
set(_aesvp_groups models driver traces testbench)
set(_aesvp_models aesvp_model_core aesvp_model_memory aesvp_model_bus aesvp_aes_logic
    aesvp_model_aes aesvp_model_sdma aesvp_model_edma3 aesvp_model_intc aesvp_model_cpu
    aesvp_platform)
set(_aesvp_driver aesvp_kernel aesvp_baremetal aesvp_omap_aes_driver)
set(_aesvp_traces aesvp_traces aesvp_traces_sc)
set(_aesvp_testbench aesvp_dmcrypt aesvp_dmcrypt_sim aesvp_stack aesvp_sweep aesvp_param_table
    aesvp_app)

# Build-side interface targets the libraries link (privately for the warnings: static
# libraries still name them in their link interface).
set(_aesvp_exported aesvp_warnings aesvp_engine)
if(TARGET aesvp_systemc)
  list(APPEND _aesvp_exported aesvp_systemc)
endif()
set_target_properties(aesvp_traces PROPERTIES EXPORT_NAME traces_core)

foreach(group IN LISTS _aesvp_groups)
  set(umbrella aesvp_${group}_layer)
  add_library(${umbrella} INTERFACE)
  set_target_properties(${umbrella} PROPERTIES EXPORT_NAME ${group})
  add_library(aesvp::${group} ALIAS ${umbrella})
  list(APPEND _aesvp_exported ${umbrella})
  foreach(lib IN LISTS _aesvp_${group})
    if(TARGET ${lib})
      target_link_libraries(${umbrella} INTERFACE ${lib})
      list(APPEND _aesvp_exported ${lib})
    endif()
  endforeach()
endforeach()

foreach(lib IN LISTS _aesvp_exported)
  get_target_property(name ${lib} EXPORT_NAME)
  if(NOT name)
    string(REGEX REPLACE "^aesvp_" "" name ${lib})
    set_target_properties(${lib} PROPERTIES EXPORT_NAME ${name})
  endif()
  if(NOT TARGET aesvp::${name})
    add_library(aesvp::${name} ALIAS ${lib})
  endif()
endforeach()

install(TARGETS ${_aesvp_exported} EXPORT aesvpTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/aesvp)
if(TARGET aesvp)
  install(TARGETS aesvp RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# Headers keep their paths ("models/platform/platform.h"): the include root is
# include/aesvp. Test benches and harnesses stay in the source tree.
foreach(dir models engine driver traces testbench)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/aesvp
          FILES_MATCHING PATTERN "*.h"
          PATTERN "tests" EXCLUDE PATTERN "bench" EXCLUDE PATTERN "testing" EXCLUDE)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/traces/gtkwave/aesvp.gtkw DESTINATION ${AESVP_INSTALL_DATADIR})
install(PROGRAMS ${PROJECT_SOURCE_DIR}/traces/plot/aesvp_plot.py DESTINATION ${AESVP_INSTALL_DATADIR})

install(EXPORT aesvpTargets NAMESPACE aesvp:: DESTINATION ${AESVP_INSTALL_CMAKEDIR})
set(AESVP_PACKAGE_WITH_SYSTEMC ${AESVP_WITH_SYSTEMC})
set(AESVP_PACKAGE_SYSTEMC_CONFIG ${SystemCLanguage_FOUND})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/aesvpConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/aesvpConfig.cmake
                              INSTALL_DESTINATION ${AESVP_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/aesvpConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/aesvpConfig.cmake ${PROJECT_BINARY_DIR}/aesvpConfigVersion.cmake
        DESTINATION ${AESVP_INSTALL_CMAKEDIR})

# The package from a consumer's side: install to a scratch prefix, build cmake/tests/consumer
# against it and with add_subdirectory() (cmake/tests/package_test.cmake says what it checks).
if(AESVP_BUILD_TESTS AND AESVP_WITH_SYSTEMC)
  add_test(NAME package_test
           COMMAND ${CMAKE_COMMAND} -DBUILD=${PROJECT_BINARY_DIR} -DSRC=${PROJECT_SOURCE_DIR}
                   -DWORK=${PROJECT_BINARY_DIR}/package_test -DCXX=${CMAKE_CXX_COMPILER}
                   -DLAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}
                   -P ${CMAKE_CURRENT_LIST_DIR}/tests/package_test.cmake)
  # About 4 min of CPU on 2 idle cores (the add_subdirectory build of the platform, -O0); the
  # timeout leaves room for a shared machine.
  set_tests_properties(package_test PROPERTIES LABELS package TIMEOUT 2700)
endif()
