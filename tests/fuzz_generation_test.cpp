// The fuzzer's generation, checks and shrinking without a network: positive cases are valid
// by the schema the checks use, negative ones are not (each broken in a named way), the same
// seed gives the same cases, the checks catch answers broken on purpose, and the shrinker
// brings a long username down to the shortest length that still fails.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/checks.h"
#include "contracts/fuzzing/secret_in_answer.h"
#include "contracts/fuzzing/flows.h"
#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/shrinker.h"
#include "contracts/fuzzing/value_generator.h"
#include "contracts/spec_checks.h"
#include "spec/formats.h"
#include "spec/openapi.h"
#include "spec/url_encoding.h"

namespace {

using namespace pbxmock;
using namespace pbxmock::contracts::fuzzing;
using nlohmann::json;

class Generation : public ::testing::Test {
 protected:
  const spec::OpenApiDocument& document = spec::builtin_spec();
  contracts::SpecChecker checker{document};
  Hints hints = account_hints(mock_account());
  ValueGenerator generator{document, checker.validator(), hints};
  SessionPlan session = session_plan(document, mock_account());
  BuildContext context{document, generator, checker.validator(), session};
  CaseBuilder builder{context};
};

TEST_F(Generation, EveryFormatTheValidatorKnowsIsGeneratedValid) {
  for (const char* format : {"portsip-username", "sip-domain", "email", "uri", "ipv4", "ipv6", "date-time"}) {
    Random random(11);
    for (int i = 0; i < 300; ++i) {
      const auto value = format_value(format, random);
      ASSERT_TRUE(value) << format;
      EXPECT_FALSE(spec::check_format(format, *value)) << format << ": " << *value;
    }
  }
}

TEST_F(Generation, PositiveCasesAreValidForEveryOperation) {
  ASSERT_FALSE(document.operations().empty());
  for (const auto& operation : document.operations()) {
    Random random(operation_seed(5, 0));
    for (int i = 0; i < 100; ++i) {
      const auto parts = builder.positive(operation, random);
      ASSERT_TRUE(parts) << operation.operation_id;
      EXPECT_TRUE(builder.valid(operation, *parts)) << operation.operation_id << ": " << parts->body.dump();
    }
  }
}

TEST_F(Generation, UsernamesReachTheirMaximumLength) {
  const spec::Operation* sign_in = document.find_operation("signInWithCredentials");
  Random random(3);
  std::size_t longest = 0;
  for (int i = 0; i < 500; ++i) {
    const auto parts = builder.positive(*sign_in, random);
    ASSERT_TRUE(parts);
    longest = std::max(longest, parts->body["username"].get<std::string>().size());
  }
  EXPECT_GT(longest, 50u);
  EXPECT_LE(longest, 64u);
}

TEST_F(Generation, NegativeCasesBreakTheSchemaInEveryNamedWay) {
  const spec::Operation* sign_in = document.find_operation("signInWithCredentials");
  std::set<std::string> kinds;
  Random random(9);
  for (int i = 0; i < 400; ++i) {
    auto parts = builder.positive(*sign_in, random);
    ASSERT_TRUE(parts);
    const auto what = builder.break_one(*sign_in, *parts, random);
    ASSERT_TRUE(what);
    if (parts->encoding == BodyEncoding::json) {
      EXPECT_FALSE(builder.valid(*sign_in, *parts)) << *what << ": " << parts->body.dump();
    }
    kinds.insert(what->substr(0, what->find(' ')));
  }
  for (const char* expected : {"required", "'username'", "malformed", "the", "a", "query"}) {
    EXPECT_TRUE(kinds.count(expected)) << expected;
  }
}

TEST_F(Generation, AFormIsBrokenOnlyInWaysTheWireCarries) {
  // A form travels as text: read back as the server reads it (every field a string), each
  // negative form case must still break the schema, or the server is right to accept it.
  const spec::Operation* token = document.find_operation("requestOAuthToken");
  ASSERT_NE(token, nullptr);
  const json& schema = *token->request_body.front().schema;
  std::size_t form_cases = 0;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    Random random(operation_seed(seed, 14));
    for (int i = 0; i < 50; ++i) {
      auto parts = builder.positive(*token, random);
      ASSERT_TRUE(parts);
      const auto what = builder.break_one(*token, *parts, random);
      if (!what || parts->encoding != BodyEncoding::form) continue;
      ++form_cases;
      const auto fields = spec::parse_url_encoded(render(*parts, {}).body);
      ASSERT_TRUE(fields);
      json as_read = json::object();
      for (const auto& [name, value] : fields.value()) as_read[name] = value;
      EXPECT_FALSE(checker.validator().is_valid(schema, as_read, spec::Direction::request))
          << *what << ": " << as_read.dump();
    }
  }
  EXPECT_GT(form_cases, 200u);
}

