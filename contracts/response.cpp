#include "contracts/response.h"

#include "spec/ascii.h"

namespace pbxmock::contracts {

const std::string* Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (spec::ascii::iequals(n, name)) return &v;
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
