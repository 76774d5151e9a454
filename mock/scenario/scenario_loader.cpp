#include "mock/scenario/scenario_loader.h"

#include <algorithm>
#include <map>

#include "mock/rules/rule_loader.h"
#include "mock/text.h"
#include "spec/ascii.h"
#include "spec/document_reader.h"
#include "spec/domain.h"
#include "spec/regular_file.h"
#include "spec/username.h"

namespace pbxmock::mock {
namespace {

using spec::FieldReader;
using spec::FirstSeen;
using spec::report;
using spec::SourceErrors;

constexpr std::int64_t kMaxLifetimeSeconds = 10LL * 365 * 24 * 3600;  // ten years: no overflow, no surprise
constexpr std::size_t kMaxRoleLength = 64;

enum class AccountKind { tenant_user, system_admin };

bool is_scenario_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// local@host with a host name the domain parser accepts: enough to catch typos; the mock
// never sends mail, so RFC 5322's corners do not matter here.
bool is_email_like(std::string_view text) {
  const std::size_t at = text.find('@');
  if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : text.substr(0, at))
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return false;
  const auto host = spec::parse_domain(text.substr(at + 1));
  return host && host->kind == spec::DomainKind::host_name;
}

std::string describe(spec::UsernameError error) {
  return std::string(spec::to_string(error.rule)) + " at " + std::to_string(error.position);
}

std::string describe(spec::DomainError error) {
  return std::string(spec::to_string(error.rule)) + " at " + std::to_string(error.position);
}

class ScenarioReader {
 public:
  ScenarioReader(const spec::StructuredDocument& document, SourceErrors& errors) : document_(document), errors_(errors) {}

  Scenario read() {
    Scenario scenario;
    scenario.file = document_.file();
    FieldReader top(document_, "", errors_);
    if (!top.is_mapping()) return scenario;
    if (auto name = top.string("name", true)) {
      if (is_scenario_name(*name)) {
        scenario.name = *name;
      } else {
        top.error("name", "a scenario name is 1..64 of a-z 0-9 _ - (it names the scenario on the command line)");
      }
    }
    scenario.description = top.string("description").value_or("");
    if (top.get("system") != nullptr) read_system(top.pointer_of("system"), scenario.system);
    if (top.get("tokens") != nullptr) read_tokens(top.pointer_of("tokens"), scenario.tokens);
    if (const nlohmann::json* admins = top.list("system_admins")) {
      read_accounts(*admins, top.pointer_of("system_admins"), AccountKind::system_admin, scenario.system_admins);
    }
    if (const nlohmann::json* tenants = top.list("tenants")) read_tenants(*tenants, top.pointer_of("tenants"), scenario.tenants);
    if (top.get("identity_provider") != nullptr)
      read_identity_provider(top.pointer_of("identity_provider"), scenario.identity_provider);
    if (top.get("oauth") != nullptr) read_oauth(top.pointer_of("oauth"), scenario.oauth);
    if (const nlohmann::json* rules = top.list("rules")) scenario.rules = read_rules(document_, top.pointer_of("rules"), *rules, errors_);
    top.finish();
    return scenario;
  }

 private:
  void read_system(const std::string& pointer, SystemMetadata& system) {
    FieldReader fields(document_, pointer, errors_);
    system.web_domain = address(fields, "web_domain", std::nullopt);
    system.private_ipv4 = address(fields, "private_ipv4", spec::DomainKind::ipv4);
    system.public_ipv4 = address(fields, "public_ipv4", spec::DomainKind::ipv4);
    system.enable_ipv6 = fields.boolean("enable_ipv6").value_or(true);
    system.private_ipv6 = address(fields, "private_ipv6", spec::DomainKind::ipv6);
    system.public_ipv6 = address(fields, "public_ipv6", spec::DomainKind::ipv6);
    system.primary_dns_server = address(fields, "primary_dns_server", spec::DomainKind::host_name);
    system.secondary_dns_server = address(fields, "secondary_dns_server", spec::DomainKind::host_name);
    fields.finish();
  }

