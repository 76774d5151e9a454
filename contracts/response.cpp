#include "contracts/response.h"

namespace pbxmock::contracts {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

const std::string* Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (iequals(n, name)) return &v;
  return nullptr;
}

Response make_response(int status, std::vector<NameValue> headers, std::string body) {
  Response r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  if (!r.body.empty()) {
    // The non-throwing overload: a server's bytes are never trusted to be JSON.
    auto parsed = nlohmann::json::parse(r.body, nullptr, false);
    if (parsed.is_discarded()) {
      r.json_error = "the body is not valid JSON";
    } else {
      r.json = std::move(parsed);
    }
  }
  return r;
}

}  // namespace pbxmock::contracts