TEST_F(Generation, SecuredOperationsSignInFirstAndGetCredentialCases) {
  const spec::Operation* user = document.find_operation("getUserAuthInfo");
  Random random(1);
  const FuzzCase positive = builder.build(*user, 0, random);
  ASSERT_EQ(positive.steps.size(), 2u);
  EXPECT_EQ(positive.steps[0].operation_id, "signInWithCredentials");
  EXPECT_EQ(positive.steps[1].parts.headers.back().second, "Bearer ${ACCESS_TOKEN}");
  const FuzzCase no_token = builder.build(*user, 3, random);
  ASSERT_EQ(no_token.steps.size(), 1u);
  EXPECT_EQ(no_token.steps[0].intent, Intent::no_credentials);
}

TEST_F(Generation, TheSameSeedGivesTheSameCases) {
  auto cases = [&](std::uint64_t seed) {
    json out = json::array();
    for (std::size_t i = 0; i < document.operations().size(); ++i) {
      Random random(operation_seed(seed, i));
      for (std::size_t example = 0; example < 30; ++example) {
        out.push_back(to_json(builder.build(document.operations()[i], example, random)));
      }
    }
    return out;
  };
  EXPECT_EQ(cases(42), cases(42));
  EXPECT_NE(cases(42), cases(43));
}

TEST_F(Generation, CasesSurviveTheReportFormat) {
  Random random(2);
  const FuzzCase original = builder.build(*document.find_operation("getUserAuthInfo"), 1, random);
  const auto back = case_from_json(to_json(original));
  ASSERT_TRUE(back);
  EXPECT_EQ(to_json(*back), to_json(original));
  EXPECT_FALSE(case_from_json(json{{"steps", json::array({{{"intent", "nonsense"}}})}}));
}

TEST(FuzzCase, SubstitutesSavedValuesAndReadsTheLastKey) {
  EXPECT_EQ(substitute("Bearer ${A} ${B}", {{"A", "x"}, {"A", "y"}}), "Bearer y ${B}");
  const json answer = {{"messages", json::array({{{"code", "111111"}}, {{"code", "222222"}}})}};
  EXPECT_EQ(last_string_value(answer, "code"), "222222");
  EXPECT_FALSE(last_string_value(answer, "token"));
}

Step step_with(Intent intent) {
  Step step;
  step.operation_id = "signInWithCredentials";
  step.intent = intent;
  step.mutation = "something broken";
  return step;
}

contracts::Response answer(int status, const json& body) {
  return contracts::make_response(status, {{"Content-Type", "application/json"}}, body.dump());
}

json validate_failed(const std::string& rule) {
  return {{"errors", json::array({{{"code", "VALIDATE_FAILED"}, {"message", "m"}, {"detail", {{"field", "/x"}, {"rule", rule}}}}})}};
}

bool failed(const CheckOutcome& outcome, const std::string& check) {
  for (const auto& failure : outcome.failures) {
    if (failure.check == check) return true;
  }
  return false;
}

