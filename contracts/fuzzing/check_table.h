#pragma once
// Every check of `pbxmock fuzz` in one table: its id (what the code names it by, so a misspelt
// check does not compile), its name (what --checks, the report and the README name it by), the
// one line it holds the server to, and the function that judges one answer with it. Adding a
// check is one enumerator in `Check` and one row in check_table.cpp, in the same order; a row
// out of order, or a missing one, fails to compile (a static_assert there).
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pbxmock::contracts::fuzzing {

enum class Check : unsigned char {
  not_a_server_error,
  status_conformance,
  content_type_conformance,
  response_schema_conformance,
  error_shape,
  negative_data_rejection,
  positive_data_acceptance,
  auth_required,
  use_after_sign_out,
  refresh_rotation,
  response_time,
  secret_in_answer,
  parameter_pollution,
  user_enumeration,
  one_time_code_reuse,
  reset_token_reuse,
  token_confusion,
  sign_out_scope,
  expiry_honesty,
  count_  // not a check: the number of checks
};
inline constexpr std::size_t kCheckCount = static_cast<std::size_t>(Check::count_);

class Answer;  // checks.h: one answer, with the case's earlier answers and the run's secrets

// A check's judgement of one answer it applies to.
struct Verdict {
  bool passed = true;
  std::string expected;
  std::string seen;
};

// nullopt: the check has nothing to say about this answer (it does not count as judged).
using AnswerJudge = std::optional<Verdict> (*)(const Answer&);

struct CheckInfo {
  Check id;
  std::string_view name;
  std::string_view holds;  // one line: what the server is held to
  AnswerJudge judge;
};

const std::array<CheckInfo, kCheckCount>& check_table();
const CheckInfo& check_info(Check check);
inline std::string_view check_name(Check check) { return check_info(check).name; }
std::optional<Check> check_named(std::string_view name);

}  // namespace pbxmock::contracts::fuzzing
