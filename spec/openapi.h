#pragma once
// An OpenAPI 3.0 or 3.1 document as the rest of pbxmock sees it: operations with their
// parameters, bodies and responses ($refs of those resolved), the base path, and a router
// from `METHOD /path` to an operation. Schemas are not inlined (they may be recursive):
// whoever validates against one follows its inner `$ref`s through resolve_ref().
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/document_reader.h"
#include "spec/result.h"
#include "spec/structured_document.h"

namespace pbxmock::spec {

struct Parameter {
  std::string name;
  std::string in;  // path | query | header | cookie
  bool required = false;  // always true for `in: path` (OpenAPI requires it; we do not rely on the author)
  const nlohmann::json* schema = nullptr;  // never a bare {"$ref"} at the top; nullptr when none
  std::string pointer;         // JSON Pointer of the parameter object (the $ref target when it was a $ref)
  std::string schema_pointer;  // JSON Pointer of *schema, "" when none
};

struct MediaType {
  std::string content_type;
  const nlohmann::json* schema = nullptr;   // never a bare {"$ref"} at the top; nullptr when none
  const nlohmann::json* example = nullptr;  // `example`, else the first `examples` entry's `value` (in
                                            // document order, $ref followed), else nullptr
  std::string schema_pointer;               // JSON Pointer of *schema, "" when none
};

struct Response {
  std::string status;  // "200", "4XX", "default", as written
  std::string pointer;  // JSON Pointer of the response object (the $ref target when it was a $ref)
  std::vector<MediaType> content;
  std::vector<std::string> headers;  // header names, as written
};

struct Operation {
  std::string method;         // upper case: GET, POST, ...
  std::string path_template;  // as written in the document, e.g. "/auth/sign_in/{provider}"
  std::string operation_id;   // empty when the document gives none
  std::string pointer;        // e.g. "/paths/~1auth~1sign_in/post"
  std::vector<Parameter> parameters;  // path-level then operation-level; an operation-level one
                                      // with the same name and `in` replaces the path-level one
  bool has_request_body = false;
  bool request_body_required = false;
  std::vector<MediaType> request_body;
  std::vector<Response> responses;
  bool requires_auth = false;  // effective `security` is non-empty and has no `{}` alternative

  // Exact status, then its class ("4XX"), then "default"; nullptr when none applies.
  const Response* find_response(int status) const;
};

struct RouteMatch {
  const Operation* operation = nullptr;
  std::vector<std::pair<std::string, std::string>> path_params;  // name, raw (still percent-encoded) value
};

enum class RouteMiss { not_found, method_not_allowed };

struct RouteFailure {
  RouteMiss kind = RouteMiss::not_found;
  std::vector<std::string> allowed_methods;  // for method_not_allowed, sorted
};

class OpenApiDocument {
 public:
  struct State;
  explicit OpenApiDocument(std::unique_ptr<State> state);
  OpenApiDocument(OpenApiDocument&&) noexcept;
  OpenApiDocument& operator=(OpenApiDocument&&) noexcept;
  ~OpenApiDocument();
  // A moved-from document may only be destroyed or assigned to. Everything else keeps
  // its address across moves: the model lives on the heap.

  const nlohmann::json& root() const;
  const std::string& file() const;
  // Path of the first server URL, without a trailing slash ("/api"); "" when there are no
  // servers or the path is "/". Scheme and authority are ignored, templated or not;
  // `{variables}` in the path take their `default`. Servers given on a path item or an
  // operation are not used: the mock serves everything under one base path.
  const std::string& base_path() const;
  const std::vector<Operation>& operations() const;  // in document order
  const Operation* find_operation(std::string_view operation_id) const;
  // A local reference "#/a/b~1c" (JSON Pointer in a URI fragment: ~0 ~1 and %XX decoded);
  // "#" is the root. nullptr for anything else or a missing target. Does not follow chains.
  const nlohmann::json* resolve_ref(std::string_view ref) const;

  // `path` is relative to the base path and without the query ("/auth/sign_in"). Segments are
  // compared byte for byte, nothing is percent-decoded. Per segment, literal templates win over
  // partial ones ("{name}.json"), which win over whole-segment parameters; the first full match
  // in that order that has any operation decides the path item, then the method picks the
  // operation (methods are case-sensitive, upper case) or gives method_not_allowed. A parameter
  // never matches an empty segment, so "/info/" does not match "/info" nor "/info/{x}".
  Result<RouteMatch, RouteFailure> route(std::string_view method, std::string_view path) const;

  SourcePosition position_of(std::string_view pointer) const;

 private:
  std::unique_ptr<State> state_;
};

// Any bytes give a document or every problem found, each saying where and what (in file
// order); never an exception.
Result<OpenApiDocument, SourceErrors> load_openapi(std::string_view text, std::string file);
Result<OpenApiDocument, SourceErrors> load_openapi_file(const std::string& path);

// spec/portsip-auth.yaml, compiled into the library; loaded on first use (thread-safe).
// Aborts with a message on stderr if our own document does not load.
const OpenApiDocument& builtin_spec();

// The value at a JSON Pointer (not a URI fragment: no %XX decoding); nullptr if missing.
const nlohmann::json* resolve_pointer(const nlohmann::json& root, std::string_view pointer);

}  // namespace pbxmock::spec
