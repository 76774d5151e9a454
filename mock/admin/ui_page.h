#pragma once
// GET /__admin/ui/ (issue 13 item 2): the admin page, one HTML file with its CSS and
// JavaScript inline (mock/admin/ui/index.html, compiled into the program), which drives the
// admin API from the browser. The page holds no data of its own: everything it shows it
// fetches from the admin API, with the admin key when one is needed.
#include <optional>
#include <string_view>

#include "mock/api_response.h"

namespace pbxmock::mock {

// Whether `path` (after "/__admin") names the page: "/ui" or "/ui/". The page's shell is
// static and carries no data, so it may be served before the admin key is checked: a
// browser cannot send the key on a navigation, and the page asks for it instead.
bool is_ui_page_path(std::string_view path);

// The page for GET /ui/, a redirect to it for GET /ui (so the address is the same either
// way); nullopt when `path` is not the page's.
std::optional<ApiResponse> ui_page(std::string_view method, std::string_view path);

}  // namespace pbxmock::mock
