#pragma once
// One keep-alive HTTP(S) connection to the target, on cpp-httplib. Transport failures come
// back as values with a message a person understands (connection refused, timeout, an
// answer that is not HTTP), never as exceptions.
//
// A broken server cannot stop it: the timeout is one deadline for the whole answer, however
// slowly the bytes come; an answer is read up to a size limit and no further; an answer sent
// before the server took the whole body (nginx's 413) is the answer; a kept-alive connection
// that the server closed before answering is tried once more on a fresh one. The process must
// ignore SIGPIPE (pbxmock's main does): a server that hangs up mid-request is a failed write.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
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
  // too_large: the answer's body is over ClientOptions::max_answer_bytes (not read further);
  // time_limit: the run's end (ClientOptions::stop_at) came first, before or while sending.
  enum class Kind { cannot_connect, timeout, not_http, broken, tls, too_large, time_limit } kind = Kind::broken;
  std::string message;
};

inline constexpr std::size_t kDefaultMaxAnswerBytes = 16u << 20;

struct ClientOptions {
  bool verify_certificates = true;  // https only; off for a PBX with a self-signed certificate
  std::size_t max_answer_bytes = kDefaultMaxAnswerBytes;  // of an answer's body
  // The end of the whole run (--time-limit): no request starts after it, one in flight is cut.
  std::optional<std::chrono::steady_clock::time_point> stop_at;
};

class DeadlineWatchdog;

class HttpClient {
 public:
  HttpClient(Target target, ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `timeout`: from the request's first byte to the answer's last, connecting included.
  Result<Response, TransportError> send(const HttpRequest& request, std::chrono::milliseconds timeout);

  const Target& target() const { return target_; }

 private:
  struct Attempt;
  Attempt send_once(const HttpRequest& request, std::chrono::steady_clock::time_point deadline);
  // Whether the connection has received more for this request than a whole answer may be.
  bool over_size_cap() const;

  Target target_;
  ClientOptions options_;
  // The connection's socket and what it had received when the request went out, for the
  // watchdog's size cap on a whole answer, head included (set on the sending thread, read on
  // the watchdog's).
  std::atomic<int> socket_{-1};
  std::atomic<std::uint64_t> received_before_{0};
  std::unique_ptr<httplib::Client> client_;
  std::unique_ptr<DeadlineWatchdog> watchdog_;  // declared after client_, so it ends first
  std::size_t connections_opened_ = 0;         // tells a fresh connection from a kept-alive one
};

}  // namespace pbxmock::contracts
