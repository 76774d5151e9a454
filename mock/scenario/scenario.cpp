#include "mock/scenario/scenario.h"

#include "mock/text.h"
#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

const Account* find_account(const std::vector<Account>& accounts, std::string_view username) {
  for (const Account& account : accounts)
    if (spec::ascii::iequals(account.username, username)) return &account;
  return nullptr;
}

}  // namespace

const Account* Tenant::find_user(std::string_view username) const { return find_account(users, username); }

const Tenant* Scenario::find_tenant(std::string_view normalized_domain) const {
  for (const Tenant& tenant : tenants)
    if (tenant.domain == normalized_domain) return &tenant;
  return nullptr;
}

const Account* Scenario::find_system_admin(std::string_view username) const {
  return find_account(system_admins, username);
}

}  // namespace pbxmock::mock
