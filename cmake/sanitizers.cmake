# pop3lab::sanitizers — the sanitizers chosen in POP3LAB_SANITIZERS, as compile and
# link options on an INTERFACE target so only our own targets are instrumented.
add_library(pop3lab_sanitizers INTERFACE)
add_library(pop3lab::sanitizers ALIAS pop3lab_sanitizers)
if(POP3LAB_SANITIZERS)
  list(JOIN POP3LAB_SANITIZERS "," _pop3lab_san)
  target_compile_options(pop3lab_sanitizers INTERFACE
    -fsanitize=${_pop3lab_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(pop3lab_sanitizers INTERFACE -fsanitize=${_pop3lab_san})
endif()

# Every first-party target gets both in one call.
function(pop3lab_target_defaults target)
  target_link_libraries(${target} PRIVATE pop3lab::warnings pop3lab::sanitizers)
endfunction()
