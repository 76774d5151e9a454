#pragma once
// What the server does with each request, in one place, over the request view built once
// from what the connection's RequestReader read (spec/request_view.h: split target,
// lower-cased headers, decoded query, the route and the JSON body found on first use).
//
// Order: the guard (mock/http/request_guard.h: Host, Origin, admin upload types); an
// OPTIONS preflight; /__admin/ (admin key checked); the home page; /__idp/; then the
// scenario's rules (with the operation id when the path routes); then the request parser and
// the AuthService for the operations of our spec (mock/auth/auth_service.h), or the --spec
// fallback for the other operations of that document; 404 NOT_FOUND for anything else.
// Every answer carries CORS headers and is journaled and logged; a rule's fault is journaled
// (status 0) and returned as a value for the connection's owner to apply.
//
// A rule's delay is not waited here: begin() returns it as a Pending value, and finish()
// makes the answer once the caller has waited (the connection loop on a worker thread, so
// the loop thread never sleeps).
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mock/active_mock.h"
#include "mock/admin/admin_api.h"
#include "mock/admin/request_journal.h"
#include "mock/admin/violation_log.h"
#include "mock/http/forwarder.h"
#include "mock/http/access_log.h"
#include "mock/http/admin_key.h"
#include "mock/http/response_writer.h"
#include "mock/rules/rules.h"
#include "mock/spec_fallback.h"
#include "spec/request_parser.h"
#include "spec/request_view.h"

namespace pbxmock::mock {

struct GuardSettings;

struct DispatcherParts {
  MockHolder& holder;
  const AdminApi& admin;
  const AdminGate& gate;
  RequestJournal& journal;
  const AccessLog& log;
  Clock& clock;
  const spec::OpenApiDocument* fallback_document = nullptr;  // --spec; nullptr when none
  std::size_t max_body_bytes = 1 << 20;
  const GuardSettings* guard = nullptr;  // nullptr: no guard (benchmarks)
  // pbxmock proxy: every request but /__admin/ goes to the forwarder, and the violations it
  // finds are logged, journaled and kept here. nullptr: the mock answers.
  Forwarder* forwarder = nullptr;
  ViolationLog* violations = nullptr;
};

// Who sent the request, beside what the view shows: its headers with their names as sent
// (for the journal) and the peer's address (for the log).
struct Incoming {
  const spec::NameValuePairs& headers;
  std::string_view remote_address;
};

// What goes back: the answer, or a rule's fault that breaks the connection instead.
struct Outgoing {
  Reply reply;
  std::optional<Fault> fault;
};

class Dispatcher {
 public:
  using Time = std::chrono::steady_clock::time_point;

  // What a request has gathered on its way, for the journal and the log.
  struct Outcome {
    std::string_view operation_id;
    std::string rule;
    bool journal = true;  // admin requests are not journaled
  };
  // A rule matched with a delay: the answer waits `delay`, then finish() makes it.
  struct Pending {
    std::chrono::milliseconds delay{0};
    bool forward = false;  // the proxy's: finish() forwards the request upstream
    RuleOutcome rule;
    Outcome outcome;
    Time start;
  };

  explicit Dispatcher(DispatcherParts parts);

  // The answer to `view`, or the delay a rule asks for first. Never throws: a bug becomes a 500.
  std::variant<Outgoing, Pending> begin(const spec::RequestView& view, const Incoming& incoming) noexcept;
  // The answer after a Pending's delay.
  Outgoing finish(const spec::RequestView& view, const Incoming& incoming, Pending pending) noexcept;
  // A request the server refuses before dispatching it (as the transport's error), journaled
  // and logged like the others.
  Outgoing refuse(const spec::RequestView& view, const Incoming& incoming, const spec::ApiError& error) noexcept;
  // The short journal entry and log line of a request refused before the dispatcher saw
  // it whole (by the reader, or the guard): method and target as far as they were read.
  void record_refusal(std::string_view remote_address, std::string_view method, std::string_view target,
                      int status) const;

 private:
  using Answer = std::variant<ApiResponse, Fault>;

  Answer dispatch(const spec::RequestView& view, Outcome& outcome, std::optional<Pending>& pending);
  ApiResponse answer_admin(const spec::RequestView& view);
  ApiResponse answer_identity_provider(const spec::RequestView& view);
  Answer answer_api(const spec::RequestView& view, Outcome& outcome, std::optional<Pending>& pending);
  Answer apply_rule(const spec::RequestView& view, RuleOutcome& rule, Outcome& outcome);
  ApiResponse answer_operation(const spec::RequestView& view, Outcome& outcome);
  // Journals (status 0 for a fault) and logs, and makes the reply with CORS headers.
  Outgoing deliver(const spec::RequestView& view, const Incoming& incoming, Answer answer, Time start,
                   const Outcome& outcome);
  Outgoing internal_error(const spec::RequestView& view, const char* what) noexcept;
  // The proxy's answer (the upstream's, or a refusal), journaled with its violations.
  Outgoing deliver_forwarded(const spec::RequestView& view, const Incoming& incoming, Forwarded forwarded, Time start);
  std::string_view operation_id_of(const spec::RequestView& view) const;
  // The journal entry and the access-log line; `status` 0 for a connection broken on purpose.
  void record(const spec::RequestView& view, const Incoming& incoming, const Reply& reply, int status, Time start,
              const Outcome& outcome, const std::vector<JournalViolation>& violations = {});
  // Each violation on a log line of its own and in the violation log, beside journal entry `id`.
  void record_violations(const spec::RequestView& view, const std::vector<JournalViolation>& violations,
                         std::uint64_t id) const;

  DispatcherParts parts_;
  spec::RequestParser parser_;
  std::unique_ptr<spec::RequestParser> fallback_parser_;
  std::unique_ptr<SpecFallback> fallback_;
};

}  // namespace pbxmock::mock
