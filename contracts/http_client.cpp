#include "contracts/http_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "spec/ascii.h"

namespace pbxmock::contracts {
namespace {

using spec::ascii::lower;

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

HttpClient::HttpClient(Target target, ClientOptions options)
    : target_(std::move(target)), client_(std::make_unique<httplib::Client>(target_.origin())) {
  // Without TCP_NODELAY, delayed ACKs cost about 40 ms a request on loopback.
  client_->set_tcp_nodelay(true);
  client_->set_keep_alive(true);
  client_->set_follow_location(false);  // a contract checks the redirect itself
  client_->set_url_encode(false);       // the runner encodes; the path is sent as the contract says
  client_->set_decompress(false);       // no Accept-Encoding added: the request is what the contract wrote
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  client_->enable_server_certificate_verification(options.verify_certificates);
#else
  (void)options;
#endif
}

HttpClient::~HttpClient() = default;

Result<Response, TransportError> HttpClient::send(const HttpRequest& request, std::chrono::milliseconds timeout) {
  using Kind = TransportError::Kind;
  client_->set_connection_timeout(timeout);
  client_->set_read_timeout(timeout);
  client_->set_write_timeout(timeout);

  httplib::Request req;
  req.method = request.method;
  req.path = target_.prefix + request.path;
  for (const auto& [name, value] : request.headers) req.headers.emplace(name, value);
  req.body = request.body;

  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  const auto started = std::chrono::steady_clock::now();
  const bool ok = client_->send(req, res, error);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (ok) {
    std::vector<NameValue> headers(res.headers.begin(), res.headers.end());
    return make_response(res.status, std::move(headers), std::move(res.body));
  }
  const std::string where = target_.origin();
  const std::string after = std::to_string(timeout.count()) + " ms";
  switch (error) {
    case httplib::Error::Connection:
      return Err{TransportError{Kind::cannot_connect, "cannot connect to " + where + ": " + why_no_connection(target_)}};
    case httplib::Error::ConnectionTimeout:
      return Err{TransportError{Kind::timeout, "no connection to " + where + " within " + after + " (timeout)"}};
    case httplib::Error::Read:
      // httplib reports a read timeout and a malformed answer alike; the clock tells them apart.
      if (elapsed + std::chrono::milliseconds(50) >= timeout) {
        return Err{TransportError{Kind::timeout, "no complete answer from " + where + " within " + after + " (timeout)"}};
      }
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
      return Err{TransportError{Kind::broken, "request to " + where + " failed: " + httplib::to_string(error)}};
  }
}

}  // namespace pbxmock::contracts
