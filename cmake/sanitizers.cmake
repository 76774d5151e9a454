# PBXMOCK_SANITIZE is a comma-separated list handed to -fsanitize= on every target of
# ours (address,undefined or thread). Undefined behaviour is made fatal so a report
# fails the test that caused it instead of scrolling past.
set(PBXMOCK_SANITIZE "" CACHE STRING "Sanitizers for our targets, e.g. address,undefined or thread")
add_library(pbxmock_sanitizers INTERFACE)
if(PBXMOCK_SANITIZE)
  target_compile_options(pbxmock_sanitizers INTERFACE
    -fsanitize=${PBXMOCK_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(pbxmock_sanitizers INTERFACE -fsanitize=${PBXMOCK_SANITIZE})
endif()
add_library(pbxmock::sanitizers ALIAS pbxmock_sanitizers)

# With libFuzzer, the libraries need coverage instrumentation too (without the fuzzer's main),
# or the fuzzer is blind to everything but the target's own file.
if(PBXMOCK_FUZZ)
  target_compile_options(pbxmock_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(pbxmock_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
