#include "contracts/fuzzing/check_table.h"

#include "contracts/fuzzing/checks.h"
#include "contracts/fuzzing/flow_checks.h"
#include "contracts/fuzzing/parameter_pollution.h"
#include "contracts/fuzzing/secret_in_answer.h"
#include "contracts/fuzzing/user_enumeration.h"

namespace pbxmock::contracts::fuzzing {
namespace {

// In the order of `Check`; the README's table of checks has a row for each name.
constexpr std::array<CheckInfo, kCheckCount> kTable = {{
    {Check::not_a_server_error, "not_a_server_error", "no 5xx, and an HTTP answer at all", judge_not_a_server_error},
    {Check::status_conformance, "status_conformance", "the status is declared for the operation",
     judge_status_conformance},
    {Check::content_type_conformance, "content_type_conformance", "the Content-Type is one declared for that status",
     judge_content_type_conformance},
    {Check::response_schema_conformance, "response_schema_conformance",
     "the body (and required headers) match the declared response", judge_response_schema_conformance},
    {Check::error_shape, "error_shape", "a 4xx body is the vendor's errors[]", judge_error_shape},
    {Check::negative_data_rejection, "negative_data_rejection", "a request that breaks the schema gets a 4xx",
     judge_negative_data_rejection},
    {Check::positive_data_acceptance, "positive_data_acceptance",
     "a request valid by the schema is not refused as invalid", judge_positive_data_acceptance},
    {Check::auth_required, "auth_required", "a secured operation without a valid token answers 401",
     judge_auth_required},
    {Check::use_after_sign_out, "use_after_sign_out", "a signed-out token gets 401", judge_use_after_sign_out},
    {Check::refresh_rotation, "refresh_rotation", "a refresh token already traded in is refused",
     judge_refresh_rotation},
    {Check::response_time, "response_time", "the answer came within --max-response-time", judge_response_time},
    {Check::secret_in_answer, "secret_in_answer",
     "no answer carries a password sent, a mailed code or token, or a token it did not issue",
     judge_secret_in_answer},
    {Check::parameter_pollution, "parameter_pollution",
     "a repeated parameter, JSON key or form field gets a 4xx or the answer of one of its values",
     judge_parameter_pollution},
    {Check::user_enumeration, "user_enumeration",
     "sign-in (the token endpoint's password grant too) and forget_password answer a made-up user as they answer an existing one", judge_user_enumeration},
    {Check::one_time_code_reuse, "one_time_code_reuse", "a used or ended two-factor code and challenge are refused",
     judge_one_time_code_reuse},
    {Check::reset_token_reuse, "reset_token_reuse", "a used reset token, and the password it replaced, are refused",
     judge_reset_token_reuse},
    {Check::token_confusion, "token_confusion", "a token of another kind is refused as the bearer or refresh token",
     judge_token_confusion},
    {Check::sign_out_scope, "sign_out_scope",
     "signing out one session ends it and leaves the account's other session working", judge_sign_out_scope},
    {Check::expiry_honesty, "expiry_honesty", "a token works until its expires_in and not after (--mock-admin)",
     judge_expiry_honesty},
}};

constexpr bool in_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable[i].id) != i || kTable[i].name.empty() || kTable[i].judge == nullptr) return false;
  }
  return true;
}
static_assert(in_order(), "check_table.cpp: one row per Check, in the enum's order, each with a name and a judge");

}  // namespace

const std::array<CheckInfo, kCheckCount>& check_table() { return kTable; }

const CheckInfo& check_info(Check check) { return kTable[static_cast<std::size_t>(check)]; }

std::optional<Check> check_named(std::string_view name) {
  for (const CheckInfo& info : kTable) {
    if (info.name == name) return info.id;
  }
  return std::nullopt;
}

}  // namespace pbxmock::contracts::fuzzing
