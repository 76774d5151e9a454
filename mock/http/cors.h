#pragma once
// CORS, so a front end served from another origin (a dev server on :5173, say) can call the
// mock from a browser. Every API answer carries the headers, errors included: a browser
// hides the body of any answer without them, and a developer debugging a 400 needs to read
// its body.
//
// The admin API (/__admin/) reads OTP codes, reset tokens and the journal and replaces the
// scenario, so a page the developer happens to open must not drive it: it answers
// cross-origin requests only from loopback origins (http(s)://localhost, 127.0.0.1, [::1],
// any port) and the --cors-origin ones. Access-Control-Allow-Credentials is sent only with
// --cors-credentials. A value with CR, LF or another control character is never reflected.
#include <string>
#include <string_view>
#include <vector>

#include "mock/http/response_writer.h"
#include "spec/request_view.h"

namespace pbxmock::mock {

struct CorsPolicy {
  bool credentials = false;                // --cors-credentials
  std::vector<std::string> admin_origins;  // --cors-origin, besides the loopback ones
};

// Set once at start, before the first request (the answers read it without a lock).
void set_cors_policy(CorsPolicy policy);
const CorsPolicy& cors_policy();

// Whether a browser page at `origin` may use the admin API.
bool admin_origin_allowed(std::string_view origin);
// "http://localhost:5173", "https://127.0.0.1", "http://[::1]:8080": true.
bool is_loopback_origin(std::string_view origin);

// Access-Control-Allow-Origin: the request's Origin (with Vary: Origin) when it sent one
// that may have it, else "*" when it sent none; Expose-Headers for Location and Allow.
// Does nothing when the response already has them.
void add_cors_headers(const spec::RequestView& request, Reply& reply);

// An OPTIONS request: 204, allowing the methods the API answers and the headers the
// preflight asks for (Authorization and Content-Type always), cached for 10 minutes.
Reply answer_preflight(const spec::RequestView& request);

}  // namespace pbxmock::mock
