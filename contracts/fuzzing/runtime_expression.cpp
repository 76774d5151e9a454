#include "contracts/fuzzing/runtime_expression.h"

#include <algorithm>

#include "spec/ascii.h"
#include "spec/openapi.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

bool is_tchar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u)) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

Err<ExpressionError> fail(std::size_t offset, std::string reason) { return Err{ExpressionError{offset, std::move(reason)}}; }

// The source after "$request." or "$response."; `at` is its offset in the whole text.
Result<RuntimeExpression, ExpressionError> parse_source(std::string_view source, std::size_t at, RuntimeExpression out) {
  if (starts_with(source, "header.")) {
    const std::string_view name = source.substr(7);
    if (name.empty()) return fail(at + 7, "a header reference needs a header name after 'header.'");
    const auto bad = std::find_if_not(name.begin(), name.end(), is_tchar);
    if (bad != name.end()) {
      return fail(at + 7 + static_cast<std::size_t>(bad - name.begin()),
                  "a header name is an HTTP token; '" + std::string(1, *bad) + "' is not allowed in it");
    }
    out.source = RuntimeExpression::Source::header;
    out.name = std::string(name);
    return out;
  }
  for (const auto& [prefix, kind] : {std::pair{std::string_view("query."), RuntimeExpression::Source::query},
                                     std::pair{std::string_view("path."), RuntimeExpression::Source::path}}) {
    if (!starts_with(source, prefix)) continue;
    const std::string_view name = source.substr(prefix.size());
    if (name.empty()) return fail(at + prefix.size(), "a parameter reference needs a name after '" + std::string(prefix) + "'");
    out.source = kind;
    out.name = std::string(name);
    return out;
  }
  if (starts_with(source, "body")) {
    out.source = RuntimeExpression::Source::body;
    const std::string_view rest = source.substr(4);
    if (rest.empty()) return out;
    if (rest.front() != '#') return fail(at + 4, "after 'body' only '#' and a JSON Pointer may follow");
    const std::string_view pointer = rest.substr(1);
    if (!pointer.empty() && pointer.front() != '/') return fail(at + 5, "a JSON Pointer starts with '/'");
    for (std::size_t i = 0; i < pointer.size(); ++i) {
      if (pointer[i] == '~' && (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))) {
        return fail(at + 5 + i, "'~' in a JSON Pointer must be followed by 0 or 1");
      }
    }
    out.pointer = std::string(pointer);
    out.fragment = true;
    return out;
  }
  return fail(at, "expected header., query., path. or body after the '.'");
}

std::optional<std::string> find_pair(const std::vector<std::pair<std::string, std::string>>& pairs, std::string_view name,
                                     bool any_case) {
  for (const auto& [key, value] : pairs) {
    const bool same = any_case ? spec::ascii::iequals(key, name) : key == name;
    if (same) return value;
  }
  return std::nullopt;
}

Result<json, std::string> read_body(const RuntimeExpression& expression, const std::optional<json>& body,
                                    const std::string& text, std::string_view which) {
  if (expression.pointer.empty()) return body ? *body : json(text);
  if (!body) return Err{"the " + std::string(which) + " body is not JSON, so " + to_string(expression) + " has nothing to point into"};
  const json* found = spec::resolve_pointer(*body, expression.pointer);
  if (found == nullptr) return Err{"the " + std::string(which) + " body has nothing at " + expression.pointer};
  return *found;
}

}  // namespace

Result<RuntimeExpression, ExpressionError> parse_runtime_expression(std::string_view text) {
  RuntimeExpression out;
  if (text == "$url") return RuntimeExpression{RuntimeExpression::Kind::url, {}, {}, {}};
  if (text == "$method") return RuntimeExpression{RuntimeExpression::Kind::method, {}, {}, {}};
  if (text == "$statusCode") return RuntimeExpression{RuntimeExpression::Kind::status_code, {}, {}, {}};
  if (text.empty() || text.front() != '$') return fail(0, "a runtime expression starts with '$'");
  if (starts_with(text, "$request.")) {
    out.kind = RuntimeExpression::Kind::request;
    return parse_source(text.substr(9), 9, out);
  }
  if (starts_with(text, "$response.")) {
    out.kind = RuntimeExpression::Kind::response;
    return parse_source(text.substr(10), 10, out);
  }
  return fail(1, "expected $url, $method, $statusCode, $request. or $response.");
}

