#include "spec/request_parser.h"

#include <charconv>
#include <cstdlib>

#include "spec/ascii.h"
#include "spec/media_type.h"

namespace pbxmock::spec {
namespace {

using ascii::iequals;

// "/users/0/e~1mail" -> "users.0.e/mail": the field as a person names it.
std::string field_name(std::string_view pointer) {
  if (pointer.empty()) return "body";
  std::string out;
  for (std::size_t i = 1; i < pointer.size(); ++i) {
    const char c = pointer[i];
    if (c == '/') {
      out += '.';
    } else if (c == '~' && i + 1 < pointer.size()) {
      out += pointer[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

ApiError invalid(std::string field, std::string pointer, std::string_view in, std::string rule,
                 nlohmann::json limit = nullptr, std::string explanation = {}) {
  ApiError error = validation_failed(std::move(field), std::move(rule), std::move(limit), std::move(explanation));
  error.detail["pointer"] = std::move(pointer);
  error.detail["in"] = in;
  return error;
}

ApiError from_violation(const Violation& v, std::string_view in, std::string_view parameter = {}) {
  std::string pointer = v.pointer;
  if (v.rule == "required" && v.limit.is_string()) pointer = pointer_append(pointer, v.limit.get<std::string>());
  std::string field = parameter.empty() ? field_name(pointer) : std::string(parameter) + (pointer.empty() ? "" : "." + field_name(pointer));
  if (!parameter.empty()) pointer = pointer_append("", parameter) + pointer;
  return invalid(std::move(field), std::move(pointer), in, v.rule, v.limit, v.message);
}

bool has_type(const nlohmann::json& schema, std::string_view type) {
  if (!schema.is_object()) return false;
  const auto it = schema.find("type");
  if (it == schema.end()) return false;
  if (it->is_string()) return it->get_ref<const std::string&>() == type;
  if (it->is_array()) {
    for (const auto& t : *it)
      if (t.is_string() && t.get_ref<const std::string&>() == type) return true;
  }
  return false;
}

// Text from a query string, path segment, header or form field, typed by the schema's
// declared type. What does not convert stays a string, so the validator reports "type".
nlohmann::json typed_value(const nlohmann::json* schema, const std::string& text) {
  if (!schema) return text;
  if (has_type(*schema, "boolean")) {
    if (text == "true") return true;
    if (text == "false") return false;
  }
  if (has_type(*schema, "integer")) {
    long long n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return n;
  }
  if (has_type(*schema, "number")) {
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && text.find_first_of("xXnN") == std::string::npos) return d;
  }
  return text;
}

const nlohmann::json* item_schema(const nlohmann::json* schema) {
  if (!schema || !schema->is_object()) return nullptr;
  const auto it = schema->find("items");
  return it != schema->end() && it->is_object() ? &*it : nullptr;
}

std::string wanted_media_types(const Operation& op) {
  std::string out;
  for (const auto& m : op.request_body) {
    if (!out.empty()) out += ", ";
    out += m.content_type;
  }
  return out;
}

}  // namespace

bool json_nesting_exceeds(std::string_view text, std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

RequestParser::RequestParser(const OpenApiDocument& document, RequestLimits limits)
    : document_(document),
      limits_(limits),
      validator_([&document](std::string_view ref) { return document.resolve_ref(ref); }) {}

Result<ParsedRequest, ApiError> RequestParser::parse(const RequestView& view) const {
  if (view.body().size() > limits_.max_body_bytes) return Err{payload_too_large(limits_.max_body_bytes)};
  ParsedRequest request;
  if (auto error = take_route(view, request)) return Err{std::move(*error)};
  const Operation& op = *request.operation;
  if (auto error = take_parameters(op, request)) return Err{std::move(*error)};
  if (auto error = take_body(view, op, request)) return Err{std::move(*error)};
  return request;
}

// Route, path parameters, query, headers and the bearer token: the request's addressing.
std::optional<ApiError> RequestParser::take_route(const RequestView& view, ParsedRequest& request) const {
  const auto& route = view.route(document_);
  if (!route) {
    if (route.error().kind == RouteMiss::method_not_allowed) return method_not_allowed(route.error().allowed_methods);
    return not_found("no operation at " + std::string(view.path()));
  }
  const Operation& op = *route->operation;
  request.operation = &op;
  request.operation_id = op.operation_id;

  for (const auto& [name, value] : route->path_params) {
    auto decoded = percent_decode(value);
    if (!decoded) return invalid(name, pointer_append("", name), "path", "percentEncoding", nullptr, "a '%' not followed by two hex digits");
    request.path_params.emplace(name, std::move(decoded).value());
  }
  if (const auto& error = view.query_error()) {
    return invalid("query", "", "query", "percentEncoding", nullptr,
                   "a '%' not followed by two hex digits at offset " + std::to_string(error->position));
  }
  request.query = Pairs::borrow(view.query());
  request.headers = Pairs::borrow(view.headers());

  if (const std::string* auth = request.header("authorization")) {
    const std::string_view a = *auth;
    if (a.size() > 7 && iequals(a.substr(0, 7), "bearer ")) {
      std::string_view token = a.substr(7);
      while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
      while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
      if (!token.empty()) request.bearer_token.emplace(token);
    }
  }
  if (op.requires_auth && !request.bearer_token) return unauthorized("this operation needs an Authorization: Bearer token");
  return std::nullopt;
}

// The declared path, query and header parameters, typed by their schemas and validated.
std::optional<ApiError> RequestParser::take_parameters(const Operation& op, ParsedRequest& request) const {
  for (const Parameter& p : op.parameters) {
    std::vector<const std::string*> values;
    if (p.in == "path") {
      if (auto it = request.path_params.find(p.name); it != request.path_params.end()) values.push_back(&it->second);
    } else if (p.in == "query") {
      for (const auto& [name, value] : request.query)
        if (name == p.name) values.push_back(&value);
    } else if (p.in == "header") {
      for (const auto& [n, value] : request.headers)
        if (iequals(n, p.name)) values.push_back(&value);
    } else {
      continue;  // cookies are not part of this API
    }
    if (values.empty()) {
      if (p.required) return invalid(p.name, pointer_append("", p.name), p.in, "required", nullptr, "the " + p.in + " parameter is missing");
      continue;
    }
    nlohmann::json typed;
    if (p.schema && has_type(*p.schema, "array")) {
      typed = nlohmann::json::array();
      for (const std::string* v : values) typed.push_back(typed_value(item_schema(p.schema), *v));
    } else if (values.size() > 1) {
      return invalid(p.name, pointer_append("", p.name), p.in, "repeated", nullptr, "given more than once, but it takes one value");
    } else {
      typed = typed_value(p.schema, *values.front());
    }
    if (p.schema) {
      const auto violations = validator_.validate(*p.schema, typed, Direction::request, 1);
      if (!violations.empty()) return from_violation(violations.front(), p.in, p.name);
    }
    request.params[p.name] = std::move(typed);
  }
  return std::nullopt;
}

// Content type, body syntax (JSON under the depth limit, a form, or text) and the schema.
std::optional<ApiError> RequestParser::take_body(const RequestView& view, const Operation& op, ParsedRequest& request) const {
  if (!op.has_request_body) return std::nullopt;
  const std::string_view body = view.body();
  if (body.empty()) {
    if (op.request_body_required) return invalid("body", "", "body", "required", nullptr, "this operation needs a request body");
    return std::nullopt;
  }
  const std::string* content_type = request.header("content-type");
  const auto media = content_type ? parse_media_type(*content_type) : std::nullopt;
  const MediaType* declared = nullptr;
  if (media) {
    for (const MediaType& m : op.request_body) {
      if (media_type_matches(m.content_type, media->type)) {
        declared = &m;
        break;
      }
    }
  }
  if (!declared) return unsupported_media_type(content_type ? *content_type : "", wanted_media_types(op));
  if (const std::string* charset = media->parameter("charset"); charset && !iequals(*charset, "utf-8") && !iequals(*charset, "utf8")) {
    return unsupported_media_type(*content_type, wanted_media_types(op) + " in UTF-8");
  }

  if (is_json_media_type(media->type)) {
    // Parsed once: the view's body when the rules have parsed it already (under the same
    // limits), else here, straight into the request.
    const bool same_limits = view.limits().max_depth == limits_.max_depth && view.limits().max_body_bytes >= body.size();
    const JsonBody* seen = same_limits ? view.parsed_json_body() : nullptr;
    JsonBody own = seen ? JsonBody{} : read_json_body(body, limits_);
    const JsonBody& json = seen ? *seen : own;
    if (json.state == JsonBody::State::too_deep) {
      return invalid("body", "", "body", "maxDepth", limits_.max_depth, "arrays and objects nested too deep");
    }
    if (json.state != JsonBody::State::parsed) {
      return invalid("body", "", "body", "json", nullptr, "the body is not valid JSON (UTF-8)");
    }
    request.body = seen ? seen->value : std::move(own.value);
  } else if (media->type == "application/x-www-form-urlencoded") {
    if (auto error = read_form_body(body, *declared, request)) return error;
  } else {
    request.body = std::string(body);
  }

  if (declared->schema) {
    const auto violations = validator_.validate(*declared->schema, request.body, Direction::request, 1);
    if (!violations.empty()) return from_violation(violations.front(), "body");
  }
  return std::nullopt;
}

// Form fields typed by the declared schema's properties; a repeated field is refused.
std::optional<ApiError> RequestParser::read_form_body(std::string_view body, const MediaType& declared,
                                                      ParsedRequest& request) const {
  auto pairs = parse_url_encoded(body);
  if (!pairs) {
    return invalid("body", "", "body", "percentEncoding", nullptr,
                   "a '%' not followed by two hex digits at offset " + std::to_string(pairs.error().position));
  }
  request.body = nlohmann::json::object();
  const nlohmann::json* properties = nullptr;
  if (declared.schema && declared.schema->is_object()) {
    if (auto it = declared.schema->find("properties"); it != declared.schema->end() && it->is_object()) properties = &*it;
  }
  for (auto& [name, value] : pairs.value()) {
    if (request.body.contains(name)) {
      return invalid(name, pointer_append("", name), "body", "repeated", nullptr, "given more than once, but it takes one value");
    }
    const nlohmann::json* property = nullptr;
    if (properties) {
      if (auto it = properties->find(name); it != properties->end()) property = &*it;
    }
    request.body[name] = typed_value(property, value);
  }
  return std::nullopt;
}

}  // namespace pbxmock::spec
