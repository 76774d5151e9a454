#pragma once
// The part of pbxmock's admin API that `pbxmock fuzz --mock-admin` calls to load its scenario
// and to switch back afterwards, answered as if it worked: for the small broken servers that
// fuzz tests write with cpp-httplib's server (tests only; mock/ never uses it).
#include <httplib.h>

namespace pbxmock::test {

inline void stub_scenario_switching(httplib::Server& server) {
  auto answer = [](const char* active) {
    return [active](const httplib::Request&, httplib::Response& res) {
      res.status = 200;
      res.set_content(std::string("{\"active\":\"") + active + "\"}", "application/json");
    };
  };
  server.Get("/__admin/scenarios/active", answer("default"));
  server.Post("/__admin/scenarios", answer("fuzz"));
  server.Put("/__admin/scenarios/active", answer("default"));
}

}  // namespace pbxmock::test