bool has_runtime_expression(std::string_view text) {
  return (!text.empty() && text.front() == '$') || text.find("{$") != std::string_view::npos;
}

Result<std::vector<TemplatePart>, ExpressionError> parse_expression_template(std::string_view text) {
  std::vector<TemplatePart> parts;
  if (!text.empty() && text.front() == '$') {
    auto expression = parse_runtime_expression(text);
    if (!expression) return Err{expression.error()};
    parts.push_back({{}, std::move(expression).value()});
    return parts;
  }
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("{$", i);
    if (open == std::string_view::npos) break;
    // The expression ends at the first '}': a pointer that needs one cannot be embedded.
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) return fail(open, "'{' opens an embedded expression that no '}' closes");
    if (open > i) parts.push_back({std::string(text.substr(i, open - i)), std::nullopt});
    auto expression = parse_runtime_expression(text.substr(open + 1, close - open - 1));
    if (!expression) {
      ExpressionError error = expression.error();
      error.offset += open + 1;
      return Err{std::move(error)};
    }
    parts.push_back({{}, std::move(expression).value()});
    i = close + 1;
  }
  if (i < text.size() || parts.empty()) parts.push_back({std::string(text.substr(i)), std::nullopt});
  return parts;
}

Result<json, std::string> evaluate(const RuntimeExpression& expression, const Exchange& exchange) {
  using Kind = RuntimeExpression::Kind;
  using Source = RuntimeExpression::Source;
  switch (expression.kind) {
    case Kind::url:
      return json(exchange.url);
    case Kind::method:
      return json(exchange.method);
    case Kind::status_code:
      return json(exchange.status);
    case Kind::request:
    case Kind::response:
      break;
  }
  const bool request = expression.kind == Kind::request;
  const std::string_view which = request ? "request" : "answer";
  std::optional<std::string> found;
  switch (expression.source) {
    case Source::none:
      return Err{std::string("an expression without a source")};
    case Source::body:
      return request ? read_body(expression, exchange.request_body, exchange.request_text, which)
                     : read_body(expression, exchange.response_body, exchange.response_text, which);
    case Source::header:
      found = find_pair(request ? exchange.request_headers : exchange.response_headers, expression.name, true);
      break;
    case Source::query:
      if (!request) return Err{std::string("an answer has no query: ") + to_string(expression)};
      found = find_pair(exchange.query, expression.name, false);
      break;
    case Source::path:
      if (!request) return Err{std::string("an answer has no path parameters: ") + to_string(expression)};
      found = find_pair(exchange.path_params, expression.name, false);
      break;
  }
  if (!found) return Err{"the " + std::string(which) + " has no " + to_string(expression).substr(request ? 9 : 10)};
  return json(std::move(*found));
}

Result<json, std::string> evaluate_template(std::string_view text, const Exchange& exchange) {
  auto parts = parse_expression_template(text);
  if (!parts) {
    return Err{"'" + std::string(text) + "' at offset " + std::to_string(parts.error().offset) + ": " + parts.error().reason};
  }
  if (parts->size() == 1 && parts->front().expression && text.front() == '$') return evaluate(*parts->front().expression, exchange);
  std::string out;
  for (const TemplatePart& part : *parts) {
    if (!part.expression) {
      out += part.literal;
      continue;
    }
    auto value = evaluate(*part.expression, exchange);
    if (!value) return Err{value.error()};
    out += value->is_string() ? value->get<std::string>() : value->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return json(std::move(out));
}

std::string to_string(const RuntimeExpression& expression) {
  using Kind = RuntimeExpression::Kind;
  using Source = RuntimeExpression::Source;
  switch (expression.kind) {
    case Kind::url:
      return "$url";
    case Kind::method:
      return "$method";
    case Kind::status_code:
      return "$statusCode";
    case Kind::request:
    case Kind::response:
      break;
  }
  std::string out = expression.kind == Kind::request ? "$request." : "$response.";
  switch (expression.source) {
    case Source::none:
      break;
    case Source::header:
      out += "header." + expression.name;
      break;
    case Source::query:
      out += "query." + expression.name;
      break;
    case Source::path:
      out += "path." + expression.name;
      break;
    case Source::body:
      out += "body";
      if (expression.fragment || !expression.pointer.empty()) out += "#" + expression.pointer;
      break;
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
