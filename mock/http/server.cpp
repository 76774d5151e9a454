#include "mock/http/server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "mock/admin/admin_api.h"
#include "mock/clock.h"
#include "mock/http/connection_loop.h"
#include "mock/http/cors.h"
#include "mock/http/http_service.h"
#include "mock/http/request_guard.h"
#include "mock/http/tls_transport.h"
#include "mock/auth/outbox.h"
#include "mock/admin/request_journal.h"
#include "mock/admin/violation_log.h"
#include "mock/scenario/scenario_watcher.h"
#include "mock/http/admin_key.h"
#include "mock/http/dispatcher.h"
#include "mock/active_mock.h"
#include "mock/url.h"
#include "spec/openapi.h"

namespace pbxmock::mock {
namespace {

constexpr std::size_t kKeepAliveRequests = 10'000;
constexpr auto kKeepAlive = std::chrono::seconds(5);
constexpr auto kWriteTimeout = std::chrono::seconds(5);
constexpr int kListenBacklog = 1024;
constexpr std::size_t kMaxConnections = 10'000;
// Past this, answers still being worked on (a rule's delay) are abandoned at a stop.
constexpr auto kStopGrace = std::chrono::milliseconds(1500);

// Each connection is a descriptor: the default soft limit (often 1,024) would refuse
// clients long before the connection cap. Returns how many connections fit.
std::size_t raise_open_file_limit(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1000;
  const rlim_t target = std::min<rlim_t>(limit.rlim_max, wanted + 256);
  if (limit.rlim_cur < target) {
    limit.rlim_cur = target;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur > 256 ? std::min<std::size_t>(wanted, limit.rlim_cur - 256) : 64;
}

// A listening socket on the first address of `host` that binds (port 0: any free one);
// SO_REUSEADDR only (with SO_REUSEPORT two servers could share a port); an IPv6 socket
// takes IPv4 clients too. -1 when none binds.
int listen_on(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0) return -1;
  int socket = -1;
  for (addrinfo* at = found; at && socket < 0; at = at->ai_next) {
    socket = ::socket(at->ai_family, at->ai_socktype | SOCK_CLOEXEC, at->ai_protocol);
    if (socket < 0) continue;
    const int yes = 1, no = 0;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (at->ai_family == AF_INET6) ::setsockopt(socket, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);
    if (::bind(socket, at->ai_addr, at->ai_addrlen) != 0 || ::listen(socket, kListenBacklog) != 0) {
      ::close(socket);
      socket = -1;
    }
  }
  ::freeaddrinfo(found);
  return socket;
}

int bound_port(int socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

std::string host_for_url(const std::string& host) {
  if (host.find(':') != std::string::npos && host.front() != '[') return "[" + host + "]";
  return host;
}

}  // namespace

MockServer::MockServer(ServerOptions options) : options_(std::move(options)) {}

MockServer::~MockServer() {
  if (watcher_) watcher_->stop();
  loop_.reset();
  if (listener_ >= 0) ::close(listener_);
}

Result<std::unique_ptr<MockServer>, std::string> MockServer::assemble(ServerOptions options, bool bound) {
  if (auto checked = check_options(options); !checked) return Err{checked.error()};
  auto scenario = resolve_scenario(options.scenario);
  if (!scenario) return Err{"scenario rejected:\n" + describe_errors(scenario.error())};

  std::unique_ptr<MockServer> server(new MockServer(std::move(options)));
  if (auto made = server->make_parts(); !made) return Err{made.error()};
  if (auto made = server->make_transport(); !made) return Err{made.error()};
  if (bound) {
    if (auto socket = server->bind(); !socket) return Err{socket.error()};
  }
  server->make_core(std::move(scenario).value());
  return server;
}

Result<std::unique_ptr<MockServer>, std::string> MockServer::start(ServerOptions options) {
  auto server = assemble(std::move(options), true);
  if (server && server.value()->options_.watch) server.value()->watch_scenario_file();
  return server;
}

Result<std::unique_ptr<MockServer>, std::string> MockServer::start_in_memory(ServerOptions options) {
  if (!options.tls_cert.empty()) return Err{std::string("an in-memory server serves plain HTTP only")};
  options.watch = false;
  return assemble(std::move(options), false);
}

BufferedConnection MockServer::connect_in_memory() {
  ConnectionInfo info;
  info.remote = Endpoint{"127.0.0.1", 40000};
  info.local = Endpoint{"127.0.0.1", port_};
  return BufferedConnection(settings_, service_->serve_function(), service_->refuse_function(), std::move(info));
}

Result<bool, std::string> MockServer::check_options(ServerOptions& options) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return Err{std::string("--tls-cert and --tls-key go together")};
  }
  if (!options.public_url.empty()) {
    auto origin = public_url_origin(options.public_url);
    if (!origin) return Err{"--public-url " + options.public_url + ": " + origin.error()};
    options.public_url = std::move(origin).value();
  }
  if (options.watch && (options.scenario.empty() || options.scenario.find_first_of("/.") == std::string::npos)) {
    return Err{std::string("--watch needs --scenario FILE (a built-in scenario never changes)")};
  }
  return true;
}

