// The recorder (contracts/recording): sessions grouped by the tokens they share, each written
// as a contract file that loads, carries tokens by save: and holds no secret; the HAR reader
// and the choice of the API's entries; the scenario skeleton.
#include <gtest/gtest.h>

#include <optional>

#include "contracts/contract_loader.h"
#include "contracts/exchange_check.h"
#include "contracts/recording/har_reader.h"
#include "contracts/recording/har_selection.h"
#include "contracts/recording/recorder.h"
#include "contracts/recording/session_grouping.h"

namespace {

using nlohmann::json;
using pbxmock::contracts::Exchange;
using namespace pbxmock::contracts::recording;

using Groups = std::vector<std::vector<std::size_t>>;

TEST(session_grouping, a_session_runs_from_its_sign_in_to_its_sign_out) {
  // sign-in, GET /info, GET /auth/user, sign-out, then GET /info with no session open or to come.
  const std::vector<ExchangeFacts> facts = {{{}, true, false}, {{}, false, false}, {{0}, false, false},
                                            {{0}, false, true}, {{}, false, false}};
  EXPECT_EQ((Groups{{0, 1, 2, 3}, {4}}), group_sessions(facts));
}

TEST(session_grouping, what_comes_before_a_sign_in_joins_it) {
  const std::vector<ExchangeFacts> facts = {{{}, false, false}, {{}, true, false}, {{1}, false, false}};
  EXPECT_EQ((Groups{{0, 1, 2}}), group_sessions(facts));
}

TEST(session_grouping, interleaved_sessions_are_told_apart_by_their_tokens) {
  const std::vector<ExchangeFacts> facts = {{{}, true, false}, {{}, true, false}, {{0}, false, false},
                                            {{1}, false, true}, {{2}, true, false}};
  EXPECT_EQ((Groups{{0, 2, 4}, {1, 3}}), group_sessions(facts));
}

TEST(session_grouping, a_tokenless_exchange_joins_the_latest_session_still_open_else_the_next_to_begin) {
  // 0, 1: two sign-ins; 2: GET /info (B, the latest open); 3: B's sign-out; 4: GET /info (A: B
  // has ended); 5: A's sign-out; 6: GET /info (none open: the next, C); 7: C's sign-in; 8: C.
  const std::vector<ExchangeFacts> facts = {{{}, true, false},  {{}, true, false},  {{}, false, false},
                                            {{1}, false, true}, {{}, false, false}, {{0}, false, true},
                                            {{}, false, false}, {{}, true, false},  {{}, false, false}};
  EXPECT_EQ((Groups{{0, 4, 5}, {1, 2, 3}, {6, 7, 8}}), group_sessions(facts));
}

const std::string kAccess1 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1";
const std::string kRefresh1 = "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR1";
const std::string kAccess2 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA2";
const std::string kRefresh2 = "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR2";

Exchange json_exchange(const std::string& method, const std::string& target, const json& body, int status,
                       const json& answer, const std::string& bearer = "") {
  Exchange e;
  e.request.method = method;
  e.request.target = target;
  if (!bearer.empty()) e.request.headers.emplace_back("Authorization", "Bearer " + bearer);
  e.request.headers.emplace_back("User-Agent", "test");
  if (!body.is_null()) {
    e.request.headers.emplace_back("Content-Type", "application/json");
    e.request.body = body.dump();
  }
  e.response.status = status;
  if (!answer.is_null()) {
    e.response.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    e.response.body = answer.dump();
  }
  return e;
}

json tokens(const std::string& access, const std::string& refresh) {
  return {{"token_type", "Bearer"}, {"access_token", access}, {"refresh_token", refresh}, {"expires_in", 3600}};
}

std::vector<Exchange> alice_session() {
  return {
      json_exchange("GET", "/api/info", nullptr, 200, {{"web_domain", "pbx.example.com"}, {"enable_ipv6", true}}),
      json_exchange("POST", "/api/auth/sign_in",
                    {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}}, 200,
                    tokens(kAccess1, kRefresh1)),
      json_exchange("GET", "/api/auth/user", nullptr, 200,
                    {{"role", "Admin"}, {"password_verified", true}, {"password_force_reset", false}}, kAccess1),
      json_exchange("POST", "/api/auth/refresh_token", {{"refresh_token", kRefresh1}}, 200, tokens(kAccess2, kRefresh2)),
      json_exchange("POST", "/api/auth/sign_out", nullptr, 204, nullptr, kAccess2),
  };
}

