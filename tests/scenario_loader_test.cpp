// Scenario files: the shipped ones load, and each bad file is rejected at the right place
// (line and column written by hand from the file) with the rule it broke.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "mock/scenario/scenario_loader.h"

namespace {

using pbxmock::mock::builtin_scenario;
using pbxmock::mock::builtin_scenario_names;
using pbxmock::mock::default_scenario;
using pbxmock::mock::load_scenario;
using pbxmock::mock::load_scenario_file;
using pbxmock::mock::Scenario;
using pbxmock::spec::SourceErrors;

std::string data(const std::string& name) { return std::string(PBXMOCK_TEST_DATA) + "/scenarios/" + name; }

std::string all(const SourceErrors& errors) {
  std::string out;
  for (const auto& error : errors) out += error.to_string() + "\n";
  return out;
}

// The file is rejected, and one of its errors is at line:column and says `says`.
void expect_rejected_at(const std::string& file, std::size_t line, std::size_t column, const std::string& says) {
  SCOPED_TRACE(file);
  const auto loaded = load_scenario_file(data(file));
  ASSERT_FALSE(loaded.ok()) << "loaded although it is bad";
  const auto& errors = loaded.error();
  const bool found = std::any_of(errors.begin(), errors.end(), [&](const auto& e) {
    return e.position.line == line && e.position.column == column && e.message.find(says) != std::string::npos;
  });
  EXPECT_TRUE(found) << "wanted " << line << ":" << column << " \"" << says << "\"; got:\n" << all(errors);
}

TEST(scenario_loader, every_builtin_scenario_loads) {
  const auto names = builtin_scenario_names();
  EXPECT_EQ((std::vector<std::string>{"default", "flaky_network", "microsoft365", "two_factor", "vendor_defaults"}), names);
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    const auto text = builtin_scenario(name);
    ASSERT_TRUE(text.has_value());
    const auto loaded = load_scenario(*text, name + ".yaml");
    ASSERT_TRUE(loaded.ok()) << all(loaded.error());
    EXPECT_EQ(name, loaded->name);
  }
  EXPECT_FALSE(builtin_scenario("nonexistent").has_value());
}

TEST(scenario_loader, shipped_files_on_disk_load) {
  for (const char* name : {"default", "two_factor", "microsoft365", "flaky_network", "vendor_defaults"}) {
    SCOPED_TRACE(name);
    const auto loaded = load_scenario_file(std::string(PBXMOCK_SCENARIO_DIR) + "/" + name + ".yaml");
    ASSERT_TRUE(loaded.ok()) << all(loaded.error());
  }
}

TEST(scenario_loader, default_scenario_has_every_kind_of_account) {
  const Scenario& scenario = default_scenario();
  EXPECT_EQ("default", scenario.name);
  ASSERT_EQ(1u, scenario.system_admins.size());
  EXPECT_EQ("admin", scenario.system_admins[0].username);
  EXPECT_EQ("SystemAdmin", scenario.system_admins[0].role);
  ASSERT_EQ(1u, scenario.tenants.size());
  const auto& tenant = scenario.tenants[0];
  EXPECT_EQ("pbx.example.com", tenant.domain);
  EXPECT_TRUE(tenant.enable_ms365_integration);
  ASSERT_NE(nullptr, tenant.find_user("carol"));
  EXPECT_TRUE(tenant.find_user("carol")->two_factor);
  ASSERT_NE(nullptr, tenant.find_user("ALICE"));  // usernames ignore letter case
  EXPECT_EQ("alice@example.onmicrosoft.com", tenant.find_user("alice")->microsoft);
  EXPECT_TRUE(tenant.find_user("dave")->password_force_reset);
  EXPECT_EQ("Reception Desk", tenant.find_user("o'brien.j")->role);
  EXPECT_EQ("/__idp/authorize", scenario.identity_provider.sign_in_url);
  EXPECT_EQ(3600, scenario.tokens.access.count());
  EXPECT_EQ("203.0.113.20", scenario.system.public_ipv4);
  EXPECT_TRUE(scenario.rules.empty());
  EXPECT_EQ(&scenario, &default_scenario());  // loaded once
}

