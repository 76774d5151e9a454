#pragma once
// A generated case: a short sequence of requests (set-up steps such as a sign-in, then the
// request under test), each kept in parts (parameters, a JSON body) so the shrinker can
// simplify it and render it again. `${NAME}` in a part is a value saved by an earlier step.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/contract.h"
#include "contracts/http_client.h"
#include "spec/openapi.h"

namespace pbxmock::contracts::fuzzing {

// What a step is for, which decides the checks beyond the spec's that judge its answer.
enum class Intent {
  setup,            // a sign-in, an outbox read: needed by later steps, judged by the spec checks only
  positive,         // valid by the schema: positive_data_acceptance
  negative,         // breaks the schema in one named way: negative_data_rejection
  no_credentials,   // a secured operation without (or with a bogus) token: auth_required
  after_sign_out,   // a token that was signed out: use_after_sign_out
  rotated_refresh,  // a refresh token already traded in: refresh_rotation
  repeated_parameter,  // an earlier step's request with one parameter repeated: parameter_pollution
  unknown_user,        // an earlier step's request with a made-up user instead: user_enumeration
  // The flows' authentication checks (contracts/fuzzing/flow_checks.h judges them):
  spent_one_time_code,  // a two-factor code or challenge already used or ended: one_time_code_reuse
  spent_reset_token,    // a reset token already used, or the password it replaced: reset_token_reuse
  confused_token,       // a token of another kind where this one belongs: token_confusion
  ended_session,        // a token of the session just signed out: sign_out_scope
  other_session,        // a token of the other session, which must go on working: sign_out_scope
  before_expiry,        // the clock just before expires_in: expiry_honesty (must work)
  after_expiry,         // the clock just past expires_in: expiry_honesty (must be refused)
};

// What a step does: a request to the target, or a side step of a flow that the executor
// hands to ExecutorOptions::side_step (reading the mailbox, moving the mock's clock). A side
// step's parameters are in `parts.query`.
enum class StepAction {
  request,
  read_mail,      // query: username, kind ("otp", "password_reset"); saves[0] names the value
  advance_clock,  // query: from (a saved number of seconds), offset (added to it); --mock-admin
};

std::string_view to_string(Intent intent);
std::optional<Intent> intent_from_string(std::string_view text);

enum class BodyEncoding { none, json, form, raw };

struct RequestParts {
  std::string method;
  std::string path_template;  // with the base path: "/api/auth/sign_in/{provider}"
  std::vector<std::pair<std::string, std::string>> path_params;  // raw values (encoded when rendered)
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<NameValue> headers;
  BodyEncoding encoding = BodyEncoding::none;
  nlohmann::json body;  // for json and form
  std::string raw_body;  // for raw (malformed JSON, a body over the limit)
  std::string content_type;  // "" sends none
};

// Saves the string value of the last `key` in the answer's JSON (in document order; the first
// one with `first`, for lists that put the newest first, like the mock's outbox) as NAME. The
// reproducer script does the same with grep, so both read the same value.
// A save with an `expression` is a link's value instead (an OpenAPI runtime expression, bare or
// embedded in text: "Bearer {$response.body#/access_token}"), read from this step's request
// and answer when the answer's status matches `status` ("200", "2XX", "default"); when it does
// not, or the expression finds nothing, the link is not followed and the case stops there.
struct Save {
  std::string name;
  std::string key;
  bool first = false;
  std::string expression{};
  std::string status{};
};

struct Step {
  std::string operation_id;  // "" for a request outside the API (the mock's /__admin/outbox)
  Intent intent = Intent::setup;
  std::string mutation;  // for negative and credential steps: what was broken
  bool essential = false;  // what a later step's check is about (the sign-out before a use
                           // after sign-out): the shrinker keeps it
  RequestParts parts;
  std::vector<Save> saves;
  StepAction action = StepAction::request;
  std::string link{};  // when the step was reached by a link: "signInWithCredentials 200 -> refreshToken (RefreshToken)"
};

struct FuzzCase {
  std::string operation_id;  // the operation the case is about (the last step's)
  std::size_t example = 0;   // its number among that operation's cases
  std::string flow{};        // the flow it is ("password-reset"), "" for a generated case
  std::vector<Step> steps;
};

// The links the case's steps were reached by, in order (none for a case not built from links).
std::vector<std::string> followed_links(const FuzzCase& fuzz_case);

// Whether a response status matches a status key of the document ("200", "2XX", "default").
bool status_matches(std::string_view key, int status);

// Placeholders replaced by saved values; the request as the client sends it.
HttpRequest render(const RequestParts& parts, const std::vector<std::pair<std::string, std::string>>& saved);

// "${NAME}" replaced by its value wherever it appears (unknown names are left as they are).
std::string substitute(std::string_view text, const std::vector<std::pair<std::string, std::string>>& saved);

// The last string value of `key` in the JSON (depth first, document order); nullopt if none.
std::optional<std::string> last_string_value(const nlohmann::json& value, std::string_view key);
std::optional<std::string> first_string_value(const nlohmann::json& value, std::string_view key);

nlohmann::json to_json(const FuzzCase& fuzz_case);
std::optional<FuzzCase> case_from_json(const nlohmann::json& value);

}  // namespace pbxmock::contracts::fuzzing
