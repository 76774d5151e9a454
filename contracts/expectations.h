#pragma once
// A step's expectations judged against an answer. Pure: the expectations (placeholders
// already substituted) and the response in, the differences out, each saying what was
// expected and what was seen.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/contract.h"
#include "contracts/response.h"
#include "contracts/variables.h"

namespace pbxmock::contracts {

struct Failure {
  std::string subject;   // "status", "header Allow", "body /access_token", "error code", ...
  std::string expected;
  std::string seen;
  std::string to_string() const;  // "body /expires_in: expected integer, seen "3600" (string)"
};

std::vector<Failure> check_expectations(const Expectations& expect, const Response& response);

// One matcher against one value; `value` is nullptr when the header or member is absent.
std::optional<Failure> check_matcher(const Matcher& matcher, const nlohmann::json* value, const std::string& subject);

// The expectations with every placeholder replaced (equals values, regexes, error code).
Result<Expectations, std::string> substitute_expectations(const Expectations& expect, const Variables& variables);

// A JSON value for a message: compact, with its type when that helps, cut to a readable length.
std::string show(const nlohmann::json& value);

// "200", "200 or 204", "4xx".
std::string describe_status(const StatusExpectation& status);

}  // namespace pbxmock::contracts
