#pragma once
// Small helpers for tests that talk to a ServerProcess with cpp-httplib's client.
#include <httplib.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/server_process.h"

namespace pbxmock::test {

inline std::unique_ptr<httplib::Client> client_for(const ServerProcess& server) {
  auto client = std::make_unique<httplib::Client>(server.address(), server.port());
  client->set_connection_timeout(5, 0);
  client->set_read_timeout(10, 0);
  client->set_write_timeout(10, 0);
  // httplib writes a request's head and body in two sends: without this, Nagle holds the
  // body back until the server's delayed ACK (40 ms a request).
  client->set_tcp_nodelay(true);
  if (!server.admin_key().empty()) client->set_default_headers({{"X-Admin-Key", server.admin_key()}});
  return client;
}

// The body as JSON; a discarded value (is_discarded()) when there is no answer or no JSON.
inline nlohmann::json json_of(const httplib::Result& result) {
  if (!result) return nlohmann::json::value_t::discarded;
  return nlohmann::json::parse(result->body, nullptr, false);
}

// The first error code of a vendor error body, or "" when the body is not one.
inline std::string error_code(const httplib::Result& result) {
  const nlohmann::json body = json_of(result);
  if (!body.is_object() || !body.contains("errors") || !body["errors"].is_array() || body["errors"].empty()) return "";
  return body["errors"][0].value("code", "");
}

// Any httplib client: Client, SSLClient.
template <class HttpClient>
httplib::Result post_json(HttpClient& client, const std::string& path, const nlohmann::json& body,
                          const httplib::Headers& headers = {}) {
  return client.Post(path.c_str(), headers, body.dump(), "application/json");
}

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace pbxmock::test
