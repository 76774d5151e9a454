#pragma once
// What every loader of a hand-written file promises about its refusals, checked by the
// scenario and contract fuzzers: at least one error; each names the file it was given, says
// something, and points inside the text (line 0 means "no position", allowed for a whole-file
// problem); none is the loaders' last-resort "internal error" (a reader that threw).
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "fuzz/broken_invariant.h"
#include "spec/document_reader.h"

namespace pbxmock::fuzz {

inline void check_source_errors(const spec::SourceErrors& errors, std::string_view file, std::string_view input) {
  if (errors.empty()) broken("refused without an error", input);
  const std::size_t lines = static_cast<std::size_t>(std::count(input.begin(), input.end(), '\n')) + 1;
  for (const auto& e : errors) {
    if (e.file != file) broken("error names another file", input, e.to_string());
    if (e.message.empty()) broken("error without a message", input, e.to_string());
    // The loaders' last resort when a reader throws (no position; user text can say anything).
    if (e.position.line == 0 && e.message.rfind("internal error", 0) == 0) broken("a reader threw", input, e.to_string());
    if (e.position.line > lines) broken("error line past the input", input, e.to_string());
    if (e.position.line != 0 && e.position.column == 0) broken("error with a line but no column", input, e.to_string());
  }
}

}  // namespace pbxmock::fuzz
