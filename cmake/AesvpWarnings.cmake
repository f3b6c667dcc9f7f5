# Warnings on and clean for every target of the project (not for third-party headers,
# which come in as SYSTEM includes).
add_library(aesvp_warnings INTERFACE)
target_compile_options(aesvp_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(AESVP_WERROR)
  target_compile_options(aesvp_warnings INTERFACE -Werror)
endif()
