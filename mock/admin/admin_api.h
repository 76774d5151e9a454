#pragma once
// The admin API under /__admin/ (issue 4 item 5; routes and shapes as agreed in
// docs with the contract tests): health, reset, the request journal, the outbox, the clock
// and the scenarios. JSON in and out; errors in the vendor's error shape. Transport-free:
// the server hands it the request view of a path under kAdminPrefix, and checks the admin
// key before.
//
//   GET    /health            {"status":"ok","scenario":name,"uptime_seconds":n}
//   POST   /reset             {"status":"reset","scenario":name}
//   GET    /requests[?limit=] {"requests":[newest first],"total":n,"capacity":n}
//   DELETE /requests          {"status":"cleared"}
//   GET    /outbox[?to=&kind=&username=]  {"messages":[newest first]}
//   DELETE /outbox            {"status":"cleared"}
//   GET    /clock             {"now":RFC 3339,"offset_seconds":n}
//   POST   /clock {"advance_seconds":n}  the same, after moving the clock
//   GET    /scenarios         {"active":name,"builtin":[names]}
//   PUT    /scenarios/active {"name":n}  {"active":name}
//   POST   /scenarios (YAML or JSON body)  {"active":name}; 400 INVALID_SCENARIO with
//          detail [{"file","line","column","message"}] and the running scenario kept.
//   GET    /violations[?limit=]  (pbxmock proxy) the spec violations found, newest first
//   DELETE /violations           (pbxmock proxy) {"status":"cleared"}
// Under `pbxmock proxy` there is no scenario, outbox or clock: those answer 404 and /reset
// clears the journal and the violations; health says "mode":"proxy" and the upstream.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "mock/api_response.h"
#include "mock/clock.h"
#include "mock/auth/outbox.h"
#include "mock/admin/request_journal.h"
#include "mock/admin/violation_log.h"
#include "mock/active_mock.h"
#include "spec/request_view.h"

namespace pbxmock::mock {

struct AdminContext {
  MockHolder& holder;
  RequestJournal& journal;
  Outbox& outbox;
  Clock& clock;
  std::chrono::steady_clock::time_point started;
  // pbxmock proxy: its violations and where it forwards to; nullptr for the mock.
  ViolationLog* violations = nullptr;
  std::string upstream;
};

// Where the admin API is mounted: the path "/__admin" and everything below "/__admin/".
inline constexpr std::string_view kAdminPrefix = "/__admin";
bool is_admin_path(std::string_view path) noexcept;

class AdminApi {
 public:
  explicit AdminApi(AdminContext context) : context_(context) {}
  ApiResponse handle(const spec::RequestView& request) const;

 private:
  ApiResponse health() const;
  ApiResponse reset() const;
  ApiResponse requests(const spec::RequestView& request) const;
  ApiResponse violations(const spec::RequestView& request) const;
  // What the proxy has no part of: a scenario, the outbox, the clock.
  ApiResponse mock_only(std::string_view path) const;
  ApiResponse outbox(const spec::RequestView& request) const;
  ApiResponse clock(const spec::RequestView& request) const;
  ApiResponse scenarios() const;
  ApiResponse switch_scenario(const spec::RequestView& request) const;
  ApiResponse load_scenario_body(const spec::RequestView& request) const;

  AdminContext context_;
};

}  // namespace pbxmock::mock
