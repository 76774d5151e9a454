#include "mock/cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

namespace pbxmock::cli {
namespace {

constexpr std::size_t kMinAdminKeyLength = 16;

// SIGINT and SIGTERM are blocked in every thread (set before any starts) and taken by one
// thread with sigtimedwait, which then stops the server: no code runs in signal context.
class SignalWatcher {
 public:
  explicit SignalWatcher(mock::MockServer& server) : thread_([this, &server] { watch(server); }) {}
  ~SignalWatcher() {
    done_ = true;
    thread_.join();
  }

  static void block_stop_signals() {
    sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A client that goes away mid-answer must not kill the server.
    ::signal(SIGPIPE, SIG_IGN);
  }

 private:
  static sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
  }

  void watch(mock::MockServer& server) {
    const sigset_t set = stop_signals();
    const timespec poll{0, 100'000'000};
    while (!done_) {
      if (sigtimedwait(&set, nullptr, &poll) > 0) {
        server.stop();
        return;
      }
    }
  }

  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

void setup_serve(CLI::App& app, int& status) {
  auto options = std::make_shared<mock::ServerOptions>();
  auto log_format = std::make_shared<std::string>("text");
  CLI::App* serve = app.add_subcommand("serve", "Run the mock PortSIP PBX API (default: 127.0.0.1:8887, base path /api)");
  serve->add_option("--scenario", options->scenario,
                    "Scenario: a built-in name (default, two_factor, microsoft365, flaky_network, vendor_defaults) or a YAML/JSON file");
  serve->add_option("--spec", options->spec_file,
                    "An OpenAPI document (the vendor's full one, say): its other operations answer from its examples");
  serve->add_option("--host", options->host, "Address to listen on; a non-loopback one needs the admin key for /__admin/")
      ->capture_default_str();
  serve->add_option("--port", options->port, "Port; 0 picks a free one")->capture_default_str()->check(CLI::Range(0, 65535));
  serve->add_option("--tls-cert", options->tls_cert, "PEM certificate: serve HTTPS (with --tls-key; see scripts/make-cert.sh)")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-key", options->tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  serve->add_option("--public-url", options->public_url,
                    "Origin browsers reach the mock at, for the addresses it hands out, e.g. https://mock.example.com:9443 "
                    "(default: each request's Host header)");
  serve->add_flag("--watch", options->watch, "Reload the --scenario file when it changes (a bad edit keeps the running one)");
  serve->add_option("--log-format", *log_format, "Request log lines on standard error: text or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  serve->add_flag("--quiet", options->quiet, "No per-request log lines (for benchmarks)");
  // At least 16 characters, so that it cannot be guessed in a few thousand tries; the
  // environment variable keeps it out of `ps` and shell history.
  serve->add_option("--admin-key", options->admin_key,
                    "Admin key for a non-loopback host, at least 16 characters; better given as PBXMOCK_ADMIN_KEY in "
                    "the environment, which `ps` does not show (default: generated and printed at start)")
      ->envname("PBXMOCK_ADMIN_KEY")
      ->check(CLI::Validator(
          [](std::string& key) {
            return key.size() >= kMinAdminKeyLength
                       ? std::string()
                       : "the admin key must be at least " + std::to_string(kMinAdminKeyLength) + " characters, not " +
                             std::to_string(key.size());
          },
          "KEY of 16+ characters"));
  serve->add_option("--journal-size", options->journal_size, "Requests kept in /__admin/requests (0 turns it off)")
      ->capture_default_str();
  serve->add_option("--max-body", options->max_body_bytes, "Largest request body in bytes (413 above)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
  serve->add_flag("--cors-credentials", options->cors_credentials,
                  "Send Access-Control-Allow-Credentials: true (a front end that calls the mock with cookies)");
  serve->add_option("--cors-origin", options->cors_origins,
                    "An origin besides localhost ones whose pages may use /__admin/, e.g. http://dev.example.com:3000 "
                    "(repeatable)")
      ->allow_extra_args(false);
  serve->callback([options, log_format, &status] {
    options->log_format = *log_format == "json" ? mock::LogFormat::json : mock::LogFormat::text;
    status = run_serve(*options);
  });
}

int run_serve(const mock::ServerOptions& options) {
  SignalWatcher::block_stop_signals();
  auto started = mock::MockServer::start(options);
  if (!started) {
    std::cerr << "pbxmock: " << started.error() << '\n';
    return 1;
  }
  mock::MockServer& server = **started;
  for (const auto& line : server.banner()) std::cout << line << '\n';
  std::cout.flush();
  bool ok = false;
  {
    SignalWatcher signals(server);
    ok = server.run();
  }
  if (!ok) {
    std::cerr << "pbxmock: the server stopped unexpectedly\n";
    return 1;
  }
  if (server.abandoned_work()) {
    // A worker still sleeps in a rule's delay: the server cannot be taken apart under it,
    // and a stop must not wait for it.
    std::cerr << "pbxmock: stopped (answers still delayed by rules were dropped)" << std::endl;
    std::cout.flush();
    std::_Exit(0);
  }
  std::cerr << "pbxmock: stopped\n";
  return 0;
}

}  // namespace pbxmock::cli
