#pragma once
// `pbxmock fuzz --target URL [--spec FILE] [--operation ID]... [--max-examples N] [--seed S]
//  [--workers N] [--rate N] [--time-limit S] [--timeout S] [--max-answer-bytes N] [--checks LIST] [--exclude-checks LIST]
//  [--max-response-time MS] [--mock-admin] [--auth FILE] [--mailbox URL | --mailbox-command CMD]
//  [--junit FILE] [--report FILE.json] [--replay FILE.json]`:
// generates valid and invalid requests for every operation of the spec, runs the stateful
// flows, judges every answer with the named checks, and reports each distinct failure shrunk,
// with a curl script that replays it.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pbxmock::cli {

struct FuzzCommandOptions {
  std::string target;
  std::optional<std::string> spec_file;
  std::vector<std::string> operations;
  std::size_t max_examples = 100;
  std::optional<std::uint64_t> seed;  // default: from the clock, printed so the run can be repeated
  std::size_t workers = 1;
  double rate = 0;
  std::optional<double> time_limit_seconds;
  double timeout_seconds = 10;
  std::optional<std::size_t> max_answer_bytes;  // default: the client's (16 MiB)
  std::string checks = "all";
  std::string exclude_checks;
  std::optional<double> max_response_time_ms;
  bool mock_admin = false;
  bool insecure = false;
  bool no_links = false;
  // Progress as one line rewritten in place on `err` (set when stderr is a terminal);
  // otherwise one plain line per finished operation on `out`.
  bool live_progress = false;
  std::optional<std::string> junit_file;
  std::optional<std::string> report_file;
  std::optional<std::string> replay_file;
  std::optional<std::string> auth_file;
  std::optional<std::string> mailbox_url;      // --mailbox
  std::optional<std::string> mailbox_command;  // --mailbox-command
  std::optional<std::string> request_log_file;  // every request sent, one line each (for tests of --seed)
};

void setup_fuzz(CLI::App& app, int& status);

// Progress, failures, the table, coverage and `N passed, N failed` on `out`; problems with the
// command on `err`. 0: nothing failed; 1: a check failed; 2: usage, an unreadable spec or
// report, an unreachable target.
int run_fuzz(const FuzzCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace pbxmock::cli
