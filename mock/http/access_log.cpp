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

void append_ms(std::string& out, double ms) {
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%.2f", ms);
  out.append(buffer, static_cast<std::size_t>(n));
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

void write_line(int fd, std::string& line) {
  line += '\n';
  const char* data = line.data();
  std::size_t left = line.size();
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

std::string format_access_line(const AccessRecord& record, LogFormat format) {
  std::string line;
  line.reserve(160);
  if (format == LogFormat::text) {
    append_now(line);
    line += ' ';
    append_printable(line, record.remote_address);
    line += ' ';
    append_printable(line, record.method);
    line += ' ';
    append_printable(line, record.path);
    line += ' ';
    line += std::to_string(record.status);
    line += ' ';
    append_ms(line, record.duration_ms);
    line += "ms";
    if (!record.operation_id.empty()) {
      line += ' ';
      line += record.operation_id;
    }
    if (!record.rule.empty()) {
      line += " rule=";
      append_printable(line, record.rule);
    }
    return line;
  }
  line += "{\"time\":\"";
  append_now(line);
  line += "\",\"remote\":";
  append_json_string(line, record.remote_address);
  line += ",\"method\":";
  append_json_string(line, record.method);
  line += ",\"path\":";
  append_json_string(line, record.path);
  line += ",\"status\":";
  line += std::to_string(record.status);
  line += ",\"duration_ms\":";
  append_ms(line, record.duration_ms);
  if (!record.operation_id.empty()) {
    line += ",\"operation_id\":";
    append_json_string(line, record.operation_id);
  }
  if (!record.rule.empty()) {
    line += ",\"rule\":";
    append_json_string(line, record.rule);
  }
  line += '}';
  return line;
}

void AccessLog::write(const AccessRecord& record) const {
  if (!enabled_) return;
  std::string line = format_access_line(record, format_);
  write_line(fd_, line);
}

void AccessLog::note(std::string_view message) const {
  std::string line;
  if (format_ == LogFormat::text) {
    line = "pbxmock: ";
    line += message;
  } else {
    line = "{\"time\":\"";
    append_now(line);
    line += "\",\"message\":";
    append_json_string(line, message);
    line += '}';
  }
  write_line(fd_, line);
}

}  // namespace pbxmock::mock
