#pragma once
// A HAR 1.2 file (a browser's "Save all as HAR", Playwright's recordHar) into exchanges:
// log.entries[].request (method, url, headers, postData.text) and .response (status, headers,
// content.text, base64 when content.encoding says so). HTTP/2 pseudo-headers (":authority")
// are dropped. Pure: text in, entries or the first problem (with its JSON Pointer) out.
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

Result<std::vector<HarEntry>, std::string> read_har(std::string_view text);

// RFC 4648 base64 (padding optional, white space skipped); nullopt for any other character.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace pbxmock::contracts::recording
