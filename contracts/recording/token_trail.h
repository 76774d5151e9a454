#pragma once
// The secrets of recorded exchanges: the tokens answers issue (and where), the strings a
// request carries (to find which token it sends), and the environment variables that stand in
// for secrets no answer issued (passwords, one-time codes, reset tokens from an e-mail).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/exchange.h"

namespace pbxmock::contracts::recording {

struct IssuedToken {
  std::string pointer;  // in the answer's JSON body
  std::string key;      // the member's name ("access_token")
  std::string value;
};

// Bodies nested deeper are not read as JSON: a contract file must hold a request's body within
// the loader's depth limit, and the recorder walks bodies recursively.
constexpr std::size_t kMaxBodyDepth = 64;

// A request's or answer's body as JSON, or a discarded value when it is not JSON or is nested
// more than kMaxBodyDepth levels.
nlohmann::json parse_json_body(std::string_view text);

// String members with a secret's name (spec/secret_names.h) in a JSON answer, 8 characters or
// more (shorter ones are not worth following), depth first in document order.
std::vector<IssuedToken> issued_tokens(const ExchangeResponse& response);

// The request's body as the recorder reads it: JSON, a form, or neither.
struct RequestBody {
  enum class Kind { none, json, form, raw } kind = Kind::none;
  nlohmann::json json;
  std::vector<NameValue> form;  // decoded
  std::string content_type;     // as sent, for raw
};
RequestBody read_request_body(const ExchangeRequest& request);

// The bearer token of an Authorization header ("Bearer X" -> X), if any.
std::optional<std::string> bearer_token(const ExchangeRequest& request);

// Every string the request carries where a token may travel: the bearer token, decoded query
// values, form values, and the JSON body's string members at any depth.
std::vector<std::string> request_strings(const ExchangeRequest& request);

// Secrets that come from the environment: one variable per distinct value, named from the
// field it was first seen in ("password" -> PBX_PASSWORD, a second password PBX_PASSWORD_2).
class EnvSecrets {
 public:
  explicit EnvSecrets(std::string prefix = "PBX_") : prefix_(std::move(prefix)) {}

  // "${env.PBX_PASSWORD}" for this value, naming a new variable the first time.
  std::string placeholder(std::string_view field, const std::string& value);
  // The placeholder of a value already named, if it is one.
  std::optional<std::string> known(const std::string& value) const;
  // Whether a secret already named occurs in the text.
  bool appears_in(std::string_view text) const;
  // The variables in the order named.
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::string prefix_;
  std::map<std::string, std::string> by_value_;
  std::vector<std::string> names_;
  std::set<std::string> taken_;               // names_, to look up
  std::map<std::string, int> next_suffix_;    // base name -> the last suffix tried (1: none)
};

}  // namespace pbxmock::contracts::recording
