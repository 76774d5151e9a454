// The `curl` command printed for a failed step: it must send the same request again when
// pasted into a shell, and keep environment secrets out of the log.
#include <gtest/gtest.h>

#include "contracts/curl_command.h"

namespace {

using pbxmock::contracts::curl_command;
using pbxmock::contracts::CurlOptions;
using pbxmock::contracts::HttpRequest;
using pbxmock::contracts::shell_quote;
using pbxmock::contracts::Target;

const Target kTarget{"http", "127.0.0.1", 8887, ""};

TEST(contract_curl, shell_quote_leaves_safe_words_bare_and_quotes_the_rest) {
  EXPECT_EQ("http://127.0.0.1:8887/api/info", shell_quote("http://127.0.0.1:8887/api/info"));
  EXPECT_EQ("'a b'", shell_quote("a b"));
  EXPECT_EQ("''", shell_quote(""));
  EXPECT_EQ("'o'\\''brien'", shell_quote("o'brien"));
  EXPECT_EQ("'$HOME'", shell_quote("$HOME"));
  EXPECT_EQ("'a&b;c'", shell_quote("a&b;c"));
}

TEST(contract_curl, a_get_needs_no_method_flag) {
  const HttpRequest get{"GET", "/api/info?domain=pbx.example.com", {{"Accept", "application/json"}}, ""};
  EXPECT_EQ("curl -sS -i 'http://127.0.0.1:8887/api/info?domain=pbx.example.com' -H 'Accept: application/json'",
            curl_command(kTarget, get));
}

TEST(contract_curl, a_post_with_a_json_body) {
  const HttpRequest post{"POST",
                         "/api/auth/sign_in",
                         {{"Content-Type", "application/json"}},
                         R"({"password":"it's","username":"alice"})"};
  EXPECT_EQ("curl -sS -i -X POST http://127.0.0.1:8887/api/auth/sign_in -H 'Content-Type: application/json' "
            "--data-raw '{\"password\":\"it'\\''s\",\"username\":\"alice\"}'",
            curl_command(kTarget, post));
}

TEST(contract_curl, environment_values_become_shell_variables) {
  const HttpRequest post{"POST",
                         "/api/auth/sign_in",
                         {{"Authorization", "Bearer s3cret-token"}},
                         R"({"password":"s3cret-pw","username":"alice"})"};
  const std::vector<pbxmock::contracts::EnvUse> env = {{"PBX_PASSWORD", "s3cret-pw"}, {"PBX_TOKEN", "s3cret-token"}};
  EXPECT_EQ("curl -sS -i -X POST http://127.0.0.1:8887/api/auth/sign_in -H 'Authorization: Bearer '\"${PBX_TOKEN}\" "
            "--data-raw '{\"password\":\"'\"${PBX_PASSWORD}\"'\",\"username\":\"alice\"}'",
            curl_command(kTarget, post, env));
}

TEST(contract_curl, short_environment_values_are_left_alone) {
  // "on" would otherwise be replaced inside every word that contains it.
  const HttpRequest get{"GET", "/api/info?json=on", {}, ""};
  EXPECT_EQ("curl -sS -i 'http://127.0.0.1:8887/api/info?json=on'", curl_command(kTarget, get, {{"FLAG", "on"}}));
}

TEST(contract_curl, a_repeated_body_is_generated_not_printed) {
  const HttpRequest big{"POST", "/api/auth/sign_in", {{"Content-Type", "application/json"}}, std::string(3000, ' ')};
  EXPECT_EQ("curl -sS -i -X POST http://127.0.0.1:8887/api/auth/sign_in -H 'Content-Type: application/json' "
            "--data-binary @<(yes '          ' | head -n 300 | tr -d '\\n')",
            curl_command(kTarget, big, {}, CurlOptions{false, 300}));
}

TEST(contract_curl, flags_for_https_globs_and_dot_segments) {
  const Target https{"https", "pbx.example.com", 8887, "/portsip"};
  const HttpRequest get{"GET", "/api/../info?x=[1]", {}, ""};
  EXPECT_EQ("curl -sS -i -k -g --path-as-is 'https://pbx.example.com:8887/portsip/api/../info?x=[1]'",
            curl_command(https, get, {}, CurlOptions{true, 1}));
}

}  // namespace
