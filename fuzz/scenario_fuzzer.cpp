// Fuzzes the scenario loader with any bytes as a scenario file (YAML or JSON): it answers a
// scenario or file:line:column errors (fuzz/source_errors_check.h), never throws or crashes.
// A loaded scenario keeps the loader's promises (tenant domains normalized, usernames valid
// and unique without regard to case), and written back out (mock/scenario/scenario_writer.h)
// it loads again as the same scenario, and is written the same way the second time.
#include <cstdint>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "fuzz/broken_invariant.h"
#include "fuzz/source_errors_check.h"
#include "mock/scenario/scenario_loader.h"
#include "mock/scenario/scenario_writer.h"
#include "spec/ascii.h"
#include "spec/domain.h"
#include "spec/username.h"

using namespace pbxmock;
using pbxmock::fuzz::broken;

namespace {

constexpr std::string_view kFile = "fuzz.yaml";

void check_accounts(const std::vector<mock::Account>& accounts, spec::ReservedNames reserved, std::string_view input) {
  std::set<std::string> seen;
  for (const auto& account : accounts) {
    if (!spec::parse_username(account.username, reserved)) broken("a loaded username does not parse", input, account.username);
    if (!seen.insert(spec::ascii::lower(account.username)).second) broken("a username twice", input, account.username);
    if (account.role.empty()) broken("an account without a role", input, account.username);
  }
}

// What the writer's JSON would hide if both sides lost it alike: two conditions (or response
// headers) under one name collapse into one member of a JSON object.
void check_same_shape(const mock::Scenario& a, const mock::Scenario& b, std::string_view input, const std::string& written) {
  if (a.rules.size() != b.rules.size()) broken("a written scenario has another number of rules", input, written);
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    const mock::RuleMatch& x = a.rules[i].match;
    const mock::RuleMatch& y = b.rules[i].match;
    if (x.query.size() != y.query.size() || x.headers.size() != y.headers.size() || x.body.size() != y.body.size())
      broken("a written rule has another number of conditions", input, written);
    const auto headers = [](const mock::Rule& r) { return r.respond ? r.respond->headers.size() : 0; };
    if (headers(a.rules[i]) != headers(b.rules[i])) broken("a written rule answers another number of headers", input, written);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto loaded = mock::load_scenario(input, std::string(kFile));
  if (!loaded) {
    fuzz::check_source_errors(loaded.error(), kFile, input);
    return 0;
  }
  const mock::Scenario& scenario = loaded.value();
  if (scenario.name.empty()) broken("a scenario without a name", input);
  check_accounts(scenario.system_admins, spec::ReservedNames::allow, input);
  std::set<std::string> domains;
  for (const auto& tenant : scenario.tenants) {
    const auto domain = spec::parse_domain(tenant.domain);
    if (!domain || domain->normalized != tenant.domain) broken("a tenant domain is not normalized", input, tenant.domain);
    if (!domains.insert(tenant.domain).second) broken("a tenant domain twice", input, tenant.domain);
    check_accounts(tenant.users, spec::ReservedNames::reject, input);
  }

  const auto written = mock::write_scenario(scenario);
  if (!written) return 0;  // not UTF-8, or a number JSON cannot hold: said, not written wrong
  const auto again = mock::load_scenario(*written, "written.json");
  if (!again) broken("a written scenario does not load", input, *written + "\n" + again.error().front().to_string());
  if (mock::scenario_to_json(*again) != mock::scenario_to_json(scenario)) broken("a written scenario loads as another", input, *written);
  check_same_shape(scenario, *again, input, *written);
  const auto rewritten = mock::write_scenario(*again);
  if (!rewritten || *rewritten != *written) broken("a written scenario is written differently the second time", input, *written);
  return 0;
}
