#pragma once
// Both directions of one exchange against the spec, with the checks the rest of pbxmock uses:
// the request as the mock validates it (spec/request_parser.h: route, parameters, bearer
// token, content type, body schema) and the answer as `check` and `fuzz` judge it
// (contracts/spec_checks.h: status, content type, response schema, error shape).
//
// Each violation names where it is as a JSON Pointer into the message seen as a document:
// "/status", "/headers/content-type", "/query/domain", "/body/expires_in" ("/body" the whole
// body). Exchanges that are not the API's (outside the spec's base path, or under one of the
// caller's prefixes such as the mock's /__admin) and CORS preflights have no violations.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/exchange.h"
#include "contracts/spec_checks.h"
#include "spec/openapi.h"
#include "spec/request_parser.h"

namespace pbxmock::contracts {

enum class Direction { request, response };

struct ExchangeViolation {
  std::string operation;  // the operationId, or "METHOD /path" when the spec has no such operation
  Direction direction = Direction::request;
  std::string rule;       // request: the validation rule ("required", "maxLength", "content_type", "bearer_token",
                          // "unknown_operation", ...); response: the spec check's name (kSpecCheckNames)
  std::string pointer;    // see above
  std::string message;
};

std::string_view direction_name(Direction direction) noexcept;

// A browser's CORS preflight (OPTIONS with Access-Control-Request-Method): the browser's
// question about a call, not a call of the API; no spec lists it, so it is neither judged nor
// recorded.
bool is_cors_preflight(const ExchangeRequest& request);

// "signInWithCredentials response schema /body/expires_in: expected integer, seen string"
std::string to_line(const ExchangeViolation& violation);

class ExchangeChecker {
 public:
  // `document` must outlive the checker.
  explicit ExchangeChecker(const spec::OpenApiDocument& document, std::vector<std::string> not_api_prefixes = {});

  // Whether the request is one of the API's (below the base path and not under a prefix);
  // an unknown path below the base path is the API's (and a violation).
  bool is_api(std::string_view method, std::string_view target) const;

  // The operation a request is for (the target's query ignored).
  OperationLookup lookup(std::string_view method, std::string_view target) const;

  std::vector<ExchangeViolation> check(const Exchange& exchange) const;
  // The request's half of check().
  std::vector<ExchangeViolation> check_request(const ExchangeRequest& request) const;

  // The request alone, as the mock would refuse it: the parser's error (with the vendor's
  // error body), or nullopt when the request passes or is not the API's. For a proxy that
  // refuses instead of forwarding (pbxmock proxy --strict).
  std::optional<spec::ApiError> refusal(const ExchangeRequest& request) const;

  const spec::OpenApiDocument& document() const { return checker_.document(); }

 private:
  // The request parser's refusal of `request`, or nullopt when it passes.
  std::optional<spec::ApiError> parse_error(const ExchangeRequest& request) const;
  // check_request with the operation already looked up (check() has it).
  std::vector<ExchangeViolation> check_request(const ExchangeRequest& request, const OperationLookup& found,
                                               std::string_view path) const;

  SpecChecker checker_;
  spec::RequestParser parser_;
};

}  // namespace pbxmock::contracts
