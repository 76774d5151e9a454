// The second outside attack's findings on the server (issue 18, item 3), against the real
// `pbxmock serve`:
// 1. a body of 3,000 nested arrays, then GET /__admin/requests, killed the server (the
//    journal's masking parsed and recursed with no depth limit);
// 2. a 4 KB body 2,000 levels deep came back as an 8 MB journal entry (pretty-printed), 40
//    of them took the server to 1.16 GB;
// 3. tokens in the identity provider's Location, and password=/access_token= in a query,
//    were shown unmasked in the journal;
// 4. two Host headers, or none on HTTP/1.1, were answered.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/raw_http.h"
#include "support/server_client.h"
#include "support/server_process.h"
#include "support/text_match.h"

namespace pbxmock::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// The README's bound on what one journal entry adds to /__admin/requests.
constexpr std::size_t kEntryBound = 200 * 1024;

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// VmRSS of a process in bytes, 0 when /proc does not say.
std::size_t resident_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  }
  return 0;
}

httplib::Result post_raw_json(httplib::Client& client, const std::string& body) {
  return client.Post("/api/auth/sign_in", body, "application/json");
}

TEST(server_journal_attack, nested_arrays_then_the_journal_leave_the_server_answering) {
  ServerProcess server(PBXMOCK_BINARY, {{"--quiet"}});
  auto client = client_for(server);
  const std::string arrays = nested_arrays(3000);  // the attack's 6 KB
  // Past any stack: 60 KB (still kept by the journal) of objects under a secret field.
  std::string objects = R"({"password":"deep-secret-1","x":)";
  for (int i = 0; i < 10'000; ++i) objects += R"({"a":)";
  objects += "1" + std::string(10'000, '}') + "}";
  ASSERT_LT(objects.size(), 64u * 1024);
  for (const std::string* body : {&arrays, static_cast<const std::string*>(&objects)}) {
    const auto answer = post_raw_json(*client, *body);
    ASSERT_TRUE(answer) << "no answer to the deep body";
    EXPECT_EQ(400, answer->status);
  }
  for (int poll = 0; poll < 3; ++poll) {  // the admin page polls it
    const auto journal = client->Get("/__admin/requests");
    ASSERT_TRUE(journal) << "the journal killed the server";
    ASSERT_EQ(200, journal->status);
    const json shown = json_of(journal);
    ASSERT_EQ(2u, shown["requests"].size()) << journal->body.substr(0, 500);
    EXPECT_EQ(objects.size(), shown["requests"][0]["request"]["body_bytes"]);
    const std::string objects_shown = shown["requests"][0]["request"]["body"];
    EXPECT_EQ(std::string::npos, objects_shown.find("deep-secret-1"));
    EXPECT_EQ(0u, objects_shown.find(R"({"password":"***","x":)")) << objects_shown.substr(0, 100);
    EXPECT_EQ(arrays, shown["requests"][1]["request"]["body"]);
  }
  const auto health = client->Get("/__admin/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(200, health->status);
  EXPECT_EQ(0, server.stop());
}

TEST(server_journal_attack, deep_and_wide_bodies_make_bounded_journal_entries_and_memory_stays_small) {
  ServerProcess server(PBXMOCK_BINARY, {{"--quiet"}});
  auto client = client_for(server);
  const std::size_t resident_before = resident_bytes(server.pid());
  ASSERT_GT(resident_before, 0u);

  // The attack: 40 bodies 2,000 levels deep (4 KB each), and 40 within the depth limit that
  // the journal parses (60 levels, within the API's 64), read back by the admin page's poll.
  std::string within_limit;
  for (int i = 0; i < 30; ++i) within_limit += R"({"k":[)";
  within_limit += "1";
  for (int i = 0; i < 30; ++i) within_limit += "]}";
  ASSERT_TRUE(json::accept(within_limit));
  std::size_t sent = 0;
  for (int i = 0; i < 40; ++i) {
    for (const std::string& body : {nested_arrays(2000), within_limit}) {
      const auto answer = post_raw_json(*client, body);
      ASSERT_TRUE(answer);
      sent += body.size();
    }
  }
  for (int poll = 0; poll < 10; ++poll) {
    const auto journal = client->Get("/__admin/requests");
    ASSERT_TRUE(journal);
    ASSERT_EQ(200, journal->status);
    // Compact: the bodies as sent and about 1 KB of fields and headers an entry (pretty-printed,
    // one 2,000-deep body alone was 8 MB).
    EXPECT_LT(journal->body.size(), sent + 80 * 2048) << "sent " << sent;
    const json shown = json_of(journal);
    ASSERT_EQ(80u, shown["requests"].size());
    EXPECT_EQ(within_limit, shown["requests"][0]["request"]["body"]);  // parsed, printed as compactly as sent
  }
  const std::size_t resident_after = resident_bytes(server.pid());
  EXPECT_LT(resident_after, resident_before + 64 * 1024 * 1024)
      << "resident " << resident_before << " -> " << resident_after;

  // One entry as large as it can be: a 60 KB body of control characters (six bytes each once
  // escaped) and 56 KB of quotes in headers (two each): cut to the bound, and it says so.
  ASSERT_EQ(200, client->Delete("/__admin/requests")->status);
  httplib::Headers quotes;
  for (int i = 0; i < 7; ++i) quotes.emplace("X-Quotes-" + std::to_string(i), std::string(8000, '"'));
  const auto wide = client->Post("/api/auth/sign_in", quotes, std::string(60 * 1024, '\x01'), "text/plain");
  ASSERT_TRUE(wide);
  const auto journal = client->Get("/__admin/requests");
  ASSERT_TRUE(journal);
  EXPECT_LT(journal->body.size(), kEntryBound);
  const json entry = json_of(journal)["requests"][0];
  EXPECT_EQ(60u * 1024, entry["request"]["body_bytes"]);
  const std::string body = entry["request"]["body"];
  EXPECT_GT(body.size(), 10'000u);
  EXPECT_EQ(body.size() - 8, body.rfind("...[cut]"));
  EXPECT_NE(std::string::npos, entry["request"]["headers"].dump().find("...[cut]"));
  EXPECT_EQ(0, server.stop());
}

// Every secret the test sends or is given, and where it must be masked.
class JournalMasking : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(PBXMOCK_BINARY);  // with the access log on
    client_ = client_for(*server_);
  }
  void remember(const std::string& secret) {
    ASSERT_GE(secret.size(), 6u) << secret;
    secrets_.push_back(secret);
  }
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
  std::vector<std::string> secrets_;
};

TEST_F(JournalMasking, no_secret_of_queries_headers_bodies_or_redirects_reaches_the_admin_answers) {
  // Query strings: names in any case, percent-encoded, '+' for a space, a value that is a word.
  for (const char* secret : {"q-password-1", "q-access-2", "q-code-3", "q-otp-4", "q-reset-5", "q-client-6", "q-refresh-7",
                             "q-token-8", "q-encoded-9", "q-fragment"})
    remember(secret);
  const auto query = client_->Get(
      "/api/info?domain=pbx.example.com&Password=q-password-1&ACCESS_TOKEN=q-access-2&code=q-code-3&otp=q-otp-4"
      "&reset_token=q-reset-5&client_secret=q-client-6&refresh%5Ftoken=q-refresh-7&token=q-token-8"
      "&%70assword=q-encoded-9");
  ASSERT_TRUE(query);

  // Headers that carry credentials.
  for (const char* secret : {"h-bearer-1", "h-cookie-2", "h-apikey-3", "h-xauth-4", "h-proxy-5", "h-referer-6"})
    remember(secret);
  const auto headers = client_->Get("/api/info", {{"Authorization", "Bearer h-bearer-1"},
                                                  {"Cookie", "sid=h-cookie-2; theme=dark"},
                                                  {"X-Api-Key", "h-apikey-3"},
                                                  {"X-Auth-Token", "h-xauth-4"},
                                                  {"Proxy-Authorization", "Basic h-proxy-5"},
                                                  {"Referer", "http://app.example/cb?access_token=h-referer-6#x=1"}});
  ASSERT_TRUE(headers);

  // Bodies: a sign-in (the answer's tokens too), a form, an escaped key, one past the depth limit.
  remember("alice-secret");
  const auto signed_in = post_json(*client_, "/api/auth/sign_in",
                                   {{"username", "alice"}, {"password", "alice-secret"}, {"domain", "pbx.example.com"}});
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(200, signed_in->status) << signed_in->body;
  const json tokens = json_of(signed_in);
  remember(tokens.value("access_token", ""));
  remember(tokens.value("refresh_token", ""));
  ASSERT_TRUE(client_->Get("/api/auth/user", bearer(tokens.value("access_token", ""))));
  ASSERT_TRUE(post_json(*client_, "/api/auth/refresh_token", {{"refresh_token", tokens.value("refresh_token", "")}}));
  for (const char* secret : {"f-password-1", "f-code-2", "e-escaped-1", "d-deep-1"}) remember(secret);
  ASSERT_TRUE(client_->Post("/api/auth/sign_in", "username=alice&password=f-password-1&code=f-code-2",
                            "application/x-www-form-urlencoded"));
  ASSERT_TRUE(client_->Post("/api/auth/sign_in", R"({"username":"alice","pass\u0077ord":"e-escaped-1"})", "application/json"));
  ASSERT_TRUE(client_->Post("/api/auth/sign_in", R"({"password": "d-deep-1", "x":)" + nested_arrays(100) + "}",
                            "application/json"));

  // The Microsoft sign-in: the stand-in's redirect carries tokens in its Location.
  const auto start = post_json(*client_, "/api/auth/sign_in/microsoft",
                               {{"domain", "pbx.example.com"}, {"callback_url", "http://localhost:5173/after"}});
  ASSERT_TRUE(start);
  ASSERT_EQ(200, start->status) << start->body;
  const std::string url = json_of(start)["url"];
  const std::string origin = "http://127.0.0.1:" + std::to_string(server_->port());
  ASSERT_EQ(0u, url.rfind(origin, 0)) << url;
  const auto page = client_->Get(url.substr(origin.size()).c_str());
  ASSERT_TRUE(page);
  auto link = capture(R"re(href="(/__idp/authorize/complete\?[^"]*user=alice[^"]*)")re", page->body);
  ASSERT_TRUE(link) << page->body;
  for (std::size_t at; (at = link->find("&amp;")) != std::string::npos;) link->replace(at, 5, "&");
  const auto redirect = client_->Get(link->c_str());
  ASSERT_TRUE(redirect);
  ASSERT_EQ(302, redirect->status);
  const std::string location = redirect->get_header_value("Location");
  const auto access = capture("[?&]access_token=([A-Z0-9]+)", location);
  const auto refresh = capture("[?&]refresh_token=([A-Z0-9]+)", location);
  ASSERT_TRUE(access && refresh) << location;
  remember(*access);
  remember(*refresh);

  const auto journal = client_->Get("/__admin/requests");
  ASSERT_TRUE(journal);
  ASSERT_EQ(200, journal->status);
  for (const std::string& secret : secrets_) {
    EXPECT_EQ(std::string::npos, journal->body.find(secret)) << secret << " is shown in the journal";
    EXPECT_EQ(std::string::npos, server_->err().find(secret)) << secret << " is in the access log";
  }
  // Masked where each was, the rest kept.
  const json requests = json_of(journal)["requests"];
  const auto entry_for = [&](const std::string& path, const std::string& query_part) {
    for (const json& entry : requests)
      if (entry["path"] == path && entry["query"].get<std::string>().find(query_part) != std::string::npos) return entry;
    return json();
  };
  const json with_query = entry_for("/api/info", "domain=");
  ASSERT_TRUE(with_query.is_object()) << requests.dump();
  EXPECT_EQ(
      "domain=pbx.example.com&Password=***&ACCESS_TOKEN=***&code=***&otp=***&reset_token=***&client_secret=***"
      "&refresh%5Ftoken=***&token=***&%70assword=***",
      with_query["query"]);
  const json completed = entry_for("/__idp/authorize/complete", "user=alice");
  ASSERT_TRUE(completed.is_object()) << requests.dump();
  const std::string shown_headers = completed["response"]["headers"].dump();
  EXPECT_NE(std::string::npos, shown_headers.find("access_token=***&refresh_token=***")) << shown_headers;
  EXPECT_NE(std::string::npos, shown_headers.find("http://localhost:5173/after?")) << shown_headers;
  const std::string all = journal->body;
  EXPECT_NE(std::string::npos, all.find(R"(["Authorization","Bearer ***"])"));
  EXPECT_NE(std::string::npos, all.find(R"(["Cookie","sid=***; theme=***"])"));
  EXPECT_NE(std::string::npos, all.find(R"(["Referer","http://app.example/cb?access_token=***#x=1"])"));
  EXPECT_NE(std::string::npos, all.find(R"(username=alice&password=***&code=***)"));
  EXPECT_EQ(0, server_->stop());
}

// RFC 9112 section 3.2 over a socket: the reader's refusal, with the API's error body.
TEST(server_journal_attack, two_host_headers_or_none_on_http_1_1_get_400_and_http_1_0_is_answered) {
  ServerProcess server(PBXMOCK_BINARY, {{"--quiet"}});
  const auto send = [&](const std::string& raw) -> std::optional<RawResponse> {
    auto connection = RawConnection::open(server.address(), server.port());
    if (!connection || !connection->send(raw)) return std::nullopt;
    return connection->read_response(5s);
  };
  const auto rule_of = [](const RawResponse& answer) {
    const json body = json::parse(answer.body, nullptr, false);
    const json detail = body.is_object() ? body.value(json::json_pointer("/errors/0/detail"), json::object()) : json();
    return detail.is_object() ? detail.value("field", "") + "/" + detail.value("rule", "") : "(not an error body) " + answer.body;
  };
  struct Case {
    std::string raw;
    int status;
    std::string rule;  // field/rule of the error body; "" for an answer
  };
  const std::vector<Case> cases = {
      {"GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n", 400, "Host/single"},
      {"GET /api/info HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "Host/required"},
      {"GET /api/info HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "Host/uri-host"},
      {"GET /api/info HTTP/1.0\r\n\r\n", 200, ""},
      {"GET /api/info HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n", 200, ""},
  };
  for (const Case& c : cases) {
    const auto answer = send(c.raw);
    ASSERT_TRUE(answer) << c.raw;
    EXPECT_EQ(c.status, answer->status) << c.raw;
    if (!c.rule.empty()) {
      EXPECT_EQ(c.rule, rule_of(*answer)) << c.raw;
    }
  }
  EXPECT_EQ(0, server.stop());
}

}  // namespace
}  // namespace pbxmock::test
