// --target URLs, and absolute URLs saved from answers (an identity provider's address, say)
// turned back into paths on the target.
#include <gtest/gtest.h>

#include "contracts/http_client.h"

namespace {

using pbxmock::contracts::parse_target;
using pbxmock::contracts::path_on_target;
using pbxmock::contracts::Target;

std::string parsed(const std::string& url) {
  auto t = parse_target(url);
  if (!t) return "ERROR: " + t.error();
  return t->scheme + " " + t->host + " " + std::to_string(t->port) + " [" + t->prefix + "]";
}

TEST(contract_target, parses_scheme_host_port_and_prefix) {
  EXPECT_EQ("http 127.0.0.1 8887 []", parsed("http://127.0.0.1:8887"));
  EXPECT_EQ("http 127.0.0.1 8887 []", parsed("http://127.0.0.1:8887/"));
  EXPECT_EQ("https pbx.example.com 443 []", parsed("HTTPS://pbx.example.com"));
  EXPECT_EQ("http localhost 80 [/portsip]", parsed("http://localhost/portsip/"));
  EXPECT_EQ("http ::1 8887 []", parsed("http://[::1]:8887"));
}

TEST(contract_target, rejects_what_is_not_a_server_root) {
  EXPECT_EQ("ERROR: a target is a URL such as http://127.0.0.1:8887", parsed("127.0.0.1:8887"));
  EXPECT_EQ("ERROR: unsupported scheme 'ftp' (http or https)", parsed("ftp://x"));
  EXPECT_EQ("ERROR: bad port '88x' in the target", parsed("http://x:88x"));
  EXPECT_EQ("ERROR: bad port '70000' in the target", parsed("http://x:70000"));
  EXPECT_EQ("ERROR: the target has no host", parsed("http://:8887"));
  EXPECT_EQ("ERROR: a target must not have a query or fragment", parsed("http://x/a?b=1"));
  EXPECT_EQ("ERROR: a target must not carry user information", parsed("http://user:pw@x"));
}

TEST(contract_target, origin_brackets_ipv6) {
  EXPECT_EQ("http://[::1]:8887", Target({"http", "::1", 8887, ""}).origin());
  EXPECT_EQ("https://pbx.example.com:8887/p", Target({"https", "pbx.example.com", 8887, "/p"}).url());
}

std::string path_of(const Target& t, const std::string& url) {
  auto p = path_on_target(t, url);
  return p ? *p : "ERROR: " + p.error();
}

TEST(contract_target, absolute_urls_on_the_target_become_paths) {
  const Target t{"http", "127.0.0.1", 8887, ""};
  EXPECT_EQ("/__idp/authorize?tenant=pbx.example.com&state=X",
            path_of(t, "http://127.0.0.1:8887/__idp/authorize?tenant=pbx.example.com&state=X"));
  EXPECT_EQ("/", path_of(t, "http://127.0.0.1:8887"));
  EXPECT_EQ("/?a=1", path_of(t, "http://127.0.0.1:8887?a=1"));
  EXPECT_EQ("/x", path_of(t, "http://127.0.0.1:8887/x#fragment"));
  const Target prefixed{"https", "pbx.example.com", 443, "/portsip"};
  EXPECT_EQ("/api/info", path_of(prefixed, "https://PBX.example.com/portsip/api/info"));
}

TEST(contract_target, urls_elsewhere_are_refused_with_the_difference) {
  const Target t{"http", "127.0.0.1", 8887, ""};
  EXPECT_EQ("ERROR: the URL points at https://login.microsoftonline.com:443, not the target http://127.0.0.1:8887",
            path_of(t, "https://login.microsoftonline.com/organizations/oauth2"));
  EXPECT_EQ("ERROR: the URL points at http://127.0.0.1:9999, not the target http://127.0.0.1:8887",
            path_of(t, "http://127.0.0.1:9999/x"));
  const Target prefixed{"https", "pbx.example.com", 443, "/portsip"};
  EXPECT_EQ("ERROR: the URL's path is not below the target's /portsip", path_of(prefixed, "https://pbx.example.com/api/info"));
}

}  // namespace
