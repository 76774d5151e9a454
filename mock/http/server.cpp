#include "mock/http/server.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <thread>
#include <utility>

#include <httplib.h>

#include "mock/admin/admin_api.h"
#include "mock/clock.h"
#include "mock/http/connection.h"
#include "mock/http/cors.h"
#include "mock/http/refusal.h"
#include "mock/http/request_guard.h"
#include "mock/http/tls_transport.h"
#include "mock/auth/outbox.h"
#include "mock/admin/request_journal.h"
#include "mock/scenario/scenario_watcher.h"
#include "mock/http/admin_key.h"
#include "mock/http/dispatcher.h"
#include "mock/active_mock.h"
#include "mock/url.h"
#include "spec/openapi.h"

namespace pbxmock::mock {
namespace {

constexpr std::size_t kKeepAliveRequests = 10'000;
constexpr time_t kKeepAliveSeconds = 5;
constexpr time_t kReadWriteTimeoutSeconds = 5;
constexpr int kListenBacklog = 1024;
constexpr std::size_t kMaxConnections = 10'000;
// A worker that answered keeps the connection this long for its next request: a busy
// client then costs no hand-over to the epoll thread (which alone would be the bottleneck
// on a loaded machine), an idle or slow one holds the worker only this long.
constexpr auto kNextRequestWait = std::chrono::milliseconds(5);
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

struct Target {
  std::string_view path, query;
};

Target split_target(std::string_view target) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

// Requests refused before any handler saw them are logged and journaled like the others.
void record_refusal(const AccessLog& log, RequestJournal& journal, const Clock& clock, std::string_view remote,
                    std::string_view method, std::string_view target, int status) {
  const Target parts = split_target(target);
  if (journal.capacity() > 0 && !method.empty()) {
    JournalEntry entry;
    entry.time = clock.now();
    entry.method.assign(method);
    entry.text.append(JournalText::path, parts.path);
    entry.text.append(JournalText::query, parts.query);
    entry.status = status;
    journal.record(std::move(entry));
  }
  if (log.enabled()) {
    log.write(AccessRecord{remote, method.empty() ? std::string_view("-") : method,
                           parts.path.empty() ? std::string_view("-") : parts.path, status, 0, {}, {}});
  }
}

// httplib's default also sets SO_REUSEPORT, with which two servers can share a port.
void reuse_address_only(socket_t socket) {
  const int yes = 1;
  ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

std::string host_for_url(const std::string& host) {
  if (host.find(':') != std::string::npos && host.front() != '[') return "[" + host + "]";
  return host;
}

}  // namespace

MockServer::MockServer(ServerOptions options) : options_(std::move(options)) {}

MockServer::~MockServer() {
  if (watcher_) watcher_->stop();
}

Result<std::unique_ptr<MockServer>, std::string> MockServer::assemble(ServerOptions options, bool bound) {
  if (auto checked = check_options(options); !checked) return Err{checked.error()};
  auto scenario = resolve_scenario(options.scenario);
  if (!scenario) return Err{"scenario rejected:\n" + describe_errors(scenario.error())};

  std::unique_ptr<MockServer> server(new MockServer(std::move(options)));
  if (auto made = server->make_parts(); !made) return Err{made.error()};
  if (auto made = server->make_transport(); !made) return Err{made.error()};
  server->install_handlers();
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
  auto server = assemble(std::move(options), false);
  if (server) {
    server.value()->dispatcher_->set_connection_hooks(
        [](const httplib::Request&, Fault fault) { return break_in_memory_connection(fault); },
        [](std::chrono::milliseconds) {});
  }
  return server;
}

BufferedConnection MockServer::connect_in_memory() {
  ConnectionInfo info;
  info.remote = Endpoint{"127.0.0.1", 40000};
  info.local = Endpoint{"127.0.0.1", port_};
  return plain_->connect_in_memory(std::move(info));
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

// HTTP and HTTPS alike are read by the epoll connection loop, which hands workers complete
// requests only; HTTPS differs in the transport: TLS (OpenSSL over the loop's non-blocking
// sockets, the handshake under its own deadline).
Result<bool, std::string> MockServer::make_transport() {
  const ServerOptions& o = options_;
  MakeTransport transport;  // none: plain TCP
  if (!o.tls_cert.empty()) {
    auto loaded = TlsContext::load(o.tls_cert, o.tls_key);
    if (!loaded) return Err{loaded.error()};
    std::shared_ptr<const TlsContext> context = std::move(loaded).value();
    transport = [context](int socket) { return context->accept(socket); };
  }
  const std::size_t connection_cap = raise_open_file_limit(kMaxConnections);
  LoopSettings settings;
  settings.limits.body_bytes = o.max_body_bytes;
  settings.keep_alive = std::chrono::seconds(kKeepAliveSeconds);
  settings.write_timeout = std::chrono::seconds(kReadWriteTimeoutSeconds);
  settings.keep_alive_requests = kKeepAliveRequests;
  settings.max_connections = connection_cap;
  settings.next_request_wait = kNextRequestWait;
  MockServer* owner = this;
  auto http = std::make_unique<PlainHttpServer>(
      settings, [owner](const RequestReader& reader, const spec::ApiError& error, const ConnectionInfo& connection) {
        record_refusal(*owner->log_, *owner->journal_, *owner->clock_, connection.remote.ip, reader.method(),
                       reader.target(), error.status);
        return refusal_bytes(error, reader.method());
      },
      std::move(transport));
  plain_ = http.get();
  http_ = std::move(http);
  return true;
}

// The handlers reach the dispatcher through the server: it is built once the port is
// known, before run() lets the first request in.
void MockServer::install_handlers() {
  httplib::Server& http = *http_;
  MockServer* self = this;
  // Before binding: httplib applies TCP_NODELAY and the socket options to the listening
  // socket, and accepted sockets inherit them.
  http.set_socket_options(reuse_address_only);
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(kKeepAliveRequests);
  http.set_keep_alive_timeout(kKeepAliveSeconds);
  http.set_read_timeout(kReadWriteTimeoutSeconds, 0);
  http.set_write_timeout(kReadWriteTimeoutSeconds, 0);
  http.set_payload_max_length(options_.max_body_bytes);
  http.set_pre_routing_handler(
      [self](const httplib::Request& request, httplib::Response& response) {
        if (auto refused = guard_request(request, *self->guard_)) {
          write_answer(ApiResponse::error(*refused), response);
          add_cors_headers(request, response);
          record_refusal(*self->log_, *self->journal_, *self->clock_, request.remote_addr, request.method,
                         request.target, refused->status);
          return httplib::Server::HandlerResponse::Handled;
        }
        return self->dispatcher_->on_pre_routing(request, response);
      });
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [self](const httplib::Request& request, httplib::Response& response) {
        return self->dispatcher_->on_error(request, response);
      }));
  http.set_exception_handler(
      [self](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        self->dispatcher_->on_exception(request, response, std::move(error));
      });
}

Result<bool, std::string> MockServer::bind() {
  const ServerOptions& o = options_;
  if (o.port == 0) {
    port_ = http_->bind_to_any_port(o.host);
    if (port_ <= 0) return Err{"cannot listen on " + o.host + " (any port)"};
  } else {
    if (!http_->bind_to_port(o.host, o.port)) {
      return Err{"cannot listen on " + o.host + ":" + std::to_string(o.port) + " (in use, or not an address of this machine?)"};
    }
    port_ = o.port;
  }
  // listen() again only changes the backlog of a listening socket.
  ::listen(plain_->listening_socket(), kListenBacklog);
  return true;
}

void MockServer::make_core(Scenario scenario) {
  const ServerOptions& o = options_;
  // The identity provider's address: --public-url, else each request's Host header with the
  // scheme only we know.
  OriginSettings origin{o.public_url, o.tls_cert.empty() ? "http" : "https"};
  holder_ = std::make_unique<MockHolder>(std::move(scenario), *clock_, *outbox_, std::move(origin));
  admin_ = std::make_unique<AdminApi>(AdminContext{*holder_, *journal_, *outbox_, *clock_, started_});
  dispatcher_ = std::make_unique<Dispatcher>(
      DispatcherParts{*holder_, *admin_, *gate_, *journal_, *log_, *clock_, fallback_document_.get(), o.max_body_bytes});
  dispatcher_->set_listening_port(port_);
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
  std::string first = "pbxmock: serving scenario '" + holder_->current()->scenario->name + "' on " + api_url();
  if (admin_key_.empty()) {
    first += " (admin: /__admin/)";
  } else {
    first += " (admin: /__admin/, needs X-Admin-Key) - WARNING: reachable from the network";
  }
  lines.push_back(std::move(first));
  if (key_generated_) lines.push_back("pbxmock: admin key: " + admin_key_ + " (send it as X-Admin-Key)");
  if (fallback_document_) {
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
  serving_ = true;
  bool ok = true;
  if (!stop_requested_) ok = http_->listen_after_bind();
  serving_ = false;
  plain_->stop_connections();
  abandoned_work_ = !plain_->drain(kStopGrace);
  if (watcher_) watcher_->stop();
  return ok || stop_requested_;
}

void MockServer::stop() {
  stop_requested_ = true;
  // run() may not have reached httplib's loop yet, and httplib's stop() does nothing then:
  // wait (briefly) until it is there or gone.
  for (int i = 0; i < 2000 && serving_ && !http_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  http_->stop();
  plain_->stop_connections();
}

}  // namespace pbxmock::mock
