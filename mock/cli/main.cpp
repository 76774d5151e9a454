// pbxmock: only wires the subcommands together; each lives in its own file.
#include <CLI/CLI.hpp>
#include <csignal>
#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "mock/cli/serve_command.h"
#include "mock/cli/spec_command.h"
#include "mock/cli/check_command.h"
#include "mock/cli/lint_command.h"
#include "mock/cli/validate_command.h"
#include "mock/cli/fuzz_command.h"
#include "mock/cli/import_command.h"
#include "mock/cli/proxy_command.h"

namespace {
constexpr int kUsageError = 2;
}

int main(int argc, char** argv) {
  // A server that hangs up while `check` or `fuzz` is still sending makes a failed write, which
  // the client reports; the default SIGPIPE would end the process without a report instead.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"pbxmock: mock server, contract tester and fuzz harness for the PortSIP PBX auth API"};
  app.set_version_flag("--version", std::string("pbxmock ") + PBXMOCK_VERSION);
  app.require_subcommand(1);

  int status = 0;
  std::vector<std::string> arguments(argv + 1, argv + argc);
  pbxmock::cli::setup_validate(app, status, pbxmock::cli::take_validate_literals(arguments));
  pbxmock::cli::setup_check(app, status);
  pbxmock::cli::setup_lint(app, status);
  pbxmock::cli::setup_serve(app, status);
  pbxmock::cli::setup_spec(app, status);
  pbxmock::cli::setup_fuzz(app, status);
  pbxmock::cli::setup_import(app, status);
  pbxmock::cli::setup_proxy(app, status);

  try {
    // CLI11 takes the arguments last first.
    std::reverse(arguments.begin(), arguments.end());
    app.parse(arguments);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive as "errors" with exit code 0; anything else is a usage error.
    const int code = app.exit(e);
    return code == 0 ? 0 : kUsageError;
  } catch (const std::exception& e) {
    std::cerr << "pbxmock: " << e.what() << '\n';
    return kUsageError;
  }
  return status;
}
