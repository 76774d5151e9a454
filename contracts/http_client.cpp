#include "contracts/http_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "contracts/deadline_watchdog.h"
#include "contracts/early_answer.h"
#include "contracts/received_bytes.h"
#include "spec/ascii.h"

namespace pbxmock::contracts {
namespace {

using spec::ascii::lower;
using Clock = std::chrono::steady_clock;

// Bodies this large go out in pieces of kPiece, with a look for an early answer between them.
constexpr std::size_t kWatchedBody = 64u << 10;
constexpr std::size_t kPiece = 64u << 10;

// The answer a server sent before it took the whole request body, read off the socket until it
// is complete, the server closes, the deadline passes or it grows past `limit`.
std::optional<Response> read_early_answer(int fd, Clock::time_point deadline, std::size_t limit) {
  std::string bytes;
  bool closed = false;
  while (true) {
    Response answer;
    const AnswerBytes parsed = parse_answer(bytes, closed, answer);
    if (parsed == AnswerBytes::complete) return answer;
    if (parsed == AnswerBytes::malformed || closed || bytes.size() > limit) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buffer[16384];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      bytes.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      closed = true;  // a reset after the answer ends it as a close does
    }
  }
}

// httplib only says "Connection"; connecting once more ourselves recovers the reason
// (refused, unreachable, no such host), which is what a person needs to read.
std::string why_no_connection(const Target& target) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(target.port);
  if (const int rc = ::getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return std::string("cannot resolve host ") + target.host + ": " + gai_strerror(rc);
  }
  std::string reason = "connection failed";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    int err = 0;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      err = errno;
      if (err == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 1000) == 1) {
          socklen_t len = sizeof err;
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        } else {
          err = ETIMEDOUT;
        }
      }
    }
    ::close(fd);
    if (err == 0) {
      reason = "connection failed (the port accepts connections now; the server may have been busy)";
      break;
    }
    reason = lower(std::strerror(err));
  }
  ::freeaddrinfo(found);
  return reason;
}

}  // namespace

std::string Target::origin() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return scheme + "://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Target, std::string> parse_target(std::string_view url) {
  Target t;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return Err{std::string("a target is a URL such as http://127.0.0.1:8887")};
  t.scheme = lower(std::string(url.substr(0, scheme_end)));
  if (t.scheme != "http" && t.scheme != "https") return Err{"unsupported scheme '" + t.scheme + "' (http or https)"};
  std::string_view rest = url.substr(scheme_end + 3);
  const auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos) return Err{std::string("a target must not carry user information")};
  if (path.find_first_of("?#") != std::string_view::npos) return Err{std::string("a target must not have a query or fragment")};
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return Err{std::string("unclosed '[' in the target's host")};
    t.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Err{std::string("unexpected text after the target's host")};
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    t.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (t.host.empty()) return Err{std::string("the target has no host")};
  if (port_text.empty()) {
    t.port = t.scheme == "https" ? 443 : 80;
  } else {
    int port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return Err{"bad port '" + std::string(port_text) + "' in the target"};
    }
    t.port = port;
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  t.prefix = std::string(path);
  return t;
}

Result<std::string, std::string> path_on_target(const Target& target, std::string_view url) {
  auto other = parse_target(url.substr(0, url.find_first_of("?#", url.find("://") + 3)));
  if (!other) return Err{"not a usable URL: " + other.error()};
  if (other->scheme != target.scheme || lower(other->host) != lower(target.host) || other->port != target.port) {
    return Err{"the URL points at " + other->origin() + ", not the target " + target.origin()};
  }
  const auto authority_end = url.find_first_of("/?#", url.find("://") + 3);
  std::string path = authority_end == std::string_view::npos ? "/" : std::string(url.substr(authority_end));
  if (const auto hash = path.find('#'); hash != std::string::npos) path.erase(hash);
  if (path.empty() || path[0] == '?') path.insert(0, "/");
  if (!target.prefix.empty()) {
    if (path.compare(0, target.prefix.size(), target.prefix) != 0) {
      return Err{"the URL's path is not below the target's " + target.prefix};
    }
    path.erase(0, target.prefix.size());
    if (path.empty() || path[0] != '/') path.insert(0, "/");
  }
  return path;
}

