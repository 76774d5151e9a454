// The whole request pipeline against our spec: the input is read like an HTTP/1.1 request
// head ("METHOD TARGET", header lines, an empty line, the body). The parser must answer a
// routed request or a 4xx whose body is the vendor's Error shape, and nothing else.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz/broken_invariant.h"
#include "spec/request_parser.h"

using pbxmock::fuzz::broken;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pbxmock::spec;
  static const RequestParser parser(builtin_spec());
  static const nlohmann::json* error_schema = builtin_spec().resolve_ref("#/components/schemas/Error");
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const std::size_t line_end = std::min(input.find('\n'), input.size());
  const std::string_view request_line = input.substr(0, line_end);
  const std::size_t space = std::min(request_line.find(' '), request_line.size());
  NameValuePairs headers;
  std::size_t pos = line_end + 1;
  while (pos < input.size()) {
    const std::size_t end = std::min(input.find('\n', pos), input.size());
    const std::string_view line = input.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) break;
    const std::size_t colon = std::min(line.find(':'), line.size());
    const std::string_view value = colon < line.size() ? line.substr(colon + 1) : std::string_view{};
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(value.substr(value.find_first_not_of(' ') == std::string_view::npos ? value.size() : value.find_first_not_of(' '))));
  }
  const std::string_view body = pos < input.size() ? input.substr(pos) : std::string_view{};
  const RequestView raw(request_line.substr(0, space), space < request_line.size() ? request_line.substr(space + 1) : "",
                        std::move(headers), body);

  const auto result = parser.parse(raw);
  if (result) {
    if (result->operation == nullptr || raw.method() != result->operation->method ||
        result->operation_id != result->operation->operation_id) {
      broken("parsed request without its operation", input);
    }
    return 0;
  }
  const ApiError& e = result.error();
  if (e.status < 400 || e.status > 499) broken("error status outside 4xx", input);
  if (e.status == 405 && e.allow.empty()) broken("405 without allowed methods", input);
  if (!parser.validator().is_valid(*error_schema, e.body(), Direction::response)) broken("error body is not the vendor's shape", input);
  return 0;
}
