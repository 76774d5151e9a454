#pragma once
// `pbxmock fuzz` without the command line: every selected operation's cases and the stateful
// flows sent to one target by a few workers (one connection each, operations handed out in
// order), each failure deduplicated by operation, check and status, the first of each shrunk
// and given a reproducer. Each operation draws from its own seeded generator, so a run
// repeats request for request with the same --seed (and, with one worker, in the same order).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/checks.h"
#include "contracts/fuzzing/flows.h"
#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/mailbox.h"
#include "contracts/fuzzing/progress_line.h"
#include "contracts/http_client.h"
#include "contracts/variables.h"
#include "spec/openapi.h"

namespace pbxmock::contracts::fuzzing {

struct FuzzOptions {
  Target target;
  std::vector<std::string> operations;  // operationIds or "METHOD /path"; empty: all
  std::size_t max_examples = 100;
  std::uint64_t seed = 0;
  std::size_t workers = 1;
  double rate = 0;  // requests a second, 0: unlimited
  std::optional<std::chrono::milliseconds> time_limit;
  std::chrono::milliseconds timeout{10'000};
  std::size_t max_answer_bytes = kDefaultMaxAnswerBytes;  // --max-answer-bytes
  CheckSelection checks;
  bool mock_admin = false;
  bool insecure = false;
  std::size_t body_limit = 1 << 20;
  std::optional<SessionPlan> auth;  // --auth: how to get a token on a server we know no account of
  std::optional<FuzzAccount> account;  // --auth's accounts: the flows run with them (--mock-admin: its own)
  MailboxSource mailbox;  // --mailbox / --mailbox-command; with --mock-admin, the mock's outbox by default
  std::vector<EnvUse> env;          // environment values in those steps, written "$NAME" in reproducers
  std::function<void(const HttpRequest&)> request_log;  // every request, placeholders unsubstituted
  bool follow_links = true;  // the document's OpenAPI links: sequences built from them
  // When set, called (from one thread at a time) a few times a second and at the end instead of
  // the plain line per finished operation: for a progress line rewritten in place on a terminal.
  std::function<void(const Progress&)> live_progress;
};

struct Failure {
  std::string operation;
  std::string check;
  std::string expected;
  std::string seen;
  int status = 0;
  std::size_t count = 0;      // cases that showed it
  std::size_t example = 0;    // the first case's number
  std::size_t original_steps = 0;
  FuzzCase shrunk;
  std::string reproducer;
  double first_seen_seconds = 0;      // into the run
  std::size_t first_seen_request = 0;  // the run's request number (1 for the first)
};

struct OperationStats {
  std::string operation;
  std::size_t requests = 0;
  std::size_t failures = 0;
  std::size_t cases = 0;
  std::size_t not_generated = 0;  // cases for which no valid value could be made
  std::vector<double> latencies_ms;
  std::map<std::string, std::size_t> checks_applied;  // check -> answers it judged
  std::map<std::string, std::size_t> checks_failed;
  std::set<int> statuses;  // seen
};

struct FuzzResult {
  std::vector<OperationStats> operations;  // in document order
  std::vector<Failure> failures;           // one per operation, check and status
  std::vector<std::string> skipped;
  std::size_t requests = 0;
  std::size_t passed = 0;  // operation-check pairs
  std::size_t failed = 0;
  double seconds = 0;
  bool stopped_by_time_limit = false;
  std::size_t links_declared = 0;       // links the run could follow
  std::size_t link_cases = 0;           // sequences built from them
  std::size_t link_cases_stopped = 0;   // of which a link was not followed (another status, nothing at the pointer)
  std::vector<std::string> link_problems;  // links of the document that cannot be followed, with why
  std::map<std::string, std::size_t> link_stops;  // why links were not followed, and how often
  std::string fatal;  // why the run could not be made (unreachable target, no /__admin): exit 2
};

class Fuzzer {
 public:
  // `document` must outlive the fuzzer.
  Fuzzer(const spec::OpenApiDocument& document, FuzzOptions options);

  // Error: an --operation the document does not have.
  std::optional<std::string> check_operations() const;

  // Progress lines go to `progress` as each operation finishes.
  FuzzResult run(std::ostream& progress);

  // Sends the cases of a report again (--replay); failures are those still seen.
  FuzzResult replay(const std::vector<Failure>& recorded, std::ostream& progress);

 private:
  const spec::OpenApiDocument& document_;
  FuzzOptions options_;
};

}  // namespace pbxmock::contracts::fuzzing
