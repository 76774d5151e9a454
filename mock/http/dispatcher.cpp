#include "mock/http/dispatcher.h"

#include <charconv>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "mock/admin/home_page.h"
#include "mock/admin/ui_page.h"
#include "mock/http/connection.h"
#include "mock/http/cors.h"
#include "mock/http/faults.h"
#include "spec/api_error.h"
#include "spec/ascii.h"
#include "spec/url_encoding.h"

namespace pbxmock::mock {
namespace {

using HandlerResponse = httplib::Server::HandlerResponse;

constexpr std::string_view kAdminPrefix = "/__admin";
constexpr std::string_view kIdpPrefix = "/__idp/";

// When the pre-routing handler left a request for httplib to read its body, the time it
// arrived, for the error handler that answers it on the same thread.
thread_local std::optional<std::chrono::steady_clock::time_point> deferred_since;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

bool is_admin_path(std::string_view path) {
  return starts_with(path, kAdminPrefix) && (path.size() == kAdminPrefix.size() || path[kAdminPrefix.size()] == '/');
}

const std::string* find_header(const httplib::Request& request, const char* name) {
  const auto it = request.headers.find(name);
  return it == request.headers.end() ? nullptr : &it->second;
}

// Whether httplib reads a body for this request before routing: its methods with a body
// (expect_content) that announce one. A request without Content-Length or
// Transfer-Encoding has no body (RFC 9112 6.3); httplib 0.11 would instead read until the
// client closes, so those are answered before it tries.
bool httplib_reads_body(const httplib::Request& request) {
  if (!httplib_reads_body_for(request.method)) return false;
  if (request.headers.find("Transfer-Encoding") != request.headers.end()) return true;
  const std::string* length = find_header(request, "Content-Length");
  if (!length) return false;
  unsigned long long n = 0;
  const auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), n);
  // Anything but a clean 0 is left to httplib, which judges it the same way for the body.
  return !(ec == std::errc() && end == length->data() + length->size() && n == 0);
}

struct Target {
  std::string_view path;   // raw, as sent
  std::string_view query;  // raw, without '?'
};

Target split_target(std::string_view target) {
  target = target.substr(0, target.find('#'));
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

spec::NameValuePairs decoded_pairs(std::string_view text) {
  if (text.empty()) return {};
  auto pairs = spec::parse_url_encoded(text);
  return pairs ? std::move(pairs).value() : spec::NameValuePairs{};
}

spec::NameValuePairs lower_case_headers(const httplib::Headers& headers) {
  spec::NameValuePairs out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    out.emplace_back(spec::ascii::lower(name), value);
  }
  return out;
}

// The body as rules see it: JSON, or form fields as an object of strings, else nothing.
nlohmann::json body_for_rules(const httplib::Request& request) {
  if (request.body.empty()) return nullptr;
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_discarded()) return body;
  const std::string* type = find_header(request, "Content-Type");
  if (type && type->find("x-www-form-urlencoded") != std::string::npos) {
    nlohmann::json form = nlohmann::json::object();
    for (auto& [name, value] : decoded_pairs(request.body)) form[name] = std::move(value);
    return form;
  }
  return nullptr;
}

ApiResponse internal_error(std::string_view what) {
  return ApiResponse::json(
      {{"errors", {{{"code", "INTERNAL_ERROR"}, {"message", "internal error in the mock: " + std::string(what)}}}}}, 500);
}

// httplib's own refusals, in the vendor's shape.
spec::ApiError transport_error(int status, std::size_t max_body) {
  switch (status) {
    case 413:
      return spec::payload_too_large(max_body);
    case 414:
      return {414, "URI_TOO_LONG", "request URI too long", {{"field", "uri"}, {"rule", "maxLength"}, {"limit", 8192}}, {}};
    case 416:
      return {416, "RANGE_NOT_SATISFIABLE", "range not satisfiable", nullptr, {}};
    case 400:
      return {400, "VALIDATE_FAILED", "malformed HTTP request",
              {{"field", "request"}, {"rule", "http"}, {"explanation", "request line or headers malformed or too long"}}, {}};
    default:
      return {status, "UNKNOWN", "unknown error", nullptr, {}};
  }
}

}  // namespace

void write_answer(const ApiResponse& answer, httplib::Response& response) {
  response.status = answer.status;
  for (const auto& [name, value] : answer.headers) response.set_header(name, value);  // CR/LF refused by httplib
  if (answer.has_body()) {
    response.body = answer.serialized_body();
    response.set_header("Content-Type", answer.content_type);
  }
}

Dispatcher::Dispatcher(DispatcherParts parts)
    : parts_(parts), parser_(spec::builtin_spec(), spec::RequestLimits{parts.max_body_bytes}) {
  if (parts_.fallback_document) {
    fallback_parser_ =
        std::make_unique<spec::RequestParser>(*parts_.fallback_document, spec::RequestLimits{parts.max_body_bytes});
    fallback_ = std::make_unique<SpecFallback>(*parts_.fallback_document);
  }
}

