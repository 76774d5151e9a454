#include "contracts/fuzzing/auth_file.h"

#include <algorithm>

#include "contracts/contract_loader.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

// The last segment of a JSON Pointer ("/data/access_token" -> "access_token").
std::string last_segment(const std::string& pointer) {
  const auto slash = pointer.rfind('/');
  return slash == std::string::npos ? pointer : pointer.substr(slash + 1);
}

// The account the variables name: nullopt without username and password; an error when one
// of the account's variables cannot be evaluated.
Result<std::optional<FuzzAccount>, std::string> account_of(const ContractFile& file, const Variables& variables,
                                                           std::vector<EnvUse>* used) {
  auto defined = [&](std::string_view name) {
    return std::any_of(file.variables.begin(), file.variables.end(), [&](const auto& v) { return v.first == name; });
  };
  if (!defined("username") || !defined("password")) return std::optional<FuzzAccount>();
  FuzzAccount account;
  const std::pair<const char*, std::string*> fields[] = {{"username", &account.username},
                                                         {"password", &account.password},
                                                         {"domain", &account.domain},
                                                         {"two_factor_username", &account.two_factor_username},
                                                         {"two_factor_password", &account.two_factor_password},
                                                         {"client_id", &account.client_id}};
  for (const auto& [name, field] : fields) {
    if (!defined(name)) continue;
    auto value = variables.substitute("${" + std::string(name) + "}", used);
    if (!value) return Err{"variable '" + std::string(name) + "': " + value.error()};
    *field = std::move(*value);
  }
  if (account.username.empty() || account.password.empty()) return Err{std::string("username and password must not be empty")};
  return std::optional<FuzzAccount>(std::move(account));
}

}  // namespace

Result<AuthPlan, std::string> load_auth_file(const std::string& path, const Variables::Environment& environment) {
  auto file = load_contract_file(path, false);
  if (!file) {
    std::string message;
    for (const auto& error : file.error()) message += (message.empty() ? "" : "\n") + error.to_string();
    return Err{message};
  }
  Variables variables(environment);
  variables.define_file_variables(file->variables);
  AuthPlan plan;
  // A file variable takes its environment value when it is defined: note those values here,
  // since substituting `${password}` later does not say it came from the environment.
  for (const auto& [name, value] : file->variables) {
    auto placeholders = placeholders_in(value);
    if (!placeholders) continue;
    for (const Placeholder& placeholder : *placeholders) {
      if (!placeholder.env) continue;
      if (auto text = environment(placeholder.name); text && !text->empty()) plan.env.push_back({placeholder.name, *text});
    }
  }
  auto account = account_of(*file, variables, nullptr);
  if (!account) return Err{"--auth " + path + ": " + account.error()};
  plan.account = std::move(*account);
  if (file->contracts.empty() || file->contracts.front().steps.empty()) {
    if (!plan.account) {
      return Err{"--auth " + path + ": no account (variables username and password) and no contract with steps"};
    }
    return plan;
  }
  const SaveRule* token = nullptr;
  std::size_t token_step = 0;
  const auto& steps = file->contracts.front().steps;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const contracts::Step& source = steps[i];
    const RequestTemplate& request = source.request;
    auto text = [&](const std::string& value) -> Result<std::string, std::string> {
      return variables.substitute(value, &plan.env);
    };
    Step step;
    step.operation_id.clear();  // judged by its own contract in `check`, not here
    step.intent = Intent::setup;
    RequestParts& parts = step.parts;
    parts.method = request.method;
    auto path_text = text(request.path);
    if (!path_text) return Err{path + ": step '" + source.name + "': " + path_text.error()};
    parts.path_template = *path_text;
    for (const auto& [name, value] : request.query) {
      auto v = text(value);
      if (!v) return Err{path + ": step '" + source.name + "': " + v.error()};
      parts.query.emplace_back(name, *v);
    }
    for (const auto& [name, value] : request.headers) {
      auto v = text(value);
      if (!v) return Err{path + ": step '" + source.name + "': " + v.error()};
      parts.headers.push_back({name, *v});
    }
    switch (request.body_kind) {
      case BodyKind::none:
        break;
      case BodyKind::json: {
        auto body = variables.substitute_json(request.json, &plan.env);
        if (!body) return Err{path + ": step '" + source.name + "': " + body.error()};
        parts.encoding = BodyEncoding::json;
        parts.body = std::move(*body);
        parts.content_type = "application/json";
        break;
      }
      case BodyKind::form: {
        parts.encoding = BodyEncoding::form;
        parts.body = json::object();
        for (const auto& [name, value] : request.form) {
          auto v = text(value);
          if (!v) return Err{path + ": step '" + source.name + "': " + v.error()};
          parts.body[name] = *v;
        }
        parts.content_type = "application/x-www-form-urlencoded";
        break;
      }
      case BodyKind::raw: {
        auto v = text(request.body);
        if (!v) return Err{path + ": step '" + source.name + "': " + v.error()};
        parts.encoding = BodyEncoding::raw;
        parts.raw_body = *v;
        parts.content_type = request.content_type.empty() ? "text/plain" : request.content_type;
        break;
      }
    }
    for (const SaveRule& save : source.save) {
      if (save.source != SaveRule::Source::body || save.regex) continue;  // the fuzzer reads JSON members only
      step.saves.push_back({save.name, last_segment(save.where)});
      // Later steps keep the placeholder; the fuzzer fills it in when it runs them.
      variables.set(save.name, "${" + save.name + "}");
      if (token == nullptr || save.name == "access_token" || (token->name != "access_token")) {
        token = &save;
        token_step = i;
      }
    }
    plan.session.sign_in.push_back(std::move(step));
  }
  if (token == nullptr) return Err{"--auth " + path + ": no step saves a token from a JSON answer (save: {token: /access_token})"};
  plan.session.sign_in[token_step].saves.push_back({"ACCESS_TOKEN", last_segment(token->where)});
  return plan;
}

}  // namespace pbxmock::contracts::fuzzing