  // A host name or address, checked by the domain parser and kept as written; "" is allowed
  // (the field is then answered empty). `kind`: ipv4 or ipv6 must be that kind; host_name
  // here means "an IP address of either kind" (DNS servers); nullopt takes any form.
  static std::string address(FieldReader& fields, std::string_view key, std::optional<spec::DomainKind> kind) {
    const auto text = fields.string(key);
    if (!text || text->empty()) return text.value_or("");
    const auto parsed = spec::parse_domain(*text);
    if (!parsed) {
      fields.error(key, "invalid address: " + describe(parsed.error()));
      return {};
    }
    if (kind == spec::DomainKind::ipv4 && parsed->kind != spec::DomainKind::ipv4) {
      fields.error(key, "expected an IPv4 address such as 10.0.0.20");
    } else if (kind == spec::DomainKind::ipv6 && parsed->kind != spec::DomainKind::ipv6) {
      fields.error(key, "expected an IPv6 address such as fd00::20");
    } else if (kind == spec::DomainKind::host_name && parsed->kind == spec::DomainKind::host_name) {
      fields.error(key, "expected an IP address such as 10.0.0.2");
    }
    return *text;
  }

  void read_tokens(const std::string& pointer, TokenLifetimes& tokens) {
    FieldReader fields(document_, pointer, errors_);
    const auto seconds = [&](std::string_view key, std::chrono::seconds& out) {
      if (fields.has(key) && fields.get(key)->is_number_integer() && fields.get(key)->get<std::int64_t>() <= 0) {
        fields.error(key, "a lifetime is a positive number of seconds, got " + fields.get(key)->dump());
        return;
      }
      if (const auto n = fields.integer(key, 1, kMaxLifetimeSeconds)) out = std::chrono::seconds(*n);
    };
    seconds("access_token_lifetime", tokens.access);
    seconds("refresh_token_lifetime", tokens.refresh);
    seconds("two_factor_session_lifetime", tokens.two_factor_session);
    seconds("reset_token_lifetime", tokens.reset_token);
    if (const auto attempts = fields.integer("two_factor_max_attempts", 1, 1000)) tokens.two_factor_max_attempts = static_cast<int>(*attempts);
    fields.finish();
  }

  void read_identity_provider(const std::string& pointer, IdentityProviderSettings& settings) {
    FieldReader fields(document_, pointer, errors_);
    if (const auto url = fields.string("sign_in_url")) {
      if ((!url->empty() && url->front() == '/') || url->find("://") != std::string::npos) {
        settings.sign_in_url = *url;
      } else {
        fields.error("sign_in_url", "expected a path such as /__idp/authorize or an absolute URL");
      }
    }
    if (const auto error = fields.string("error")) {
      if (*error == "access_denied") {
        settings.error = *error;
      } else {
        fields.error("error", "the stand-in identity provider can only refuse with access_denied");
      }
    }
    settings.error_description = fields.string("error_description").value_or("");
    if (!settings.error_description.empty() && settings.error.empty())
      fields.error("error_description", "error_description goes with error: access_denied");
    fields.finish();
  }

  // oauth: {client_ids: [...]}: client ids POST /api/login/oauth/token accepts besides the
  // developer guide's.
  void read_oauth(const std::string& pointer, OAuthSettings& settings) {
    FieldReader fields(document_, pointer, errors_);
    if (const nlohmann::json* ids = fields.list("client_ids")) {
      for (std::size_t i = 0; i < ids->size(); ++i) {
        const nlohmann::json& id = (*ids)[i];
        const std::string at = fields.pointer_of("client_ids") + "/" + std::to_string(i);
        if (!id.is_string()) {
          report_type(document_, errors_, at, "a string", id);
        } else if (id.get<std::string>().empty()) {
          report(document_, errors_, at, "a client id cannot be empty");
        } else {
          settings.client_ids.push_back(id.get<std::string>());
        }
      }
    }
    fields.finish();
  }

  void read_tenants(const nlohmann::json& list, const std::string& pointer, std::vector<Tenant>& tenants) {
    read_unique(list, pointer, "domain", FirstSeen(document_, "tenant domain"), tenants,
                [&](const std::string& at, Tenant& tenant) { return read_tenant(at, tenant) && !tenant.domain.empty(); },
                [](const Tenant& tenant) { return std::pair(tenant.domain, tenant.domain); });  // already normalized
  }

