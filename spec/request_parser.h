#pragma once
// From method, target, headers and body bytes to a request the spec accepts (the operation,
// typed parameters, the validated body) or the vendor's error body with the status of
// AUTH-API.md B1. The same code serves the mock, the fuzzers and the tests.
#include <cstddef>
#include <optional>
#include <string_view>

#include "spec/api_error.h"
#include "spec/openapi.h"
#include "spec/parsed_request.h"
#include "spec/request_view.h"
#include "spec/result.h"
#include "spec/schema_validator.h"
#include "spec/url_encoding.h"

namespace pbxmock::spec {

// Checked in this order, the first failure answering: body size (413), route (404, 405),
// path and query encoding (400), bearer token present where the operation needs one (401),
// parameters (400), content type (415), body syntax and depth (400), body schema (400).
// Validation errors carry detail {"field", "pointer", "in", "rule", "limit"?}.
class RequestParser {
 public:
  // `document` must outlive the parser.
  explicit RequestParser(const OpenApiDocument& document, RequestLimits limits = {});

  // The body is judged by this parser's limits; the view's JSON (and its depth limit) is
  // used when the view was built with the same limits, and parsed here otherwise.
  Result<ParsedRequest, ApiError> parse(const RequestView& view) const;

  const OpenApiDocument& document() const noexcept { return document_; }
  const SchemaValidator& validator() const noexcept { return validator_; }

 private:
  // The stages of parse(), in order; each fills its part of `out` or says why not.
  std::optional<ApiError> take_route(const RequestView& view, ParsedRequest& out) const;
  std::optional<ApiError> take_parameters(const Operation& op, ParsedRequest& out) const;
  std::optional<ApiError> take_body(const RequestView& view, const Operation& op, ParsedRequest& out) const;
  std::optional<ApiError> read_form_body(std::string_view body, const MediaType& declared, ParsedRequest& out) const;

  const OpenApiDocument& document_;
  RequestLimits limits_;
  SchemaValidator validator_;
};

// Whether a JSON text nests arrays and objects deeper than max_depth (strings skipped).
bool json_nesting_exceeds(std::string_view text, std::size_t max_depth) noexcept;

}  // namespace pbxmock::spec
