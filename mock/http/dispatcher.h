#pragma once
// What the HTTP server does with each request, in one place. cpp-httplib calls the
// pre-routing handler before it reads a request's body, so:
// - a request without a body (GET, OPTIONS, a POST with no or zero Content-Length) is
//   answered right there, without any regex route;
// - a request with a body is left to httplib, which reads it (413 past the body limit),
//   finds no route, and hands it to the error handler as a 404 with the body read; the
//   error handler then answers it here like any other.
// Every other error handler call is httplib refusing a request itself (a malformed request
// line, a header or URI over its compiled-in limits, a body over the limit): those get the
// vendor's error body too. Every answer carries CORS headers and is journaled and logged.
//
// Order for the API: OPTIONS preflight; /__admin/ (admin key checked); /__idp/; then the
// scenario's rules on the raw request (with the operation id when the path routes); then
// the request parser and the AuthService for our 14 operations, or the --spec fallback for
// the other operations of that document; 404 NOT_FOUND for anything else.
#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>

#include "mock/http/access_log.h"
#include "mock/admin/admin_api.h"
#include "mock/admin/request_journal.h"
#include "mock/http/admin_key.h"
#include "mock/active_mock.h"
#include "mock/spec_fallback.h"
#include "spec/request_parser.h"

namespace pbxmock::mock {

struct DispatcherParts {
  MockHolder& holder;
  const AdminApi& admin;
  const AdminGate& gate;
  RequestJournal& journal;
  const AccessLog& log;
  Clock& clock;
  const spec::OpenApiDocument* fallback_document = nullptr;  // --spec; nullptr when none
  std::size_t max_body_bytes = 1 << 20;
};

class Dispatcher {
 public:
  explicit Dispatcher(DispatcherParts parts);

  // The port the server listens on: faults find the connection's socket by it.
  void set_listening_port(int port) noexcept { port_ = port; }

  httplib::Server::HandlerResponse on_pre_routing(const httplib::Request& request, httplib::Response& response);
  httplib::Server::HandlerResponse on_error(const httplib::Request& request, httplib::Response& response);
  void on_exception(const httplib::Request& request, httplib::Response& response, std::exception_ptr error);

 private:
  using Clock = std::chrono::steady_clock;
  struct Outcome {
    std::string_view operation_id;
    std::string rule;
    bool journal = true;  // admin requests are not journaled
    bool fault = false;   // the connection was broken on purpose: status 0 in the journal
    bool finished = false;  // journal and log written already (before a fault)
    Clock::time_point start;
  };

  void answer(const httplib::Request& request, httplib::Response& response, Clock::time_point start) noexcept;
  void answer_api(const httplib::Request& request, httplib::Response& response, Outcome& outcome);
  void answer_admin(const httplib::Request& request, httplib::Response& response);
  void answer_identity_provider(const httplib::Request& request, httplib::Response& response);
  void answer_transport_error(const httplib::Request& request, httplib::Response& response);
  // The socket of the request's connection (found among the process's descriptors).
  std::optional<int> connection_socket(const httplib::Request& request) const;
  bool break_connection(const httplib::Request& request, int socket, Fault fault);
  std::string_view operation_id_for(std::string_view method, std::string_view path) const;
  void finish(const httplib::Request& request, const httplib::Response& response, Clock::time_point start,
              const Outcome& outcome);

  DispatcherParts parts_;
  spec::RequestParser parser_;
  std::unique_ptr<spec::RequestParser> fallback_parser_;
  std::unique_ptr<SpecFallback> fallback_;
  int port_ = 0;
};

// Writes a mock answer into an httplib response (status, headers, body, content type).
void write_answer(const ApiResponse& answer, httplib::Response& response);

}  // namespace pbxmock::mock
