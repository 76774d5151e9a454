#include "mock/http/admin_key.h"

#include <arpa/inet.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>

namespace pbxmock::mock {
namespace {

// Compares in time that does not depend on where the strings differ, so the key cannot be
// guessed a character at a time from response times.
bool same_key(std::string_view given, std::string_view key) {
  return given.size() == key.size() && CRYPTO_memcmp(given.data(), key.data(), key.size()) == 0;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") return true;
  const std::string text(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

std::string generate_admin_key() {
  std::array<unsigned char, 16> bytes{};
  if (::RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  for (const unsigned char b : bytes) {
    key += kHex[b >> 4];
    key += kHex[b & 0x0f];
  }
  return key;
}

bool AdminGate::allows(const spec::RequestView& request) const {
  if (open()) return true;
  if (const std::string* key = request.header("x-admin-key")) return same_key(*key, key_);
  if (const std::string* authorization = request.header("authorization")) {
    std::string_view value = *authorization;
    constexpr std::string_view kBearer = "Bearer ";
    if (value.size() > kBearer.size() && value.substr(0, kBearer.size()) == kBearer) {
      return same_key(value.substr(kBearer.size()), key_);
    }
  }
  return false;
}

}  // namespace pbxmock::mock
