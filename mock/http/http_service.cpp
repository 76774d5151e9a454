#include "mock/http/http_service.h"

#include <memory>
#include <utility>

#include "mock/http/faults.h"
#include "mock/http/refusal.h"
#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

// The methods HTTP defines (RFC 9110, RFC 5789) and PRI (RFC 9113): anything else is not a
// request this server can name, refused as malformed as before.
bool known_method(std::string_view method) noexcept {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"}) {
    if (method == known) return true;
  }
  return false;
}

spec::ApiError unknown_method() {
  return {400,
          "VALIDATE_FAILED",
          "malformed HTTP request",
          {{"field", "request"}, {"rule", "http"}, {"explanation", "request line or headers malformed or too long"}},
          {}};
}

// Whether the client asked to close after this answer: "Connection: close", or HTTP/1.0
// without "Connection: keep-alive".
bool client_closes(const ReadRequest& request) {
  bool keep_alive = false;
  for (const auto& [name, value] : request.headers) {
    if (!spec::ascii::iequals(name, "Connection")) continue;
    if (spec::ascii::iequals(value, "close")) return true;
    keep_alive = keep_alive || spec::ascii::iequals(value, "keep-alive");
  }
  return request.http_1_0 && !keep_alive;
}

}  // namespace

HttpService::HttpService(Dispatcher& dispatcher, const LoopSettings& settings)
    : dispatcher_(dispatcher), limits_{settings.limits.body_bytes} {
  keep_alive_.keep_alive_seconds = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(settings.keep_alive).count());
  keep_alive_.keep_alive_requests = settings.keep_alive_requests;
  serve_ = [this](ReadRequest& request, const ConnectionInfo& connection, bool last) {
    return serve(request, connection, last);
  };
  refuse_ = [this](const RequestReader& reader, const spec::ApiError& error, const ConnectionInfo& connection) {
    return refuse(reader, error, connection);
  };
}

Served HttpService::write(const Outgoing& out, const Framing& framing) const {
  Served served;
  if (out.fault) {
    served.fault = out.fault;
    served.bytes.assign(fault_bytes(*out.fault));
    served.close = true;
    return served;
  }
  write_reply(out.reply, framing, served.bytes);
  served.close = framing.close;
  return served;
}

Served HttpService::serve(ReadRequest& request, const ConnectionInfo& connection, bool last) {
  Framing framing = keep_alive_;
  framing.head = request.method == "HEAD";
  framing.close = last || client_closes(request);
  const Incoming incoming{request.headers, connection.remote.ip};
  const spec::RequestView view(request.method, request.target, request.headers  /* the view lower-cases its copy's names; the journal keeps them as sent */, request.body, limits_);
  if (!known_method(request.method)) return write(dispatcher_.refuse(view, incoming, unknown_method()), framing);
  auto begun = dispatcher_.begin(view, incoming);
  if (auto* out = std::get_if<Outgoing>(&begun)) return write(*out, framing);
  // A rule's delay: the request and what the dispatcher found so far wait with the answer.
  auto pending = std::make_shared<Dispatcher::Pending>(std::move(std::get<Dispatcher::Pending>(begun)));
  auto kept = std::make_shared<ReadRequest>(std::move(request));
  Served served;
  served.delay = pending->delay;
  served.finish = [this, pending, kept, remote = connection.remote.ip, framing]() {
    const Incoming again{kept->headers, remote};
    const spec::RequestView kept_view(kept->method, kept->target, kept->headers, kept->body, limits_);
    return write(dispatcher_.finish(kept_view, again, std::move(*pending)), framing);
  };
  return served;
}

std::string HttpService::refuse(const RequestReader& reader, const spec::ApiError& error,
                                const ConnectionInfo& connection) {
  dispatcher_.record_refusal(connection.remote.ip, reader.method(), reader.target(), error.status);
  return refusal_bytes(error, reader.method());
}

}  // namespace pbxmock::mock
