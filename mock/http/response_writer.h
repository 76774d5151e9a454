#pragma once
// The one place an HTTP/1.1 answer becomes bytes: status line, the answer's headers, the
// framing headers (Content-Length always; Connection: close, or Keep-Alive while the
// connection stays open), then the body, except after a HEAD (its Content-Length still says
// what a GET would get, RFC 9110 9.3.2). Every answer the server sends goes through here: the
// dispatcher's, a refusal of the connection loop, "100 Continue".
#include <string>
#include <string_view>

#include "mock/api_response.h"
#include "spec/url_encoding.h"

namespace pbxmock::mock {

// What the connection loop sends when a request's head asks for it (Expect: 100-continue).
inline constexpr std::string_view kContinueAnswer = "HTTP/1.1 100 Continue\r\n\r\n";

// An answer ready to be written: status, headers (Content-Type and CORS included), body.
struct Reply {
  int status = 200;
  spec::NameValuePairs headers;
  std::string body;

  // The status, the headers, and the body with its Content-Type when it has one.
  static Reply of(const ApiResponse& answer);
  bool has_header(std::string_view name) const noexcept;  // compared without regard to case
};

struct Framing {
  bool head = false;   // the request was a HEAD: no body
  bool close = false;  // the connection ends after this answer
  int keep_alive_seconds = 5;
  std::size_t keep_alive_requests = 10'000;
};

// Appends the answer's bytes to `out`. A header whose name or value holds CR, LF or NUL is
// left out: nothing a scenario or a client supplied can end a header line.
void write_reply(const Reply& reply, const Framing& framing, std::string& out);

// "OK", "Not Found", ...; "Unknown" for a status without a phrase here.
std::string_view reason_phrase(int status) noexcept;

}  // namespace pbxmock::mock
