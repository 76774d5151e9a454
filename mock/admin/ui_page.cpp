#include "mock/admin/ui_page.h"

#include <string>

#include "spec/api_error.h"

namespace pbxmock::embedded {
extern const std::string_view admin_ui_page;
}  // namespace pbxmock::embedded

namespace pbxmock::mock {

bool is_ui_page_path(std::string_view path) { return path == "/ui" || path == "/ui/"; }

std::optional<ApiResponse> ui_page(std::string_view method, std::string_view path) {
  if (!is_ui_page_path(path)) return std::nullopt;
  if (method != "GET" && method != "HEAD") return ApiResponse::error(spec::method_not_allowed({"GET"}));
  if (path == "/ui") return ApiResponse::redirect("/__admin/ui/");
  ApiResponse page = ApiResponse::html(200, std::string(embedded::admin_ui_page));
  // Everything is inline and talks only to this server: nothing else may load or be framed.
  page.headers.emplace_back("Content-Security-Policy",
                            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                            "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
                            "frame-ancestors 'none'");
  page.headers.emplace_back("Cache-Control", "no-store");
  page.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return page;
}

}  // namespace pbxmock::mock
