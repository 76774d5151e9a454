#include "mock/admin/secret_mask.h"

#include <nlohmann/json.hpp>

#include "spec/ascii.h"
#include "spec/secret_names.h"

namespace pbxmock::mock {
namespace {

using nlohmann::json;

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

// The list lives in spec/ so the contract recorder, which cannot include mock/, uses the same one.
bool is_secret_name(std::string_view name) { return spec::is_secret_name(name); }

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
