#pragma once
// What every fuzz target does when an invariant breaks: name it, show the input, abort.
// The abort is what libFuzzer keeps as a crash-* file and what fails the corpus replay.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace pbxmock::fuzz {

// `detail` (may be empty) says more: the pointer or path concerned. Printable input is shown
// as text, anything else as hex bytes, so the report can be pasted into a corpus file.
[[noreturn]] inline void broken(std::string_view invariant, std::string_view input, std::string_view detail = {}) {
  std::fprintf(stderr, "broken invariant: %.*s", static_cast<int>(invariant.size()), invariant.data());
  if (!detail.empty()) std::fprintf(stderr, " (%.*s)", static_cast<int>(detail.size()), detail.data());
  bool printable = true;
  for (const unsigned char c : input) printable = printable && (c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f));
  std::fprintf(stderr, "\ninput (%zu bytes%s):", input.size(), printable ? "" : ", hex");
  if (printable) {
    std::fprintf(stderr, "\n%.*s", static_cast<int>(input.size()), input.data());
  } else {
    for (const unsigned char c : input) std::fprintf(stderr, " %02x", c);
  }
  std::fprintf(stderr, "\n");
  std::abort();
}

}  // namespace pbxmock::fuzz
