// Contract files into the model: what a good file becomes, and each mistake reported at
// the line and column where it was made.
#include <gtest/gtest.h>

#include <string>

#include "contracts/contract_loader.h"

namespace {

using pbxmock::contracts::BodyKind;
using pbxmock::contracts::ContractFile;
using pbxmock::contracts::load_contracts;
using pbxmock::contracts::Matcher;
using pbxmock::contracts::SaveRule;

ContractFile load_ok(const std::string& text) {
  auto loaded = load_contracts(text, "c.yaml");
  if (!loaded) {
    std::string all;
    for (const auto& e : loaded.error()) all += e.to_string() + "\n";
    ADD_FAILURE() << all;
    return {};
  }
  return std::move(loaded.value());
}

// The errors of a file that must not load, one "line:column: message" each.
std::vector<std::string> errors_of(const std::string& text) {
  auto loaded = load_contracts(text, "c.yaml");
  EXPECT_FALSE(loaded.ok()) << "loaded, but should not have:\n" << text;
  std::vector<std::string> out;
  if (loaded) return out;
  for (const auto& e : loaded.error()) {
    out.push_back(std::to_string(e.position.line) + ":" + std::to_string(e.position.column) + ": " + e.message);
  }
  return out;
}

const char* const kFull = R"yaml(variables:
  domain: pbx.example.com
  password: "${env.PBX_ALICE_PASSWORD:-alice-secret}"
defaults:
  headers: {Accept: application/json}
  tags: [auth]
  timeout_ms: 2500
contracts:
  - name: plain sign-in
    tags: [smoke]
    steps:
      - name: sign in
        tags: [mock]
        request:
          method: post
          path: /api/auth/sign_in
          query: {qr: false}
          headers: {X-Trace: abc, accept: text/plain}
          json: {username: alice, password: "${password}", domain: "${domain}"}
        expect:
          status: [200, "2xx"]
          headers:
            Content-Type: {regex: "^application/json"}
            Allow: POST
            X-Nope: {absent: true}
          body:
            /token_type: Bearer
            /access_token: {regex: "^[A-Z0-9]{48}$", present: true}
            /expires_in: {type: integer}
            /errors: {length: 1}
            /obj: {equals: {a: 1}}
          error_code: UNAUTHORIZED
          schema: false
        allow:
          - {check: undeclared_status, reason: the vendor does not declare 405}
        save:
          token: /access_token
          location: {header: Location}
          state: {pointer: /url, regex: "state=([^&]+)"}
      - name: form body
        timeout_ms: 100
        request: {method: POST, path: /api/login/by_microsoft, form: {domain: "${domain}"}}
      - name: raw body
        request: {method: POST, path: /x, body: "ab", repeat: 3, content_type: text/csv}
)yaml";

