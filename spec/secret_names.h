#pragma once
// Which fields and headers carry a secret: passwords, tokens, one-time codes, keys, cookies
// and Authorization. One list for everything that must not show or write one out: the mock's
// request journal (mock/admin/secret_mask) and the recorder of contracts (contracts/recording).
#include <string_view>

#include <nlohmann/json.hpp>

namespace pbxmock::spec {

// By what the name contains, without regard to case ("refresh_token", "X-Admin-Key", "otp").
bool is_secret_name(std::string_view name);

// A query or form field that is secret whatever its value: a secret name, or a short one that
// names a code, PIN or signature ("code", "pin", "pwd", "sig").
bool is_secret_field(std::string_view name);

// A "code" that holds digits is a one-time code; the error bodies' "code" is a word
// (UNAUTHORIZED) and is not a secret.
bool is_one_time_code(std::string_view key, const nlohmann::json& value);

}  // namespace pbxmock::spec
