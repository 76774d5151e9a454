#include "mock/error_excerpt.h"

#include <algorithm>

namespace pbxmock::mock {
namespace {

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

void append_excerpt(std::string& out, std::string_view text, std::size_t max) {
  const std::string_view kept = text.substr(0, std::min(max, text.size()));
  for (char c : kept) out += is_control(c) ? '?' : c;
  if (text.size() > max) out += "\u2026(" + std::to_string(text.size()) + " chars)";
}

}  // namespace

std::string short_excerpts(std::string_view message, std::size_t max) {
  std::string out;
  out.reserve(message.size());
  std::size_t i = 0;
  while (i < message.size()) {
    const char c = message[i];
    const bool starts_quote = c == '\'';
    // A pointer token: after '/' at the start of the message or after a space or another token.
    const bool starts_token = c == '/' && (i == 0 || message[i - 1] == ' ' || message[i - 1] == '/');
    if (!starts_quote && !starts_token) {
      out += is_control(c) ? '?' : c;
      ++i;
      continue;
    }
    out += c;
    ++i;
    // A quote runs to the next quote; a pointer token to the next '/' or space.
    std::size_t end = i;
    if (starts_quote) {
      end = message.find('\'', i);
      if (end == std::string_view::npos) {
        append_excerpt(out, message.substr(i), max);
        break;
      }
    } else {
      while (end < message.size() && message[end] != '/' && message[end] != ' ') ++end;
    }
    append_excerpt(out, message.substr(i, end - i), max);
    i = end;
    if (starts_quote && i < message.size()) {
      out += '\'';
      ++i;
    }
  }
  return out;
}

}  // namespace pbxmock::mock