TEST(contract_loader, loads_every_feature_of_a_full_file) {
  const auto file = load_ok(kFull);
  ASSERT_EQ(1u, file.contracts.size());
  ASSERT_EQ(2u, file.variables.size());
  EXPECT_EQ("domain", file.variables[0].first);  // in the order written, not sorted
  EXPECT_EQ("password", file.variables[1].first);
  const auto& c = file.contracts[0];
  EXPECT_EQ("plain sign-in", c.name);
  EXPECT_EQ((std::vector<std::string>{"auth", "smoke"}), c.tags);
  ASSERT_EQ(3u, c.steps.size());
  const auto& s = c.steps[0];
  EXPECT_EQ("/contracts/0/steps/0", s.pointer);
  EXPECT_EQ(std::vector<std::string>{"mock"}, s.tags);
  EXPECT_EQ(2500, s.timeout_ms);
  EXPECT_EQ("POST", s.request.method);
  EXPECT_EQ("/api/auth/sign_in", s.request.path);
  ASSERT_EQ(1u, s.request.query.size());
  EXPECT_EQ("false", s.request.query[0].second);
  // The step's accept replaces the default Accept (names compare without case).
  ASSERT_EQ(2u, s.request.headers.size());
  EXPECT_EQ("X-Trace", s.request.headers[0].first);
  EXPECT_EQ("accept", s.request.headers[1].first);
  EXPECT_EQ("text/plain", s.request.headers[1].second);
  EXPECT_EQ(BodyKind::json, s.request.body_kind);
  EXPECT_EQ("${password}", s.request.json["password"]);
  ASSERT_TRUE(s.expect.status);
  EXPECT_EQ(std::vector<int>{200}, s.expect.status->codes);
  EXPECT_EQ(std::vector<int>{2}, s.expect.status->classes);
  ASSERT_EQ(3u, s.expect.headers.size());
  EXPECT_EQ("Content-Type", s.expect.headers[0].name);
  EXPECT_EQ(Matcher::Kind::regex, s.expect.headers[0].matchers[0].kind);
  EXPECT_EQ(Matcher::Kind::equals, s.expect.headers[1].matchers[0].kind);
  EXPECT_EQ(Matcher::Kind::absent, s.expect.headers[2].matchers[0].kind);
  ASSERT_EQ(5u, s.expect.body.size());
  EXPECT_EQ("/token_type", s.expect.body[0].pointer);
  EXPECT_EQ("Bearer", s.expect.body[0].matchers[0].expected);
  EXPECT_EQ(2u, s.expect.body[1].matchers.size());
  EXPECT_EQ(Matcher::Kind::type, s.expect.body[2].matchers[0].kind);
  EXPECT_EQ(Matcher::Kind::length, s.expect.body[3].matchers[0].kind);
  EXPECT_EQ(1, s.expect.body[3].matchers[0].expected);
  EXPECT_EQ((nlohmann::json{{"a", 1}}), s.expect.body[4].matchers[0].expected);
  EXPECT_EQ("UNAUTHORIZED", s.expect.error_code);
  EXPECT_FALSE(s.expect.schema);
  ASSERT_EQ(1u, s.allow.size());
  EXPECT_EQ("undeclared_status", s.allow[0].check);
  EXPECT_EQ("the vendor does not declare 405", s.allow[0].reason);
  ASSERT_EQ(3u, s.save.size());
  EXPECT_EQ("token", s.save[0].name);
  EXPECT_EQ(SaveRule::Source::header, s.save[1].source);
  EXPECT_EQ("Location", s.save[1].where);
  EXPECT_EQ("state=([^&]+)", s.save[2].regex);

  EXPECT_EQ(BodyKind::form, c.steps[1].request.body_kind);
  EXPECT_EQ(100, c.steps[1].timeout_ms);
  EXPECT_EQ(BodyKind::raw, c.steps[2].request.body_kind);
  EXPECT_EQ(3u, c.steps[2].request.repeat);
  EXPECT_EQ("text/csv", c.steps[2].request.content_type);
  EXPECT_TRUE(c.steps[2].expect.schema);  // spec checks are on unless turned off
}

TEST(contract_loader, a_json_file_loads_too) {
  const auto file = load_ok(
      R"({"contracts":[{"name":"c","steps":[{"name":"s","request":{"method":"GET","path":"/api/info"},"expect":{"status":"4XX"}}]}]})");
  ASSERT_EQ(1u, file.contracts.size());
  EXPECT_EQ(std::vector<int>{4}, file.contracts[0].steps[0].expect.status->classes);
}

struct BadFile {
  const char* what;
  std::string text;
  std::vector<std::string> errors;  // "line:column: message", every one expected
};

// Failures name the case, not its bytes.
void PrintTo(const BadFile& bad, std::ostream* os) { *os << bad.what; }

class contract_loader_rejects : public ::testing::TestWithParam<BadFile> {};

TEST_P(contract_loader_rejects, with_every_problem_at_its_position) {
  EXPECT_EQ(GetParam().errors, errors_of(GetParam().text)) << GetParam().what;
}

const char* const kStepPrefix = "contracts:\n  - name: c\n    steps:\n      - name: s\n";

std::string step(const std::string& rest) { return std::string(kStepPrefix) + rest; }

