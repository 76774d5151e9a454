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

constexpr std::string_view kIdpPrefix = "/__idp/";

// When the pre-routing handler left a request for httplib to read its body, the time it
// arrived, for the error handler that answers it on the same thread.
thread_local std::optional<std::chrono::steady_clock::time_point> deferred_since;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
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

spec::NameValuePairs headers_of(const httplib::Headers& headers) {
  spec::NameValuePairs out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) out.emplace_back(name, value);
  return out;
}

// httplib's own refusals, in the vendor's shape.
spec::ApiError transport_error_body(int status, std::size_t max_body) {
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
    case 500:
      return spec::internal_error("the HTTP layer failed");
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
  serve(request, response, start, false);
  return HandlerResponse::Handled;
}

HandlerResponse Dispatcher::on_error(const httplib::Request& request, httplib::Response& response) {
  // Our own answers always carry CORS headers: an error we made is sent as it is.
  if (response.has_header("Access-Control-Allow-Origin")) return HandlerResponse::Unhandled;
  const auto since = std::exchange(deferred_since, std::nullopt);
  // A request with a body, now read, that no route of httplib's took, is ours to answer;
  // anything else is httplib refusing the request.
  const bool ours = response.status == 404 && response.body.empty() && httplib_reads_body(request);
  serve(request, response, since.value_or(Clock::now()), !ours);
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
  write_answer(ApiResponse::error(spec::internal_error(what)), response);
  add_cors_headers(request, response);
}

void Dispatcher::serve(const httplib::Request& request, httplib::Response& response, Clock::time_point start,
                       bool transport_error) noexcept {
  try {
    if (transport_error) {
      const int status = response.status >= 400 && response.status < 600 ? response.status : 400;
      response = httplib::Response();
      deliver(request, response, spec::split_target(request.target),
              ApiResponse::error(transport_error_body(status, parts_.max_body_bytes)), start, Outcome{});
      return;
    }
    response.headers.clear();
    response.body.clear();
    const spec::RequestView view(request.method, request.target, headers_of(request.headers), request.body,
                                 spec::RequestLimits{parts_.max_body_bytes});
    Outcome outcome;
    if (request.method == "OPTIONS") {
      answer_preflight(request, response);
      add_cors_headers(request, response);
      outcome.journal = !is_admin_path(view.path());
      record(request, response, {view.path(), view.raw_query()}, response.status, start, outcome);
      return;
    }
    Answer answer = dispatch(request, view, outcome);
    deliver(request, response, {view.path(), view.raw_query()}, std::move(answer), start, outcome);
  } catch (const std::exception& e) {
    // Handlers and parsers do not throw by design; this is a bug (or memory running out),
    // reported as one, and the server keeps running.
    response = httplib::Response();
    write_answer(ApiResponse::error(spec::internal_error(e.what())), response);
    add_cors_headers(request, response);
  }
}

Answer Dispatcher::dispatch(const httplib::Request& request, const spec::RequestView& view, Outcome& outcome) {
  if (is_admin_path(view.path())) {
    outcome.journal = false;
    return answer_admin(request, view);
  }
  if (view.path() == "/" && (view.method() == "GET" || view.method() == "HEAD")) {
    outcome.journal = false;
    const std::string* accept = view.header("accept");
    return home_page(*parts_.holder.current()->scenario,
                     {accept ? std::string_view(*accept) : std::string_view(), spec::builtin_spec().base_path(),
                      parts_.gate.open()});
  }
  if (starts_with(view.path(), kIdpPrefix)) return answer_identity_provider(view);
  return answer_api(view, outcome);
}

ApiResponse Dispatcher::answer_admin(const httplib::Request& request, const spec::RequestView& view) {
  // The page itself holds no data and must load without the key so that it can ask for it;
  // every call it makes for data goes through the gate.
  if (!parts_.gate.allows(request) && !is_ui_page_path(view.path().substr(kAdminPrefix.size()))) {
    ApiResponse refused = ApiResponse::error(
        spec::unauthorized("the admin API needs the admin key: send X-Admin-Key (the key is printed at start)"));
    refused.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"pbxmock admin\"");
    return refused;
  }
  return parts_.admin.handle(view);
}

ApiResponse Dispatcher::answer_identity_provider(const spec::RequestView& view) {
  // The page's links are GETs with a query; a form posting back sends its fields as the body.
  spec::NameValuePairs form;
  if (view.method() == "POST" && !view.body().empty()) {
    if (auto pairs = spec::parse_url_encoded(view.body())) form = std::move(pairs).value();
  }
  const auto bundle = parts_.holder.current();
  return bundle->auth.identity_provider(std::string(view.method()), std::string(view.path()),
                                        view.method() == "POST" ? form : view.query());
}

Answer Dispatcher::answer_api(const spec::RequestView& view, Outcome& outcome) {
  const auto bundle = parts_.holder.current();
  if (bundle->rules.size() > 0) {
    outcome.operation_id = operation_id_of(view);
    if (auto applied = bundle->rules.match(view, outcome.operation_id)) {
      outcome.rule = std::move(applied->rule_name);
      // Only this connection's worker waits; the pool grows for everyone else.
      if (applied->delay) {
        if (wait_) {
          wait_(*applied->delay);
        } else {
          std::this_thread::sleep_for(*applied->delay);
        }
      }
      if (applied->fault) return FaultAnswer{*applied->fault};
      if (applied->response) return std::move(*applied->response);
    }
  }
  return answer_operation(view, outcome);
}