const pbxmock::spec::OpenApiDocument& spec() { return pbxmock::spec::builtin_spec(); }

TEST(recorder, a_session_becomes_one_contract_that_loads_and_carries_its_tokens) {
  Recorder recorder(spec());
  for (auto& e : alice_session()) recorder.add(e);
  const auto ended = recorder.take_ended();
  ASSERT_EQ(1u, ended.size());
  EXPECT_EQ("session-1.yaml", ended[0].name);
  const std::string& text = ended[0].text;
  auto loaded = pbxmock::contracts::load_contracts(text, "session-1.yaml");
  ASSERT_TRUE(loaded) << (loaded ? "" : loaded.error().front().to_string()) << "\n" << text;
  ASSERT_EQ(1u, loaded->contracts.size());
  const auto& contract = loaded->contracts[0];
  EXPECT_EQ("session 1: alice@pbx.example.com", contract.name);
  ASSERT_EQ(5u, contract.steps.size());

  const auto& sign_in = contract.steps[1];
  EXPECT_EQ("${env.PBX_PASSWORD}", sign_in.request.json["password"]);
  EXPECT_EQ("alice", sign_in.request.json["username"]);
  ASSERT_EQ(2u, sign_in.save.size());
  EXPECT_EQ("access_token", sign_in.save[0].name);
  EXPECT_EQ("/access_token", sign_in.save[0].where);
  EXPECT_EQ("refresh_token", sign_in.save[1].name);

  const auto& user = contract.steps[2];
  ASSERT_EQ(1u, user.request.headers.size()) << text;  // User-Agent is left out
  EXPECT_EQ("Bearer ${access_token}", user.request.headers[0].second);
  bool role_by_value = false;
  for (const auto& b : user.expect.body) role_by_value |= b.pointer == "/role" && b.matchers[0].expected == "Admin";
  EXPECT_TRUE(role_by_value) << text;

  EXPECT_EQ("${refresh_token}", contract.steps[3].request.json["refresh_token"]);
  EXPECT_EQ("Bearer ${access_token_2}", contract.steps[4].request.headers[0].second);
  ASSERT_TRUE(contract.steps[4].expect.status.has_value());
  EXPECT_EQ(std::vector<int>{204}, contract.steps[4].expect.status->codes);

  for (const std::string& secret : {std::string("alice-secret"), kAccess1, kRefresh1, kAccess2, kRefresh2}) {
    EXPECT_EQ(std::string::npos, text.find(secret)) << secret << " written out:\n" << text;
  }
  EXPECT_EQ(std::vector<std::string>{"PBX_PASSWORD"}, recorder.environment());
  EXPECT_TRUE(recorder.take_all().empty());  // written once
}

