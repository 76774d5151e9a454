#include "mock/proxy/upstream_forwarder.h"

#include <exception>
#include <string>
#include <utility>

#include "mock/api_response.h"
#include "mock/http/cors.h"
#include "mock/proxy/forward_headers.h"
#include "spec/api_error.h"
#include "spec/ascii.h"

#include <openssl/rand.h>

namespace pbxmock::mock::proxy {
namespace {

using contracts::ExchangeViolation;
using contracts::TransportError;

// Enough clients stay open for a burst of parallel requests; more are closed after use.
constexpr std::size_t kIdleClients = 64;

JournalViolation journal_violation(const ExchangeViolation& v) {
  return {v.operation, std::string(contracts::direction_name(v.direction)), v.rule, v.pointer, v.message};
}

std::vector<JournalViolation> journal_violations(const std::vector<ExchangeViolation>& found) {
  std::vector<JournalViolation> out;
  out.reserve(found.size());
  for (const ExchangeViolation& v : found) out.push_back(journal_violation(v));
  return out;
}

const char* reason_name(TransportError::Kind kind) {
  switch (kind) {
    case TransportError::Kind::cannot_connect: return "cannot_connect";
    case TransportError::Kind::timeout: return "timeout";
    case TransportError::Kind::not_http: return "not_http";
    case TransportError::Kind::broken: return "broken";
    case TransportError::Kind::tls: return "tls";
    case TransportError::Kind::too_large: return "too_large";
    case TransportError::Kind::time_limit: return "time_limit";
  }
  return "broken";
}

// The proxy's own answer when the upstream gave none it can pass on: 504 when it ran out of
// time, 502 otherwise, in the vendor's error body.
Reply upstream_failed(const TransportError& error, const std::string& upstream) {
  const bool late = error.kind == TransportError::Kind::timeout || error.kind == TransportError::Kind::time_limit;
  spec::ApiError failure{late ? 504 : 502,
                         late ? "GATEWAY_TIMEOUT" : "BAD_GATEWAY",
                         "pbxmock proxy: " + error.message,
                         {{"upstream", upstream}, {"reason", reason_name(error.kind)}},
                         {}};
  return Reply::of(ApiResponse::error(failure));
}

contracts::ExchangeRequest exchange_request(const spec::RequestView& view, const spec::NameValuePairs& headers) {
  return {std::string(view.method()), std::string(view.target()), {headers.begin(), headers.end()},
          std::string(view.body())};
}

std::string via_token() {
  unsigned char bytes[6] = {};
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "1.1 pbxmock";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "1.1 pbxmock-";
  for (const unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool came_through(const spec::NameValuePairs& headers, const std::string& via) {
  for (const auto& [name, value] : headers) {
    if (spec::ascii::iequals(name, "Via") && value.find(via) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

UpstreamForwarder::UpstreamForwarder(const spec::OpenApiDocument& document, ProxyOptions options,
                                     SessionRecording* recording)
    : checker_(document, {"/__admin"}), options_(std::move(options)), recording_(recording), via_(via_token()) {}

UpstreamForwarder::~UpstreamForwarder() = default;

std::string UpstreamForwarder::operation_of(const contracts::OperationLookup& found) {
  return found.kind == contracts::OperationLookup::Kind::found ? found.operation->operation_id : std::string();
}

std::optional<Forwarded> UpstreamForwarder::screen(const spec::RequestView& view, const spec::NameValuePairs& headers) {
  if (came_through(headers, via_)) {
    Forwarded out;
    out.reply = Reply::of(ApiResponse::error(
        {508, "LOOP_DETECTED", "pbxmock proxy: this request has been through this proxy before; the upstream " +
                                   options_.upstream.url() + " leads back to it",
         {{"upstream", options_.upstream.url()}, {"reason", "loop"}}, {}}));
    return out;
  }
  if (!options_.strict) return std::nullopt;
  const contracts::ExchangeRequest request = exchange_request(view, headers);
  const auto found = checker_.check_request(request);
  if (found.empty()) return std::nullopt;
  // The mock's own refusal of the same request; an unknown operation is the parser's 404.
  const auto refusal = checker_.refusal(request);
  Forwarded out;
  out.reply = Reply::of(ApiResponse::error(
      refusal ? *refusal : spec::validation_failed("request", found.front().rule, nullptr, found.front().message)));
  add_cors_headers(view, out.reply);
  out.operation_id = operation_of(checker_.lookup(view.method(), view.target()));
  out.violations = journal_violations(found);
  return out;
}

Forwarded UpstreamForwarder::forward(const spec::RequestView& view, const spec::NameValuePairs& headers) noexcept {
  try {
    return send(view, headers);
  } catch (const std::exception& e) {
    Forwarded out;
    out.reply = Reply::of(ApiResponse::error(spec::internal_error(e.what())));
    return out;
  }
}

Forwarded UpstreamForwarder::send(const spec::RequestView& view, const spec::NameValuePairs& headers) {
  contracts::HttpRequest request{std::string(view.method()), std::string(view.target()),
                                 headers_for_upstream(headers), std::string(view.body())};
  request.headers.emplace_back("Via", via_);
  auto client = take_client();
  auto answer = client->send(request, options_.timeout);
  Forwarded out;
  const contracts::OperationLookup found = checker_.lookup(view.method(), view.target());
  out.operation_id = operation_of(found);
  if (!answer) {
    // The connection may be half-used: the client is not reused.
    out.reply = upstream_failed(answer.error(), options_.upstream.url());
    out.problem = answer.error().message;
    return out;
  }
  give_back(std::move(client));
  contracts::Response& response = answer.value();
  out.reply.status = response.status;
  out.reply.headers = headers_for_client(response.headers);
  out.reply.body = response.body;

  contracts::Exchange exchange{exchange_request(view, headers),
                               {response.status, std::move(response.headers), std::move(response.body)}};
  out.violations = journal_violations(checker_.check(exchange));
  if (recording_ && found.kind != contracts::OperationLookup::Kind::not_api &&
      !contracts::is_cors_preflight(exchange.request)) {
    recording_->add(std::move(exchange));
  }
  return out;
}

std::unique_ptr<contracts::HttpClient> UpstreamForwarder::take_client() {
  {
    std::lock_guard<std::mutex> lock(clients_mutex_);
    if (!idle_clients_.empty()) {
      auto client = std::move(idle_clients_.back());
      idle_clients_.pop_back();
      return client;
    }
  }
  return std::make_unique<contracts::HttpClient>(options_.upstream, options_.client);
}

void UpstreamForwarder::give_back(std::unique_ptr<contracts::HttpClient> client) {
  std::lock_guard<std::mutex> lock(clients_mutex_);
  if (idle_clients_.size() < kIdleClients) idle_clients_.push_back(std::move(client));
}

}  // namespace pbxmock::mock::proxy