ApiResponse Dispatcher::answer_operation(const spec::RequestView& view, Outcome& outcome) {
  const auto bundle = parts_.holder.current();
  auto parsed = parser_.parse(view);
  if (parsed) {
    outcome.operation_id = parsed->operation->operation_id;
    return bundle->auth.handle(*parsed);
  }
  if (parsed.error().status == 404 && fallback_parser_) {
    auto other = fallback_parser_->parse(view);
    if (other) {
      outcome.operation_id = other->operation->operation_id;
      // A protected operation of the other document accepts the tokens this mock issued.
      if (other->operation->requires_auth && !bundle->auth.authenticate(other->bearer_token.value_or(""))) {
        return ApiResponse::error(spec::unauthorized("unknown, expired or revoked bearer token"));
      }
      return *fallback_->answer(*other->operation);
    }
    if (other.error().status != 404) {
      outcome.operation_id = operation_id_of(view);
      return ApiResponse::error(other.error());
    }
  }
  if (outcome.operation_id.empty()) outcome.operation_id = operation_id_of(view);
  return ApiResponse::error(parsed.error());
}

void Dispatcher::deliver(const httplib::Request& request, httplib::Response& response, spec::SplitTarget target,
                         Answer answer, Clock::time_point start, const Outcome& outcome) {
  if (const auto* fault = std::get_if<FaultAnswer>(&answer)) {
    const std::optional<int> socket = break_connection_ ? std::nullopt : connection_socket(request);
    if (break_connection_ || socket) {
      // Journaled before the client can see the break: a client that asks the admin API
      // right after must find the request there.
      record(request, response, target, 0, start, outcome);
      const bool broken =
          break_connection_ ? break_connection_(request, fault->fault) : break_connection(request, *socket, fault->fault);
      if (broken) {
        response.status = 200;  // written by httplib to the stand-in socket, which nobody reads
        return;
      }
      write_answer(ApiResponse::error(spec::internal_error("could not break the connection")), response);
      add_cors_headers(request, response);
      return;
    }
    answer = ApiResponse::error(spec::internal_error("could not find the connection to break"));
  }
  write_answer(std::get<ApiResponse>(answer), response);
  add_cors_headers(request, response);
  record(request, response, target, response.status, start, outcome);
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

// The operation the path routes to in our spec, else in the --spec document; "" for none.
std::string_view Dispatcher::operation_id_of(const spec::RequestView& view) const {
  for (const spec::OpenApiDocument* document : {&spec::builtin_spec(), parts_.fallback_document}) {
    if (!document) continue;
    if (const auto& route = view.route(*document)) return route->operation->operation_id;
  }
  return {};
}

void Dispatcher::record(const httplib::Request& request, const httplib::Response& response, spec::SplitTarget target,
                        int status, Clock::time_point start, const Outcome& outcome) {
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (outcome.journal && parts_.journal.capacity() > 0) {
    JournalEntry entry;
    entry.time = parts_.clock.now();
    entry.method = request.method;
    entry.status = status;
    entry.duration_ms = ms;
    entry.operation_id.assign(outcome.operation_id);
    entry.rule = outcome.rule;
    // httplib files the socket's addresses among the headers; they were not sent.
    const auto sent = [](const std::string& name) {
      return name != "LOCAL_ADDR" && name != "LOCAL_PORT" && name != "REMOTE_ADDR" && name != "REMOTE_PORT";
    };
    const auto kept = [](const std::string& body) {
      return body.size() <= JournalEntry::kKeptBodyBytes ? body.size() : 0;
    };
    std::size_t bytes = target.path.size() + target.query.size() + kept(request.body) + kept(response.body);
    for (const auto& [name, value] : request.headers)
      if (sent(name)) bytes += JournalText::header_bytes(name, value);
    for (const auto& [name, value] : response.headers) bytes += JournalText::header_bytes(name, value);
    entry.text.reserve(bytes);
    entry.text.append(JournalText::path, target.path);
    entry.text.append(JournalText::query, target.query);
    for (const auto& [name, value] : request.headers)
      if (sent(name)) entry.text.append_header(JournalText::request_headers, name, value);
    entry.keep_body(JournalText::request_body, request.body);
    for (const auto& [name, value] : response.headers)
      entry.text.append_header(JournalText::response_headers, name, value);
    entry.keep_body(JournalText::response_body, response.body);
    parts_.journal.record(std::move(entry));
  }
  if (parts_.log.enabled()) {
    parts_.log.write(AccessRecord{request.remote_addr, request.method.empty() ? std::string_view("-") : request.method,
                                  target.path.empty() ? std::string_view("-") : target.path, status, ms,
                                  outcome.operation_id, outcome.rule});
  }
}

}  // namespace pbxmock::mock
