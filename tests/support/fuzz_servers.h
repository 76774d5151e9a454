#pragma once
// What the fuzz tests' broken servers (cpp-httplib servers in tests only) share: the vendor's
// error body, a JSON answer, and the three admin endpoints `pbxmock fuzz --mock-admin` calls,
// answered as if the fuzzer's scenario were loaded (so the fuzzer signs in as its own account,
// fuzzer / fuzz-secret at fuzz.example.com).
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace pbxmock::test {

inline nlohmann::json error_body(const std::string& code, const std::string& message) {
  return {{"errors", nlohmann::json::array({{{"code", code}, {"message", message}}})}};
}

inline void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

inline void answer_mock_admin(httplib::Server& server) {
  server.Get("/__admin/scenarios/active", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, {{"active", "default"}});
  });
  server.Post("/__admin/scenarios", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, {{"active", "fuzz"}});
  });
  server.Put("/__admin/scenarios/active", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, {{"active", "default"}});
  });
}

// A `pbxmock fuzz --report` file, discarded (is_discarded()) when it is not JSON.
inline nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, false);
}

// The report's first failure of `check`, or nullptr.
inline const nlohmann::json* find_failure(const nlohmann::json& report, const std::string& check) {
  for (const nlohmann::json& failure : report["failures"]) {
    if (failure["check"] == check) return &failure;
  }
  return nullptr;
}

}  // namespace pbxmock::test