TEST(recorder, sessions_taken_as_they_end_are_each_written_once_and_a_late_token_joins_no_other) {
  // As the proxy adds them: one exchange at a time, a take after each.
  Recorder recorder(spec());
  std::vector<std::string> names, texts;
  const auto add = [&](Exchange e) {
    recorder.add(std::move(e));
    for (const auto& file : recorder.take_ended()) {
      names.push_back(file.name);
      texts.push_back(file.text);
    }
  };
  for (auto& e : alice_session()) add(e);
  EXPECT_EQ(std::vector<std::string>{"session-1.yaml"}, names);
  // A request with the written session's (revoked) token, then a second session that begins
  // without a token: the late request is dropped, not taken into the second session.
  add(json_exchange("GET", "/api/auth/user", nullptr, 401, {{"errors", json::array()}}, kAccess2));
  const std::string kAccess3 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3";
  add(json_exchange("POST", "/api/auth/sign_in",
                    {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}}, 200,
                    tokens(kAccess3, kRefresh1)));
  add(json_exchange("POST", "/api/auth/sign_out", nullptr, 204, nullptr, kAccess3));
  ASSERT_EQ((std::vector<std::string>{"session-1.yaml", "session-2.yaml"}), names);
  EXPECT_EQ(std::string::npos, texts[1].find("status: 401")) << texts[1];
  EXPECT_NE(std::string::npos, texts[1].find("2 POST /api/auth/sign_out")) << texts[1];
  EXPECT_TRUE(recorder.take_all().empty());
}

TEST(recorder, codes_and_tokens_no_answer_issued_come_from_the_environment) {
  Recorder recorder(spec());
  recorder.add(json_exchange("POST", "/api/auth/verify_otp", {{"token", "TWOFACTORSESSIONTOKEN0000"}, {"code", "123456"}},
                             200, tokens(kAccess1, kRefresh1)));
  recorder.add(json_exchange("POST", "/api/auth/reset_password?token=RESETTOKEN0000000000",
                             {{"new_password", "n3w-secret"}}, 200, nullptr));
  recorder.add(json_exchange("GET", "/api/auth/user", nullptr, 401,
                             {{"errors", {{{"code", "UNAUTHORIZED"}, {"message", "no"}}}}}, "NOTISSUEDTOKEN00000000"));
  const auto files = recorder.take_all();
  std::string all;
  for (const auto& f : files) all += f.text;
  for (const char* secret : {"TWOFACTORSESSIONTOKEN0000", "123456", "RESETTOKEN0000000000", "n3w-secret",
                             "NOTISSUEDTOKEN00000000"}) {
    EXPECT_EQ(std::string::npos, all.find(secret)) << secret << " written out:\n" << all;
  }
  EXPECT_NE(std::string::npos, all.find("${env.PBX_CODE}")) << all;
  EXPECT_NE(std::string::npos, all.find("${env.PBX_NEW_PASSWORD}")) << all;
  EXPECT_NE(std::string::npos, all.find("Bearer ${env.PBX_BEARER_TOKEN}")) << all;
  EXPECT_NE(std::string::npos, all.find("error_code: UNAUTHORIZED")) << all;
  for (const auto& f : files) {
    auto loaded = pbxmock::contracts::load_contracts(f.text, f.name);
    EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().front().to_string()) << "\n" << f.text;
  }
}

TEST(recorder, the_scenario_skeleton_has_the_metadata_the_users_and_no_passwords) {
  Recorder recorder(spec());
  for (auto& e : alice_session()) recorder.add(e);
  recorder.add(json_exchange("GET", "/api/info?domain=pbx.example.com", nullptr, 200,
                             {{"web_domain", "pbx.example.com"}, {"name", "Example Corp"}, {"domain", "pbx.example.com"},
                              {"enable_ms365_integration", true}}));
  const std::string text = recorder.scenario_skeleton().text;
  EXPECT_NE(std::string::npos, text.find("web_domain: \"pbx.example.com\"")) << text;
  EXPECT_NE(std::string::npos, text.find("name: \"Example Corp\"")) << text;
  EXPECT_NE(std::string::npos, text.find("username: \"alice\"")) << text;
  EXPECT_NE(std::string::npos, text.find("password: ~")) << text;
  EXPECT_NE(std::string::npos, text.find("role: Admin")) << text;
  EXPECT_NE(std::string::npos, text.find("access_token_lifetime: 3600")) << text;
  EXPECT_EQ(std::string::npos, text.find("alice-secret")) << text;
}

