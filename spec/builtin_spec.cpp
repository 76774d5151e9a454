// Our own spec/portsip-auth.yaml, compiled in (cmake/embed.cmake) so the program runs from
// any folder without it.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "spec/openapi.h"

namespace pbxmock::embedded {
extern const std::string_view portsip_auth_yaml;
}

namespace pbxmock::spec {

namespace {

OpenApiDocument load_builtin() {
  auto loaded = load_openapi(embedded::portsip_auth_yaml, "spec/portsip-auth.yaml (built in)");
  if (!loaded) {
    // Nothing sensible can run without it, and only a broken build gets here: say why, stop.
    std::fprintf(stderr, "pbxmock: the built-in spec does not load: %s\n", to_string(loaded.error()).c_str());
    std::abort();
  }
  return std::move(loaded).value();
}

}  // namespace

const OpenApiDocument& builtin_spec() {
  static const OpenApiDocument document = load_builtin();  // C++11 statics: initialized once, thread-safe
  return document;
}

}  // namespace pbxmock::spec
