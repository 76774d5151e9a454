#pragma once
// `pbxmock proxy --upstream URL [--port 8887] [--host 127.0.0.1] [--spec FILE] [-k]
// [--record DIR] [--strict]`: stands between a front end and a real PBX, forwards every
// request and passes each answer back unchanged, checks both directions against the spec
// (one log line per violation, the journal, /__admin/violations), and with --record writes
// each client session as a contract that `pbxmock check` runs.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "contracts/http_client.h"
#include "mock/http/server.h"

namespace CLI {
class App;
}

namespace pbxmock::cli {

struct ProxyCommandOptions {
  mock::ServerOptions server;  // where the proxy listens, its log, admin key, journal, body limit
  std::string upstream;
  std::optional<std::string> spec_file;
  bool insecure = false;
  std::optional<std::string> record_dir;
  bool strict = false;
  int timeout_ms = 30'000;
  std::size_t max_answer_bytes = contracts::kDefaultMaxAnswerBytes;
};

void setup_proxy(CLI::App& app, int& status);

// 0 after a clean stop; 1 when the address was refused; 2 for a bad --upstream, --spec or
// --record folder.
int run_proxy(const ProxyCommandOptions& options);

}  // namespace pbxmock::cli