const char* kHar = R"({"log": {"version": "1.2", "entries": [
  {"request": {"method": "get", "url": "http://127.0.0.1:9/api/info?domain=pbx.example.com#top",
               "headers": [{"name": ":authority", "value": "x"}, {"name": "Accept", "value": "*/*"}]},
   "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                "content": {"mimeType": "application/json", "text": "eyJhIjoxfQ==", "encoding": "base64"}}},
  {"request": {"method": "GET", "url": "http://127.0.0.1:9/favicon.ico", "headers": []},
   "response": {"status": 404, "headers": [], "content": {"text": ""}}},
  {"request": {"method": "GET", "url": "https://cdn.example.net/api/info", "headers": []},
   "response": {"status": 200, "headers": [], "content": {}}},
  {"request": {"method": "POST", "url": "http://127.0.0.1:9/api/auth/sign_in", "headers": [],
               "postData": {"mimeType": "application/json", "text": "{\"username\":\"alice\"}"}},
   "response": {"status": 400, "headers": [], "content": {}}}
]}})";

TEST(har_reader, reads_entries_into_exchanges) {
  auto entries = read_har(kHar);
  ASSERT_TRUE(entries) << entries.error().describe("kHar");
  ASSERT_EQ(4u, entries->size());
  const Exchange& first = (*entries)[0].exchange;
  EXPECT_EQ("GET", first.request.method);
  EXPECT_EQ("/api/info?domain=pbx.example.com", first.request.target);
  EXPECT_EQ("http://127.0.0.1:9", (*entries)[0].origin);
  ASSERT_EQ(1u, first.request.headers.size());  // the pseudo-header is dropped
  EXPECT_EQ("Accept", first.request.headers[0].first);
  EXPECT_EQ(R"({"a":1})", first.response.body);
  EXPECT_EQ(R"({"username":"alice"})", (*entries)[3].exchange.request.body);
}

TEST(har_reader, an_answer_without_text_has_its_body_unknown_not_empty) {
  auto entries = read_har(kHar);
  ASSERT_TRUE(entries);
  EXPECT_TRUE((*entries)[0].exchange.response.body_captured);
  EXPECT_TRUE((*entries)[1].exchange.response.body_captured);    // text "" is an empty body
  EXPECT_FALSE((*entries)[3].exchange.response.body_captured);   // content {} kept nothing
  auto sized = read_har(R"({"log":{"entries":[
    {"request":{"method":"GET","url":"http://h/a"},"response":{"status":204,"content":{"size":0}}},
    {"request":{"method":"GET","url":"http://h/b"},"response":{"status":200,"content":{"size":57}}},
    {"request":{"method":"GET","url":"http://h/c"},"response":{"status":200}}]}})");
  ASSERT_TRUE(sized);
  EXPECT_TRUE((*sized)[0].exchange.response.body_captured);
  EXPECT_FALSE((*sized)[1].exchange.response.body_captured);
  EXPECT_FALSE((*sized)[2].exchange.response.body_captured);
}

std::string problem(std::string_view text) {
  auto read = read_har(text);
  return read ? std::string("(read)") : read.error().describe("f.har");
}

TEST(har_reader, a_broken_file_is_named_by_line_and_column_or_pointer) {
  // The 'x' on line 2, column 4; the rest is nlohmann's own description.
  EXPECT_EQ(0u, problem("{\n   x").find("f.har:2:4: not JSON: ")) << problem("{\n   x");
  EXPECT_EQ("f.har: /log: missing", problem("{}"));
  EXPECT_EQ("f.har: (root): expected an object with 'log'", problem("[]"));
  EXPECT_EQ("f.har: /log/entries/0/request/url: missing",
            problem(R"({"log":{"entries":[{"request":{"method":"GET"},"response":{"status":200}}]}})"));
  EXPECT_EQ("f.har: /log/entries/0/response/status: expected a number",
            problem(R"({"log":{"entries":[{"request":{"method":"GET","url":"http://h/"},"response":{"status":"200"}}]}})"));
  EXPECT_EQ("f.har: /log/entries/0/request/url: not an http(s) URL: 'ftp://h/'",
            problem(R"({"log":{"entries":[{"request":{"method":"GET","url":"ftp://h/"},"response":{"status":200}}]}})"));
  EXPECT_EQ("f.har: /log/entries/0/response/content/text: not valid base64",
            problem(R"({"log":{"entries":[{"request":{"method":"GET","url":"http://h/"},"response":{"status":200,
                      "content":{"text":"!!","encoding":"base64"}}}]}})"));
}

