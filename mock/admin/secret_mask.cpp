#include "mock/admin/secret_mask.h"

#include <nlohmann/json.hpp>

#include "spec/ascii.h"
#include "spec/request_view.h"
#include "spec/secret_names.h"
#include "spec/url_encoding.h"

namespace pbxmock::mock {
namespace {

using nlohmann::json;

bool is_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// Addresses in string values (a redirect in a body) keep their path; their secrets go.
bool looks_like_url(std::string_view text) {
  return text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0 || text.rfind('/', 0) == 0;
}

// The recursion is bounded by the depth limit read_json_body held the body to.
void mask_json(json& value) {
  if (value.is_object()) {
    for (auto& [key, item] : value.items()) {
      if ((is_secret_name(key) || spec::is_one_time_code(key, item)) && !item.is_null()) {
        item = std::string(kMasked);
      } else {
        mask_json(item);
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) mask_json(item);
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (looks_like_url(text) && text.find_first_of("?#") != std::string::npos) value = masked_url(text);
  }
}

// Pieces of `text` split at `separator`, each `name=value` with the value replaced when
// `secret(name)`; the separators, names and order kept. A piece without '=' is a value alone
// (a cookie may be one): replaced too when `bare_is_secret`.
template <typename Secret>
std::string mask_pairs(std::string_view text, char separator, Secret secret, bool bare_is_secret = false) {
  std::string out;
  out.reserve(text.size());
  while (true) {
    const std::size_t end = text.find(separator);
    const std::string_view pair = text.substr(0, end);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && secret(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1)).append(kMasked);
    } else if (eq == std::string_view::npos && bare_is_secret && pair.find_first_not_of(' ') != std::string_view::npos) {
      out.append(pair.substr(0, pair.find_first_not_of(' '))).append(kMasked);
    } else {
      out.append(pair);
    }
    if (end == std::string_view::npos) break;
    out.push_back(separator);
    text.remove_prefix(end + 1);
  }
  return out;
}

bool is_secret_encoded_field(std::string_view name) {
  auto decoded = spec::percent_decode(name, spec::PlusIs::space);
  return decoded ? is_secret_field(decoded.value()) : is_secret_field(name);
}

// Where the JSON string starting at `open` (a quote) ends: just past its closing quote.
std::size_t string_end(std::string_view text, std::size_t open) {
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') ++i;
    else if (text[i] == '"') return i + 1;
  }
  return text.size();
}

// Where the value starting at `at` ends: a string, a whole array or object (brackets counted,
// not recursed), or a bare word.
std::size_t value_end(std::string_view text, std::size_t at) {
  if (at >= text.size()) return at;
  if (text[at] == '"') return string_end(text, at);
  if (text[at] == '{' || text[at] == '[') {
    std::size_t depth = 0;
    for (std::size_t i = at; i < text.size(); ++i) {
      if (text[i] == '"') {
        i = string_end(text, i) - 1;
      } else if (text[i] == '{' || text[i] == '[') {
        ++depth;
      } else if ((text[i] == '}' || text[i] == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return text.size();
  }
  const std::size_t end = text.find_first_of(",}] \t\r\n", at);
  return end == std::string_view::npos ? text.size() : end;
}

std::size_t skip_space(std::string_view text, std::size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n')) ++at;
  return at;
}

// A body that is not JSON the request could have parsed (nested past the depth limit, or
// broken), shown as sent but for the value after each "secret": , found in one pass without
// parsing. Escaped key names are compared as written.
std::string mask_json_like_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] != '"') {
      const std::size_t quote = text.find('"', at);
      const std::size_t stop = quote == std::string_view::npos ? text.size() : quote;
      out.append(text.substr(at, stop - at));
      at = stop;
      continue;
    }
    const std::size_t end = string_end(text, at);
    const bool closed = end - at >= 2 && text[end - 1] == '"';
    const std::string_view key = text.substr(at + 1, end - at - (closed ? 2 : 1));
    out.append(text.substr(at, end - at));
    at = end;
    const std::size_t colon = skip_space(text, at);
    if (colon >= text.size() || text[colon] != ':') continue;
    // The value's end is looked for only under a key that may be secret: finding it for every
    // key would scan each nested value again, quadratic in a deep body (10,000 levels in 60 KB).
    // A masked value is skipped whole; a "code" is looked at only when it is a string, which
    // does not nest.
    const bool secret = is_secret_name(key);
    const std::size_t value = skip_space(text, colon + 1);
    if (!secret && !(key == "code" && value < text.size() && text[value] == '"')) continue;
    const std::size_t value_stop = value_end(text, value);
    const std::string_view raw = text.substr(value, value_stop - value);
    const bool code = key == "code" && raw.size() >= 2 && raw.front() == '"' && is_digits(raw.substr(1, raw.size() - 2));
    if (!(secret || code) || raw.empty() || raw == "null") continue;
    out.append(text.substr(at, value - at)).append("\"").append(kMasked).append("\"");
    at = value_stop;
  }
  return out;
}

}  // namespace

// The list lives in spec/ so the contract recorder, which cannot include mock/, uses the same one.
bool is_secret_name(std::string_view name) { return spec::is_secret_name(name); }

bool is_secret_field(std::string_view name) { return spec::is_secret_field(name); }

std::string masked_header(std::string_view name, std::string_view value) {
  const std::string lower = spec::ascii::lower(name);
  const auto every = [](std::string_view) { return true; };
  if (lower == "cookie") return mask_pairs(value, ';', every, true);
  if (lower == "set-cookie") {
    const std::size_t attributes = value.find(';');
    return mask_pairs(value.substr(0, attributes), ';', every, true) +
           std::string(value.substr(attributes == std::string_view::npos ? value.size() : attributes));
  }
  if (lower == "location" || lower == "content-location" || lower == "referer") return masked_url(value);
  if (!is_secret_name(lower)) return std::string(value);
  const std::size_t space = value.find(' ');
  if (lower.find("authorization") != std::string::npos && space != std::string_view::npos) {
    return std::string(value.substr(0, space + 1)) + std::string(kMasked);
  }
  return std::string(kMasked);
}

std::string masked_query(std::string_view query) { return mask_pairs(query, '&', is_secret_encoded_field); }

std::string masked_url(std::string_view url) {
  const std::size_t hash = url.find('#');
  const std::string_view before = url.substr(0, hash);
  const std::size_t question = before.find('?');
  std::string out(before.substr(0, question));
  if (question != std::string_view::npos) out.append("?").append(masked_query(before.substr(question + 1)));
  if (hash != std::string_view::npos) out.append("#").append(masked_query(url.substr(hash + 1)));
  return out;
}

std::string masked_body(std::string_view body) {
  if (body.empty()) return {};
  // The limits the request itself was parsed under (spec::RequestLimits): never deeper.
  spec::JsonBody parsed = spec::read_json_body(body, spec::RequestLimits{body.size(), spec::RequestLimits{}.max_depth});
  if (parsed.state == spec::JsonBody::State::parsed) {
    mask_json(parsed.value);
    return parsed.value.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  if (body.find('=') != std::string_view::npos && body.find_first_of(" \n{<") == std::string_view::npos) {
    return mask_pairs(body, '&', is_secret_encoded_field);
  }
  return mask_json_like_text(body);
}

}  // namespace pbxmock::mock