// Everything the handlers share that does not depend on the transport: clock, outbox,
// journal, log, the --spec document, the admin key and the browser-facing policies.
Result<bool, std::string> MockServer::make_parts() {
  const ServerOptions& o = options_;
  started_ = std::chrono::steady_clock::now();
  clock_ = std::make_unique<Clock>();
  outbox_ = std::make_unique<Outbox>();
  journal_ = std::make_unique<RequestJournal>(o.journal_size);
  if (o.forwarder) violations_ = std::make_unique<ViolationLog>();
  log_ = std::make_unique<AccessLog>(o.log_format, !o.quiet, o.log_fd);

  if (!o.spec_file.empty()) {
    auto document = spec::load_openapi_file(o.spec_file);
    if (!document) return Err{"--spec rejected: " + spec::to_string(document.error())};
    fallback_document_ = std::make_unique<spec::OpenApiDocument>(std::move(document).value());
  }

  if (!is_loopback_host(o.host)) {
    admin_key_ = o.admin_key;
    if (admin_key_.empty()) {
      admin_key_ = generate_admin_key();
      key_generated_ = true;
      if (admin_key_.empty()) return Err{std::string("could not generate an admin key (OpenSSL RAND_bytes failed)")};
    }
  }
  gate_ = std::make_unique<AdminGate>(admin_key_);
  set_cors_policy(CorsPolicy{o.cors_credentials, o.cors_origins});
  guard_ = std::make_unique<GuardSettings>(guard_settings(o.host, o.public_url));
  return true;
}

// HTTP and HTTPS alike are served by the epoll connection loop; HTTPS differs in the
// transport: TLS (OpenSSL over the loop's non-blocking sockets, the handshake under its own
// deadline).
Result<bool, std::string> MockServer::make_transport() {
  const ServerOptions& o = options_;
  if (!o.tls_cert.empty()) {
    auto loaded = TlsContext::load(o.tls_cert, o.tls_key);
    if (!loaded) return Err{loaded.error()};
    std::shared_ptr<const TlsContext> context = std::move(loaded).value();
    transport_ = [context](int socket) { return context->accept(socket); };
  }
  settings_.limits.body_bytes = o.max_body_bytes;
  settings_.keep_alive = kKeepAlive;
  settings_.write_timeout = kWriteTimeout;
  settings_.keep_alive_requests = kKeepAliveRequests;
  settings_.max_connections = raise_open_file_limit(kMaxConnections);
  return true;
}

Result<bool, std::string> MockServer::bind() {
  const ServerOptions& o = options_;
  listener_ = listen_on(o.host, o.port);
  if (listener_ < 0) {
    if (o.port == 0) return Err{"cannot listen on " + o.host + " (any port)"};
    return Err{"cannot listen on " + o.host + ":" + std::to_string(o.port) + " (in use, or not an address of this machine?)"};
  }
  port_ = bound_port(listener_);
  return true;
}

