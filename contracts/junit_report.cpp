#include "contracts/junit_report.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace pbxmock::contracts {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i], or 0 (RFC 3629 table 3-7).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const auto in = [](unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; };
  const unsigned char c = b(i);
  const std::size_t left = s.size() - i;
  if (c < 0x80) return 1;
  if (in(c, 0xC2, 0xDF)) return left >= 2 && in(b(i + 1), 0x80, 0xBF) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !in(b(i + 2), 0x80, 0xBF)) return 0;
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    if (!in(b(i + 1), lo, hi)) return 0;
    // U+FFFE and U+FFFF are not XML characters.
    if (c == 0xEF && b(i + 1) == 0xBF && (b(i + 2) == 0xBE || b(i + 2) == 0xBF)) return 0;
    return 3;
  }
  if (in(c, 0xF0, 0xF4)) {
    if (left < 4 || !in(b(i + 2), 0x80, 0xBF) || !in(b(i + 3), 0x80, 0xBF)) return 0;
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return in(b(i + 1), lo, hi) ? 4 : 0;
  }
  return 0;
}

std::string seconds(double s) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", s);
  return buffer;
}

std::string attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escape(value) + "\"";
}

std::string attribute(std::string_view name, std::size_t value) { return attribute(name, std::to_string(value)); }

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; ++i; continue;
      case '<': out += "&lt;"; ++i; continue;
      case '>': out += "&gt;"; ++i; continue;
      case '"': out += "&quot;"; ++i; continue;
      case '\'': out += "&apos;"; ++i; continue;
      case '\n': out += "&#10;"; ++i; continue;  // kept as a newline even inside an attribute
      case '\r': out += "&#13;"; ++i; continue;
      case '\t': out += "&#9;"; ++i; continue;
      default: break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {  // not allowed in XML 1.0, not even escaped
      out += kReplacement;
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence(text, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string junit_xml(const RunResult& run) {
  std::ostringstream x;
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t skipped = 0;
  for (const auto& c : run.contracts) {
    for (const auto& s : c.steps) {
      ++tests;
      failures += s.outcome == Outcome::failed ? 1 : 0;
      skipped += s.outcome == Outcome::skipped ? 1 : 0;
    }
  }
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites" << attribute("name", "pbxmock check") << attribute("tests", tests)
    << attribute("failures", failures) << attribute("errors", std::size_t{0}) << attribute("skipped", skipped)
    << attribute("time", seconds(run.seconds)) << ">\n";
  for (const auto& c : run.contracts) {
    std::size_t c_failures = 0;
    std::size_t c_skipped = 0;
    for (const auto& s : c.steps) {
      c_failures += s.outcome == Outcome::failed ? 1 : 0;
      c_skipped += s.outcome == Outcome::skipped ? 1 : 0;
    }
    x << "  <testsuite" << attribute("name", c.name) << attribute("tests", c.steps.size())
      << attribute("failures", c_failures) << attribute("errors", std::size_t{0}) << attribute("skipped", c_skipped)
      << attribute("time", seconds(c.seconds)) << attribute("file", c.file) << ">\n";
    for (const auto& s : c.steps) {
      x << "    <testcase" << attribute("name", s.name) << attribute("classname", c.file + " > " + c.name)
        << attribute("time", seconds(s.seconds));
      const bool has_body = s.outcome != Outcome::passed || !s.allowed.empty();
      if (!has_body) {
        x << "/>\n";
        continue;
      }
      x << ">\n";
      if (s.outcome == Outcome::failed) {
        std::string text;
        for (const auto& f : s.failures) text += f + "\n";
        if (!s.curl.empty()) text += s.curl + "\n";
        const std::string first = s.failures.empty() ? std::string("failed") : s.failures.front();
        x << "      <failure" << attribute("message", first) << attribute("type", "contract") << ">" << xml_escape(text)
          << "</failure>\n";
      } else if (s.outcome == Outcome::skipped) {
        x << "      <skipped" << attribute("message", s.skip_reason) << "/>\n";
      }
      if (!s.allowed.empty()) {
        std::string text;
        for (const auto& a : s.allowed) text += "ALLOW " + a + "\n";
        x << "      <system-out>" << xml_escape(text) << "</system-out>\n";
      }
      x << "    </testcase>\n";
    }
    x << "  </testsuite>\n";
  }
  x << "</testsuites>\n";
  return x.str();
}

std::optional<std::string> write_junit_file(const std::string& path, const RunResult& run) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return "cannot open " + path + " for writing";
  out << junit_xml(run);
  out.close();
  if (!out) return "cannot write " + path;
  return std::nullopt;
}

}  // namespace pbxmock::contracts
