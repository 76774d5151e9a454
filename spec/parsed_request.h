#pragma once
// A request that passed the spec: routed to an operation, parameters decoded and typed,
// body parsed and validated. What the mock's handlers and rules work from.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace pbxmock::spec {

struct Operation;

struct ParsedRequest {
  const Operation* operation = nullptr;
  std::string operation_id;
  std::string method;                                   // upper case
  std::string path;                                     // as sent, without the query (e.g. /api/auth/sign_in)
  std::map<std::string, std::string> path_params;       // percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, in order, repeats kept
  nlohmann::json params = nlohmann::json::object();     // declared path/query parameters, typed by their schema (qr -> true)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  nlohmann::json body;                                  // JSON body, or form fields as an object of strings; null if none
  std::optional<std::string> bearer_token;              // from "Authorization: Bearer <token>"

  const std::string* header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers)
      if (name == lower_name) return &value;
    return nullptr;
  }
};

}  // namespace pbxmock::spec
