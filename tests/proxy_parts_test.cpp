// The proxy's parts that need no socket: which headers cross it each way, and the ring of
// violations behind /__admin/violations.
#include <gtest/gtest.h>

#include <string>

#include "mock/admin/violation_log.h"
#include "mock/proxy/forward_headers.h"

namespace pbxmock::mock {
namespace {

using spec::NameValuePairs;

TEST(forward_headers, hop_by_hop_and_framing_headers_stop_at_the_proxy_the_rest_pass_in_order) {
  const NameValuePairs sent = {{"Host", "127.0.0.1:8887"},       {"Authorization", "Bearer T"},
                               {"connection", "keep-alive, X-Hop"}, {"X-Hop", "1"},
                               {"Content-Length", "12"},          {"Transfer-Encoding", "chunked"},
                               {"Accept-Encoding", "gzip, br"},    {"Expect", "100-continue"},
                               {"Content-Type", "application/json"}, {"Keep-Alive", "timeout=5"},
                               {"Proxy-Authorization", "Basic x"},  {"Upgrade", "h2c"},
                               {"TE", "trailers"},                 {"X-Request-Id", "42"}};
  const NameValuePairs up = proxy::headers_for_upstream(sent);
  EXPECT_EQ((NameValuePairs{{"Authorization", "Bearer T"}, {"Content-Type", "application/json"}, {"X-Request-Id", "42"}}),
            up);

  const NameValuePairs answered = {{"Content-Type", "application/json"}, {"Content-Length", "99"},
                                   {"Connection", "close"},             {"Set-Cookie", "a=b"},
                                   {"Transfer-Encoding", "chunked"},     {"Content-Encoding", "identity"},
                                   {"WWW-Authenticate", "Bearer"}};
  EXPECT_EQ((NameValuePairs{{"Content-Type", "application/json"}, {"Set-Cookie", "a=b"},
                            {"Content-Encoding", "identity"}, {"WWW-Authenticate", "Bearer"}}),
            proxy::headers_for_client(answered));
}

LoggedViolation violation(std::uint64_t id, const std::string& rule) {
  return {id, Clock::time_point{}, "GET", "/api/info", {"retrieveMetadata", "response", rule, "/body", "m"}};
}

TEST(violation_log, keeps_the_newest_newest_first_and_counts_every_one) {
  ViolationLog log(2);
  for (int i = 1; i <= 3; ++i) log.record(violation(static_cast<std::uint64_t>(i), "r" + std::to_string(i)));
  const auto shown = log.to_json(10);
  EXPECT_EQ(3u, shown["total"]);
  EXPECT_EQ(2u, shown["capacity"]);
  ASSERT_EQ(2u, shown["violations"].size());
  EXPECT_EQ("r3", shown["violations"][0]["rule"]);
  EXPECT_EQ(3u, shown["violations"][0]["request_id"]);
  EXPECT_EQ("r2", shown["violations"][1]["rule"]);
  EXPECT_EQ("/api/info", shown["violations"][1]["path"]);
  EXPECT_EQ(1u, log.to_json(1)["violations"].size());
  log.clear();
  EXPECT_EQ(0u, log.total());
  EXPECT_EQ(0u, log.to_json(10)["violations"].size());
}

TEST(journal_violation, reads_as_one_line) {
  const JournalViolation v{"signInWithCredentials", "request", "required", "/body/password", "missing"};
  EXPECT_EQ("signInWithCredentials request required /body/password: missing", v.line());
  EXPECT_EQ("x response schema (message): m", (JournalViolation{"x", "response", "schema", "", "m"}).line());
}

}  // namespace
}  // namespace pbxmock::mock