TEST(har_selection, keeps_the_apis_entries_from_the_apis_origin) {
  auto entries = read_har(kHar);
  ASSERT_TRUE(entries);
  const pbxmock::contracts::ExchangeChecker checker(spec(), {"/__admin", "/__idp"});
  const auto selection = select_api_entries(*entries, checker);
  EXPECT_EQ("http://127.0.0.1:9", selection.api_origin);
  EXPECT_EQ((std::vector<std::size_t>{0, 3}), selection.api);
  EXPECT_EQ((std::vector<std::size_t>{1, 2}), selection.other);
}

TEST(base64, decodes_with_and_without_padding) {
  EXPECT_EQ("hello", decode_base64("aGVsbG8=").value());
  EXPECT_EQ("hello", decode_base64("aGVs\nbG8").value());
  EXPECT_FALSE(decode_base64("a*b").has_value());
}

// What take_all writes when it is one file, loaded (and its text); nullopt, the failure
// reported, when it is not one file or does not load.
std::optional<pbxmock::contracts::ContractFile> the_one_file(Recorder& recorder, std::string& text) {
  const auto files = recorder.take_all();
  if (files.size() != 1) {
    ADD_FAILURE() << files.size() << " files written, not 1";
    return std::nullopt;
  }
  text = files[0].text;
  auto loaded = pbxmock::contracts::load_contracts(files[0].text, files[0].name);
  if (!loaded) {
    ADD_FAILURE() << loaded.error().front().to_string() << "\n" << text;
    return std::nullopt;
  }
  return std::move(loaded).value();
}

// Found by fuzz/har_fuzzer (corpus file recorder_status_954.har): a HAR's status is any number
// (0 for a request the browser got no answer to), and `status: 954` is a contract `check`
// refuses to load. Such a step expects no status; the others keep theirs.
TEST(recorder, an_answer_without_an_http_status_is_expected_by_nothing_else_and_the_file_loads) {
  Recorder recorder(spec());
  recorder.add(json_exchange("GET", "/api/info", nullptr, 0, nullptr));
  recorder.add(json_exchange("GET", "/api/info", nullptr, 954, {{"web_domain", "pbx.example.com"}}));
  recorder.add(json_exchange("GET", "/api/info", nullptr, 200, {{"web_domain", "pbx.example.com"}}));
  std::string text;
  const auto loaded = the_one_file(recorder, text);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(1u, loaded->contracts.size());
  const auto& steps = loaded->contracts[0].steps;
  ASSERT_EQ(3u, steps.size());
  EXPECT_FALSE(steps[0].expect.status.has_value());
  EXPECT_FALSE(steps[1].expect.status.has_value());
  ASSERT_TRUE(steps[2].expect.status.has_value());
  EXPECT_EQ(std::vector<int>{200}, steps[2].expect.status->codes);
}

