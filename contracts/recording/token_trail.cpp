#include "contracts/recording/token_trail.h"

#include "spec/ascii.h"
#include "spec/media_type.h"
#include "spec/request_view.h"
#include "spec/secret_names.h"
#include "spec/structured_document.h"
#include "spec/url_encoding.h"

namespace pbxmock::contracts::recording {
namespace {

using nlohmann::json;

constexpr std::size_t kMinTokenLength = 8;

const std::string* header_of(const std::vector<NameValue>& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (spec::ascii::iequals(n, name)) return &v;
  return nullptr;
}

void collect_tokens(const json& value, const std::string& pointer, std::vector<IssuedToken>& out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      const std::string at = spec::pointer_append(pointer, key);
      if (item.is_string() && spec::is_secret_name(key) && item.get_ref<const std::string&>().size() >= kMinTokenLength) {
        out.push_back({at, key, item.get<std::string>()});
      } else {
        collect_tokens(item, at, out);
      }
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) collect_tokens(value[i], pointer + "/" + std::to_string(i), out);
  }
}

void collect_strings(const json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_structured()) {
    for (const auto& item : value) collect_strings(item, out);
  }
}

std::string variable_name(std::string_view prefix, std::string_view field) {
  std::string out(prefix);
  for (const char c : field) out += spec::ascii::is_alnum(c) ? spec::ascii::upper(std::string_view(&c, 1))[0] : '_';
  return out;
}

}  // namespace

json parse_json_body(std::string_view text) {
  bool too_deep = false;
  // The callback sees every opening bracket: refusing past the limit stops the value growing.
  const auto guard = [&too_deep](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        static_cast<std::size_t>(depth) >= kMaxBodyDepth) {
      too_deep = true;
    }
    return !too_deep;
  };
  json parsed = json::parse(text.begin(), text.end(), guard, false);
  return too_deep ? json(json::value_t::discarded) : parsed;
}

std::vector<IssuedToken> issued_tokens(const ExchangeResponse& response) {
  std::vector<IssuedToken> out;
  const json body = parse_json_body(response.body);
  if (!body.is_discarded()) collect_tokens(body, "", out);
  return out;
}

RequestBody read_request_body(const ExchangeRequest& request) {
  RequestBody out;
  if (request.body.empty()) return out;
  const std::string* type = header_of(request.headers, "Content-Type");
  out.content_type = type ? *type : std::string();
  const auto media = type ? spec::parse_media_type(*type) : std::nullopt;
  if (media && spec::ascii::iequals(media->type, "application/x-www-form-urlencoded")) {
    if (auto pairs = spec::parse_url_encoded(request.body)) {
      out.kind = RequestBody::Kind::form;
      out.form.assign(pairs->begin(), pairs->end());
      return out;
    }
  }
  if (!media || spec::is_json_media_type(media->type)) {
    json parsed = parse_json_body(request.body);
    if (!parsed.is_discarded()) {
      out.kind = RequestBody::Kind::json;
      out.json = std::move(parsed);
      return out;
    }
  }
  out.kind = RequestBody::Kind::raw;
  return out;
}

std::optional<std::string> bearer_token(const ExchangeRequest& request) {
  const std::string* value = header_of(request.headers, "Authorization");
  if (value == nullptr) return std::nullopt;
  const auto space = value->find(' ');
  if (space == std::string::npos || !spec::ascii::iequals(value->substr(0, space), "bearer")) return std::nullopt;
  std::string token = value->substr(space + 1);
  token.erase(0, token.find_first_not_of(' '));
  return token;
}

std::vector<std::string> request_strings(const ExchangeRequest& request) {
  std::vector<std::string> out;
  if (auto token = bearer_token(request)) out.push_back(std::move(*token));
  const std::string_view query = spec::split_target(request.target).query;
  if (auto pairs = spec::parse_url_encoded(query)) {
    for (auto& [name, value] : *pairs) out.push_back(std::move(value));
  }
  const RequestBody body = read_request_body(request);
  if (body.kind == RequestBody::Kind::json) collect_strings(body.json, out);
  for (const auto& [name, value] : body.form) out.push_back(value);
  return out;
}

std::string EnvSecrets::placeholder(std::string_view field, const std::string& value) {
  if (auto found = known(value)) return *found;
  const std::string base = variable_name(prefix_, field.empty() ? "secret" : field);
  // The first free of base, base_2, base_3, ...; a name once taken stays taken, so the search
  // resumes where it last stopped (many passwords of one field made it quadratic per name).
  int& n = next_suffix_.emplace(base, 1).first->second;
  std::string name = n == 1 ? base : base + "_" + std::to_string(n);
  while (taken_.count(name)) name = base + "_" + std::to_string(++n);
  taken_.insert(name);
  names_.push_back(name);
  return by_value_[value] = "${env." + name + "}";
}

std::optional<std::string> EnvSecrets::known(const std::string& value) const {
  const auto it = by_value_.find(value);
  if (it == by_value_.end()) return std::nullopt;
  return it->second;
}

bool EnvSecrets::appears_in(std::string_view text) const {
  for (const auto& [value, placeholder] : by_value_)
    if (!value.empty() && text.find(value) != std::string_view::npos) return true;
  return false;
}

}  // namespace pbxmock::contracts::recording
