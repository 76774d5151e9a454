#pragma once
// An answer as the contract checks see it: status, headers in the order received, the raw
// body, and the body parsed as JSON when it is JSON.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/contract.h"

namespace pbxmock::contracts {

struct Response {
  int status = 0;
  std::vector<NameValue> headers;
  std::string body;
  std::optional<nlohmann::json> json;  // the body parsed, when it parses as JSON
  std::string json_error;              // why it did not, when the body is not empty

  // The first header with this name, compared without regard to ASCII case.
  const std::string* header(std::string_view name) const;
};

// Fills `json` / `json_error` from the body whatever the content type says: the checks
// decide what the content type should have been. Never throws.
Response make_response(int status, std::vector<NameValue> headers, std::string body);

}  // namespace pbxmock::contracts
