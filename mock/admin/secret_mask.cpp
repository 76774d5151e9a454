#include "mock/admin/secret_mask.h"

#include <nlohmann/json.hpp>

#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

using nlohmann::json;

// "code" is a one-time code when it holds digits; the error bodies' "code" is a word
// (UNAUTHORIZED) and stays readable.
bool is_one_time_code(std::string_view key, const json& value) {
  if (key != "code" || !value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

void mask_json(json& value) {
  if (value.is_object()) {
    for (auto& [key, item] : value.items()) {
      if ((is_secret_name(key) || is_one_time_code(key, item)) && !item.is_null()) {
        item = std::string(kMasked);
      } else {
        mask_json(item);
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) mask_json(item);
  }
}

// a=b&c=d with the secret fields' values replaced; the names and order kept.
std::string mask_form(std::string_view body) {
  std::string out;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (!out.empty()) out += '&';
    if (eq != std::string_view::npos && is_secret_name(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1)).append(kMasked);
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace

bool is_secret_name(std::string_view name) {
  const std::string lower = spec::ascii::lower(name);
  static constexpr std::string_view kSecretParts[] = {"password", "token", "secret", "otp",
                                                      "authorization", "cookie", "admin-key", "api_key", "apikey"};
  for (const std::string_view part : kSecretParts)
    if (lower.find(part) != std::string::npos) return true;
  return false;
}

std::string masked_header(std::string_view name, std::string_view value) {
  if (!is_secret_name(name)) return std::string(value);
  const std::size_t space = value.find(' ');
  if (spec::ascii::iequals(name, "authorization") && space != std::string_view::npos) {
    return std::string(value.substr(0, space + 1)) + std::string(kMasked);
  }
  return std::string(kMasked);
}

std::string masked_body(std::string_view body) {
  if (body.empty()) return {};
  json parsed = json::parse(body, nullptr, false);
  if (!parsed.is_discarded()) {
    mask_json(parsed);
    return parsed.dump(2, ' ', false, json::error_handler_t::replace);
  }
  if (body.find('=') != std::string_view::npos && body.find_first_of(" \n{<") == std::string_view::npos) {
    return mask_form(body);
  }
  return std::string(body);
}

}  // namespace pbxmock::mock
