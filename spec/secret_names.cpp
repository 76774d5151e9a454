#include "spec/secret_names.h"

#include <string>

#include "spec/ascii.h"

namespace pbxmock::spec {

bool is_secret_name(std::string_view name) {
  const std::string lower = ascii::lower(name);
  static constexpr std::string_view kSecretParts[] = {
      "password", "passwd",      "token",       "secret",     "otp",       "authorization", "cookie",
      "admin-key", "api_key",    "api-key",     "apikey",     "private_key", "private-key", "credential",
      "signature", "session_id", "sessionid",   "sessid"};
  for (const std::string_view part : kSecretParts)
    if (lower.find(part) != std::string::npos) return true;
  return false;
}

bool is_secret_field(std::string_view name) {
  if (is_secret_name(name)) return true;
  const std::string lower = ascii::lower(name);
  static constexpr std::string_view kShortSecrets[] = {"code", "auth_code", "verification_code", "device_code",
                                                       "user_code", "pin", "pwd", "sig"};
  for (const std::string_view exact : kShortSecrets)
    if (lower == exact) return true;
  return false;
}

bool is_one_time_code(std::string_view key, const nlohmann::json& value) {
  if (key != "code" || !value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace pbxmock::spec