  // Reads each entry of `list` whose `name_key` must be unique; `key_of` gives the name as
  // compared and as shown. A repeat is reported at its name and left out, as are the
  // entries `read_one` rejects.
  template <typename T, typename ReadOne, typename KeyOf>
  void read_unique(const nlohmann::json& list, const std::string& pointer, std::string_view name_key, FirstSeen seen,
                   std::vector<T>& out, ReadOne read_one, KeyOf key_of) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = pointer + "/" + std::to_string(i);
      T item;
      if (!read_one(at, item)) continue;
      const std::string name_at = spec::pointer_append(at, name_key);
      const auto [key, name] = key_of(item);
      if (auto repeat = seen.repeat(key, name, name_at)) {
        report(document_, errors_, name_at, std::move(*repeat));
        continue;
      }
      out.push_back(std::move(item));
    }
  }

  bool read_tenant(const std::string& pointer, Tenant& tenant) {
    FieldReader fields(document_, pointer, errors_);
    if (!fields.is_mapping()) return false;
    if (auto name = fields.string("name", true)) {
      if (name->empty() || name->size() > 1024) {
        fields.error("name", "a tenant name has 1..1024 characters");
      } else {
        tenant.name = *name;
      }
    }
    if (auto domain = fields.string("domain", true)) {
      const auto parsed = spec::parse_domain(*domain);
      if (parsed) {
        tenant.domain = parsed->normalized;
      } else {
        fields.error("domain", "invalid domain: " + describe(parsed.error()));
      }
    }
    if (auto website = fields.string("website")) {
      if (website->size() > 255) fields.error("website", "a website has at most 255 characters");
      tenant.website = *website;
    }
    tenant.avatar_url = fields.string("avatar_url").value_or("");
    tenant.enable_two_factor_authentication = fields.boolean("enable_two_factor_authentication").value_or(false);
    tenant.enable_ms365_integration = fields.boolean("enable_ms365_integration").value_or(false);
    tenant.ms365_authorization_endpoint = fields.string("ms365_authorization_endpoint");
    if (const nlohmann::json* users = fields.list("users"))
      read_accounts(*users, fields.pointer_of("users"), AccountKind::tenant_user, tenant.users);
    fields.finish();
    check_second_factor_mail(tenant, fields);
    check_microsoft_links(tenant, fields.pointer_of("users"));
    return true;
  }

  // A user who needs a second factor gets the code by e-mail: no address, no sign-in.
  void check_second_factor_mail(const Tenant& tenant, FieldReader& fields) {
    const nlohmann::json* users = fields.get("users");
    if (users == nullptr || !users->is_array()) return;
    for (std::size_t i = 0; i < users->size(); ++i) {
      const nlohmann::json& user = (*users)[i];
      if (!user.is_object() || !user.contains("username") || !user["username"].is_string()) continue;
      const Account* account = tenant.find_user(user["username"].get<std::string>());
      if (account == nullptr || !account->email.empty() || !tenant.needs_two_factor(*account)) continue;
      report(document_, errors_, fields.pointer_of("users") + "/" + std::to_string(i),
             "two-factor sign-in e-mails a code: this user needs an email");
    }
  }

  void check_microsoft_links(const Tenant& tenant, const std::string& users_pointer) {
    std::map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < tenant.users.size(); ++i) {
      if (tenant.users[i].microsoft.empty()) continue;
      const auto [it, fresh] = first.emplace(spec::ascii::lower(tenant.users[i].microsoft), i);
      if (!fresh) {
        report(document_, errors_, users_pointer,
               "Microsoft account '" + tenant.users[i].microsoft + "' is linked to both '" +
                   tenant.users[it->second].username + "' and '" + tenant.users[i].username + "'");
      }
    }
  }

  void read_accounts(const nlohmann::json& list, const std::string& pointer, AccountKind kind,
                     std::vector<Account>& accounts) {
    read_unique(list, pointer, "username", FirstSeen(document_, "username", "usernames ignore letter case"), accounts,
                [&](const std::string& at, Account& account) { return read_account(at, kind, account); },
                [](const Account& account) { return std::pair(spec::ascii::lower(account.username), account.username); });
  }

  // False when the account has a problem (already reported).
  bool read_account(const std::string& pointer, AccountKind kind, Account& account) {
    FieldReader fields(document_, pointer, errors_);
    if (!fields.is_mapping()) return false;
    if (auto username = fields.string("username", true)) {
      const auto reserved = kind == AccountKind::system_admin ? spec::ReservedNames::allow : spec::ReservedNames::reject;
      const auto parsed = spec::parse_username(*username, reserved);
      if (parsed) {
        account.username = *username;
      } else if (parsed.error().rule == spec::UsernameRule::reserved) {
        fields.error("username", "invalid username: " + describe(parsed.error()) +
                                     " (admin, system, administrator and root sign in without a domain: "
                                     "list them under system_admins)");
      } else {
        fields.error("username", "invalid username: " + describe(parsed.error()));
      }
    }
    if (auto password = fields.string("password", true)) account.password = *password;
    account.role = read_role(fields, kind == AccountKind::system_admin ? "SystemAdmin" : "StandardUser");
    if (auto email = fields.string("email")) {
      if (is_email_like(*email)) {
        account.email = *email;
      } else {
        fields.error("email", "expected an e-mail address such as alice@example.com");
      }
    }
    account.two_factor = fields.boolean("two_factor").value_or(false);
    if (kind == AccountKind::tenant_user) {
      if (auto microsoft = fields.string("microsoft")) {
        if (is_email_like(*microsoft)) {
          account.microsoft = *microsoft;
        } else {
          fields.error("microsoft", "expected a Microsoft account name such as alice@example.onmicrosoft.com");
        }
      }
    }
    account.password_force_reset = fields.boolean("password_force_reset").value_or(false);
    fields.finish();
    if (kind == AccountKind::system_admin && account.two_factor && account.email.empty() && fields.clean())
      fields.error_here("two-factor sign-in e-mails a code: this administrator needs an email");
    return fields.clean();
  }

  static std::string read_role(FieldReader& fields, std::string fallback) {
    const auto role = fields.string("role");
    if (!role) return fallback;
    if (role->empty()) {
      fields.error("role", "a role cannot be empty (built-in roles: SystemAdmin, Replicator, Dealer, Admin, "
                           "StandardUser, StandardInternationalUser, QueueManager; or a custom name)");
      return fallback;
    }
    if (role->size() > kMaxRoleLength) {
      fields.error("role", "a role has at most 64 characters");
      return fallback;
    }
    for (std::string_view builtin : kBuiltInRoles) {
      if (*role != builtin && spec::ascii::iequals(*role, builtin)) {
        fields.error("role", "'" + *role + "' is not a built-in role; did you mean '" + std::string(builtin) +
                                 "'? (custom roles may not reuse built-in names)");
        return fallback;
      }
    }
    return *role;
  }

  const spec::StructuredDocument& document_;
  SourceErrors& errors_;
};

}  // namespace

