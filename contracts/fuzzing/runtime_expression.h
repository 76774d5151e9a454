#pragma once
// OpenAPI runtime expressions (the Link Object's `parameters` and `requestBody`), as the
// OpenAPI 3.1 specification defines them:
//   expression = "$url" / "$method" / "$statusCode" / "$request." source / "$response." source
//   source     = "header." token / "query." name / "path." name / "body" ["#" json-pointer]
// and embedded in a string between braces ("Bearer {$response.body#/access_token}").
// The text comes from the document under test, so parsing is total: any string gives an
// expression or the reason it is not one, never an exception.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/result.h"

namespace pbxmock::contracts::fuzzing {

struct RuntimeExpression {
  enum class Kind { url, method, status_code, request, response };
  enum class Source { none, header, query, path, body };
  Kind kind = Kind::url;
  Source source = Source::none;
  std::string name;     // header, query or path parameter name
  std::string pointer;  // body: the JSON Pointer after '#', "" for the whole body
  bool fragment = false;  // body: written with '#' ("$response.body#" is the whole body too)
};

struct ExpressionError {
  std::size_t offset = 0;  // where in the text the problem is
  std::string reason;
};

Result<RuntimeExpression, ExpressionError> parse_runtime_expression(std::string_view text);

// A string with `{expression}` parts: literal text and expressions, in order. A string that
// is one bare expression ("$response.body#/a") is one expression part too.
struct TemplatePart {
  std::string literal;                           // when expression is empty
  std::optional<RuntimeExpression> expression;
};
Result<std::vector<TemplatePart>, ExpressionError> parse_expression_template(std::string_view text);

// Whether `text` holds anything to evaluate (a bare expression or a `{$...}` part); literals
// in a link are used as they are.
bool has_runtime_expression(std::string_view text);

// One request and its answer, as an expression reads them. Header names compare without case.
struct Exchange {
  std::string url;
  std::string method;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> request_headers;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> path_params;
  std::optional<nlohmann::json> request_body;  // parsed JSON, nullopt when not JSON
  std::string request_text;
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::optional<nlohmann::json> response_body;
  std::string response_text;
};

// The value: strings for headers and parameters, the JSON value a pointer reaches in a body.
Result<nlohmann::json, std::string> evaluate(const RuntimeExpression& expression, const Exchange& exchange);

// A template evaluated to text (JSON values other than strings written as JSON). A bare
// expression that reaches a non-string keeps its JSON value, so `expires_in` stays a number.
Result<nlohmann::json, std::string> evaluate_template(std::string_view text, const Exchange& exchange);

std::string to_string(const RuntimeExpression& expression);

}  // namespace pbxmock::contracts::fuzzing
