#pragma once
// A HAR 1.2 file (a browser's "Save all as HAR", Playwright's recordHar) into exchanges:
// log.entries[].request (method, url, headers, postData.text) and .response (status, headers,
// content.text, base64 when content.encoding says so). HTTP/2 pseudo-headers (":authority")
// are dropped. Pure: text in, entries or the first problem, with where it is, out.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/exchange.h"
#include "spec/result.h"

namespace pbxmock::contracts::recording {

struct HarEntry {
  std::string url;     // as the HAR gives it
  std::string origin;  // "http://127.0.0.1:8887" (scheme, host and port of the URL)
  Exchange exchange;   // request.target is the URL's path and query
};

// What is wrong with a HAR file: where (a line and column for text that is not JSON, a JSON
// Pointer for JSON that is not a HAR) and what.
struct HarProblem {
  std::size_t line = 0;  // 1-based; 0 when `pointer` says where
  std::size_t column = 0;
  std::string pointer;
  std::string message;

  // "file.har:3:14: not JSON: ..." or "file.har: /log/entries/2/request/url: missing"
  std::string describe(const std::string& file) const;
};

Result<std::vector<HarEntry>, HarProblem> read_har(std::string_view text);

// RFC 4648 base64 (padding optional, white space skipped); nullopt for any other character.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace pbxmock::contracts::recording
