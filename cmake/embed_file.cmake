# Script mode: writes OUTPUT, a C++ file defining pbxmock::embedded::SYMBOL as the
# bytes of INPUT. Hex bytes rather than a raw string: no delimiter can clash.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}"
"#include <string_view>\n"
"namespace pbxmock::embedded {\n"
"// unsigned: bytes above 0x7F (UTF-8 text) do not fit a signed char initializer.\n"
"namespace { const unsigned char bytes_[] = {${bytes} 0}; }\n"
"extern const std::string_view ${SYMBOL};\n"
"const std::string_view ${SYMBOL}{reinterpret_cast<const char*>(bytes_), ${size}};\n"
"}\n")