const BadFile kBadFiles[] = {
    {"not YAML", "contracts: [\n", {"2:1: end of sequence flow not found"}},
    {"no contracts", "variables: {a: 1}\n", {"1:1: missing required key 'contracts'"}},
    {"unknown top-level key",
     "contract:\n  - name: x\n",
     {"1:1: unknown key 'contract' (allowed: variables, defaults, contracts)",
      "1:1: missing required key 'contracts'"}},
    {"contracts not a list", "contracts: {name: x}\n", {"1:12: contracts must be a non-empty list"}},
    {"contract without name or steps", "contracts:\n  - tags: [a]\n",
     {"2:5: missing required key 'name'", "2:5: missing required key 'steps'"}},
    {"bad tag", "contracts:\n  - name: c\n    tags: ['!mock']\n    steps: []\n",
     {"3:12: a tag must be a non-empty name without spaces or commas, not starting with '!'",
      "4:12: steps must be a non-empty list"}},
    {"step without request", step("        expect: {status: 200}\n"), {"4:9: missing required key 'request'"}},
    {"request without method and path", step("        request: {query: {a: 1}}\n"),
     {"5:18: missing required key 'method'", "5:18: missing required key 'path'"}},
    {"relative path", step("        request: {method: GET, path: api/info}\n"),
     {"5:38: path must start with '/' (as the server sees it), or be an absolute URL on the target"}},
    {"two bodies", step("        request: {method: POST, path: /a, json: {}, form: {a: b}}\n"),
     {"5:18: a request has at most one of json, form and body"}},
    {"content_type without body", step("        request: {method: POST, path: /a, json: {}, content_type: text/plain}\n"),
     {"5:67: content_type goes with body (json and form set their own)"}},
    {"bad status", step("        request: {method: GET, path: /a}\n        expect: {status: 600}\n"),
     {"6:26: status must be a number from 100 to 599, a class such as \"4xx\", or a list of those"}},
    {"bad status class in a list", step("        request: {method: GET, path: /a}\n        expect: {status: [200, \"4xy\"]}\n"),
     {"6:32: status must be a number from 100 to 599, a class such as \"4xx\", or a list of those"}},
    {"unknown expect key", step("        request: {method: GET, path: /a}\n        expect: {stauts: 200}\n"),
     {"6:18: unknown key 'stauts' (allowed: status, headers, body, text, error_code, schema)"}},
    {"unknown matcher", step("        request: {method: GET, path: /a}\n        expect:\n          body:\n            /a: {regx: x}\n"),
     {"8:18: unknown key 'regx' (allowed: equals, not_equals, regex, type, present, absent, length, contains); "
      "to compare with an object write {equals: {...}}"}},
    {"header matcher that only bodies have",
     step("        request: {method: GET, path: /a}\n        expect:\n          headers:\n            Allow: {type: string}\n"),
     {"8:21: unknown key 'type' (allowed: equals, not_equals, regex, present, absent, contains)"}},
    {"body key not a pointer", step("        request: {method: GET, path: /a}\n        expect:\n          body:\n            token: x\n"),
     {"8:13: 'token' is not a JSON Pointer (write /field, /errors/0/code)"}},
    {"bad type name", step("        request: {method: GET, path: /a}\n        expect:\n          body:\n            /a: {type: int}\n"),
     {"8:24: body /a type must be one of string, number, integer, boolean, object, array, null"}},
    {"negative length", step("        request: {method: GET, path: /a}\n        expect:\n          body:\n            /a: {length: -1}\n"),
     {"8:26: body /a length must be an integer from 0 to 1099511627776"}},
    {"allow without reason", step("        request: {method: GET, path: /a}\n        allow: [undeclared_status]\n"),
     {"6:17: allow needs a reason: write {check: undeclared_status, reason: \"why it differs\"}"}},
    {"allow of an unknown check", step("        request: {method: GET, path: /a}\n        allow:\n          - {check: status, reason: x}\n"),
     {"7:21: unknown spec check 'status' (known: unknown_operation, undeclared_status, content_type, schema, "
      "required_header, error_shape)"}},
    {"save into a bad name", step("        request: {method: GET, path: /a}\n        save: {2fa: /token}\n"),
     {"6:16: '2fa' cannot be a variable name (letters, digits and _; 'target' is the runner's)"}},
    {"save with pointer and header", step("        request: {method: GET, path: /a}\n        save:\n          t: {pointer: /a, header: X}\n"),
     {"7:14: save t needs exactly one of 'pointer' and 'header'"}},
    {"unterminated placeholder", step("        request: {method: GET, path: \"/a/${id\"}\n"),
     {"5:38: path: unterminated ${ at offset 3 (write $${ for a literal ${)"}},
    {"bad placeholder name in json", step("        request: {method: POST, path: /a, json: {x: \"${a-b}\"}}\n"),
     {"5:49: json: bad placeholder ${a-b} at offset 0: a name is letters, digits and _, not starting with a digit"}},
    {"duplicate step names",
     "contracts:\n  - name: c\n    steps:\n      - {name: s, request: {method: GET, path: /a}}\n"
     "      - {name: s, request: {method: GET, path: /b}}\n",
     {"5:16: duplicate step name 's' (first at line 4, column 16)"}},
    {"duplicate contract names",
     "contracts:\n  - {name: c, steps: [{name: s, request: {method: GET, path: /a}}]}\n"
     "  - {name: c, steps: [{name: s, request: {method: GET, path: /a}}]}\n",
     {"3:12: duplicate contract name 'c' (first at line 2, column 12)"}},
    {"bad default timeout", "defaults: {timeout_ms: 0}\ncontracts:\n  - {name: c, steps: [{name: s, request: {method: GET, path: /a}}]}\n",
     {"1:24: timeout_ms must be an integer from 1 to 600000"}},
    {"variable called target", "variables: {target: x}\ncontracts:\n  - {name: c, steps: [{name: s, request: {method: GET, path: /a}}]}\n",
     {"1:13: 'target' cannot be a variable name (letters, digits and _; 'target' is the runner's)"}},
    {"header value that is a mapping", step("        request: {method: GET, path: /a, headers: {X-A: {b: 1}}}\n"),
     {"5:57: header X-A must be a string, number or boolean"}},
};