TEST(scenario_loader, flaky_network_has_every_delay_and_fault_kind) {
  const auto loaded = load_scenario(*builtin_scenario("flaky_network"), "flaky_network.yaml");
  ASSERT_TRUE(loaded.ok()) << all(loaded.error());
  bool fixed = false, uniform = false, lognormal = false, reset = false, empty = false, chunk = false;
  for (const auto& rule : loaded->rules) {
    if (rule.delay) {
      fixed |= rule.delay->kind == pbxmock::mock::DelaySpec::Kind::fixed;
      uniform |= rule.delay->kind == pbxmock::mock::DelaySpec::Kind::uniform;
      lognormal |= rule.delay->kind == pbxmock::mock::DelaySpec::Kind::lognormal;
    }
    if (rule.fault) {
      reset |= *rule.fault == pbxmock::mock::Fault::connection_reset;
      empty |= *rule.fault == pbxmock::mock::Fault::empty_response;
      chunk |= *rule.fault == pbxmock::mock::Fault::malformed_chunk;
    }
  }
  EXPECT_TRUE(fixed && uniform && lognormal);
  EXPECT_TRUE(reset && empty && chunk);
}

TEST(scenario_loader, minimal_file_takes_the_defaults) {
  const auto loaded = load_scenario_file(data("good_minimal.yaml"));
  ASSERT_TRUE(loaded.ok()) << all(loaded.error());
  EXPECT_EQ("minimal", loaded->name);
  EXPECT_TRUE(loaded->tenants.empty());
  EXPECT_EQ(2592000, loaded->tokens.refresh.count());
  EXPECT_EQ(600, loaded->tokens.two_factor_session.count());
  EXPECT_EQ(5, loaded->tokens.two_factor_max_attempts);
  EXPECT_EQ(900, loaded->tokens.reset_token.count());
  EXPECT_TRUE(loaded->system.enable_ipv6);
}

TEST(scenario_loader, json_scenarios_load_and_domains_are_normalized) {
  const auto loaded = load_scenario_file(data("good_scenario.json"));
  ASSERT_TRUE(loaded.ok()) << all(loaded.error());
  ASSERT_EQ(1u, loaded->tenants.size());
  EXPECT_EQ("pbx.example.com", loaded->tenants[0].domain);
  ASSERT_EQ(1u, loaded->tenants[0].users.size());
  EXPECT_EQ("Admin", loaded->tenants[0].users[0].role);
  ASSERT_EQ(1u, loaded->rules.size());
  EXPECT_EQ("rule 1", loaded->rules[0].name);
  ASSERT_TRUE(loaded->rules[0].respond.has_value());
  EXPECT_EQ(429, loaded->rules[0].respond->status);
  EXPECT_EQ("slow down", loaded->rules[0].respond->raw_body);
  EXPECT_EQ("text/plain; charset=utf-8", loaded->rules[0].respond->content_type);
}

TEST(scenario_loader, error_reads_file_line_column_pointer_and_rule) {
  const auto loaded = load_scenario_file(data("bad_username_character.yaml"));
  ASSERT_FALSE(loaded.ok());
  ASSERT_EQ(1u, loaded.error().size()) << all(loaded.error());
  EXPECT_EQ(data("bad_username_character.yaml") + ":8:19: /tenants/0/users/1/username: invalid username: bad_character at 3",
            loaded.error()[0].to_string());
}