TEST(Checks, CatchAnswersBrokenOnPurpose) {
  const auto& document = spec::builtin_spec();
  const contracts::SpecChecker checker(document);
  const auto selection = CheckSelection::make("all", "", std::nullopt);
  ASSERT_TRUE(selection);
  const spec::Operation* sign_in = document.find_operation("signInWithCredentials");
  const std::chrono::milliseconds ms{1};
  // A schema rule claimed against a valid request; a business rule is the server's own.
  EXPECT_TRUE(failed(judge(step_with(Intent::positive), sign_in, answer(400, validate_failed("maxLength")), ms, checker, *selection),
                     "positive_data_acceptance"));
  EXPECT_FALSE(failed(judge(step_with(Intent::positive), sign_in, answer(400, validate_failed("unknown_tenant")), ms, checker, *selection),
                      "positive_data_acceptance"));
  const json tokens = {{"token_type", "Bearer"}, {"access_token", "A"}, {"refresh_token", "B"}, {"expires_in", 1}};
  EXPECT_TRUE(failed(judge(step_with(Intent::negative), sign_in, answer(200, tokens), ms, checker, *selection),
                     "negative_data_rejection"));
  EXPECT_FALSE(failed(judge(step_with(Intent::negative), sign_in, answer(400, validate_failed("type")), ms, checker, *selection),
                      "negative_data_rejection"));
  EXPECT_TRUE(failed(judge(step_with(Intent::positive), sign_in, answer(500, json::object()), ms, checker, *selection),
                     "not_a_server_error"));
  json broken = tokens;
  broken["expires_in"] = "soon";
  EXPECT_TRUE(failed(judge(step_with(Intent::positive), sign_in, answer(200, broken), ms, checker, *selection),
                     "response_schema_conformance"));
  EXPECT_TRUE(failed(judge(step_with(Intent::positive), sign_in, answer(400, json{{"error", "bad"}}), ms, checker, *selection),
                     "error_shape"));
  EXPECT_TRUE(failed(judge(step_with(Intent::after_sign_out), sign_in, answer(200, tokens), ms, checker, *selection),
                     "use_after_sign_out"));
  EXPECT_TRUE(failed(judge(step_with(Intent::rotated_refresh), sign_in, answer(200, tokens), ms, checker, *selection),
                     "refresh_rotation"));
  EXPECT_TRUE(failed(judge(step_with(Intent::no_credentials), sign_in, answer(200, tokens), ms, checker, *selection),
                     "auth_required"));
}

TEST(Checks, SecretInAnswerFindsAQuotedSecretButNotTheAnswerThatIssuesIt) {
  const auto& document = spec::builtin_spec();
  const contracts::SpecChecker checker(document);
  const auto selection = *CheckSelection::make("secret_in_answer", "", std::nullopt);
  const spec::Operation* verify = document.find_operation("verifyOTP");
  const std::chrono::milliseconds ms{1};
  std::vector<Secret> secrets = {{"fuzz-secret", "the account's password", -1}, {"482913", "a value from the mailbox (CODE)", 1}};
  const json quoted = {{"errors", json::array({{{"code", "UNAUTHORIZED"}, {"message", "wrong code, expected 482913"}}})}};
  const CheckOutcome leak = judge(step_with(Intent::positive), verify, answer(400, quoted), ms, checker, selection, {}, secrets, 2);
  ASSERT_TRUE(failed(leak, "secret_in_answer"));
  EXPECT_NE(leak.failures[0].seen.find("mailbox"), std::string::npos) << leak.failures[0].seen;
  EXPECT_EQ(leak.failures[0].seen.find("482913"), std::string::npos) << "the report masks the value";
  // In a header, percent-encoded (a Location).
  auto redirect = contracts::make_response(302, {{"Location", "https://x.example/cb?pw=fuzz%2Dsecret"}}, "");
  EXPECT_TRUE(failed(judge(step_with(Intent::positive), verify, redirect, ms, checker, selection, {}, secrets, 2),
                     "secret_in_answer"));
  // Inside a longer word it is not the secret; an answer may carry the token it issues.
  const json longer = {{"errors", json::array({{{"code", "X"}, {"message", "id 14829131"}}})}};
  EXPECT_FALSE(failed(judge(step_with(Intent::positive), verify, answer(400, longer), ms, checker, selection, {}, secrets, 2),
                      "secret_in_answer"));
  secrets.push_back({"ACCESSTOKEN0000000000000000000000000000000000001", "the access_token step 1 was issued", 0});
  const json tokens = {{"token_type", "Bearer"}, {"access_token", "ACCESSTOKEN0000000000000000000000000000000000001"},
                       {"refresh_token", "R"}, {"expires_in", 1}};
  EXPECT_FALSE(failed(judge(step_with(Intent::positive), verify, answer(200, tokens), ms, checker, selection, {}, secrets, 0),
                      "secret_in_answer"));
  const json echoed = {{"errors", json::array({{{"code", "X"}, {"message", "session ACCESSTOKEN0000000000000000000000000000000000001 gone"}}})}};
  EXPECT_TRUE(failed(judge(step_with(Intent::positive), verify, answer(401, echoed), ms, checker, selection, {}, secrets, 3),
                     "secret_in_answer"));
}

