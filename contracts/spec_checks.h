#pragma once
// What the spec says about an answer, whatever the contract expects. Pure: a request line
// and a response in, findings out. Each finding names its check, so a step can mark one as
// expected to differ (`allow:`), with a reason.
//
//   unknown_operation  the path is under the spec's base path but no operation has this method
//   undeclared_status  the status is not declared for the operation, nor covered by a class
//                      ("4XX") or "default"
//   content_type       the Content-Type is not one declared for that status, or a body came
//                      where none is declared
//   schema             the body does not validate against the declared schema (or is missing)
//   required_header    a header the response declares `required: true` is missing
//   error_shape        a 4xx body is not the vendor's error shape (our spec's `Error` schema)
//
// Paths outside the spec's base path, and paths starting with one of the prefixes the caller
// names (a server's own routes, such as the mock's), are not the API's: no check runs for them.
#include <string>
#include <string_view>
#include <vector>

#include "contracts/response.h"
#include "spec/openapi.h"
#include "spec/schema_validator.h"

namespace pbxmock::contracts {

inline constexpr std::string_view kSpecCheckNames[] = {"unknown_operation", "undeclared_status", "content_type",
                                                       "schema",            "required_header",   "error_shape"};

bool is_spec_check(std::string_view name) noexcept;

struct SpecFinding {
  std::string check;  // one of kSpecCheckNames
  std::string message;
  std::string body_pointer = {};  // schema and error_shape: where in the body ("" the whole body or n/a)
};

struct OperationLookup {
  enum class Kind { not_api, found, unknown } kind = Kind::not_api;
  const spec::Operation* operation = nullptr;  // when found
  std::string relative_path;                   // the path below the base path
  std::string message;                         // when unknown: what the spec has instead
};

class SpecChecker {
 public:
  // `document` must outlive the checker. A path (as sent, or below the base path) that starts
  // with one of `not_api_prefixes` is not the API's.
  explicit SpecChecker(const spec::OpenApiDocument& document, std::vector<std::string> not_api_prefixes = {});

  // `path` is as sent to the server, without the query ("/api/auth/sign_in").
  OperationLookup lookup(std::string_view method, std::string_view path) const;

  std::vector<SpecFinding> check(std::string_view method, std::string_view path, const Response& response) const;

  // The checks after the lookup, for an answer meant for `operation` (a scenario rule's, say).
  std::vector<SpecFinding> check_operation(const spec::Operation& operation, const Response& response) const;

  const spec::OpenApiDocument& document() const { return document_; }
  const spec::SchemaValidator& validator() const { return validator_; }

 private:
  void check_error_shape(const Response& response, std::vector<SpecFinding>& out) const;

  const spec::OpenApiDocument& document_;
  std::vector<std::string> not_api_prefixes_;
  spec::SchemaValidator validator_;
  spec::SchemaValidator error_validator_;  // over our builtin spec, whose `Error` is the vendor's shape
  const nlohmann::json* error_schema_ = nullptr;
};

// A violation as one line: "/expires_in: <message>" ("(body)" for the root).
std::string describe(const spec::Violation& violation);

}  // namespace pbxmock::contracts
