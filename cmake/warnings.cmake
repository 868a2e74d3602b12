# pop3lab::warnings — the project's warning set, linked PRIVATE by every target we own.
add_library(pop3lab_warnings INTERFACE)
add_library(pop3lab::warnings ALIAS pop3lab_warnings)
target_compile_options(pop3lab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wdouble-promotion -Wimplicit-fallthrough)
if(POP3LAB_WARNINGS_AS_ERRORS)
  target_compile_options(pop3lab_warnings INTERFACE -Werror)
endif()
