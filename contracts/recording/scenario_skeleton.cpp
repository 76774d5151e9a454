#include "contracts/recording/scenario_skeleton.h"

#include <map>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "contracts/recording/token_trail.h"
#include "spec/request_view.h"
#include "spec/url_encoding.h"

namespace pbxmock::contracts::recording {
namespace {

using nlohmann::json;

constexpr std::string_view kSystemKeys[] = {"web_domain",  "private_ipv4", "public_ipv4",        "enable_ipv6",
                                            "private_ipv6", "public_ipv6", "primary_dns_server", "secondary_dns_server"};
constexpr std::string_view kTenantKeys[] = {"name", "website", "avatar_url", "enable_ms365_integration",
                                            "ms365_authorization_endpoint"};

struct User {
  std::string username;
  std::optional<std::string> role;
  bool two_factor = false;
};

// Users in the order they first signed in, found by name without a search through all of them.
struct Users {
  std::vector<User> list;
  std::map<std::string, std::size_t> index;  // username -> position in list
};

struct Tenant {
  json metadata = json::object();  // the kTenantKeys seen
  Users users;
};

struct Seen {
  json system = json::object();
  std::optional<long long> access_token_lifetime;
  std::map<std::string, Tenant> tenants;  // by domain as written
  Users admins;
  std::map<std::string, std::pair<std::string, std::size_t>> user_of_token;  // token -> (domain, user index)
};

std::string operation_of(const SpecChecker& checker, const ExchangeRequest& request) {
  const auto found = checker.lookup(request.method, spec::split_target(request.target).path);
  return found.kind == OperationLookup::Kind::found ? found.operation->operation_id : std::string();
}

std::string query_value(const ExchangeRequest& request, std::string_view name) {
  if (auto pairs = spec::parse_url_encoded(spec::split_target(request.target).query)) {
    for (const auto& [n, v] : *pairs)
      if (n == name) return v;
  }
  return "";
}

void copy_keys(const json& from, json& to, const std::string_view* begin, const std::string_view* end) {
  for (auto key = begin; key != end; ++key) {
    const auto it = from.find(std::string(*key));
    // The scenario's switches are booleans and the rest strings: a value of another kind (an
    // answer that broke the spec) would make a file that does not load.
    const bool wants_boolean = key->substr(0, 7) == "enable_";
    if (it != from.end() && (wants_boolean ? it->is_boolean() : it->is_string())) to[std::string(*key)] = *it;
  }
}

User& user_in(Users& users, const std::string& username, std::size_t& index) {
  const auto [it, added] = users.index.emplace(username, users.list.size());
  if (added) users.list.push_back({username, std::nullopt, false});
  index = it->second;
  return users.list[index];
}

void see_sign_in(Seen& seen, const Exchange& e, const json& answer) {
  const RequestBody body = read_request_body(e.request);
  if (body.kind != RequestBody::Kind::json || !body.json.is_object()) return;
  const auto username = body.json.find("username");
  if (username == body.json.end() || !username->is_string()) return;
  const auto domain_it = body.json.find("domain");
  const std::string domain = domain_it != body.json.end() && domain_it->is_string() ? domain_it->get<std::string>() : "";
  std::size_t index = 0;
  User& user = domain.empty() ? user_in(seen.admins, username->get<std::string>(), index)
                              : user_in(seen.tenants[domain].users, username->get<std::string>(), index);
  const auto challenge = answer.find("two_factor_enabled");
  if (challenge != answer.end() && challenge->is_boolean() && challenge->get<bool>()) user.two_factor = true;
  for (const char* key : {"access_token", "token"}) {
    const auto token = answer.find(key);
    if (token != answer.end() && token->is_string()) seen.user_of_token[token->get<std::string>()] = {domain, index};
  }
  const auto lifetime = answer.find("expires_in");
  if (lifetime != answer.end() && lifetime->is_number_integer()) seen.access_token_lifetime = lifetime->get<long long>();
}

void see_role(Seen& seen, const Exchange& e, const json& answer) {
  const auto token = bearer_token(e.request);
  const auto role = answer.find("role");
  if (!token || role == answer.end() || !role->is_string()) return;
  const auto it = seen.user_of_token.find(*token);
  if (it == seen.user_of_token.end()) return;
  const auto& [domain, index] = it->second;
  auto& users = domain.empty() ? seen.admins.list : seen.tenants[domain].users.list;
  if (index < users.size()) users[index].role = role->get<std::string>();
}

Seen gather(const std::vector<Exchange>& exchanges, const SpecChecker& checker) {
  Seen seen;
  for (const Exchange& e : exchanges) {
    if (e.response.status < 200 || e.response.status > 299) continue;
    const json answer = parse_json_body(e.response.body);
    if (!answer.is_object()) continue;
    const std::string operation = operation_of(checker, e.request);
    if (operation == "retrieveMetadata") {
      copy_keys(answer, seen.system, std::begin(kSystemKeys), std::end(kSystemKeys));
      const std::string domain = query_value(e.request, "domain");
      if (!domain.empty()) copy_keys(answer, seen.tenants[domain].metadata, std::begin(kTenantKeys), std::end(kTenantKeys));
    } else if (operation == "signInWithCredentials" || operation == "login") {
      see_sign_in(seen, e, answer);
    } else if (operation == "verifyOTP") {
      const auto token = answer.find("access_token");
      // The two-factor token (sent in the request) belongs to the user who signed in.
      const RequestBody body = read_request_body(e.request);
      if (token != answer.end() && token->is_string() && body.kind == RequestBody::Kind::json) {
        const auto session = body.json.find("token");
        if (session != body.json.end() && session->is_string()) {
          const auto it = seen.user_of_token.find(session->get<std::string>());
          if (it != seen.user_of_token.end()) seen.user_of_token[token->get<std::string>()] = it->second;
        }
      }
    } else if (operation == "getUserAuthInfo" || operation == "getLoginStatus") {
      see_role(seen, e, answer);
    }
  }
  return seen;
}

void emit_value(YAML::Emitter& out, const json& value) {
  if (value.is_boolean()) {
    out << value.get<bool>();
  } else {
    out << YAML::DoubleQuoted << value.get<std::string>();
  }
}

void emit_users(YAML::Emitter& out, const std::vector<User>& users) {
  out << YAML::BeginSeq;
  for (const User& user : users) {
    out << YAML::BeginMap << YAML::Key << "username" << YAML::Value << YAML::DoubleQuoted << user.username;
    out << YAML::Key << "password" << YAML::Value << YAML::Null << YAML::Comment("fill in");
    if (user.role) out << YAML::Key << "role" << YAML::Value << *user.role;
    if (user.two_factor) {
      out << YAML::Key << "two_factor" << YAML::Value << true;
      out << YAML::Key << "email" << YAML::Value << YAML::Null << YAML::Comment("fill in: where codes go");
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

}  // namespace

std::string write_scenario_skeleton(const std::vector<Exchange>& exchanges, const SpecChecker& checker) {
  const Seen seen = gather(exchanges, checker);
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::Comment("Scenario skeleton recorded by pbxmock from " + std::to_string(exchanges.size()) +
                       " exchanges. Fill in every `password: ~` (and `email: ~`), then check it with "
                       "`pbxmock lint` and serve it with `pbxmock serve --scenario`.");
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << "recorded";
  out << YAML::Key << "description" << YAML::Value << "What a recorded session showed of a PBX.";
  if (!seen.system.empty()) {
    out << YAML::Key << "system" << YAML::Value << YAML::BeginMap;
    for (const auto& [key, value] : seen.system.items()) {
      out << YAML::Key << key << YAML::Value;
      emit_value(out, value);
    }
    out << YAML::EndMap;
  }
  if (seen.access_token_lifetime) {
    out << YAML::Key << "tokens" << YAML::Value << YAML::BeginMap << YAML::Key << "access_token_lifetime"
        << YAML::Value << *seen.access_token_lifetime << YAML::EndMap;
  }
  if (!seen.admins.list.empty()) {
    out << YAML::Key << "system_admins" << YAML::Value;
    emit_users(out, seen.admins.list);
  }
  if (!seen.tenants.empty()) {
    out << YAML::Key << "tenants" << YAML::Value << YAML::BeginSeq;
    for (const auto& [domain, tenant] : seen.tenants) {
      out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted
          << tenant.metadata.value("name", domain);
      out << YAML::Key << "domain" << YAML::Value << YAML::DoubleQuoted << domain;
      for (const auto& [key, value] : tenant.metadata.items()) {
        if (key == "name") continue;
        out << YAML::Key << key << YAML::Value;
        emit_value(out, value);
      }
      out << YAML::Key << "users" << YAML::Value;
      emit_users(out, tenant.users.list);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace pbxmock::contracts::recording
