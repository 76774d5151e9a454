#include "mock/cli/proxy_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <mutex>

#include "mock/cli/listen_options.h"
#include "mock/cli/serve_command.h"
#include "mock/cli/spec_choice.h"
#include "mock/proxy/session_recording.h"
#include "mock/proxy/upstream_forwarder.h"

namespace pbxmock::cli {
namespace {

constexpr int kUsageError = 2;

}  // namespace

void setup_proxy(CLI::App& app, int& status) {
  auto options = std::make_shared<ProxyCommandOptions>();
  auto log_format = std::make_shared<std::string>("text");
  CLI::App* proxy = app.add_subcommand(
      "proxy", "Stand in front of a real PBX: forward every request, check both directions against the spec, record sessions");
  proxy->add_option("--upstream", options->upstream, "The server to forward to, e.g. https://pbx.example.com:8887")
      ->required();
  proxy->add_option("--spec", options->spec_file, "OpenAPI document to check exchanges against (default: the built-in one)");
  proxy->add_flag("--insecure,-k", options->insecure, "https upstream: do not verify its certificate");
  proxy->add_option("--record", options->record_dir,
                    "Write each client session as a contract into DIR/contracts, and DIR/scenario.yaml");
  proxy->add_flag("--strict", options->strict,
                  "Answer a request that breaks the spec with the mock's own 400 instead of forwarding it");
  proxy->add_option("--timeout", options->timeout_ms, "Milliseconds for the upstream's whole answer (504 after)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3'600'000));
  proxy->add_option("--max-answer-bytes", options->max_answer_bytes,
                    "Largest answer body taken from the upstream (502 above)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
  add_listen_options(*proxy, options->server, *log_format);
  proxy->callback([options, log_format, &status] {
    options->server.log_format = *log_format == "json" ? mock::LogFormat::json : mock::LogFormat::text;
    status = run_proxy(*options);
  });
}

int run_proxy(const ProxyCommandOptions& options) {
  auto upstream = contracts::parse_target(options.upstream);
  if (!upstream) {
    std::cerr << "pbxmock proxy: --upstream " << options.upstream << ": " << upstream.error() << '\n';
    return kUsageError;
  }
  const auto chosen = SpecChoice::make(options.spec_file, std::cerr);
  if (!chosen) return kUsageError;

  std::unique_ptr<mock::proxy::SessionRecording> recording;
  if (options.record_dir) {
    auto note = [](const std::string& line) {
      static std::mutex mutex;
      std::lock_guard<std::mutex> lock(mutex);
      std::cerr << "pbxmock: " << line << std::endl;
    };
    auto opened = mock::proxy::SessionRecording::open(chosen->document(), *options.record_dir, note);
    if (!opened) {
      std::cerr << "pbxmock proxy: --record: " << opened.error() << '\n';
      return kUsageError;
    }
    recording = std::move(opened).value();
  }

  mock::proxy::ProxyOptions proxy_options;
  proxy_options.upstream = upstream.value();
  proxy_options.client.verify_certificates = !options.insecure;
  proxy_options.client.max_answer_bytes = options.max_answer_bytes;
  proxy_options.timeout = std::chrono::milliseconds(options.timeout_ms);
  proxy_options.strict = options.strict;
  mock::proxy::UpstreamForwarder forwarder(chosen->document(), proxy_options, recording.get());

  mock::ServerOptions server = options.server;
  server.forwarder = &forwarder;
  server.upstream = upstream->url();
  return run_serve(server, [&recording] {
    if (!recording) return;
    recording->finish();
    const auto names = recording->environment();
    if (names.empty()) return;
    std::cerr << "pbxmock: the recorded contracts read these environment variables (set them before pbxmock check):";
    for (const auto& name : names) std::cerr << ' ' << name;
    std::cerr << std::endl;
  });
}

}  // namespace pbxmock::cli
