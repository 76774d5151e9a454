#pragma once
// Errors about a file go to the log, and the file may be anything a person pointed --watch or
// --scenario at (a mistyped /etc/shadow): an error names its line and column and may quote a
// word of the file, never a line of it. This shortens every quoted fragment and JSON Pointer
// token of a message to a short, printable excerpt. Pure.
#include <cstddef>
#include <string>
#include <string_view>

namespace pbxmock::mock {

inline constexpr std::size_t kMaxExcerpt = 16;

// Control characters become '?'; a '...' quote or a /pointer/token longer than `max`
// characters keeps its first `max` and says how long it was: 'root:$6$abcdefgh…(62 chars)'.
std::string short_excerpts(std::string_view message, std::size_t max = kMaxExcerpt);

}  // namespace pbxmock::mock
