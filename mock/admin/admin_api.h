#pragma once
// The admin API under /__admin/ (issue 4 item 5; routes and shapes as agreed in
// docs with the contract tests): health, reset, the request journal, the outbox, the clock
// and the scenarios. JSON in and out; errors in the vendor's error shape. Transport-free:
// the server hands it the method, the path after "/__admin", the decoded query and the body,
// and checks the admin key before.
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
#include <chrono>
#include <cstddef>
#include <string_view>

#include "mock/api_response.h"
#include "mock/clock.h"
#include "mock/auth/outbox.h"
#include "mock/admin/request_journal.h"
#include "mock/active_mock.h"
#include "spec/url_encoding.h"

namespace pbxmock::mock {

struct AdminContext {
  MockHolder& holder;
  RequestJournal& journal;
  Outbox& outbox;
  Clock& clock;
  std::chrono::steady_clock::time_point started;
};

struct AdminRequest {
  std::string_view method;
  std::string_view path;  // after "/__admin": "/health", "/scenarios/active"
  const spec::NameValuePairs& query;
  std::string_view content_type;  // "" when none was sent
  std::string_view body;
};

class AdminApi {
 public:
  explicit AdminApi(AdminContext context) : context_(context) {}
  ApiResponse handle(const AdminRequest& request) const;

 private:
  ApiResponse health() const;
  ApiResponse reset() const;
  ApiResponse requests(const AdminRequest& request) const;
  ApiResponse outbox(const AdminRequest& request) const;
  ApiResponse clock(const AdminRequest& request) const;
  ApiResponse scenarios() const;
  ApiResponse switch_scenario(const AdminRequest& request) const;
  ApiResponse load_scenario_body(const AdminRequest& request) const;

  AdminContext context_;
};

}  // namespace pbxmock::mock
