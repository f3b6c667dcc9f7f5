# Every dependency comes from Debian 12 packages (see docs/dependencies.md for why each).
find_package(PkgConfig REQUIRED)
# libcrypto and Boost.Program_options from their static archives (same Debian -dev packages):
# the dynamic loader then neither maps them nor resolves their ~4800 symbol relocations at
# every start (docs/performance.md, "Start-up"). A parent project keeps its own choice.
option(AESVP_STATIC_DEPS "Link libcrypto and Boost.Program_options statically"
       ${PROJECT_IS_TOP_LEVEL})
if(AESVP_STATIC_DEPS)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
  set(Boost_USE_STATIC_LIBS ON)
endif()
# FindOpenSSL caches the library it found: a build tree configured with the other choice
# looks again (a parent project's own static choice is left alone).
if(OPENSSL_CRYPTO_LIBRARY MATCHES "\\.a$")
  if(NOT AESVP_STATIC_DEPS AND PROJECT_IS_TOP_LEVEL)
    unset(OPENSSL_CRYPTO_LIBRARY CACHE)
  endif()
elseif(OPENSSL_CRYPTO_LIBRARY AND AESVP_STATIC_DEPS)
  unset(OPENSSL_CRYPTO_LIBRARY CACHE)
endif()
find_package(OpenSSL 3.0 REQUIRED COMPONENTS Crypto)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)

if(AESVP_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

if(AESVP_WITH_SYSTEMC)
  # A user-built SystemC (SYSTEMC_HOME with the SystemCLanguage CMake config) is taken
  # first; otherwise the Debian package through pkg-config (it ships no CMake config).
  find_package(SystemCLanguage CONFIG QUIET HINTS $ENV{SYSTEMC_HOME})
  if(SystemCLanguage_FOUND)
    add_library(aesvp_systemc INTERFACE)
    target_link_libraries(aesvp_systemc INTERFACE SystemC::systemc)
  else()
    pkg_check_modules(SystemC REQUIRED IMPORTED_TARGET systemc)
    add_library(aesvp_systemc INTERFACE)
    target_link_libraries(aesvp_systemc INTERFACE PkgConfig::SystemC)
  endif()
  # Deprecated-in-2.3 checks are noisy with the Debian headers.
  target_compile_definitions(aesvp_systemc INTERFACE SC_INCLUDE_DYNAMIC_PROCESSES)
endif()

# aesvp_add_gtest(<name> SOURCES ... LIBS ... [LABELS ...] [SYSTEMC])
# SystemC-free tests link gtest_main; SystemC tests link the harness that defines sc_main
# (the Debian libsystemc exports main) and run one elaborated bench per ctest process.
function(aesvp_add_gtest name)
  cmake_parse_arguments(T "SYSTEMC" "" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT AESVP_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} aesvp_warnings)
  if(T_SYSTEMC)
    target_link_libraries(${name} PRIVATE aesvp_sc_test_harness)
  else()
    target_link_libraries(${name} PRIVATE GTest::gtest_main GTest::gmock)
  endif()
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  if(NOT T_LABELS)
    set(T_LABELS quick)
  endif()
  # What the quick label needs, as one target (the sanitizer builds build only that).
  if(NOT TARGET quick_label_targets)
    add_custom_target(quick_label_targets)
  endif()
  if(quick IN_LIST T_LABELS)
    add_dependencies(quick_label_targets ${name})
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${T_LABELS}" ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
endfunction()
