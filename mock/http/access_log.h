#pragma once
// One line per request on standard error: time, client, method, path, status and how long
// the answer took. Never the query, a header or a body (they may carry passwords, codes or
// tokens). Lines are formatted straight into a buffer (under a short lock: whole lines, in
// the order they were written) and written out with one write(2) when it passes 32 KiB or
// at flush(), which the connection loop calls at every sweep (at most 100 ms apart) and the
// server at its stop: a write(2) per request was some 15% of a request's CPU time.
#include <mutex>
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
// The same line, appended to `out` without its newline.
void append_access_line(std::string& out, const AccessRecord& record, LogFormat format);

class AccessLog {
 public:
  AccessLog(LogFormat format, bool enabled, int fd = 2) : format_(format), enabled_(enabled), fd_(fd) {}
  ~AccessLog() { flush(); }
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(const AccessRecord& record) const;
  // A line that is not about a request (a reload, a warning), in the same format; written
  // at once, after the lines buffered before it.
  void note(std::string_view message) const;
  // Writes out the buffered lines.
  void flush() const;
  bool enabled() const noexcept { return enabled_; }

 private:
  void write_out_locked() const;

  LogFormat format_;
  bool enabled_;
  int fd_;
  mutable std::mutex mutex_;
  mutable std::string buffer_;
};

// JSON string escaping for the json format (quotes, backslashes, control characters).
void append_json_string(std::string& out, std::string_view text);

}  // namespace pbxmock::mock
