#include "contracts/exchange_check.h"

#include <algorithm>

#include "contracts/response.h"
#include "contracts/spec_coverage.h"
#include "spec/ascii.h"
#include "spec/request_view.h"
#include "spec/structured_document.h"

namespace pbxmock::contracts {
namespace {

std::string operation_of(const OperationLookup& found, std::string_view method, std::string_view path) {
  if (found.kind == OperationLookup::Kind::found) return operation_name(*found.operation);
  return std::string(method) + " " + std::string(path);
}

// Where the request parser's refusal points, in the request seen as a document.
std::string request_pointer(const spec::ApiError& error) {
  const auto& detail = error.detail;
  const auto text = [&](const char* key) {
    const auto it = detail.is_object() ? detail.find(key) : detail.end();
    return it != detail.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (error.status == 401) return "/headers/authorization";
  if (error.status == 413) return "/body";
  if (error.status == 415) return "/headers/content-type";
  const std::string in = text("in");
  const std::string pointer = text("pointer");
  if (in == "body") return "/body" + pointer;
  if (in == "header") return "/headers" + spec::ascii::lower(pointer);
  if (in == "query" || in == "path") return "/" + in + pointer;
  return "";
}

std::string request_rule(const spec::ApiError& error) {
  switch (error.status) {
    case 401: return "bearer_token";
    case 413: return "max_body_bytes";
    case 415: return "content_type";
    default: break;
  }
  if (error.detail.is_object() && error.detail.contains("rule") && error.detail["rule"].is_string()) {
    return error.detail["rule"].get<std::string>();
  }
  return spec::ascii::lower(error.code);
}

std::string request_message(const spec::ApiError& error) {
  std::string out = std::to_string(error.status) + " " + error.code + ": " + error.message;
  if (error.detail.is_object()) {
    const auto explanation = error.detail.find("explanation");
    if (explanation != error.detail.end() && explanation->is_string()) out += " (" + explanation->get<std::string>() + ")";
  }
  return out;
}

std::string response_pointer(const SpecFinding& finding, const std::string& header_name) {
  if (finding.check == "undeclared_status") return "/status";
  if (finding.check == "content_type") return "/headers/content-type";
  if (finding.check == "required_header") return "/headers/" + spec::ascii::lower(header_name);
  return "/body" + finding.body_pointer;
}

// The header a required_header finding names ("...requires a X-Foo header on...").
std::string required_header_name(const std::string& message) {
  const std::string lead = "requires a ";
  const auto start = message.find(lead);
  if (start == std::string::npos) return "";
  const auto end = message.find(' ', start + lead.size());
  return message.substr(start + lead.size(), end == std::string::npos ? std::string::npos : end - start - lead.size());
}

}  // namespace

std::string_view direction_name(Direction direction) noexcept {
  return direction == Direction::request ? "request" : "response";
}

bool is_cors_preflight(const ExchangeRequest& request) {
  if (request.method != "OPTIONS") return false;
  return std::any_of(request.headers.begin(), request.headers.end(), [](const NameValue& header) {
    return spec::ascii::iequals(header.first, "Access-Control-Request-Method");
  });
}

std::string to_line(const ExchangeViolation& v) {
  return v.operation + " " + std::string(direction_name(v.direction)) + " " + v.rule + " " +
         (v.pointer.empty() ? std::string("(message)") : v.pointer) + ": " + v.message;
}

ExchangeChecker::ExchangeChecker(const spec::OpenApiDocument& document, std::vector<std::string> not_api_prefixes)
    : checker_(document, std::move(not_api_prefixes)), parser_(document) {}

bool ExchangeChecker::is_api(std::string_view method, std::string_view target) const {
  return checker_.lookup(method, spec::split_target(target).path).kind != OperationLookup::Kind::not_api;
}

OperationLookup ExchangeChecker::lookup(std::string_view method, std::string_view target) const {
  return checker_.lookup(method, spec::split_target(target).path);
}

std::optional<spec::ApiError> ExchangeChecker::parse_error(const ExchangeRequest& request) const {
  spec::NameValuePairs headers(request.headers.begin(), request.headers.end());
  const spec::RequestView view(request.method, request.target, std::move(headers), request.body);
  auto parsed = parser_.parse(view);
  if (parsed) return std::nullopt;
  return parsed.error();
}

std::optional<spec::ApiError> ExchangeChecker::refusal(const ExchangeRequest& request) const {
  if (is_cors_preflight(request) || !is_api(request.method, request.target)) return std::nullopt;
  return parse_error(request);
}

std::vector<ExchangeViolation> ExchangeChecker::check_request(const ExchangeRequest& request) const {
  if (is_cors_preflight(request)) return {};
  const std::string_view path = spec::split_target(request.target).path;
  return check_request(request, checker_.lookup(request.method, path), path);
}

std::vector<ExchangeViolation> ExchangeChecker::check_request(const ExchangeRequest& request,
                                                              const OperationLookup& found,
                                                              std::string_view path) const {
  std::vector<ExchangeViolation> out;
  if (found.kind == OperationLookup::Kind::not_api) return out;
  const std::string operation = operation_of(found, request.method, path);
  if (found.kind == OperationLookup::Kind::unknown) {
    out.push_back({operation, Direction::request, "unknown_operation", "", found.message});
  } else if (const auto error = parse_error(request)) {
    out.push_back({operation, Direction::request, request_rule(*error), request_pointer(*error), request_message(*error)});
  }
  return out;
}

std::vector<ExchangeViolation> ExchangeChecker::check(const Exchange& exchange) const {
  const ExchangeRequest& request = exchange.request;
  if (is_cors_preflight(request)) return {};
  const std::string_view path = spec::split_target(request.target).path;
  const OperationLookup found = checker_.lookup(request.method, path);
  if (found.kind == OperationLookup::Kind::not_api) return {};
  const std::string operation = operation_of(found, request.method, path);
  std::vector<ExchangeViolation> out = check_request(request, found, path);

  const Response response = make_response(exchange.response.status, exchange.response.headers, exchange.response.body);
  for (const SpecFinding& finding : checker_.check(request.method, path, response)) {
    // The request's violation already says the spec has no such operation.
    if (finding.check == "unknown_operation") continue;
    // A body nobody kept cannot be judged, only its status and headers; nor can the answer to
    // a HEAD, which has none by definition.
    const bool body_unknown = !exchange.response.body_captured || request.method == "HEAD";
    if (body_unknown && (finding.check == "schema" || finding.check == "error_shape")) continue;
    out.push_back({operation, Direction::response, finding.check,
                   response_pointer(finding, required_header_name(finding.message)), finding.message});
  }
  return out;
}

}  // namespace pbxmock::contracts
