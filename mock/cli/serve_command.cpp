#include "mock/cli/serve_command.h"

#include "mock/cli/listen_options.h"
#include "mock/cli/signal_watcher.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace pbxmock::cli {
void setup_serve(CLI::App& app, int& status) {
  auto options = std::make_shared<mock::ServerOptions>();
  auto log_format = std::make_shared<std::string>("text");
  CLI::App* serve = app.add_subcommand("serve", "Run the mock PortSIP PBX API (default: 127.0.0.1:8887, base path /api)");
  serve->add_option("--scenario", options->scenario,
                    "Scenario: a built-in name (default, two_factor, microsoft365, flaky_network, vendor_defaults) or a YAML/JSON file");
  serve->add_option("--spec", options->spec_file,
                    "An OpenAPI document (the vendor's full one, say): its other operations answer from its examples");
  serve->add_option("--public-url", options->public_url,
                    "Origin browsers reach the mock at, for the addresses it hands out, e.g. https://mock.example.com:9443 "
                    "(default: each request's Host header)");
  serve->add_flag("--watch", options->watch, "Reload the --scenario file when it changes (a bad edit keeps the running one)");
  add_listen_options(*serve, *options, *log_format);
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

int run_serve(const mock::ServerOptions& options, const std::function<void()>& after_stop) {
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
  if (after_stop) after_stop();
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
