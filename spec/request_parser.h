#pragma once
// From method, target, headers and body bytes to a request the spec accepts (the operation,
// typed parameters, the validated body) or the vendor's error body with the status of
// AUTH-API.md B1. The same code serves the mock, the fuzzers and the tests.
#include <cstddef>
#include <string_view>

#include "spec/api_error.h"
#include "spec/openapi.h"
#include "spec/parsed_request.h"
#include "spec/result.h"
#include "spec/schema_validator.h"
#include "spec/url_encoding.h"

namespace pbxmock::spec {

struct RequestLimits {
  std::size_t max_body_bytes = 1 << 20;  // 413 above this
  std::size_t max_depth = 64;            // nesting of a JSON body; deeper is 400 maxDepth
};

struct RawRequest {
  std::string_view method;
  std::string_view target;  // path and query as sent: "/api/info?domain=pbx.example.com"
  const NameValuePairs* headers = nullptr;  // names in any case
  std::string_view body;
};

// Checked in this order, the first failure answering: body size (413), route (404, 405),
// path and query encoding (400), bearer token present where the operation needs one (401),
// parameters (400), content type (415), body syntax and depth (400), body schema (400).
// Validation errors carry detail {"field", "pointer", "in", "rule", "limit"?}.
class RequestParser {
 public:
  // `document` must outlive the parser.
  explicit RequestParser(const OpenApiDocument& document, RequestLimits limits = {});

  Result<ParsedRequest, ApiError> parse(const RawRequest& raw) const;

  const OpenApiDocument& document() const noexcept { return document_; }
  const SchemaValidator& validator() const noexcept { return validator_; }

 private:
  const OpenApiDocument& document_;
  RequestLimits limits_;
  SchemaValidator validator_;
};

// Whether a JSON text nests arrays and objects deeper than max_depth (strings skipped).
bool json_nesting_exceeds(std::string_view text, std::size_t max_depth) noexcept;

}  // namespace pbxmock::spec
