#pragma once
// Percent-decoding of paths, query strings and form bodies (RFC 3986 and the
// application/x-www-form-urlencoded rules), as pure functions.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spec/result.h"

namespace pbxmock::spec {

struct DecodeError {
  std::size_t position;  // 0-based offset of the bad '%' escape in the input
};

enum class PlusIs { plus, space };  // '+' means a space only in query strings and form bodies

Result<std::string, DecodeError> percent_decode(std::string_view input, PlusIs plus = PlusIs::plus);

using NameValuePairs = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=&c&a=2" -> {a,1},{b,""},{c,""},{a,2}: order and repeats kept, empty pieces skipped.
Result<NameValuePairs, DecodeError> parse_url_encoded(std::string_view input);

}  // namespace pbxmock::spec
