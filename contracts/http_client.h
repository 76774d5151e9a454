#pragma once
// One keep-alive HTTP(S) connection to the target, on cpp-httplib. Transport failures come
// back as values with a message a person understands (connection refused, timeout, an
// answer that is not HTTP), never as exceptions.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/contract.h"
#include "contracts/response.h"
#include "spec/result.h"

namespace httplib {
class Client;
}

namespace pbxmock::contracts {

// The server's root: "http://127.0.0.1:8887", "https://pbx.example.com:8887", optionally with a
// path prefix that is put before every request path (a PBX behind a reverse proxy).
struct Target {
  std::string scheme;  // http | https
  std::string host;    // as written; IPv6 without brackets
  int port = 0;
  std::string prefix;  // "" or "/something", no trailing slash

  std::string origin() const;  // scheme://host:port (IPv6 in brackets)
  std::string url() const { return origin() + prefix; }
};

Result<Target, std::string> parse_target(std::string_view url);

// An absolute URL on the target's scheme, host and port: its path and query with the
// target's prefix removed; an error naming the difference otherwise.
Result<std::string, std::string> path_on_target(const Target& target, std::string_view url);

struct HttpRequest {
  std::string method;
  std::string path;  // with the query, as the server sees it (the target's prefix is added on sending)
  std::vector<NameValue> headers;
  std::string body;
};

struct TransportError {
  enum class Kind { cannot_connect, timeout, not_http, broken, tls } kind = Kind::broken;
  std::string message;
};

struct ClientOptions {
  bool verify_certificates = true;  // https only; off for a PBX with a self-signed certificate
};

class HttpClient {
 public:
  HttpClient(Target target, ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<Response, TransportError> send(const HttpRequest& request, std::chrono::milliseconds timeout);

  const Target& target() const { return target_; }

 private:
  Target target_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace pbxmock::contracts