HandlerResponse Dispatcher::on_pre_routing(const httplib::Request& request, httplib::Response& response) {
  const auto start = Clock::now();
  if (httplib_reads_body(request)) {
    deferred_since = start;
    return HandlerResponse::Unhandled;
  }
  deferred_since.reset();
  answer(request, response, start);
  return HandlerResponse::Handled;
}

HandlerResponse Dispatcher::on_error(const httplib::Request& request, httplib::Response& response) {
  // Our own answers always carry CORS headers: an error we made is sent as it is.
  if (response.has_header("Access-Control-Allow-Origin")) return HandlerResponse::Unhandled;
  const auto since = std::exchange(deferred_since, std::nullopt);
  if (response.status == 404 && response.body.empty() && httplib_reads_body(request)) {
    // A request with a body, now read, that no route of httplib's took: ours to answer.
    answer(request, response, since.value_or(Clock::now()));
    return HandlerResponse::Handled;
  }
  try {
    answer_transport_error(request, response);
    finish(request, response, since.value_or(Clock::now()), Outcome{});
  } catch (const std::exception&) {
    // Nothing sensible is left to do; httplib sends its own status without a body.
  }
  return HandlerResponse::Handled;
}

void Dispatcher::on_exception(const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  response = httplib::Response();
  write_answer(internal_error(what), response);
  add_cors_headers(request, response);
}

void Dispatcher::answer(const httplib::Request& request, httplib::Response& response, Clock::time_point start) noexcept {
  Outcome outcome;
  outcome.start = start;
  try {
    response.headers.clear();
    response.body.clear();
    if (request.method == "OPTIONS") {
      answer_preflight(request, response);
      outcome.journal = !is_admin_path(request.path);
    } else if (is_admin_path(request.path)) {
      answer_admin(request, response);
      outcome.journal = false;
    } else if (request.path == "/" && (request.method == "GET" || request.method == "HEAD")) {
      const std::string* accept = find_header(request, "Accept");
      write_answer(home_page(*parts_.holder.current()->scenario,
                             {accept ? std::string_view(*accept) : std::string_view(), spec::builtin_spec().base_path(),
                              parts_.gate.open()}),
                   response);
      outcome.journal = false;
    } else if (starts_with(request.path, kIdpPrefix)) {
      answer_identity_provider(request, response);
    } else {
      answer_api(request, response, outcome);
    }
    if (!outcome.fault) add_cors_headers(request, response);
  } catch (const std::exception& e) {
    // Handlers and parsers do not throw by design; this is a bug, reported as one.
    response = httplib::Response();
    write_answer(internal_error(e.what()), response);
    add_cors_headers(request, response);
  }
  try {
    if (!outcome.finished) finish(request, response, start, outcome);
  } catch (const std::exception&) {
    // Losing a log line is better than losing the answer.
  }
}

void Dispatcher::answer_admin(const httplib::Request& request, httplib::Response& response) {
  if (!parts_.gate.allows(request) && !is_ui_page_path(std::string_view(request.path).substr(kAdminPrefix.size()))) {
    write_answer(ApiResponse::error(spec::unauthorized(
                     "the admin API needs the admin key: send X-Admin-Key (the key is printed at start)")),
                 response);
    response.set_header("WWW-Authenticate", "Bearer realm=\"pbxmock admin\"");
    return;
  }
  const Target target = split_target(request.target);
  const spec::NameValuePairs query = decoded_pairs(target.query);
  const std::string* type = find_header(request, "Content-Type");
  const AdminRequest admin{request.method, std::string_view(request.path).substr(kAdminPrefix.size()), query,
                           type ? std::string_view(*type) : std::string_view(), request.body};
  write_answer(parts_.admin.handle(admin), response);
}

void Dispatcher::answer_identity_provider(const httplib::Request& request, httplib::Response& response) {
  const Target target = split_target(request.target);
  // The page's links are GETs with a query; a form posting back sends its fields as the body.
  const spec::NameValuePairs fields = decoded_pairs(request.method == "POST" ? std::string_view(request.body) : target.query);
  const auto bundle = parts_.holder.current();
  write_answer(bundle->auth.identity_provider(request.method, request.path, fields), response);
}

