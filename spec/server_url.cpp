#include "spec/server_url.h"

#include "spec/json_access.h"

namespace pbxmock::spec {

namespace {

std::string substitute_variables(std::string_view path, const nlohmann::json* variables) {
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t open = path.find('{', i);
    const std::size_t close = open == std::string_view::npos ? open : path.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(path.substr(i, open - i));
    const std::string name(path.substr(open + 1, close - open - 1));
    const nlohmann::json* variable = variables ? find_member(*variables, name) : nullptr;
    const nlohmann::json* fallback = variable ? find_member(*variable, "default") : nullptr;
    const std::string* value = fallback ? string_of(*fallback) : nullptr;
    if (value) {
      out += *value;
    } else {
      out.append(path.substr(open, close - open + 1));
    }
    i = close + 1;
  }
  out.append(path.substr(std::min(i, path.size())));
  return out;
}

}  // namespace

std::string base_path_of_server_url(std::string_view url, const nlohmann::json* variables) {
  url = url.substr(0, url.find_first_of("?#"));
  std::string_view path;
  const std::size_t scheme_end = url.find("://");
  const std::size_t first_slash = url.find('/');
  if (scheme_end != std::string_view::npos && scheme_end < first_slash) {
    // scheme://authority/path: the path starts at the first '/' after the authority.
    const std::size_t slash = url.find('/', scheme_end + 3);
    path = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  } else if (url.substr(0, 2) == "//") {
    const std::size_t slash = url.find('/', 2);
    path = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  } else {
    path = url;
  }
  std::string out = substitute_variables(path, variables);
  if (!out.empty() && out.front() != '/') out.insert(out.begin(), '/');
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace pbxmock::spec
