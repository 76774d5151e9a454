#pragma once
// What a request must show before any handler sees it, against browsers used as a weapon:
// - DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 reaches
//   the mock with `Host: evil.example`. The Host must be a loopback name, the address the
//   mock is bound to, or --public-url's host: always for the admin API, and for everything
//   when the mock listens on loopback only. (Bound to every address, the admin API needs
//   the admin key instead.)
// - A page from another origin may not use the admin API (see cors.h): refused, 403.
// - An upload to the admin API needs a JSON or YAML Content-Type, which a browser sends
//   cross-origin only after a preflight: a "simple" form or text/plain post is refused, 415.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spec/api_error.h"
#include "spec/request_view.h"

namespace pbxmock::mock {

struct GuardSettings {
  // Host names (without port) accepted besides the loopback ones; empty with
  // any_host = true when the mock listens on every address.
  std::vector<std::string> hosts;
  bool any_host = false;
  bool check_api_host = false;  // bound to loopback: the API's Host is checked too
};

// From --host and --public-url (its origin, "https://mock.example.com:9443", or "").
GuardSettings guard_settings(std::string_view bound_host, std::string_view public_origin);

// Why the request must be refused, or nothing.
std::optional<spec::ApiError> guard_request(const spec::RequestView& request, const GuardSettings& settings);

// "mock.example.com:9443" -> "mock.example.com"; "[::1]:80" -> "[::1]".
std::string_view host_without_port(std::string_view host);

}  // namespace pbxmock::mock