INSTANTIATE_TEST_SUITE_P(table, contract_loader_rejects, ::testing::ValuesIn(kBadFiles));

TEST(contract_loader, reports_problems_of_several_steps_in_file_order) {
  const auto errors = errors_of(
      "contracts:\n"
      "  - name: c\n"
      "    steps:\n"
      "      - name: one\n"
      "        request: {method: GET}\n"
      "      - name: two\n"
      "        request: {method: GET, path: /a}\n"
      "        expect: {schema: maybe}\n");
  EXPECT_EQ((std::vector<std::string>{"5:18: missing required key 'path'", "8:26: schema must be a boolean, not a string"}), errors);
}

TEST(contract_loader, reports_a_regex_that_does_not_compile_at_the_regex) {
  const auto errors =
      errors_of(step("        request: {method: GET, path: /a}\n        expect:\n          body:\n            /a: {regex: \"([a-z\"}\n"));
  ASSERT_EQ(1u, errors.size());
  // The rest of the message is libstdc++'s own wording.
  EXPECT_EQ(0u, errors[0].rfind("8:25: invalid regex: ", 0)) << errors[0];
}

TEST(contract_loader, an_unreadable_file_is_an_error_not_a_crash) {
  auto loaded = pbxmock::contracts::load_contract_file("/nonexistent/contracts.yaml");
  ASSERT_FALSE(loaded.ok());
  ASSERT_EQ(1u, loaded.error().size());
  EXPECT_EQ("cannot open file", loaded.error()[0].message);
}

TEST(contract_loader, recognizes_contract_files_by_their_top_level_key) {
  EXPECT_TRUE(pbxmock::contracts::looks_like_contract_file(nlohmann::json{{"contracts", nlohmann::json::array()}}));
  EXPECT_FALSE(pbxmock::contracts::looks_like_contract_file(nlohmann::json{{"tenants", nlohmann::json::array()}}));
  EXPECT_FALSE(pbxmock::contracts::looks_like_contract_file(nlohmann::json::array()));
}

}  // namespace