void MockServer::make_core(Scenario scenario) {
  const ServerOptions& o = options_;
  // The identity provider's address: --public-url, else each request's Host header with the
  // scheme only we know.
  OriginSettings origin{o.public_url, o.tls_cert.empty() ? "http" : "https"};
  holder_ = std::make_unique<MockHolder>(std::move(scenario), *clock_, *outbox_, std::move(origin));
  admin_ = std::make_unique<AdminApi>(
      AdminContext{*holder_, *journal_, *outbox_, *clock_, started_, violations_.get(), o.upstream});
  dispatcher_ = std::make_unique<Dispatcher>(DispatcherParts{*holder_, *admin_, *gate_, *journal_, *log_, *clock_,
                                                             fallback_document_.get(), o.max_body_bytes, guard_.get(),
                                                             o.forwarder, violations_.get()});
  service_ = std::make_unique<HttpService>(*dispatcher_, settings_);
  if (listener_ >= 0) {
    AccessLog* log = log_.get();
    loop_ = std::make_unique<ConnectionLoop>(settings_, service_->serve_function(), service_->refuse_function(),
                                             transport_, [log] { log->flush(); });
  }
}

void MockServer::watch_scenario_file() {
  MockHolder& holder = *holder_;
  const AccessLog& log = *log_;
  const std::string file = options_.scenario;
  watcher_ = std::make_unique<ScenarioWatcher>(
      file, options_.watch_interval,
      [&holder, &log, file](Scenario loaded) {
        const std::string name = loaded.name;
        const std::size_t kept = holder.reload(std::move(loaded));
        log.note("reloaded scenario '" + name + "' from " + file + " (" + std::to_string(kept) + " session(s) kept)");
      },
      [&log, file](const spec::SourceErrors& errors) {
        log.note("kept the running scenario: " + file + " was rejected:\n" + describe_errors(errors));
      });
}

std::string MockServer::api_url() const {
  const std::string scheme = options_.tls_cert.empty() ? "http" : "https";
  return scheme + "://" + host_for_url(options_.host) + ":" + std::to_string(port_) + "/api";
}

std::vector<std::string> MockServer::banner() const {
  std::vector<std::string> lines;
  std::string first = options_.forwarder
                          ? "pbxmock: proxying " + api_url().substr(0, api_url().size() - 4) + " to " + options_.upstream
                          : "pbxmock: serving scenario '" + holder_->current()->scenario->name + "' on " + api_url();
  if (admin_key_.empty()) {
    first += " (admin: /__admin/)";
  } else {
    first += " (admin: /__admin/, needs X-Admin-Key) - WARNING: reachable from the network";
  }
  lines.push_back(std::move(first));
  if (key_generated_) lines.push_back("pbxmock: admin key: " + admin_key_ + " (send it as X-Admin-Key)");
  if (options_.forwarder) lines.push_back("pbxmock: spec violations are logged here and listed at /__admin/violations");
  if (fallback_document_ && !options_.forwarder) {
    const auto& operations = fallback_document_->operations();
    const auto& ours = AuthService::operation_ids();
    const auto others = std::count_if(operations.begin(), operations.end(), [&](const spec::Operation& op) {
      return std::find(ours.begin(), ours.end(), op.operation_id) == ours.end();
    });
    lines.push_back("pbxmock: --spec " + options_.spec_file + ": " + std::to_string(operations.size()) +
                    " operations, " + std::to_string(others) + " answered from the document");
  }
  if (watcher_) lines.push_back("pbxmock: watching " + options_.scenario + " for changes");
  return lines;
}

bool MockServer::run() {
  if (!loop_) return false;
  loop_->listen(listener_);
  {
    std::unique_lock<std::mutex> lock(stop_mutex_);
    stop_signal_.wait(lock, [this] { return stop_requested_; });
  }
  loop_->stop();
  abandoned_work_ = !loop_->drain(kStopGrace);
  log_->flush();
  if (watcher_) watcher_->stop();
  return true;
}

void MockServer::stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stop_requested_ = true;
  }
  stop_signal_.notify_all();
}

}  // namespace pbxmock::mock
