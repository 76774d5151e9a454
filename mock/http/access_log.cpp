#include "mock/http/access_log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace pbxmock::mock {
namespace {

// "2025-11-27T22:30:00.123Z", without iostreams or locale.
void append_now(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                              utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  out.append(buffer, static_cast<std::size_t>(n));
}

// Kept below 32 KiB: past it, the buffered lines go out.
constexpr std::size_t kFlushBytes = 32 * 1024;

struct Digits {
  char text[32];
  std::size_t size;
  std::string_view view() const noexcept { return {text, size}; }
};

Digits milliseconds(double ms) {
  Digits out{};
  const int n = std::snprintf(out.text, sizeof out.text, "%.2f", ms);
  out.size = n > 0 ? static_cast<std::size_t>(n) : 0;
  return out;
}

Digits integer(int value) {
  Digits out{};
  const int n = std::snprintf(out.text, sizeof out.text, "%d", value);
  out.size = n > 0 ? static_cast<std::size_t>(n) : 0;
  return out;
}

// Paths are client bytes: control characters would let a client forge log lines.
void append_printable(std::string& out, std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
}

// One line in either format from one list of fields: the text format writes the values
// after the time, separated by spaces; the json format writes them as members.
class LineBuilder {
 public:
  LineBuilder(LogFormat format, std::string& line) : format_(format), line_(line) {
    if (format_ == LogFormat::json) line_ += "{\"time\":\"";
    append_now(line_);
    if (format_ == LogFormat::json) line_ += '"';
  }

  // A client's or the mock's text: printable in the text format, escaped in json.
  void text(std::string_view name, std::string_view value, std::string_view text_prefix = " ") {
    if (format_ == LogFormat::text) {
      line_ += text_prefix;
      append_printable(line_, value);
      return;
    }
    member(name);
    append_json_string(line_, value);
  }

  // A number already written out.
  void number(std::string_view name, std::string_view digits, std::string_view text_suffix = {}) {
    if (format_ == LogFormat::text) {
      line_ += ' ';
      line_ += digits;
      line_ += text_suffix;
      return;
    }
    member(name);
    line_ += digits;
  }

  void finish() {
    if (format_ == LogFormat::json) line_ += '}';
  }

 private:
  void member(std::string_view name) {
    line_ += ",\"";
    line_ += name;
    line_ += "\":";
  }

  LogFormat format_;
  std::string& line_;
};

void write_all(int fd, std::string_view text) {
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n <= 0) return;  // a closed or full log must never stop the server
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      // Bytes past ASCII are escaped one by one: a path need not be valid UTF-8, and a
      // log line must stay valid JSON whatever a client sent.
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_access_line(std::string& out, const AccessRecord& record, LogFormat format) {
  LineBuilder line(format, out);
  line.text("remote", record.remote_address);
  line.text("method", record.method);
  line.text("path", record.path);
  line.number("status", integer(record.status).view());
  line.number("duration_ms", milliseconds(record.duration_ms).view(), "ms");
  if (!record.operation_id.empty()) line.text("operation_id", record.operation_id);
  if (!record.rule.empty()) line.text("rule", record.rule, " rule=");
  line.finish();
}

std::string format_access_line(const AccessRecord& record, LogFormat format) {
  std::string line;
  line.reserve(160);
  append_access_line(line, record, format);
  return line;
}

void AccessLog::write(const AccessRecord& record) const {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  append_access_line(buffer_, record, format_);
  buffer_ += '\n';
  if (buffer_.size() >= kFlushBytes) write_out_locked();
}

void AccessLog::note(std::string_view message) const {
  std::string line;
  if (format_ == LogFormat::text) {
    line = "pbxmock: ";
    line += message;
  } else {
    LineBuilder json(LogFormat::json, line);
    json.text("message", message);
    json.finish();
  }
  line += '\n';
  std::lock_guard<std::mutex> lock(mutex_);
  buffer_ += line;
  write_out_locked();
}

void AccessLog::flush() const {
  std::lock_guard<std::mutex> lock(mutex_);
  write_out_locked();
}

void AccessLog::write_out_locked() const {
  if (buffer_.empty()) return;
  write_all(fd_, buffer_);
  buffer_.clear();  // the capacity stays for the next lines
}

}  // namespace pbxmock::mock