TEST(Checks, SelectionByNameAndExclusion) {
  EXPECT_FALSE(CheckSelection::make("not_a_check", "", std::nullopt));
  EXPECT_FALSE(CheckSelection::make("all", "nope", std::nullopt));
  const auto only = CheckSelection::make("not_a_server_error,error_shape", "error_shape", std::nullopt);
  ASSERT_TRUE(only);
  EXPECT_EQ(only->names(), (std::vector<std::string>{"not_a_server_error"}));
  EXPECT_FALSE(CheckSelection::make("all", "", std::nullopt)->has(Check::response_time));
  EXPECT_TRUE(CheckSelection::make("all", "", std::chrono::milliseconds(5))->has(Check::response_time));
  // Every check of the table can be named, and "all" is every one of them but response_time.
  const auto all = CheckSelection::make("all", "", std::nullopt);
  EXPECT_EQ(all->names().size(), kCheckCount - 1);
  for (const CheckInfo& info : check_table()) {
    EXPECT_TRUE(CheckSelection::make(std::string(info.name), "", std::chrono::milliseconds(5))) << info.name;
  }
}

TEST_F(Generation, ShrinksAFailingUsernameToTheShortestFailingLength) {
  // A stand-in server that fails on usernames longer than 40 characters, behind a sign-in step.
  const auto selection = *CheckSelection::make("all", "", std::nullopt);
  FuzzCase failing;
  failing.operation_id = "signInWithCredentials";
  failing.steps = session.sign_in;
  Step step = step_with(Intent::positive);
  step.parts.method = "POST";
  step.parts.path_template = "/api/auth/sign_in";
  step.parts.encoding = BodyEncoding::json;
  step.parts.content_type = "application/json";
  step.parts.body = {{"username", std::string(57, 'q')}, {"password", "pw"}, {"domain", "a.example.com"}};
  failing.steps.push_back(step);
  std::size_t sent = 0;
  const std::function<CaseRun(const FuzzCase&)> run_case = [&](const FuzzCase& c) {
    CaseRun run;
    for (const Step& s : c.steps) {
      ++sent;
      StepRun step_run;
      const bool long_name = s.parts.body.is_object() && s.parts.body.value("username", "").size() > 40 &&
                             s.intent == Intent::positive;
      step_run.response = answer(long_name ? 500 : 400, json::object());
      step_run.outcome = judge(s, document.find_operation("signInWithCredentials"), *step_run.response,
                               std::chrono::milliseconds(1), checker, selection);
      run.steps.push_back(std::move(step_run));
    }
    return run;
  };
  const FailureKey key{"signInWithCredentials", "not_a_server_error", 500};
  const CaseRun first = run_case(failing);
  ASSERT_TRUE(shows(failing, first, key));
  const ShrinkResult shrunk = shrink(failing, first, key, builder, document, run_case);
  ASSERT_EQ(shrunk.fuzz_case.steps.size(), 1u);  // the sign-in was not needed
  const json& body = shrunk.fuzz_case.steps[0].parts.body;
  EXPECT_EQ(body["username"].get<std::string>().size(), 41u);
  EXPECT_FALSE(body.contains("domain"));  // optional, and not needed to fail
  EXPECT_LT(shrunk.attempts, 40u);
  EXPECT_GT(sent, 0u);
  EXPECT_EQ(shrunk.confirmation, Confirmation::confirmed);  // sent once more, and it failed again
}

}  // namespace