TEST(scenario_loader, rejects_empty_file) { expect_rejected_at("bad_empty.yaml", 1, 1, "empty"); }
TEST(scenario_loader, rejects_yaml_syntax_error) { expect_rejected_at("bad_yaml_syntax.yaml", 4, 2, ""); }
TEST(scenario_loader, rejects_unknown_top_level_key) {
  expect_rejected_at("bad_unknown_key.yaml", 3, 1, "unknown key 'tenant'");
}
TEST(scenario_loader, rejects_unknown_user_key_and_reports_the_missing_one_too) {
  expect_rejected_at("bad_unknown_user_key.yaml", 9, 9, "unknown key 'passwrod'");
  expect_rejected_at("bad_unknown_user_key.yaml", 8, 9, "missing required key 'password'");
}
TEST(scenario_loader, rejects_string_where_boolean_expected) {
  expect_rejected_at("bad_wrong_type_boolean.yaml", 5, 39, "expected a boolean, got a string");
}
TEST(scenario_loader, rejects_mapping_where_list_expected) {
  expect_rejected_at("bad_wrong_type_list.yaml", 3, 3, "expected a list, got a mapping");
}
TEST(scenario_loader, rejects_unquoted_numeric_password_with_a_hint) {
  expect_rejected_at("bad_password_number.yaml", 7, 19, "expected a string, got an integer (quote it");
}
TEST(scenario_loader, rejects_invalid_username) {
  expect_rejected_at("bad_username_character.yaml", 8, 19, "invalid username: bad_character at 3");
}
TEST(scenario_loader, rejects_reserved_username_in_a_tenant) {
  expect_rejected_at("bad_reserved_username.yaml", 8, 20, "invalid username: reserved at 0");
}
TEST(scenario_loader, rejects_duplicate_username_ignoring_case_and_names_the_first) {
  expect_rejected_at("bad_duplicate_user.yaml", 10, 19, "duplicate username 'Alice'");
  expect_rejected_at("bad_duplicate_user.yaml", 10, 19, "first at line 6, column 19");
}
TEST(scenario_loader, rejects_duplicate_tenant_domain_after_normalization) {
  expect_rejected_at("bad_duplicate_domain.yaml", 6, 13,
                     "duplicate tenant domain 'pbx.example.com' (first at line 4, column 13)");
}
TEST(scenario_loader, rejects_invalid_domain) {
  expect_rejected_at("bad_domain_port.yaml", 4, 13, "invalid domain: port_not_allowed at 15");
}
TEST(scenario_loader, rejects_missing_tenant_domain_at_the_tenant) {
  expect_rejected_at("bad_missing_domain.yaml", 3, 5, "missing required key 'domain'");
}
TEST(scenario_loader, rejects_empty_role) { expect_rejected_at("bad_role_empty.yaml", 8, 15, "a role cannot be empty"); }
TEST(scenario_loader, rejects_role_that_differs_from_a_builtin_only_in_case) {
  expect_rejected_at("bad_role_case.yaml", 8, 15, "did you mean 'Admin'");
}
TEST(scenario_loader, rejects_negative_lifetime) {
  expect_rejected_at("bad_negative_lifetime.yaml", 4, 27, "positive number of seconds");
}
TEST(scenario_loader, rejects_unknown_fault) {
  expect_rejected_at("bad_rule_fault.yaml", 5, 12, "unknown fault 'connection_timeout'");
}
TEST(scenario_loader, rejects_regex_that_does_not_compile) {
  expect_rejected_at("bad_rule_regex.yaml", 5, 21, "invalid regular expression");
}
// Found by scenario_fuzzer (fuzz/corpus/scenario_fuzzer/rule_header_case_twice): both were kept
// under the one lower-case name, which a scenario written back out cannot say.
TEST(scenario_loader, rejects_a_header_condition_given_twice_in_different_case) {
  expect_rejected_at("bad_rule_header_twice.yaml", 5, 30, "duplicate header condition 'x-flag' (header names ignore case; first at line 5, column 25)");
}
TEST(scenario_loader, rejects_status_outside_100_to_599) {
  expect_rejected_at("bad_rule_status.yaml", 5, 15, "between 100 and 599, got 42");
}
TEST(scenario_loader, rejects_rule_with_respond_and_fault) {
  expect_rejected_at("bad_rule_respond_and_fault.yaml", 6, 12, "respond or fault, not both");
}
TEST(scenario_loader, rejects_times_zero) { expect_rejected_at("bad_rule_times_zero.yaml", 5, 12, "between 1 and"); }
TEST(scenario_loader, rejects_uniform_delay_with_min_over_max) {
  expect_rejected_at("bad_rule_delay.yaml", 4, 25, "0 <= min <= max");
}
TEST(scenario_loader, rejects_state_without_scenario_name) {
  expect_rejected_at("bad_rule_state_without_scenario.yaml", 4, 21, "needs a scenario name");
}
TEST(scenario_loader, rejects_bad_scenario_name) { expect_rejected_at("bad_scenario_name.yaml", 1, 7, "a scenario name is"); }
TEST(scenario_loader, rejects_two_factor_user_without_email) {
  expect_rejected_at("bad_two_factor_without_email.yaml", 10, 9, "needs an email");
}
TEST(scenario_loader, rejects_ipv6_where_ipv4_expected) {
  expect_rejected_at("bad_system_address.yaml", 4, 17, "expected an IPv4 address");
}

