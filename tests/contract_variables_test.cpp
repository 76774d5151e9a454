// ${name}, ${env.NAME} and ${env.NAME:-default} in contract values.
#include <gtest/gtest.h>

#include <map>

#include "contracts/variables.h"

namespace {

using pbxmock::contracts::EnvUse;
using pbxmock::contracts::parse_template;
using pbxmock::contracts::Variables;
using nlohmann::json;

Variables::Environment fake_env(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string text(const Variables& v, const std::string& t) {
  auto r = v.substitute(t);
  return r ? *r : "ERROR: " + r.error();
}

TEST(contract_variables, replaces_file_and_saved_variables_in_text) {
  Variables v(fake_env({}));
  v.set("token", "ABC");
  v.set("n", 3600);
  EXPECT_EQ("Bearer ABC", text(v, "Bearer ${token}"));
  EXPECT_EQ("3600s", text(v, "${n}s"));
  EXPECT_EQ("no placeholders", text(v, "no placeholders"));
  EXPECT_EQ("", text(v, ""));
}

TEST(contract_variables, reads_the_environment_with_and_without_a_default) {
  Variables v(fake_env({{"PBX_PASSWORD", "s3cret"}, {"EMPTY", ""}}));
  EXPECT_EQ("s3cret", text(v, "${env.PBX_PASSWORD}"));
  EXPECT_EQ("s3cret", text(v, "${env.PBX_PASSWORD:-fallback}"));
  EXPECT_EQ("fallback", text(v, "${env.UNSET:-fallback}"));
  EXPECT_EQ("", text(v, "${env.UNSET:-}"));
  // As in the shell, an empty value takes the default; without one it stays empty.
  EXPECT_EQ("fallback", text(v, "${env.EMPTY:-fallback}"));
  EXPECT_EQ("", text(v, "${env.EMPTY}"));
}

TEST(contract_variables, an_undefined_variable_is_an_error_naming_it) {
  Variables v(fake_env({}));
  EXPECT_EQ("ERROR: undefined variable ${tokn} (not among the file's variables, nor saved by an earlier step)",
            text(v, "Bearer ${tokn}"));
  EXPECT_EQ("ERROR: environment variable PBX_PASSWORD is not set (${env.PBX_PASSWORD})", text(v, "${env.PBX_PASSWORD}"));
  EXPECT_EQ("x", text(v, "${tokn:-x}"));
}

TEST(contract_variables, malformed_placeholders_are_errors_with_their_offset) {
  Variables v(fake_env({}));
  EXPECT_EQ("ERROR: unterminated ${ at offset 2 (write $${ for a literal ${)", text(v, "ab${cd"));
  EXPECT_EQ("ERROR: bad placeholder ${1x} at offset 0: a name is letters, digits and _, not starting with a digit",
            text(v, "${1x}"));
  EXPECT_EQ("ERROR: bad placeholder ${} at offset 1: a name is letters, digits and _, not starting with a digit",
            text(v, "a${}"));
  EXPECT_EQ("ERROR: bad placeholder ${env.} at offset 0: a name is letters, digits and _, not starting with a digit",
            text(v, "${env.}"));
}

TEST(contract_variables, double_dollar_escapes_a_literal_placeholder) {
  Variables v(fake_env({}));
  EXPECT_EQ("${not_a_variable}", text(v, "$${not_a_variable}"));
  EXPECT_EQ("$5 and $x", text(v, "$5 and $x"));
}

TEST(contract_variables, a_whole_string_placeholder_keeps_the_json_type) {
  Variables v(fake_env({}));
  v.set("n", 3600);
  v.set("flag", true);
  v.set("obj", json{{"a", 1}});
  auto r = v.substitute_json(json{{"expires_in", "${n}"}, {"ok", "${flag}"}, {"o", "${obj}"}, {"text", "n=${n}"}});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ((json{{"expires_in", 3600}, {"ok", true}, {"o", {{"a", 1}}}, {"text", "n=3600"}}), *r);
}

TEST(contract_variables, substitutes_keys_and_array_elements) {
  Variables v(fake_env({}));
  v.set("k", "name");
  auto r = v.substitute_json(json{{"${k}", json::array({"${k}", 1})}});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ((json{{"name", json::array({"name", 1})}}), *r);
}

TEST(contract_variables, json_substitution_fails_on_the_first_undefined_variable) {
  Variables v(fake_env({}));
  auto r = v.substitute_json(json{{"a", json::array({"ok", "${missing}"})}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("undefined variable ${missing} (not among the file's variables, nor saved by an earlier step)", r.error());
}

TEST(contract_variables, file_variables_see_the_environment_and_earlier_ones) {
  Variables v(fake_env({{"HOST", "pbx.example.com"}}));
  v.define_file_variables({{"domain", "${env.HOST}"}, {"url", "https://${domain}/x"}, {"port", 8887}});
  EXPECT_EQ("https://pbx.example.com/x", text(v, "${url}"));
  ASSERT_NE(nullptr, v.find("port"));
  EXPECT_EQ(8887, *v.find("port"));
}

TEST(contract_variables, a_broken_file_variable_fails_only_where_used) {
  Variables v(fake_env({}));
  v.define_file_variables({{"password", "${env.PBX_PASSWORD}"}, {"user", "alice"}});
  EXPECT_EQ("alice", text(v, "${user}"));
  EXPECT_EQ("ERROR: variable password could not be set: environment variable PBX_PASSWORD is not set (${env.PBX_PASSWORD})",
            text(v, "${password}"));
  EXPECT_EQ("fallback", text(v, "${password:-fallback}"));
}

TEST(contract_variables, records_which_environment_values_went_in) {
  Variables v(fake_env({{"PW", "hunter22"}}));
  std::vector<EnvUse> used;
  auto r = v.substitute_json(json{{"password", "${env.PW}"}, {"other", "${env.NOPE:-d}"}}, &used);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(1u, used.size());  // the default is not from the environment
  EXPECT_EQ("PW", used[0].name);
  EXPECT_EQ("hunter22", used[0].value);
}

TEST(contract_variables, parse_template_splits_literals_and_placeholders) {
  auto pieces = parse_template("a${b}c${env.D:-e}");
  ASSERT_TRUE(pieces.ok());
  ASSERT_EQ(4u, pieces->size());
  EXPECT_EQ("a", (*pieces)[0].literal);
  EXPECT_EQ("b", (*pieces)[1].placeholder->name);
  EXPECT_FALSE((*pieces)[1].placeholder->env);
  EXPECT_EQ("c", (*pieces)[2].literal);
  EXPECT_TRUE((*pieces)[3].placeholder->env);
  EXPECT_EQ("D", (*pieces)[3].placeholder->name);
  EXPECT_EQ("e", *(*pieces)[3].placeholder->fallback);
}

}  // namespace
