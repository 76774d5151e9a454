#pragma once
// A scenario: the PBX the mock pretends to be. System metadata, tenants with their users,
// system administrators, token lifetimes, the stand-in identity provider's address, and
// rules. Built by the loader (mock/scenario/scenario_loader.h), immutable afterwards: the state
// that changes (sessions, passwords) lives in AuthState.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock/rules/rules.h"
#include "spec/structured_document.h"

namespace pbxmock::mock {

// The seven roles every PBX has (AUTH-API.md A); any other non-empty name is a custom role.
inline constexpr std::string_view kBuiltInRoles[] = {
    "SystemAdmin", "Replicator", "Dealer", "Admin", "StandardUser", "StandardInternationalUser", "QueueManager"};

// GET /info without a domain. Strings are answered as written ("" when not given).
struct SystemMetadata {
  std::string web_domain;
  std::string private_ipv4;
  std::string public_ipv4;
  bool enable_ipv6 = true;
  std::string private_ipv6;
  std::string public_ipv6;
  std::string primary_dns_server;
  std::string secondary_dns_server;
};

struct TokenLifetimes {
  std::chrono::seconds access{3600};                 // AUTH-API.md B4
  std::chrono::seconds refresh{30 * 24 * 3600};      // B4: 30 days
  std::chrono::seconds two_factor_session{600};      // B5: 10 minutes
  int two_factor_max_attempts = 5;                   // B5: 5 wrong codes
  std::chrono::seconds reset_token{900};             // B6: 15 minutes
};

// A tenant user or a system administrator.
struct Account {
  std::string username;            // as written in the scenario; looked up without regard to case
  std::string password;            // the password at the scenario's start
  std::string role;
  std::string email;               // "" when not given (no code or reset link can be sent)
  bool two_factor = false;         // this account needs a second factor even if its tenant does not
  std::string microsoft;           // linked Microsoft account ("" = not linked; AUTH-API.md B7)
  bool password_force_reset = false;
};

struct Tenant {
  std::string name;
  std::string domain;              // normalized by spec::parse_domain (AUTH-API.md B3)
  std::string website;
  std::string avatar_url;
  bool enable_two_factor_authentication = false;
  bool enable_ms365_integration = false;
  std::optional<std::string> ms365_authorization_endpoint;
  std::vector<Account> users;

  // Usernames compare without regard to ASCII case: the loader keeps them unique that way,
  // so "Alice" and "alice" name the same user.
  const Account* find_user(std::string_view username) const;
  bool needs_two_factor(const Account& account) const { return enable_two_factor_authentication || account.two_factor; }
};

struct IdentityProviderSettings {
  // Where signInWithSocialAccount and POST /login/by_microsoft send the browser. A path
  // ("/__idp/authorize") is the mock's own stand-in, to be prefixed with the mock's address;
  // an absolute URL is used as it is. The mock adds tenant, callback_url and state.
  std::string sign_in_url = "/__idp/authorize";
  // When set (only "access_denied" so far), the stand-in refuses every attempt: the browser
  // goes straight back to callback_url with error, error_description and state (B12), so a
  // front end's error path can be tested without a click.
  std::string error;
  std::string error_description;
};

// The client id the developer guide documents for POST /api/login/oauth/token.
inline constexpr std::string_view kGuideClientId = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";

struct OAuthSettings {
  // Accepted besides kGuideClientId, which always is (AUTH-API.md B11).
  std::vector<std::string> client_ids;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;                // where it was loaded from (for messages)
  SystemMetadata system;
  TokenLifetimes tokens;
  std::vector<Account> system_admins;
  std::vector<Tenant> tenants;
  IdentityProviderSettings identity_provider;
  OAuthSettings oauth;
  std::vector<Rule> rules;

  // `normalized_domain` as spec::parse_domain normalizes it.
  const Tenant* find_tenant(std::string_view normalized_domain) const;
  const Account* find_system_admin(std::string_view username) const;
};

}  // namespace pbxmock::mock
