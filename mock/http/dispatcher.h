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
// Each request is read once into a spec::RequestView (split target, lower-cased headers,
// decoded query, the route and the JSON body found on first use) that everything below
// reads. Order for the API: OPTIONS preflight; /__admin/ (admin key checked); /__idp/; then
// the scenario's rules (with the operation id when the path routes); then the request parser
// and the AuthService for our 14 operations, or the --spec fallback for the other operations
// of that document; 404 NOT_FOUND for anything else. dispatch() gives an answer or a fault
// as a value; the caller journals first, then answers or breaks the connection.
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <httplib.h>

#include "mock/http/access_log.h"
#include "mock/admin/admin_api.h"
#include "mock/admin/request_journal.h"
#include "mock/http/admin_key.h"
#include "mock/active_mock.h"
#include "mock/spec_fallback.h"
#include "spec/request_parser.h"
#include "spec/request_view.h"

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

// A rule's fault: the connection is broken instead of answered.
struct FaultAnswer {
  Fault fault;
};
using Answer = std::variant<ApiResponse, FaultAnswer>;

class Dispatcher {
 public:
  explicit Dispatcher(DispatcherParts parts);

  // The port the server listens on: faults find the connection's socket by it.
  void set_listening_port(int port) noexcept { port_ = port; }

  // For connections held in memory (mock/http/buffered_connection.h), which have no socket
  // to find and no client to keep waiting: how a rule's fault breaks the request's
  // connection (true: broken) and how a rule's delay is waited. Unset: the socket is found
  // among the process's descriptors, and the worker sleeps.
  using BreakConnection = std::function<bool(const httplib::Request&, Fault)>;
  using Wait = std::function<void(std::chrono::milliseconds)>;
  void set_connection_hooks(BreakConnection break_connection, Wait wait) {
    break_connection_ = std::move(break_connection);
    wait_ = std::move(wait);
  }

  httplib::Server::HandlerResponse on_pre_routing(const httplib::Request& request, httplib::Response& response);
  httplib::Server::HandlerResponse on_error(const httplib::Request& request, httplib::Response& response);
  void on_exception(const httplib::Request& request, httplib::Response& response, std::exception_ptr error);

 private:
  using Clock = std::chrono::steady_clock;
  struct Outcome {
    std::string_view operation_id;
    std::string rule;
    bool journal = true;  // admin requests are not journaled
  };

  // The top: builds the view, dispatches, journals, answers; its one catch turns a bug into
  // a 500. `transport_error`: httplib refused the request itself (status in `response`).
  void serve(const httplib::Request& request, httplib::Response& response, Clock::time_point start,
             bool transport_error) noexcept;
  Answer dispatch(const httplib::Request& request, const spec::RequestView& view, Outcome& outcome);
  ApiResponse answer_admin(const httplib::Request& request, const spec::RequestView& view);
  ApiResponse answer_identity_provider(const spec::RequestView& view);
  Answer answer_api(const spec::RequestView& view, Outcome& outcome);
  ApiResponse answer_operation(const spec::RequestView& view, Outcome& outcome);
  // Journals (status 0 for a fault) and logs, then writes the answer or breaks the connection.
  void deliver(const httplib::Request& request, httplib::Response& response, spec::SplitTarget target,
               Answer answer, Clock::time_point start, const Outcome& outcome);
  // The socket of the request's connection (found among the process's descriptors).
  std::optional<int> connection_socket(const httplib::Request& request) const;
  bool break_connection(const httplib::Request& request, int socket, Fault fault);
  std::string_view operation_id_of(const spec::RequestView& view) const;
  // The journal entry (with the answer as written so far) and the access-log line; `status` 0
  // for a connection broken on purpose.
  void record(const httplib::Request& request, const httplib::Response& response, spec::SplitTarget target,
              int status, Clock::time_point start, const Outcome& outcome);

  DispatcherParts parts_;
  spec::RequestParser parser_;
  std::unique_ptr<spec::RequestParser> fallback_parser_;
  std::unique_ptr<SpecFallback> fallback_;
  int port_ = 0;
  BreakConnection break_connection_;
  Wait wait_;
};

// Writes a mock answer into an httplib response (status, headers, body, content type).
void write_answer(const ApiResponse& answer, httplib::Response& response);

}  // namespace pbxmock::mock
