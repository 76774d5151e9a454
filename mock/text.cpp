#include "mock/text.h"

#include "spec/ascii.h"

namespace pbxmock::mock {

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = spec::ascii::to_lower(c);
  return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (spec::ascii::to_lower(a[i]) != spec::ascii::to_lower(b[i])) return false;
  return true;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace pbxmock::mock
