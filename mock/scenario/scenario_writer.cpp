#include "mock/scenario/scenario_writer.h"

#include <cmath>

namespace pbxmock::mock {
namespace {

using nlohmann::json;

json account_to_json(const Account& account, bool tenant_user) {
  json out = {{"username", account.username},
              {"password", account.password},
              {"role", account.role},
              {"two_factor", account.two_factor},
              {"password_force_reset", account.password_force_reset}};
  // "" means "not given" for both; the loader refuses an empty address.
  if (!account.email.empty()) out["email"] = account.email;
  if (tenant_user && !account.microsoft.empty()) out["microsoft"] = account.microsoft;
  return out;
}

json accounts_to_json(const std::vector<Account>& accounts, bool tenant_users) {
  json out = json::array();
  for (const auto& account : accounts) out.push_back(account_to_json(account, tenant_users));
  return out;
}

json tenant_to_json(const Tenant& tenant) {
  json out = {{"name", tenant.name},
              {"domain", tenant.domain},
              {"website", tenant.website},
              {"avatar_url", tenant.avatar_url},
              {"enable_two_factor_authentication", tenant.enable_two_factor_authentication},
              {"enable_ms365_integration", tenant.enable_ms365_integration},
              {"users", accounts_to_json(tenant.users, true)}};
  if (tenant.ms365_authorization_endpoint) out["ms365_authorization_endpoint"] = *tenant.ms365_authorization_endpoint;
  return out;
}

json matcher_to_json(const ValueMatcher& matcher) {
  switch (matcher.kind) {
    case ValueMatcher::Kind::regex:
      return {{"regex", matcher.pattern}};
    case ValueMatcher::Kind::present:
      return {{"present", matcher.present}};
    case ValueMatcher::Kind::equals:
      break;
  }
  return {{"equals", matcher.expected}};
}

json conditions_to_json(const std::vector<std::pair<std::string, ValueMatcher>>& conditions) {
  json out = json::object();
  for (const auto& [name, matcher] : conditions) out[name] = matcher_to_json(matcher);
  return out;
}

json match_to_json(const RuleMatch& match) {
  json out = json::object();
  if (match.operation) out["operation"] = *match.operation;
  if (match.method) out["method"] = *match.method;
  if (match.path) out["path"] = match.path->regex ? json{{"regex", match.path->pattern}} : json(match.path->exact);
  if (!match.query.empty()) out["query"] = conditions_to_json(match.query);
  if (!match.headers.empty()) out["headers"] = conditions_to_json(match.headers);
  if (!match.body.empty()) out["body"] = conditions_to_json(match.body);
  return out;
}

json delay_to_json(const DelaySpec& delay) {
  switch (delay.kind) {
    case DelaySpec::Kind::uniform:
      return {{"uniform_ms", {delay.min_ms, delay.max_ms}}};
    case DelaySpec::Kind::lognormal:
      return {{"lognormal", {{"median_ms", delay.median_ms}, {"sigma", delay.sigma}}}};
    case DelaySpec::Kind::fixed:
      break;
  }
  return {{"fixed_ms", delay.fixed_ms}};
}

json respond_to_json(const ApiResponse& response) {
  json headers = json::object();
  for (const auto& [name, value] : response.headers) headers[name] = value;
  // Always written: the loader's default depends on the kind of body.
  headers["Content-Type"] = response.content_type;
  json out = {{"status", response.status}, {"headers", headers}};
  if (!response.body.is_null()) {
    out["body"] = response.body;
  } else if (!response.raw_body.empty()) {
    out["body"] = response.raw_body;
  }
  return out;
}

json rule_to_json(const Rule& rule) {
  json out = {{"name", rule.name}, {"match", match_to_json(rule.match)}};
  if (rule.times) out["times"] = *rule.times;
  if (!rule.scenario.empty()) out["scenario"] = rule.scenario;
  if (!rule.required_state.empty()) out["required_state"] = rule.required_state;
  if (!rule.new_state.empty()) out["new_state"] = rule.new_state;
  if (rule.delay) out["delay"] = delay_to_json(*rule.delay);
  if (rule.respond) out["respond"] = respond_to_json(*rule.respond);
  if (rule.fault) out["fault"] = std::string(to_string(*rule.fault));
  return out;
}

bool all_finite(const json& value) {
  if (value.is_number_float()) return std::isfinite(value.get<double>());
  if (value.is_structured()) {
    for (const auto& item : value) {
      if (!all_finite(item)) return false;
    }
  }
  return true;
}

}  // namespace

json scenario_to_json(const Scenario& scenario) {
  const SystemMetadata& system = scenario.system;
  const TokenLifetimes& tokens = scenario.tokens;
  json tenants = json::array();
  for (const auto& tenant : scenario.tenants) tenants.push_back(tenant_to_json(tenant));
  json identity_provider = {{"sign_in_url", scenario.identity_provider.sign_in_url}};
  if (!scenario.identity_provider.error.empty()) identity_provider["error"] = scenario.identity_provider.error;
  if (!scenario.identity_provider.error_description.empty())
    identity_provider["error_description"] = scenario.identity_provider.error_description;
  json rules = json::array();
  for (const auto& rule : scenario.rules) rules.push_back(rule_to_json(rule));
  return {
      {"name", scenario.name},
      {"description", scenario.description},
      {"system",
       {{"web_domain", system.web_domain},
        {"private_ipv4", system.private_ipv4},
        {"public_ipv4", system.public_ipv4},
        {"enable_ipv6", system.enable_ipv6},
        {"private_ipv6", system.private_ipv6},
        {"public_ipv6", system.public_ipv6},
        {"primary_dns_server", system.primary_dns_server},
        {"secondary_dns_server", system.secondary_dns_server}}},
      {"tokens",
       {{"access_token_lifetime", tokens.access.count()},
        {"refresh_token_lifetime", tokens.refresh.count()},
        {"two_factor_session_lifetime", tokens.two_factor_session.count()},
        {"two_factor_max_attempts", tokens.two_factor_max_attempts},
        {"reset_token_lifetime", tokens.reset_token.count()}}},
      {"system_admins", accounts_to_json(scenario.system_admins, false)},
      {"tenants", tenants},
      {"identity_provider", identity_provider},
      {"oauth", {{"client_ids", scenario.oauth.client_ids}}},
      {"rules", rules},
  };
}

Result<std::string, std::string> write_scenario(const Scenario& scenario) {
  const json document = scenario_to_json(scenario);
  if (!all_finite(document)) return Err{std::string("a rule holds a number JSON cannot write (.inf or .nan)")};
  try {
    return document.dump(2) + "\n";
  } catch (const json::type_error& e) {
    // dump's only refusal: a string that is not UTF-8 (error 316).
    return Err{std::string("the scenario holds text that is not UTF-8: ") + e.what()};
  }
}

}  // namespace pbxmock::mock