void Dispatcher::answer_api(const httplib::Request& request, httplib::Response& response, Outcome& outcome) {
  const auto bundle = parts_.holder.current();
  const Target target = split_target(request.target);
  const spec::NameValuePairs headers = lower_case_headers(request.headers);

  if (bundle->rules.size() > 0) {
    outcome.operation_id = operation_id_for(request.method, target.path);
    const spec::NameValuePairs query = decoded_pairs(target.query);
    const nlohmann::json body = body_for_rules(request);
    const RuleRequest view{request.method, target.path, query, headers, body.is_null() ? nullptr : &body,
                           outcome.operation_id};
    if (auto applied = bundle->rules.match(view)) {
      outcome.rule = std::move(applied->rule_name);
      // Only this connection's worker waits; the pool grows for everyone else.
      if (applied->delay) std::this_thread::sleep_for(*applied->delay);
      if (applied->fault) {
        const auto socket = connection_socket(request);
        if (socket) {
          // Journaled before the client can see the break: a client that asks the admin API
          // right after must find the request there.
          outcome.fault = true;
          finish(request, response, outcome.start, outcome);
          outcome.finished = true;
          if (!break_connection(request, *socket, *applied->fault)) {
            write_answer(internal_error("could not break the connection"), response);
            return;
          }
          response.status = 200;  // written by httplib to the stand-in socket, which nobody reads
          return;
        }
        write_answer(internal_error("could not find the connection to break"), response);
        return;
      }
      if (applied->response) {
        write_answer(*applied->response, response);
        return;
      }
    }
  }

  const spec::RawRequest raw{request.method, request.target, &headers, request.body};
  auto parsed = parser_.parse(raw);
  if (parsed) {
    outcome.operation_id = parsed->operation->operation_id;
    write_answer(bundle->auth.handle(*parsed), response);
    return;
  }
  if (parsed.error().status == 404 && fallback_parser_) {
    auto other = fallback_parser_->parse(raw);
    if (other) {
      outcome.operation_id = other->operation->operation_id;
      // A protected operation of the other document accepts the tokens this mock issued.
      if (other->operation->requires_auth && !bundle->auth.authenticate(other->bearer_token.value_or(""))) {
        write_answer(ApiResponse::error(spec::unauthorized("unknown, expired or revoked bearer token")), response);
        return;
      }
      write_answer(*fallback_->answer(*other->operation), response);
      return;
    }
    if (other.error().status != 404) {
      outcome.operation_id = operation_id_for(request.method, target.path);
      write_answer(ApiResponse::error(other.error()), response);
      return;
    }
  }
  if (outcome.operation_id.empty()) outcome.operation_id = operation_id_for(request.method, target.path);
  write_answer(ApiResponse::error(parsed.error()), response);
}

void Dispatcher::answer_transport_error(const httplib::Request& request, httplib::Response& response) {
  const int status = response.status >= 400 && response.status < 600 ? response.status : 400;
  response.headers.clear();
  write_answer(ApiResponse::error(transport_error(status, parts_.max_body_bytes)), response);
  add_cors_headers(request, response);
}

std::optional<int> Dispatcher::connection_socket(const httplib::Request& request) const {
  const int local_port = request.local_port > 0 ? request.local_port : port_;
  return find_connection_socket(local_port, request.remote_addr, request.remote_port);
}

bool Dispatcher::break_connection(const httplib::Request& request, int socket, Fault fault) {
  SSL* ssl = nullptr;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  // Only this thread uses the connection's TLS state while its handler runs.
  ssl = const_cast<SSL*>(request.ssl);
#endif
  return apply_fault(socket, fault, ssl);
}

std::string_view Dispatcher::operation_id_for(std::string_view method, std::string_view path) const {
  for (const spec::OpenApiDocument* document : {&spec::builtin_spec(), parts_.fallback_document}) {
    if (!document) continue;
    const std::string& base = document->base_path();
    if (!starts_with(path, base) || (path.size() > base.size() && path[base.size()] != '/')) continue;
    const std::string_view relative = path.size() == base.size() ? std::string_view("/") : path.substr(base.size());
    if (auto route = document->route(method, relative)) return route->operation->operation_id;
  }
  return {};
}

void Dispatcher::finish(const httplib::Request& request, const httplib::Response& response, Clock::time_point start,
                        const Outcome& outcome) {
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  const int status = outcome.fault ? 0 : response.status;
  const Target target = split_target(request.target);
  if (outcome.journal && parts_.journal.capacity() > 0) {
    JournalEntry entry;
    entry.time = parts_.clock.now();
    entry.method = request.method;
    entry.path.assign(target.path);
    entry.query.assign(target.query);
    entry.status = status;
    entry.duration_ms = ms;
    entry.operation_id.assign(outcome.operation_id);
    entry.rule = outcome.rule;
    for (const auto& header : request.headers) {
      // httplib files the socket's addresses among the headers; they were not sent.
      if (header.first != "LOCAL_ADDR" && header.first != "LOCAL_PORT" && header.first != "REMOTE_ADDR" &&
          header.first != "REMOTE_PORT")
        entry.request_headers.push_back(header);
    }
    entry.request_body = request.body;
    entry.response_headers.assign(response.headers.begin(), response.headers.end());
    entry.response_body = response.body;
    parts_.journal.record(std::move(entry));
  }
  if (parts_.log.enabled()) {
    parts_.log.write(AccessRecord{request.remote_addr, request.method.empty() ? std::string_view("-") : request.method,
                                  target.path.empty() ? std::string_view("-") : target.path, status, ms,
                                  outcome.operation_id, outcome.rule});
  }
}

}  // namespace pbxmock::mock
