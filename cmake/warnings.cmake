# Warnings for our own targets only: linked PRIVATE, so the headers of Debian's
# libraries are never judged by our -Werror. No -Wnull-dereference: GCC 12 raises it from
# its optimizer inside nlohmann/json's templates, where system-header silencing does not reach.
add_library(pbxmock_warnings INTERFACE)
target_compile_options(pbxmock_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
if(PBXMOCK_WERROR)
  target_compile_options(pbxmock_warnings INTERFACE -Werror)
endif()
add_library(pbxmock::warnings ALIAS pbxmock_warnings)
