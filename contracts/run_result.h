#pragma once
// What a run found, step by step: what the console report and the JUnit file are written from.
#include <cstddef>
#include <string>
#include <vector>

namespace pbxmock::contracts {

enum class Outcome { passed, failed, skipped };

struct StepResult {
  std::string name;
  Outcome outcome = Outcome::passed;
  double seconds = 0;
  std::vector<std::string> failures;  // "status: expected 200, seen 400 UNAUTHORIZED", one a line
  std::vector<std::string> allowed;   // "undeclared_status: <reason> (<what the check saw>)"
  std::string curl;                   // the request again, when one was sent and the step failed
  std::string skip_reason;            // for Outcome::skipped
  bool no_answer = false;             // failed for want of an HTTP answer (transport error)
  std::vector<std::string> tags = {}; // its contract's tags and its own (the per-tag lines of `check`)
};

struct ContractResult {
  std::string file;
  std::string name;
  double seconds = 0;
  std::vector<StepResult> steps;
};

struct RunResult {
  std::vector<ContractResult> contracts;
  std::size_t passed = 0;
  std::size_t failed = 0;   // failed steps plus steps not run because of an earlier failure
  std::size_t skipped = 0;  // of `failed`, the steps not run
  bool target_unreachable = false;  // the very first request could not connect
  std::size_t no_answer = 0;        // steps that got no HTTP answer at all
  std::string first_transport_error;
  double seconds = 0;
  bool stopped_by_time_limit = false;  // --time-limit came before the last step had run
};

}  // namespace pbxmock::contracts