Result<Scenario, spec::SourceErrors> load_scenario(const spec::StructuredDocument& document) {
  if (document.root().is_null()) {
    return Err{SourceErrors{{document.file(), {1, 1}, "/: the scenario is empty; it needs at least a name"}}};
  }
  SourceErrors errors;
  Scenario scenario;
  try {
    scenario = ScenarioReader(document, errors).read();
  } catch (const std::exception& e) {
    // The reader guards every access; this is a last line so a bug cannot throw past us.
    errors.push_back({document.file(), {}, std::string("internal error while reading the scenario: ") + e.what()});
  }
  if (!errors.empty()) {
    spec::sort_by_position(errors);
    return Err{std::move(errors)};
  }
  return scenario;
}

Result<Scenario, spec::SourceErrors> load_scenario(std::string_view text, std::string file) {
  const auto document = spec::parse_structured(text, std::move(file));
  if (!document) return Err{SourceErrors{document.error()}};
  return load_scenario(*document);
}

Result<Scenario, spec::SourceErrors> load_scenario_file(const std::string& path) {
  auto text = spec::read_regular_file(path);
  if (!text) return Err{SourceErrors{spec::SourceError{path, {}, text.error()}}};
  return load_scenario(*text, path);
}

}  // namespace pbxmock::mock
