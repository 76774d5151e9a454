#pragma once
// `pbxmock serve`: the mock server from the shell (issue 4 item 1). Prints where it listens,
// one log line per request on standard error, and stops cleanly (exit 0) on SIGINT/SIGTERM.
#include <functional>

#include "mock/http/server.h"

namespace CLI {
class App;
}

namespace pbxmock::cli {

// Registers the subcommand; when it runs, its exit status is written to `status`.
void setup_serve(CLI::App& app, int& status);

// 0 after a clean stop, 1 when the scenario, the spec or the address was refused.
// `after_stop` runs once the server has stopped (the proxy writes its recording then).
int run_serve(const mock::ServerOptions& options, const std::function<void()>& after_stop = {});

}  // namespace pbxmock::cli
