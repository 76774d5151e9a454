#include "contracts/spec_checks.h"

#include <algorithm>

#include "spec/base_path.h"
#include "spec/media_type.h"

namespace pbxmock::contracts {
namespace {

constexpr std::string_view kErrorSchemaPointer = "/components/schemas/Error";

std::string operation_label(const spec::Operation& op) {
  std::string label = op.method + " " + op.path_template;
  if (!op.operation_id.empty()) label += " (" + op.operation_id + ")";
  return label;
}

std::string declared_statuses(const spec::Operation& op) {
  std::string out;
  for (const auto& r : op.responses) {
    if (!out.empty()) out += ", ";
    out += r.status;
  }
  return out.empty() ? "none" : out;
}

std::string declared_types(const spec::Response& r) {
  std::string out;
  for (const auto& m : r.content) {
    if (!out.empty()) out += ", ";
    out += m.content_type;
  }
  return out;
}

bool header_required(const spec::OpenApiDocument& doc, const spec::Response& r, const std::string& name) {
  const auto* header = spec::resolve_pointer(doc.root(), spec::pointer_append(r.pointer + "/headers", name));
  // Header objects may be $refs into components/headers; one hop is what OpenAPI allows.
  if (header != nullptr && header->is_object() && header->contains("$ref") && (*header)["$ref"].is_string()) {
    header = doc.resolve_ref((*header)["$ref"].get<std::string>());
  }
  if (header == nullptr || !header->is_object()) return false;
  const auto it = header->find("required");
  return it != header->end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

bool is_spec_check(std::string_view name) noexcept {
  for (auto known : kSpecCheckNames)
    if (known == name) return true;
  return false;
}

std::string describe(const spec::Violation& violation) {
  return (violation.pointer.empty() ? std::string("(body)") : violation.pointer) + ": " + violation.message;
}

SpecChecker::SpecChecker(const spec::OpenApiDocument& document, std::vector<std::string> not_api_prefixes)
    : document_(document), not_api_prefixes_(std::move(not_api_prefixes)), validator_(document.root()), error_validator_(spec::builtin_spec().root()) {
  error_schema_ = spec::resolve_pointer(spec::builtin_spec().root(), kErrorSchemaPointer);
}

OperationLookup SpecChecker::lookup(std::string_view method, std::string_view path) const {
  OperationLookup out;
  const auto below = spec::path_below_base(document_.base_path(), path);
  if (!below) return out;  // not below the base path: not the API's
  const std::string_view relative = *below;
  for (const std::string& prefix : not_api_prefixes_) {
    if (path.substr(0, prefix.size()) == prefix || relative.substr(0, prefix.size()) == prefix) return out;
  }
  out.relative_path = std::string(relative);
  auto routed = document_.route(method, relative);
  if (routed) {
    out.kind = OperationLookup::Kind::found;
    out.operation = routed->operation;
    return out;
  }
  out.kind = OperationLookup::Kind::unknown;
  if (routed.error().kind == spec::RouteMiss::method_not_allowed) {
    std::string allowed;
    for (const auto& m : routed.error().allowed_methods) allowed += (allowed.empty() ? "" : ", ") + m;
    out.message = "the spec has no " + std::string(method) + " " + out.relative_path + " (it has " + allowed + ")";
  } else {
    out.message = "the spec has no path matching " + out.relative_path;
  }
  return out;
}

void SpecChecker::check_error_shape(const Response& response, std::vector<SpecFinding>& out) const {
  if (response.status < 400 || response.status > 499 || error_schema_ == nullptr) return;
  if (!response.json) {
    out.push_back({"error_shape", response.body.empty()
                                      ? "a " + std::to_string(response.status) + " answer has no body, not the vendor's error body"
                                      : "a " + std::to_string(response.status) + " body is not JSON, not the vendor's error body"});
    return;
  }
  for (const auto& v : error_validator_.validate(*error_schema_, *response.json, spec::Direction::response, 4)) {
    out.push_back({"error_shape", "not the vendor's error body: " + describe(v), v.pointer});
  }
}

std::vector<SpecFinding> SpecChecker::check(std::string_view method, std::string_view path,
                                            const Response& response) const {
  std::vector<SpecFinding> out;
  const auto found = lookup(method, path);
  if (found.kind == OperationLookup::Kind::not_api) return out;
  if (found.kind == OperationLookup::Kind::unknown) {
    out.push_back({"unknown_operation", found.message});
    check_error_shape(response, out);
    return out;
  }
  return check_operation(*found.operation, response);
}

std::vector<SpecFinding> SpecChecker::check_operation(const spec::Operation& op, const Response& response) const {
  std::vector<SpecFinding> out;
  const spec::Response* declared = op.find_response(response.status);
  if (declared == nullptr) {
    out.push_back({"undeclared_status", "status " + std::to_string(response.status) + " is not declared for " +
                                            operation_label(op) + ", which declares " + declared_statuses(op)});
    check_error_shape(response, out);
    return out;
  }

  for (const auto& name : declared->headers) {
    if (response.header(name) == nullptr && header_required(document_, *declared, name)) {
      out.push_back({"required_header", "the spec requires a " + name + " header on " + declared->status + " of " +
                                            operation_label(op) + "; the answer has none"});
    }
  }

  const std::string* content_type = response.header("Content-Type");
  if (declared->content.empty()) {
    if (!response.body.empty()) {
      out.push_back({"content_type", "the spec declares no body for " + declared->status + " of " + operation_label(op) +
                                         ", but the answer has " + std::to_string(response.body.size()) + " bytes" +
                                         (content_type ? " of " + *content_type : std::string())});
    }
  } else if (response.body.empty()) {
    // A 4xx whose declared body is our Error schema is judged once, by error_shape.
    const bool error_body = response.status >= 400 && response.status <= 499 &&
                            std::any_of(declared->content.begin(), declared->content.end(),
                                        [](const spec::MediaType& m) { return m.schema_pointer == kErrorSchemaPointer; });
    if (!error_body) {
      out.push_back({"schema", "the answer has no body; the spec declares " + declared_types(*declared) + " for " +
                                   declared->status + " of " + operation_label(op)});
    }
  } else if (content_type == nullptr) {
    out.push_back({"content_type", "the answer has no Content-Type; the spec declares " + declared_types(*declared)});
  } else {
    const auto parsed = spec::parse_media_type(*content_type);
    const spec::MediaType* media = nullptr;
    if (parsed) {
      for (const auto& m : declared->content) {
        if (spec::media_type_matches(m.content_type, parsed->type)) {
          media = &m;
          break;
        }
      }
    }
    if (media == nullptr) {
      out.push_back({"content_type", "Content-Type " + *content_type + " is not declared for " + declared->status +
                                         " of " + operation_label(op) + " (declared: " + declared_types(*declared) +
                                         ")"});
    } else if (media->schema != nullptr && spec::is_json_media_type(parsed->type)) {
      // A 4xx body declared as our Error schema is judged once, by error_shape.
      const bool error_schema_checked_by_shape =
          response.status >= 400 && response.status <= 499 && media->schema_pointer == kErrorSchemaPointer;
      if (!error_schema_checked_by_shape) {
        if (!response.json) {
          out.push_back({"schema", "the body is not valid JSON, though its Content-Type is " + *content_type});
        } else {
          for (const auto& v : validator_.validate(*media->schema, *response.json, spec::Direction::response, 8)) {
            out.push_back({"schema", describe(v), v.pointer});
          }
        }
      }
    }
  }
  check_error_shape(response, out);
  return out;
}

}  // namespace pbxmock::contracts
