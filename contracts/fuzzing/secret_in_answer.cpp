#include "contracts/fuzzing/secret_in_answer.h"

#include <algorithm>
#include <functional>

#include "spec/ascii.h"
#include "spec/url_encoding.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

// The top-level keys under which an answer hands out a secret of its own.
constexpr std::string_view kIssuingKeys[] = {"access_token", "refresh_token", "token", "reset_token"};

bool is_password_field(std::string_view name) { return spec::ascii::lower(name).find("password") != std::string::npos; }

void add(std::vector<Secret>& secrets, std::string value, std::string what, std::ptrdiff_t issued_by) {
  if (value.size() < kMinSecretLength) return;
  const bool known = std::any_of(secrets.begin(), secrets.end(), [&](const Secret& s) { return s.value == value; });
  if (!known) secrets.push_back({std::move(value), std::move(what), issued_by});
}

void password_values(const json& value, std::vector<std::string>& out, int depth = 0) {
  if (depth > 16) return;
  if (value.is_object()) {
    for (const auto& [name, item] : value.items()) {
      if (item.is_string() && is_password_field(name)) out.push_back(item.get<std::string>());
      password_values(item, out, depth + 1);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) password_values(item, out, depth + 1);
  }
}

void password_pairs(std::string_view encoded, std::vector<std::string>& out) {
  auto pairs = spec::parse_url_encoded(encoded);
  if (!pairs) return;
  for (auto& [name, value] : pairs.value()) {
    if (is_password_field(name)) out.push_back(std::move(value));
  }
}

// The values this answer issues itself, which it may of course carry.
std::vector<std::string> issued_values(const Response& response) {
  std::vector<std::string> out;
  if (!response.json || !response.json->is_object()) return out;
  for (const std::string_view key : kIssuingKeys) {
    const auto it = response.json->find(key);
    if (it != response.json->end() && it->is_string()) out.push_back(it->get<std::string>());
  }
  return out;
}

// Where in the answer the secret is: "the body", "header Location", or "" when nowhere.
std::string where_held(const Response& response, std::string_view secret) {
  if (holds_secret(response.body, secret)) return "the body";
  // A JSON string escapes some characters; its value is what a reader sees.
  if (response.json) {
    std::string found;
    const std::function<void(const json&, int)> walk = [&](const json& value, int depth) {
      if (!found.empty() || depth > 32) return;
      if (value.is_string() && holds_secret(value.get_ref<const std::string&>(), secret)) found = "the body";
      if (value.is_structured()) {
        for (const auto& item : value) walk(item, depth + 1);
      }
    };
    walk(*response.json, 0);
    if (!found.empty()) return found;
  }
  for (const auto& [name, value] : response.headers) {
    if (holds_secret(value, secret)) return "header " + name;
    // A Location or a cookie carries it percent-encoded.
    if (auto decoded = spec::percent_decode(value, spec::PlusIs::space); decoded && holds_secret(decoded.value(), secret)) {
      return "header " + name;
    }
  }
  return "";
}

std::string masked(std::string_view secret) {
  // The report shows enough to recognise the value, not the whole of a password.
  return std::string(secret.substr(0, 3)) + std::string(secret.size() - 3, '*');
}

}  // namespace

bool holds_secret(std::string_view text, std::string_view secret) {
  if (secret.empty()) return false;
  for (std::size_t at = text.find(secret); at != std::string_view::npos; at = text.find(secret, at + 1)) {
    const bool starts = at == 0 || !spec::ascii::is_alnum(text[at - 1]);
    const std::size_t end = at + secret.size();
    const bool ends = end == text.size() || !spec::ascii::is_alnum(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

std::vector<Secret> known_secrets(const SessionPlan& session) {
  std::vector<Secret> out;
  for (const Step& step : session.sign_in) {
    std::vector<std::string> passwords;
    if (step.parts.encoding == BodyEncoding::json || step.parts.encoding == BodyEncoding::form) {
      password_values(step.parts.body, passwords);
    }
    for (const auto& [name, value] : step.parts.query) {
      if (is_password_field(name)) passwords.push_back(value);
    }
    for (std::string& password : passwords) {
      // A value filled in from an earlier step is not known before the run.
      if (password.find("${") == std::string::npos) add(out, std::move(password), "the account's password", -1);
    }
  }
  return out;
}

void learn_sent(std::size_t index, const HttpRequest& request, std::vector<Secret>& secrets) {
  std::vector<std::string> passwords;
  if (const auto query = request.path.find('?'); query != std::string::npos) {
    password_pairs(std::string_view(request.path).substr(query + 1), passwords);
  }
  if (!request.body.empty()) {
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_discarded()) {
      password_values(body, passwords);
    } else if (request.body.find('=') != std::string::npos) {
      password_pairs(request.body, passwords);
    }
  }
  (void)index;  // a password sent is no answer's to carry, its own request's answer included
  for (std::string& password : passwords) add(secrets, std::move(password), "a password the run sent", -1);
}

void learn_issued(std::size_t index, const Response& response, std::vector<Secret>& secrets) {
  if (!response.json || !response.json->is_object()) return;
  for (const std::string_view key : kIssuingKeys) {
    const auto it = response.json->find(key);
    if (it == response.json->end() || !it->is_string()) continue;
    add(secrets, it->get<std::string>(), "the " + std::string(key) + " step " + std::to_string(index + 1) + " was issued",
        static_cast<std::ptrdiff_t>(index));
  }
}

void learn_mailbox(std::size_t index, const std::vector<std::pair<std::string, std::string>>& saved,
                   std::size_t saved_before, std::vector<Secret>& secrets) {
  for (std::size_t i = saved_before; i < saved.size(); ++i) {
    add(secrets, saved[i].second, "a value from the mailbox (" + saved[i].first + ")", static_cast<std::ptrdiff_t>(index));
  }
}

std::optional<Verdict> judge_secret_in_answer(const Answer& answer) {
  if (answer.secrets.empty()) return Verdict{true, "no secret in the answer", answer.seen()};
  const std::vector<std::string> own = issued_values(answer.response);
  for (const Secret& secret : answer.secrets) {
    if (secret.issued_by == static_cast<std::ptrdiff_t>(answer.index)) continue;
    if (std::find(own.begin(), own.end(), secret.value) != own.end()) continue;
    const std::string where = where_held(answer.response, secret.value);
    if (where.empty()) continue;
    return Verdict{false, "no password, mailed code or token the answer did not issue",
                   std::to_string(answer.response.status) + ": " + where + " carries " + secret.what + " (" +
                       masked(secret.value) + ")"};
  }
  return Verdict{true, "no secret in the answer", answer.seen()};
}

}  // namespace pbxmock::contracts::fuzzing
