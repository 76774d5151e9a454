#pragma once
// One line per request on standard error: time, client, method, path, status and how long
// the answer took. Never the query, a header or a body (they may carry passwords, codes or
// tokens). The line is built on the caller's stack and written with one write(2), which
// needs no lock and does not interleave with other threads' lines.
#include <string>
#include <string_view>

namespace pbxmock::mock {

enum class LogFormat { text, json };

struct AccessRecord {
  std::string_view remote_address;
  std::string_view method;
  std::string_view path;
  int status = 0;
  double duration_ms = 0;
  std::string_view operation_id;  // "" when none
  std::string_view rule;          // "" when no rule applied
};

// text: "2025-11-27T22:30:00.123Z 127.0.0.1 POST /api/auth/sign_in 200 0.41ms signInWithCredentials"
// json: {"time":"...","remote":"...","method":"...","path":"...","status":200,"duration_ms":0.41,...}
std::string format_access_line(const AccessRecord& record, LogFormat format);

class AccessLog {
 public:
  AccessLog(LogFormat format, bool enabled, int fd = 2) : format_(format), enabled_(enabled), fd_(fd) {}
  void write(const AccessRecord& record) const;
  // A line that is not about a request (a reload, a warning), in the same format.
  void note(std::string_view message) const;
  bool enabled() const noexcept { return enabled_; }

 private:
  LogFormat format_;
  bool enabled_;
  int fd_;
};

// JSON string escaping for the json format (quotes, backslashes, control characters).
void append_json_string(std::string& out, std::string_view text);

}  // namespace pbxmock::mock
