#include "spec/url_encoding.h"

#include "spec/ascii.h"

namespace pbxmock::spec {
namespace {

using ascii::hex_value;

}  // namespace

Result<std::string, DecodeError> percent_decode(std::string_view input, PlusIs plus) {
  std::string out;
  out.reserve(input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    if (c == '%') {
      const int high = i + 1 < input.size() ? hex_value(input[i + 1]) : -1;
      const int low = i + 2 < input.size() ? hex_value(input[i + 2]) : -1;
      if (high < 0 || low < 0) return Err{DecodeError{i}};
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus == PlusIs::space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Result<NameValuePairs, DecodeError> parse_url_encoded(std::string_view input) {
  NameValuePairs pairs;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t end = input.find('&', start);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view piece = input.substr(start, end - start);
    if (!piece.empty()) {
      const std::size_t eq = piece.find('=');
      const std::string_view raw_name = piece.substr(0, eq);
      const std::string_view raw_value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
      auto name = percent_decode(raw_name, PlusIs::space);
      if (!name) return Err{DecodeError{start + name.error().position}};
      auto value = percent_decode(raw_value, PlusIs::space);
      if (!value) return Err{DecodeError{start + eq + 1 + value.error().position}};
      pairs.emplace_back(std::move(name).value(), std::move(value).value());
    }
    start = end + 1;
  }
  return pairs;
}

}  // namespace pbxmock::spec
