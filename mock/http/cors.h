#pragma once
// CORS, so a front end served from another origin (a dev server on :5173, say) can call the
// mock from a browser. Every answer carries the headers, errors and the admin API included:
// a browser hides the body of any answer without them, and a developer debugging a 400
// needs to read its body.
#include <httplib.h>

namespace pbxmock::mock {

// Access-Control-Allow-Origin: the request's Origin (with Vary: Origin and
// Allow-Credentials) when it sent one, else "*"; Expose-Headers for Location and Allow.
// Does nothing when the response already has them.
void add_cors_headers(const httplib::Request& request, httplib::Response& response);

// An OPTIONS request: 204, allowing the method and headers the preflight asks for
// (Authorization and Content-Type always), cached by the browser for 10 minutes.
void answer_preflight(const httplib::Request& request, httplib::Response& response);

}  // namespace pbxmock::mock
