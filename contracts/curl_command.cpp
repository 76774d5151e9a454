#include "contracts/curl_command.h"

#include <algorithm>

#include "spec/ascii.h"

namespace pbxmock::contracts {
namespace {

// Shorter values would be replaced where they are not secrets ("1", "on").
constexpr std::size_t kMinRedactedLength = 4;

bool is_safe(char c) {
  return spec::ascii::is_alnum(c) || std::string_view("-_./:=@%+,").find(c) != std::string_view::npos;
}

// One argument, with environment values replaced by "$NAME" references.
std::string quote_argument(const std::string& text, const std::vector<EnvUse>& env) {
  std::string out;
  std::string literal;
  const auto flush = [&] {
    if (!literal.empty()) out += shell_quote(literal);
    literal.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const EnvUse* hit = nullptr;
    for (const auto& use : env) {
      if (use.value.size() >= kMinRedactedLength && text.compare(i, use.value.size(), use.value) == 0 &&
          (hit == nullptr || use.value.size() > hit->value.size())) {
        hit = &use;
      }
    }
    if (hit == nullptr) {
      literal += text[i++];
      continue;
    }
    flush();
    out += "\"${" + hit->name + "}\"";
    i += hit->value.size();
  }
  flush();
  return out.empty() ? "''" : out;
}

}  // namespace

std::string shell_quote(std::string_view text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), is_safe)) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

std::string curl_command(const Target& target, const HttpRequest& request, const std::vector<EnvUse>& env,
                         const CurlOptions& options) {
  const std::string url = target.url() + request.path;
  std::string out = "curl -sS -i";
  if (options.insecure) out += " -k";
  // curl would otherwise expand [] and {} as globs, and tidy "/../" away.
  if (url.find_first_of("[]{}") != std::string::npos) out += " -g";
  if (request.path.find("/.") != std::string::npos) out += " --path-as-is";
  if (request.method == "HEAD") {
    out += " --head";
  } else if (request.method != "GET" || !request.body.empty()) {
    out += " -X " + shell_quote(request.method);
  }
  out += " " + quote_argument(url, env);
  for (const auto& [name, value] : request.headers) out += " -H " + quote_argument(name + ": " + value, env);
  if (request.body.empty()) return out;
  if (options.repeat > 1 && request.body.size() % options.repeat == 0) {
    const std::string chunk = request.body.substr(0, request.body.size() / options.repeat);
    if (chunk.find('\n') == std::string::npos && !chunk.empty()) {
      // `yes` repeats a line; dropping the newlines leaves the chunk `repeat` times.
      out += " --data-binary @<(yes " + shell_quote(chunk) + " | head -n " + std::to_string(options.repeat) +
             " | tr -d '\\n')";
      return out;
    }
  }
  out += " --data-raw " + quote_argument(request.body, env);
  return out;
}

}  // namespace pbxmock::contracts
