// The examples of spec/portsip-auth.yaml run as they are (issue 12): every request example
// is sent to the real mock with its default scenario, and every response example is what
// the mock answers: same status, same keys and types, and the same values for error codes
// and detail.rule. Tokens, codes and reset tokens are the only values replaced (a live one
// from the mock), the way a replaying tool such as Dredd is configured with hooks.
// A last check walks the whole document: an example no case sends or compares fails.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "spec/openapi.h"
#include "spec/url_encoding.h"
#include "support/server_client.h"
#include "support/server_process.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;
using pbxmock::spec::OpenApiDocument;

const OpenApiDocument& spec() { return pbxmock::spec::builtin_spec(); }

std::string escape_pointer(std::string_view token) {
  std::string out;
  for (char c : token) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

// Follows $ref chains; `pointer` becomes where the value really is.
const json* follow(const json* value, std::string& pointer) {
  for (int hops = 0; value != nullptr && hops < 16 && value->is_object() && value->contains("$ref"); ++hops) {
    const std::string ref = value->at("$ref").get<std::string>();
    pointer = ref.substr(1);
    value = spec().resolve_ref(ref);
  }
  return value;
}

// Where every example of the document is (request bodies, parameters, response bodies and
// headers), after following $refs: the set the cases below must cover.
std::set<std::string> every_example() {
  std::set<std::string> out;
  auto add_media = [&](const json& content, const std::string& at) {
    for (const auto& [type, media] : content.items()) {
      const std::string media_at = at + "/content/" + escape_pointer(type);
      if (media.contains("example")) out.insert(media_at + "/example");
      if (!media.contains("examples")) continue;
      for (const auto& [name, example] : media.at("examples").items()) {
        std::string pointer = media_at + "/examples/" + escape_pointer(name);
        if (follow(&example, pointer) != nullptr) out.insert(pointer);
      }
    }
  };
  for (const auto& op : spec().operations()) {
    const json& raw = *pbxmock::spec::resolve_pointer(spec().root(), op.pointer);
    for (const auto& p : op.parameters) {
      const json* parameter = pbxmock::spec::resolve_pointer(spec().root(), p.pointer);
      if (parameter != nullptr && parameter->contains("example")) out.insert(p.pointer + "/example");
    }
    if (raw.contains("requestBody")) {
      std::string at = op.pointer + "/requestBody";
      const json* body = follow(&raw.at("requestBody"), at);
      if (body != nullptr && body->contains("content")) add_media(body->at("content"), at);
    }
    for (const auto& [status, response] : raw.at("responses").items()) {
      std::string at = op.pointer + "/responses/" + status;
      const json* resolved = follow(&response, at);
      if (resolved == nullptr) continue;
      if (resolved->contains("content")) add_media(resolved->at("content"), at);
      if (!resolved->contains("headers")) continue;
      for (const auto& [name, header] : resolved->at("headers").items()) {
        if (header.contains("example")) out.insert(at + "/headers/" + escape_pointer(name) + "/example");
      }
    }
  }
  return out;
}

// The example at `pointer`: an `example` value, or the `value` of an Example Object.
json example_at(const std::string& pointer) {
  const json* found = pbxmock::spec::resolve_pointer(spec().root(), pointer);
  if (found == nullptr) {
    ADD_FAILURE() << "no example at " << pointer;
    return nullptr;
  }
  return found->is_object() && found->contains("value") && pointer.find("/examples/") != std::string::npos
             ? found->at("value")
             : *found;
}

std::string kind(const json& value) {
  if (value.is_number_integer()) return "integer";  // signed or unsigned alike
  return value.type_name();
}

// Same keys and types all the way down; for error bodies, the same code and detail.rule.
void expect_same_shape(const json& example, const json& actual, const std::string& at = "") {
  if (kind(example) != kind(actual)) {
    ADD_FAILURE() << "type at " << (at.empty() ? "/" : at) << ": example " << example.dump() << ", answer " << actual.dump();
    return;
  }
  auto ends_with = [&](std::string_view suffix) {
    return at.size() >= suffix.size() && at.compare(at.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (at.rfind("/errors/", 0) == 0 && (ends_with("/code") || ends_with("/detail/rule"))) {
    EXPECT_EQ(example, actual) << "at " << at;
  }
  if (example.is_object()) {
    std::set<std::string> example_keys, actual_keys;
    for (const auto& item : example.items()) example_keys.insert(item.key());
    for (const auto& item : actual.items()) actual_keys.insert(item.key());
    EXPECT_EQ(example_keys, actual_keys) << "keys at " << (at.empty() ? "/" : at) << "; answer " << actual.dump();
    for (const auto& [key, value] : example.items()) {
      if (actual.contains(key)) expect_same_shape(value, actual.at(key), at + "/" + key);
    }
  } else if (example.is_array()) {
    EXPECT_EQ(example.empty(), actual.empty()) << "at " << at;
    for (std::size_t i = 0; i < example.size() && i < actual.size(); ++i) {
      expect_same_shape(example[i], actual[i], at + "/" + std::to_string(i));
    }
  }
}

// An address the mock hands out (the stand-in identity provider): same path, same query names.
void expect_same_address(const std::string& example, const std::string& actual) {
  auto split = [](const std::string& url) {
    const auto scheme_end = url.find("://");
    const auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    const auto query_start = url.find('?');
    std::set<std::string> names;
    if (query_start != std::string::npos) {
      auto pairs = pbxmock::spec::parse_url_encoded(std::string_view(url).substr(query_start + 1));
      if (pairs) {
        for (const auto& pair : pairs.value()) names.insert(pair.first);
      }
    }
    return std::make_pair(url.substr(path_start, query_start - path_start), names);
  };
  EXPECT_EQ(split(example), split(actual)) << "example " << example << "\nanswer  " << actual;
}

std::string text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

httplib::Params form_of(const json& example) {
  httplib::Params form;
  for (const auto& [name, value] : example.items()) form.emplace(name, text(value));
  return form;
}

// The checks catch what they are for.
const json kValidateFailed = json::parse(
    R"({"errors":[{"code":"VALIDATE_FAILED","message":"m","detail":{"field":"username","rule":"maxLength","limit":64}}]})");

json changed(json value, const std::string& pointer, const json& to) {
  value[json::json_pointer(pointer)] = to;
  return value;
}

TEST(spec_examples_check, accepts_other_values_of_the_same_shape) {
  expect_same_shape(kValidateFailed, changed(changed(kValidateFailed, "/errors/0/message", "other"), "/errors/0/detail/limit", 1));
}

TEST(spec_examples_check, catches_another_code_or_rule) {
  EXPECT_NONFATAL_FAILURE(expect_same_shape(kValidateFailed, changed(kValidateFailed, "/errors/0/code", "UNAUTHORIZED")),
                          "/errors/0/code");
  EXPECT_NONFATAL_FAILURE(expect_same_shape(kValidateFailed, changed(kValidateFailed, "/errors/0/detail/rule", "minLength")),
                          "/errors/0/detail/rule");
}

TEST(spec_examples_check, catches_a_missing_key_an_extra_key_or_another_type) {
  json missing = kValidateFailed;
  missing["errors"][0]["detail"].erase("limit");
  EXPECT_NONFATAL_FAILURE(expect_same_shape(kValidateFailed, missing), "keys at /errors/0/detail");
  EXPECT_NONFATAL_FAILURE(expect_same_shape(kValidateFailed, changed(kValidateFailed, "/errors/0/detail/pointer", "/username")),
                          "keys at /errors/0/detail");
  EXPECT_NONFATAL_FAILURE(expect_same_shape(kValidateFailed, changed(kValidateFailed, "/errors/0/detail/limit", "64")),
                          "type at /errors/0/detail/limit");
}

TEST(spec_examples_check, catches_an_address_elsewhere_or_with_other_parameters) {
  const std::string example = "http://127.0.0.1:8887/__idp/authorize?tenant=a&callback_url=b&state=c";
  expect_same_address(example, "http://127.0.0.1:40000/__idp/authorize?tenant=x&callback_url=y&state=z");
  EXPECT_NONFATAL_FAILURE(expect_same_address(example, "https://login.example.com/authorize?tenant=a&callback_url=b&state=c"),
                          "answer");
  EXPECT_NONFATAL_FAILURE(expect_same_address(example, "http://127.0.0.1:8887/__idp/authorize?tenant=a&callback_url=b"),
                          "answer");
}

TEST(spec_examples_check, finds_examples_everywhere_they_can_be) {
  const auto all = every_example();
  for (const char* pointer : {"/components/examples/BadCredentials",                            // through a response $ref
                              "/components/requestBodies/Credentials/content/application~1json/examples/tenantUser",
                              "/paths/~1info/get/parameters/0/example",                         // a parameter
                              "/components/responses/ClientError/headers/Allow/example",        // a header
                              "/paths/~1login~1by_microsoft/post/responses/302/headers/Location/example"}) {
    EXPECT_EQ(1u, all.count(pointer)) << pointer;
  }
}

const std::string kInfo = "/paths/~1info/get";
const std::string kSignIn = "/paths/~1auth~1sign_in/post";
const std::string kSocial = "/paths/~1auth~1sign_in~1{provider}/post";
const std::string kCredentials = "/components/requestBodies/Credentials/content/application~1json/examples/";
const std::string kOAuth = "/paths/~1login~1oauth~1token/post";
const std::string kOAuthForm = kOAuth + "/requestBody/content/application~1x-www-form-urlencoded/examples/";
const std::string kTokenObject = "/components/examples/TokenObject";

class SpecExamples : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(PBXMOCK_BINARY); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { client_ = client_for(*server_); }

  struct Case {
    std::string what;
    std::vector<std::string> request_examples;  // pointers of the examples this request is made of
    std::function<httplib::Result(const std::vector<json>& examples)> send;
    int status;
    std::string response_example;  // pointer; "" when the answer has no body
    std::string header;            // set when response_example is this header's example
  };

  // Live values that cannot be written in a document.
  json sign_in(const std::string& username, const std::string& password) {
    auto answer = post_json(*client_, "/api/auth/sign_in", {{"username", username}, {"password", password}, {"domain", "pbx.example.com"}});
    EXPECT_EQ(200, answer ? answer->status : 0);
    return json_of(answer);
  }
  std::string challenge() { return sign_in("carol", "carol-secret").value("token", ""); }
  json latest_message(const std::string& kind, const std::string& username) {
    const json messages = json_of(client_->Get(("/__admin/outbox?kind=" + kind + "&username=" + username).c_str()))["messages"];
    return messages.empty() ? json::object() : messages[0];
  }
  json with(json example, const std::string& key, const json& live) {
    example[key] = live;
    return example;
  }

  void run(const Case& c) {
    SCOPED_TRACE(c.what);
    ASSERT_EQ(200, client_->Post("/__admin/reset")->status);
    std::vector<json> examples;
    for (const auto& pointer : c.request_examples) examples.push_back(example_at(pointer));
    auto answer = c.send(examples);
    ASSERT_TRUE(answer) << "no answer";
    ASSERT_EQ(c.status, answer->status) << answer->body;
    if (c.response_example.empty()) {
      EXPECT_EQ("", answer->body);
    } else if (!c.header.empty()) {
      const json example = example_at(c.response_example);
      if (c.header == "Location") {
        expect_same_address(text(example), answer->get_header_value("Location"));
      } else {
        EXPECT_EQ(text(example), answer->get_header_value(c.header.c_str()));
      }
    } else {
      expect_same_shape(example_at(c.response_example), json_of(answer));
    }
  }

  std::vector<Case> cases() {
    httplib::Client& client = *client_;
    const std::string form_type = "application/x-www-form-urlencoded";
    return {
        {"info without domain", {}, [&](auto&) { return client.Get("/api/info"); }, 200,
         kInfo + "/responses/200/content/application~1json/examples/systemOnly", ""},
        {"info with the parameter's example", {kInfo + "/parameters/0/example"},
         [&](const auto& ex) { return client.Get(("/api/info?domain=" + text(ex[0])).c_str()); }, 200,
         kInfo + "/responses/200/content/application~1json/examples/withTenant", ""},
        {"info for a domain with no tenant", {}, [&](auto&) { return client.Get("/api/info?domain=unknown.example.com"); }, 404,
         "/components/responses/NotFound/content/application~1json/example", ""},
        {"sign in: tenant user", {kCredentials + "tenantUser"},
         [&](const auto& ex) { return post_json(client, "/api/auth/sign_in", ex[0]); }, 200, kTokenObject, ""},
        {"sign in: system administrator", {kCredentials + "systemAdministrator"},
         [&](const auto& ex) { return post_json(client, "/api/auth/sign_in", ex[0]); }, 200, kTokenObject, ""},
        {"sign in: two-factor user", {kCredentials + "twoFactorUser"},
         [&](const auto& ex) { return post_json(client, "/api/auth/sign_in", ex[0]); }, 200,
         "/components/examples/TwoFactorChallenge", ""},
        {"legacy login: tenant user", {kCredentials + "tenantUser"},
         [&](const auto& ex) { return post_json(client, "/api/login", ex[0]); }, 200, kTokenObject, ""},
        {"sign in: a 65-character username", {kCredentials + "tenantUser"},
         [&](const auto& ex) { return post_json(client, "/api/auth/sign_in", with(ex[0], "username", std::string(65, 'a'))); },
         400, "/components/examples/ValidateFailed", ""},
        {"sign in: wrong password", {kCredentials + "tenantUser"},
         [&](const auto& ex) { return post_json(client, "/api/auth/sign_in", with(ex[0], "password", "wrong")); }, 400,
         "/components/examples/BadCredentials", ""},
        {"sign in: a body that is not JSON", {},
         [&](auto&) { return client.Post("/api/auth/sign_in", R"({"username": "alice",)", "application/json"); }, 400,
         "/components/responses/InvalidInput/content/application~1json/examples/badJson", ""},
        {"sign in: two mebibytes", {},
         [&](auto&) { return client.Post("/api/auth/sign_in", "{\"username\":\"" + std::string(2 << 20, 'a') + "\"}", "application/json"); },
         413, "/components/responses/PayloadTooLarge/content/application~1json/example", ""},
        {"sign in: text instead of JSON", {},
         [&](auto&) { return client.Post("/api/auth/sign_in", "username=alice", "text/plain"); }, 415,
         "/components/responses/UnsupportedMediaType/content/application~1json/example", ""},
        {"a method /login does not have", {}, [&](auto&) { return client.Delete("/api/login"); }, 405,
         "/components/responses/ClientError/content/application~1json/examples/methodNotAllowed", ""},
        {"a method /login does not have: Allow", {}, [&](auto&) { return client.Delete("/api/login"); }, 405,
         "/components/responses/ClientError/headers/Allow/example", "Allow"},
        {"Microsoft sign-in", {kSocial + "/parameters/0/example", kSocial + "/requestBody/content/application~1json/example"},
         [&](const auto& ex) { return post_json(client, "/api/auth/sign_in/" + text(ex[0]), ex[1]); }, 200,
         kSocial + "/responses/200/content/application~1json/example", ""},
        {"Microsoft sign-in: the address", {kSocial + "/requestBody/content/application~1json/example"},
         [&](const auto& ex) {
           auto answer = post_json(client, "/api/auth/sign_in/microsoft", ex[0]);
           // Compared as an address: the URL inside the body becomes the Location to check.
           if (answer) answer->set_header("Location", json_of(answer).value("url", ""));
           return answer;
         },
         200, kSocial + "/responses/200/content/application~1json/example/url", "Location"},
        {"sign out", {}, [&](auto&) {
           const json tokens = sign_in("alice", "alice-secret");
           return client.Post("/api/auth/sign_out", bearer(tokens.value("access_token", "")), "", "application/json");
         }, 200, "", ""},
        {"a protected operation without a token", {}, [&](auto&) { return client.Get("/api/auth/user"); }, 401,
         "/components/responses/Unauthorized/content/application~1json/example", ""},
        {"send the code", {"/paths/~1auth~1send_otp/post/requestBody/content/application~1json/example"},
         [&](const auto& ex) { return post_json(client, "/api/auth/send_otp", with(ex[0], "token", challenge())); }, 200, "", ""},
        {"verify the code", {"/paths/~1auth~1verify_otp/post/requestBody/content/application~1json/example"},
         [&](const auto& ex) {
           const std::string token = challenge();
           post_json(client, "/api/auth/send_otp", {{"token", token}});
           json body = with(ex[0], "token", token);
           body["code"] = latest_message("otp", "carol").value("code", "");
           return post_json(client, "/api/auth/verify_otp", body);
         },
         200, kTokenObject, ""},
        {"forgotten password", {"/paths/~1auth~1forget_password/post/requestBody/content/application~1json/example"},
         [&](const auto& ex) { return post_json(client, "/api/auth/forget_password", ex[0]); }, 200, "", ""},
        {"reset the password", {"/paths/~1auth~1reset_password/post/requestBody/content/application~1json/example"},
         [&](const auto& ex) {
           post_json(client, "/api/auth/forget_password",
                     {{"domain", "pbx.example.com"}, {"username", "alice"}, {"callback_url", "https://app.example.com/r"}});
           return post_json(client, "/api/auth/reset_password",
                            with(ex[0], "token", latest_message("password_reset", "alice").value("token", "")));
         },
         200, "", ""},
        {"refresh", {"/paths/~1auth~1refresh_token/post/requestBody/content/application~1json/example"},
         [&](const auto& ex) {
           return post_json(client, "/api/auth/refresh_token",
                            with(ex[0], "refresh_token", sign_in("alice", "alice-secret").value("refresh_token", "")));
         },
         200, "/paths/~1auth~1refresh_token/post/responses/200/content/application~1json/example", ""},
        {"the user's role", {}, [&](auto&) {
           return client.Get("/api/auth/user", bearer(sign_in("alice", "alice-secret").value("access_token", "")));
         }, 200, "/paths/~1auth~1user/get/responses/200/content/application~1json/example", ""},
        {"the legacy session status", {}, [&](auto&) {
           return client.Get("/api/login", bearer(sign_in("bob", "bob-secret").value("access_token", "")));
         }, 200, "/paths/~1login/get/responses/200/content/application~1json/example", ""},
        {"legacy Microsoft form", {"/paths/~1login~1by_microsoft/post/requestBody/content/application~1x-www-form-urlencoded/example"},
         [&](const auto& ex) { return client.Post("/api/login/by_microsoft", form_of(ex[0])); }, 302,
         "/paths/~1login~1by_microsoft/post/responses/302/headers/Location/example", "Location"},
        {"legacy logout", {}, [&](auto&) { return client.Post("/api/logout"); }, 204, "", ""},
        {"token endpoint: system administrator", {kOAuthForm + "systemAdministrator"},
         [&](const auto& ex) { return client.Post("/api/login/oauth/token", form_of(ex[0])); }, 200, kTokenObject, ""},
        {"token endpoint: tenant user", {kOAuthForm + "tenantUser"},
         [&](const auto& ex) { return client.Post("/api/login/oauth/token", form_of(ex[0])); }, 200, kTokenObject, ""},
        {"token endpoint: two-factor user", {kOAuthForm + "tenantUser"},
         [&](const auto& ex) {
           json body = with(ex[0], "username", "carol");
           return client.Post("/api/login/oauth/token", form_of(with(body, "password", "carol-secret")));
         },
         200, "/components/examples/TwoFactorChallenge", ""},
        {"token endpoint: refresh", {kOAuthForm + "refresh"},
         [&](const auto& ex) {
           const std::string refresh = sign_in("alice", "alice-secret").value("refresh_token", "");
           return client.Post("/api/login/oauth/token", form_of(with(ex[0], "refresh_token", refresh)));
         },
         200, kTokenObject, ""},
        {"token endpoint: an unknown grant type", {kOAuthForm + "systemAdministrator"},
         [&](const auto& ex) { return client.Post("/api/login/oauth/token", form_of(with(ex[0], "grant_type", "client_credentials"))); },
         400, kOAuth + "/responses/400/content/application~1json/examples/unknownGrantType", ""},
        {"token endpoint: an unknown client", {kOAuthForm + "systemAdministrator"},
         [&](const auto& ex) { return client.Post("/api/login/oauth/token", form_of(with(ex[0], "client_id", "someone-else"))); },
         400, kOAuth + "/responses/400/content/application~1json/examples/unknownClient", ""},
        {"token endpoint: wrong password", {kOAuthForm + "systemAdministrator"},
         [&](const auto& ex) { return client.Post("/api/login/oauth/token", form_of(with(ex[0], "password", "wrong"))); }, 400,
         "/components/examples/BadCredentials", ""},
        {"token endpoint: JSON instead of a form", {kOAuthForm + "systemAdministrator"},
         [&](const auto& ex) { return post_json(client, "/api/login/oauth/token", ex[0]); }, 415,
         "/components/responses/UnsupportedMediaType/content/application~1json/example", ""},
    };
  }

  static ServerProcess* server_;
  std::unique_ptr<httplib::Client> client_;
};

ServerProcess* SpecExamples::server_ = nullptr;

TEST_F(SpecExamples, each_example_is_what_the_mock_answers) {
  for (const Case& c : cases()) run(c);
}

TEST_F(SpecExamples, every_example_of_the_document_is_sent_or_compared) {
  std::set<std::string> covered;
  for (const Case& c : cases()) {
    covered.insert(c.request_examples.begin(), c.request_examples.end());
    if (!c.response_example.empty()) covered.insert(c.response_example);
  }
  // The address inside the Microsoft sign-in answer is compared as part of its example.
  covered.erase(kSocial + "/responses/200/content/application~1json/example/url");
  std::set<std::string> missing;
  for (const auto& pointer : every_example()) {
    if (covered.count(pointer) == 0) missing.insert(pointer);
  }
  EXPECT_TRUE(missing.empty()) << "examples no case sends or compares:\n" << [&] {
    std::string out;
    for (const auto& pointer : missing) out += "  " + pointer + "\n";
    return out;
  }();
  // And every case names examples that exist.
  for (const auto& pointer : covered) EXPECT_NE(nullptr, pbxmock::spec::resolve_pointer(spec().root(), pointer)) << pointer;
}

}  // namespace
}  // namespace pbxmock::test