TEST(scenario_loader, reports_every_problem_sorted_by_position) {
  const auto loaded = load_scenario_file(data("bad_many_errors.yaml"));
  ASSERT_FALSE(loaded.ok());
  const auto& errors = loaded.error();
  ASSERT_EQ(6u, errors.size()) << all(errors);
  const std::pair<std::size_t, std::size_t> expected[] = {{3, 26}, {6, 13}, {8, 19}, {10, 9}, {12, 27}, {13, 23}};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(expected[i].first, errors[i].position.line) << errors[i].to_string();
    EXPECT_EQ(expected[i].second, errors[i].position.column) << errors[i].to_string();
  }
  EXPECT_NE(std::string::npos, errors[1].message.find("empty_label at 4"));
  EXPECT_NE(std::string::npos, errors[2].message.find("leading_period at 0"));
}

TEST(scenario_loader, missing_file_is_an_error_not_a_crash) {
  const auto loaded = load_scenario_file(data("no_such_file.yaml"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(std::string::npos, loaded.error()[0].message.find("cannot open"));
}

TEST(scenario_loader, a_list_at_the_top_is_rejected) {
  const auto loaded = load_scenario("- name: x\n", "list.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ("list.yaml:1:1: /: expected a mapping, got a list", loaded.error()[0].to_string());
}

TEST(scenario_loader, vendor_defaults_uses_the_guides_lifetime) {
  const auto loaded = load_scenario(*builtin_scenario("vendor_defaults"), "vendor_defaults.yaml");
  ASSERT_TRUE(loaded.ok()) << all(loaded.error());
  EXPECT_EQ(1800, loaded->tokens.access.count());
  EXPECT_FALSE(loaded->system.enable_ipv6);
  ASSERT_EQ(1u, loaded->tenants.size());
  EXPECT_FALSE(loaded->tenants[0].enable_ms365_integration);
}

TEST(scenario_loader, reads_the_identity_providers_refusal_and_more_client_ids) {
  const auto loaded = load_scenario(
      "name: x\n"
      "identity_provider: {error: access_denied, error_description: Blocked by policy}\n"
      "oauth: {client_ids: [my-integration, other]}\n",
      "x.yaml");
  ASSERT_TRUE(loaded.ok()) << all(loaded.error());
  EXPECT_EQ("access_denied", loaded->identity_provider.error);
  EXPECT_EQ("Blocked by policy", loaded->identity_provider.error_description);
  EXPECT_EQ((std::vector<std::string>{"my-integration", "other"}), loaded->oauth.client_ids);
  EXPECT_TRUE(default_scenario().identity_provider.error.empty());
  EXPECT_TRUE(default_scenario().oauth.client_ids.empty());
}

TEST(scenario_loader, rejects_a_refusal_other_than_access_denied_where_it_is_written) {
  const auto loaded = load_scenario("name: x\nidentity_provider: {error: server_error}\n", "x.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ("x.yaml:2:28: /identity_provider/error: the stand-in identity provider can only refuse with access_denied",
            loaded.error()[0].to_string());
}

TEST(scenario_loader, rejects_a_client_id_that_is_not_a_string) {
  const auto loaded = load_scenario("name: x\noauth:\n  client_ids:\n    - ok\n    - [not, text]\n", "x.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(5u, loaded.error()[0].position.line) << all(loaded.error());
  EXPECT_NE(std::string::npos, loaded.error()[0].message.find("/oauth/client_ids/1")) << all(loaded.error());
}

}  // namespace