// Found by fuzz/har_fuzzer (corpus file har_method_not_a_token.har): a HAR may name any
// method, and "/POST" is one no contract can send. The reader refuses it with where it is.
TEST(har_reader, a_method_that_is_no_http_token_is_refused) {
  EXPECT_EQ("f.har: /log/entries/0/request/method: not an HTTP method: '/POST'",
            problem(R"({"log":{"entries":[{"request":{"method":"/POST","url":"http://h/"},"response":{"status":200}}]}})"));
  EXPECT_EQ("(read)", problem(R"({"log":{"entries":[{"request":{"method":"get","url":"http://h/"},"response":{"status":200}}]}})"));
}

// A header name no contract can send (not a token) is left out; the other x- headers are kept.
TEST(recorder, a_header_name_that_is_no_token_is_not_written_and_the_file_loads) {
  Exchange e = json_exchange("GET", "/api/info", nullptr, 200, {{"web_domain", "pbx.example.com"}});
  e.request.headers.emplace_back("X-Bad Name", "1");
  e.request.headers.emplace_back("X-Trace", "abc");
  Recorder recorder(spec());
  recorder.add(e);
  std::string text;
  const auto loaded = the_one_file(recorder, text);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(std::string::npos, text.find("X-Bad Name")) << text;
  EXPECT_NE(std::string::npos, text.find("X-Trace")) << text;
}

// Found by fuzz/har_fuzzer (corpus file recorder_save_name_not_a_variable.har: "access)token"):
// an answer's token member may have any name; what it is saved as must be a contract variable.
TEST(recorder, a_token_saved_from_a_member_with_any_name_is_saved_as_a_variable_that_loads) {
  const std::string kAccess4 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA4";
  Recorder recorder(spec());
  recorder.add(json_exchange("POST", "/api/auth/sign_in", {{"username", "alice"}, {"password", "alice-secret"}}, 200,
                             {{"my token", kAccess1}, {"refresh-token", kRefresh1}, {"9token", kAccess2}}));
  recorder.add(json_exchange("GET", "/api/auth/user", nullptr, 200, {{"role", "Admin"}}, kAccess1));
  recorder.add(json_exchange("POST", "/api/auth/refresh_token", {{"refresh_token", kRefresh1}, {"x", kAccess2}}, 200,
                             {{"my token", kAccess4}}));
  recorder.add(json_exchange("GET", "/api/auth/user", nullptr, 200, {{"role", "Admin"}}, kAccess4));
  std::string text;
  const auto loaded = the_one_file(recorder, text);
  ASSERT_TRUE(loaded);
  for (const char* used : {"${my_token}", "${refresh_token}", "${token_9token}", "${my_token_2}"}) {
    EXPECT_NE(std::string::npos, text.find(used)) << used << "\n" << text;
  }
}

// A query parameter, form field or header sent twice would be a key written twice, which the
// contract loader refuses: parameters and fields become one key with a list, a header its first value.
TEST(recorder, a_name_sent_twice_is_one_key_and_the_file_loads) {
  Exchange query = json_exchange("GET", "/api/info?domain=a.example.com&x=1&domain=b.example.com", nullptr, 200,
                                 {{"web_domain", "pbx.example.com"}});
  query.request.headers.emplace_back("X-Trace", "first");
  query.request.headers.emplace_back("x-trace", "second");
  Exchange form;
  form.request.method = "POST";
  form.request.target = "/api/auth/sign_in";
  form.request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  form.request.body = "username=alice&username=bob";
  form.response.status = 400;
  Recorder recorder(spec());
  recorder.add(query);
  recorder.add(form);
  std::string text;
  const auto loaded = the_one_file(recorder, text);
  ASSERT_TRUE(loaded);
  const auto& steps = loaded->contracts.at(0).steps;
  ASSERT_EQ(2u, steps.size());
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ((Pairs{{"domain", "a.example.com"}, {"domain", "b.example.com"}, {"x", "1"}}), steps[0].request.query);
  EXPECT_EQ((Pairs{{"X-Trace", "first"}}), steps[0].request.headers);
  EXPECT_EQ((Pairs{{"username", "alice"}, {"username", "bob"}}), steps[1].request.form);
}

// Found by fuzz/har_fuzzer (corpus files recorder_error_code_placeholder.har and
// recorder_json_key_placeholder.har, a json body key): strings the
// recording holds are written literal and, where YAML would read another kind, quoted, so "${",
// "NULL" or "404" stay the strings seen.
TEST(recorder, an_error_code_method_and_names_from_the_recording_are_written_as_the_strings_seen) {
  Exchange e = json_exchange("POST", "/api/auth/sign_in", {{"username", "${x"}, {"domain", "null"}, {"k${", 1}}, 401,
                             {{"errors", {{{"code", "a${b"}}}}});
  e.request.method = "NULL";
  Exchange numbers = json_exchange("GET", "/api/auth/user", nullptr, 401, {{"errors", {{{"code", "404"}}}}});
  numbers.request.method = "1E5";
  Exchange raw;
  raw.request.method = "POST";
  raw.request.target = "/api/info";
  raw.request.headers.emplace_back("Content-Type", "text/${plain");
  raw.request.body = "x";
  raw.response.status = 404;
  raw.response.headers.emplace_back("Content-Type", "application/json");
  raw.response.body = R"({"errors":[{"code":""}]})";
  Recorder recorder(spec());
  recorder.add(e);
  recorder.add(raw);
  recorder.add(numbers);
  std::string text;
  const auto loaded = the_one_file(recorder, text);
  ASSERT_TRUE(loaded);
  const auto& contract = loaded->contracts.at(0);
  EXPECT_EQ("session 1: $${x@null", contract.name);  // "$${" is how the format writes "${"
  ASSERT_EQ(3u, contract.steps.size());
  EXPECT_EQ("NULL", contract.steps[0].request.method);
  EXPECT_TRUE(contract.steps[0].request.json.contains("k$${")) << contract.steps[0].request.json.dump();
  EXPECT_EQ("1E5", contract.steps[2].request.method);
  EXPECT_EQ("404", contract.steps[2].expect.error_code.value_or("(none)"));
  EXPECT_EQ("a$${b", contract.steps[0].expect.error_code.value_or("(none)"));
  EXPECT_EQ("text/$${plain", contract.steps[1].request.content_type);
  EXPECT_FALSE(contract.steps[1].expect.error_code.has_value());  // an empty code is no code
}

// Found by fuzz/har_fuzzer (corpus file har_number_overflow.har): a number too large for a
// double was thrown past read_har (pbxmock import died); it is a refusal with where it is.
TEST(har_reader, a_number_too_large_is_refused_with_its_line_and_column) {
  EXPECT_EQ("f.har:2:9: not JSON: number overflow parsing '2e888'", problem("{\"log\":\n  {\"x\": 2e888}}"));
}

// A body nested deeper than a contract file may hold (or the recorder should recurse into) is
// not read as JSON: a request's is written as a raw body, and the file loads.
TEST(recorder, a_body_nested_too_deep_is_not_read_as_json_and_the_file_loads) {
  const std::string deep = std::string(30000, '[') + std::string(30000, ']');
  Exchange e = json_exchange("POST", "/api/auth/sign_in", nullptr, 200, nullptr);
  e.request.headers.emplace_back("Content-Type", "application/json");
  e.request.body = deep;
  e.response.headers.emplace_back("Content-Type", "application/json");
  e.response.body = deep;
  EXPECT_TRUE(parse_json_body(deep).is_discarded());
  EXPECT_TRUE(issued_tokens(e.response).empty());
  Recorder recorder(spec());
  recorder.add(e);
  std::string text;
  const auto loaded = the_one_file(recorder, text);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(pbxmock::contracts::BodyKind::raw, loaded->contracts.at(0).steps.at(0).request.body_kind);
  const std::string shallow = std::string(kMaxBodyDepth - 1, '[') + std::string(kMaxBodyDepth - 1, ']');
  EXPECT_FALSE(parse_json_body(shallow).is_discarded());
}

}  // namespace