struct HttpClient::Attempt {
  bool ok = false;
  httplib::Error error = httplib::Error::Success;
  Response response;
  std::optional<Response> early;  // an answer sent before the body was all taken
  bool expired = false;           // the watchdog cut it at the deadline
  bool too_large = false;
  bool reused = false;    // went out on a kept-alive connection
  bool answered = false;  // a status line came back
  bool stopped_sending = false;  // the body was given up half way (the server answered or hung up)
};

HttpClient::HttpClient(Target target, ClientOptions options)
    : target_(std::move(target)),
      options_(options),
      client_(std::make_unique<httplib::Client>(target_.origin())),
      watchdog_(std::make_unique<DeadlineWatchdog>([client = client_.get()] { client->stop(); },
                                                   [this] { return over_size_cap(); })) {
  // Without TCP_NODELAY, delayed ACKs cost about 40 ms a request on loopback.
  client_->set_tcp_nodelay(true);
  client_->set_keep_alive(true);
  client_->set_follow_location(false);  // a contract checks the redirect itself
  client_->set_url_encode(false);       // the runner encodes; the path is sent as the contract says
  client_->set_decompress(false);       // no Accept-Encoding added: the request is what the contract wrote
  // Called on the sending thread for every new connection (the client has no other hook for it).
  client_->set_socket_options([this](socket_t fd) {
    ++connections_opened_;
    received_before_ = 0;
    socket_ = fd;
  });
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  client_->enable_server_certificate_verification(options.verify_certificates);
#endif
}

HttpClient::~HttpClient() = default;

HttpClient::Attempt HttpClient::send_once(const HttpRequest& request, Clock::time_point deadline) {
  Attempt attempt;
  const auto left = std::max(std::chrono::milliseconds(1),
                             std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
  client_->set_connection_timeout(left);
  client_->set_read_timeout(left);
  client_->set_write_timeout(left);

  httplib::Request req;
  req.method = request.method;
  req.path = target_.prefix + request.path;
  for (const auto& [name, value] : request.headers) req.headers.emplace(name, value);
  if (target_.scheme == "http" && request.body.size() >= kWatchedBody) {
    // Sent in pieces, looking for an answer between them: a server that refuses the body
    // answers and hangs up before taking it, and cpp-httplib would stop at the failed write.
    if (!req.has_header("Content-Type")) req.headers.emplace("Content-Type", "text/plain");  // as for a body sent whole
    req.content_length_ = request.body.size();
    req.content_provider_ = [&](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
      const bool written = sink.write(request.body.data() + offset, std::min(length, kPiece));
      const int fd = client_->socket();
      pollfd p{fd, POLLIN, 0};
      if (written && ::poll(&p, 1, 0) == 0) return true;
      attempt.early = read_early_answer(fd, deadline, options_.max_answer_bytes);
      attempt.stopped_sending = true;
      return false;
    };
  } else {
    req.body = request.body;
  }
  std::string body;
  const std::size_t limit = options_.max_answer_bytes;
  req.response_handler = [&](const httplib::Response& head) {
    // A declared length over the limit fails before a byte of the body is read.
    const std::string length = head.get_header_value("Content-Length");
    unsigned long long declared = 0;
    const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), declared);
    attempt.too_large = ec == std::errc() && end == length.data() + length.size() && declared > limit;
    return !attempt.too_large;
  };
  req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    if (size > limit - body.size()) {
      attempt.too_large = true;
      return false;
    }
    body.append(data, size);
    return true;
  };

  httplib::Response res;
  const std::size_t opened = connections_opened_;
  received_before_ = tcp_bytes_received(socket_).value_or(0);  // a kept-alive connection's earlier answers
  watchdog_->arm(deadline);
  attempt.ok = client_->send(req, res, attempt.error);
  attempt.expired = watchdog_->disarm();
  if (watchdog_->cut_for_budget()) {
    attempt.expired = false;
    attempt.too_large = true;
    attempt.ok = false;
  }
  attempt.reused = connections_opened_ == opened;
  attempt.answered = res.status != -1;
  // cpp-httplib calls a body given up "Canceled"; without an answer read back, it broke while sending.
  if (attempt.stopped_sending && !attempt.early && !attempt.ok) attempt.error = httplib::Error::Write;
  if (attempt.ok) {
    std::vector<NameValue> headers(res.headers.begin(), res.headers.end());
    attempt.response = make_response(res.status, std::move(headers), std::move(body));
  }
  return attempt;
}

bool HttpClient::over_size_cap() const {
  // The body's cap, with room for the head and for TLS's framing of the bytes.
  const std::uint64_t cap = options_.max_answer_bytes + options_.max_answer_bytes / 8 + (1u << 20);
  const auto received = tcp_bytes_received(socket_);
  return received && *received > received_before_ && *received - received_before_ > cap;
}

Result<Response, TransportError> HttpClient::send(const HttpRequest& request, std::chrono::milliseconds timeout) {
  using Kind = TransportError::Kind;
  const auto started = Clock::now();
  auto deadline = started + timeout;
  const bool run_ends_first = options_.stop_at && *options_.stop_at < deadline;
  if (run_ends_first) deadline = *options_.stop_at;
  if (run_ends_first && started >= deadline) {
    return Err{TransportError{Kind::time_limit, "not sent: the run's time limit (--time-limit) had passed"}};
  }
  Attempt attempt = send_once(request, deadline);
  // A kept-alive connection that the server closed as the request went out: nothing came back,
  // so the request goes once more on a fresh connection, as browsers do.
  if (!attempt.ok && !attempt.early && attempt.reused && !attempt.answered && !attempt.expired && !attempt.too_large &&
      (attempt.error == httplib::Error::Read || attempt.error == httplib::Error::Write)) {
    attempt = send_once(request, deadline);
  }
  if (attempt.ok) return std::move(attempt.response);
  if (attempt.early) return std::move(*attempt.early);

  const std::string where = target_.origin();
  if (attempt.too_large) {
    return Err{TransportError{Kind::too_large, "the answer from " + where + " is larger than " +
                                                   std::to_string(options_.max_answer_bytes) +
                                                   " bytes (--max-answer-bytes); the rest was not read"}};
  }
  // cpp-httplib reports a read that timed out and a malformed answer alike; the clock tells them apart.
  const bool out_of_time = attempt.expired || attempt.error == httplib::Error::ConnectionTimeout ||
                           Clock::now() + std::chrono::milliseconds(50) >= deadline;
  if (out_of_time && run_ends_first) {
    return Err{TransportError{Kind::time_limit, "cut at the run's time limit (--time-limit) before " + where +
                                                    " had answered"}};
  }
  const std::string after = std::to_string(timeout.count()) + " ms";
  if (out_of_time) {
    if (attempt.error == httplib::Error::ConnectionTimeout) {
      return Err{TransportError{Kind::timeout, "no connection to " + where + " within " + after + " (timeout)"}};
    }
    return Err{TransportError{Kind::timeout, "no complete answer from " + where + " within " + after + " (timeout)"}};
  }
  switch (attempt.error) {
    case httplib::Error::Connection:
      return Err{TransportError{Kind::cannot_connect, "cannot connect to " + where + ": " + why_no_connection(target_)}};
    case httplib::Error::Read:
      return Err{TransportError{Kind::not_http, "the answer from " + where +
                                                    " is not HTTP, or the connection closed before a complete response"}};
    case httplib::Error::Write:
      return Err{TransportError{Kind::broken, "the connection to " + where + " broke while sending the request"}};
    case httplib::Error::SSLConnection:
      return Err{TransportError{Kind::tls, "TLS handshake with " + where + " failed (is it really https?)"}};
    case httplib::Error::SSLServerVerification:
      return Err{TransportError{Kind::tls, "the certificate of " + where +
                                               " was not accepted (--insecure skips verification)"}};
    default:
      return Err{TransportError{Kind::broken, "request to " + where + " failed: " + httplib::to_string(attempt.error)}};
  }
}

}  // namespace pbxmock::contracts
