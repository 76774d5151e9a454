// Whole flows through AuthService: two-factor sign-in through the outbox, forgotten password
// through the outbox link, and tenants kept apart.
#include "auth_test_support.h"

namespace {

using namespace std::chrono_literals;
using pbxmock::test::error_code;
using pbxmock::test::is_token;
using pbxmock::test::json;
using pbxmock::test::MockTest;
using pbxmock::test::query_of;
using pbxmock::test::query_value;

using TwoFactor = MockTest;

// carol has two_factor: true in the default scenario.
std::string challenge(const pbxmock::mock::ApiResponse& response) {
  EXPECT_EQ(200, response.status) << response.serialized_body();
  EXPECT_EQ(2u, response.body.size()) << response.body;
  EXPECT_EQ(true, response.body["two_factor_enabled"]);
  EXPECT_TRUE(is_token(response.body["token"]));
  return response.body.value("token", "");
}

TEST_F(TwoFactor, code_from_the_outbox_completes_the_sign_in) {
  const std::string token = challenge(sign_in("carol", "carol-secret"));
  const auto sent = call("sendOTP", {{"token", token}});
  EXPECT_EQ(200, sent.status);
  EXPECT_FALSE(sent.has_body());
  const auto mail = outbox.latest("otp", "carol");
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ("carol@example.com", mail->to);
  EXPECT_EQ("pbx.example.com", mail->tenant_domain);
  ASSERT_EQ(6u, mail->code.size());
  EXPECT_NE(std::string::npos, mail->text.find(mail->code));

  const auto verified = call("verifyOTP", {{"token", token}, {"code", mail->code}});
  ASSERT_EQ(200, verified.status) << verified.serialized_body();
  EXPECT_EQ("Bearer", verified.body["token_type"]);
  EXPECT_EQ(3600, verified.body["expires_in"]);
  const auto info = call("getUserAuthInfo", nullptr, verified.body["access_token"].get<std::string>());
  EXPECT_EQ("QueueManager", info.body["role"]);
  // The challenge is used up.
  EXPECT_EQ(400, call("verifyOTP", {{"token", token}, {"code", mail->code}}).status);
  EXPECT_EQ(400, call("sendOTP", {{"token", token}}).status);
}

TEST_F(TwoFactor, legacy_login_asks_for_the_second_factor_too) {
  const auto response = call("login", {{"username", "carol"}, {"password", "carol-secret"}, {"domain", "pbx.example.com"}});
  EXPECT_EQ(true, response.body["two_factor_enabled"]);
}

TEST_F(TwoFactor, wrong_password_gets_no_challenge) {
  const auto response = sign_in("carol", "wrong");
  EXPECT_EQ(400, response.status);
  EXPECT_EQ("UNAUTHORIZED", error_code(response));
}

TEST_F(TwoFactor, five_wrong_codes_end_the_challenge) {
  const std::string token = challenge(sign_in("carol", "carol-secret"));
  ASSERT_EQ(200, call("sendOTP", {{"token", token}}).status);
  const std::string code = outbox.latest("otp", "carol")->code;
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    const auto response = call("verifyOTP", {{"token", token}, {"code", wrong}});
    EXPECT_EQ(400, response.status);
    EXPECT_EQ("UNAUTHORIZED", error_code(response));
  }
  EXPECT_EQ(400, call("verifyOTP", {{"token", token}, {"code", code}}).status);
  EXPECT_EQ(400, call("sendOTP", {{"token", token}}).status);
}

TEST_F(TwoFactor, four_wrong_codes_still_leave_one_try) {
  const std::string token = challenge(sign_in("carol", "carol-secret"));
  call("sendOTP", {{"token", token}});
  const std::string code = outbox.latest("otp", "carol")->code;
  const std::string wrong = code == "999999" ? "888888" : "999999";
  for (int i = 0; i < 4; ++i) EXPECT_EQ(400, call("verifyOTP", {{"token", token}, {"code", wrong}}).status);
  EXPECT_EQ(200, call("verifyOTP", {{"token", token}, {"code", code}}).status);
}

TEST_F(TwoFactor, challenge_ends_after_ten_minutes) {
  const std::string token = challenge(sign_in("carol", "carol-secret"));
  call("sendOTP", {{"token", token}});
  const std::string code = outbox.latest("otp", "carol")->code;
  clock.advance(601s);
  EXPECT_EQ(400, call("verifyOTP", {{"token", token}, {"code", code}}).status);
  EXPECT_EQ(400, call("sendOTP", {{"token", token}}).status);
}

TEST_F(TwoFactor, challenge_works_just_before_ten_minutes) {
  const std::string token = challenge(sign_in("carol", "carol-secret"));
  clock.advance(590s);
  call("sendOTP", {{"token", token}});
  EXPECT_EQ(200, call("verifyOTP", {{"token", token}, {"code", outbox.latest("otp", "carol")->code}}).status);
}

TEST_F(TwoFactor, a_new_code_replaces_the_old_one) {
  const std::string token = challenge(sign_in("carol", "carol-secret"));
  call("sendOTP", {{"token", token}});
  const std::string first = outbox.latest("otp", "carol")->code;
  std::string second = first;
  // A fresh code can by chance equal the old one (1 in a million); ask until it differs.
  for (int i = 0; i < 3 && second == first; ++i) {
    call("sendOTP", {{"token", token}});
    second = outbox.latest("otp", "carol")->code;
  }
  ASSERT_NE(first, second);
  EXPECT_EQ(400, call("verifyOTP", {{"token", token}, {"code", first}}).status);
  EXPECT_EQ(200, call("verifyOTP", {{"token", token}, {"code", second}}).status);
}

TEST_F(TwoFactor, verifying_before_any_code_was_sent_is_a_wrong_attempt) {
  const std::string token = challenge(sign_in("carol", "carol-secret"));
  EXPECT_EQ(400, call("verifyOTP", {{"token", token}, {"code", "123456"}}).status);
  call("sendOTP", {{"token", token}});
  EXPECT_EQ(200, call("verifyOTP", {{"token", token}, {"code", outbox.latest("otp", "carol")->code}}).status);
}

TEST_F(TwoFactor, unknown_challenge_is_rejected_credentials) {
  const auto sent = call("sendOTP", {{"token", std::string(48, 'Q')}});
  EXPECT_EQ(400, sent.status);
  EXPECT_EQ("UNAUTHORIZED", error_code(sent));
  EXPECT_EQ(0u, outbox.size());
  EXPECT_EQ("VALIDATE_FAILED", error_code(call("verifyOTP", {{"token", "X"}})));  // no code
}

class TwoFactorTenant : public MockTest {
 protected:
  TwoFactorTenant()
      : MockTest(pbxmock::test::scenario_from(std::string(*pbxmock::mock::builtin_scenario("two_factor")))) {}
};

TEST_F(TwoFactorTenant, every_user_and_the_admin_get_a_challenge_with_the_scenario_limits) {
  for (const char* user : {"grace", "heidi", "ivan"}) {
    const auto response = sign_in(user, std::string(user) + "-secret", "secure.example.com");
    EXPECT_EQ(true, response.body["two_factor_enabled"]) << user;
  }
  const auto admin = sign_in("root", "root-secret", std::nullopt);
  ASSERT_EQ(true, admin.body["two_factor_enabled"]);
  const std::string token = admin.body["token"];
  call("sendOTP", {{"token", token}});
  EXPECT_EQ("ops@secure.example.com", outbox.latest("otp", "root")->to);
  const std::string code = outbox.latest("otp", "root")->code;
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 3; ++i) call("verifyOTP", {{"token", token}, {"code", wrong}});  // max 3 here
  EXPECT_EQ(400, call("verifyOTP", {{"token", token}, {"code", code}}).status);
  // 1800 s access tokens in this scenario.
  const auto again = sign_in("grace", "grace-secret", "secure.example.com");
  call("sendOTP", {{"token", again.body["token"]}});
  const auto verified = call("verifyOTP", {{"token", again.body["token"]}, {"code", outbox.latest("otp", "grace")->code}});
  EXPECT_EQ(1800, verified.body["expires_in"]);
}

using PasswordReset = MockTest;

TEST_F(PasswordReset, outbox_link_sets_a_new_password) {
  const auto old_session = tokens_for("bob", "bob-secret");
  const auto asked = call("forgetPassword", {{"domain", "pbx.example.com"},
                                             {"username", "Bob"},
                                             {"callback_url", "https://app.example.com/reset"}});
  EXPECT_EQ(200, asked.status);
  EXPECT_FALSE(asked.has_body());
  const auto mail = outbox.latest("password_reset", "bob");
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ("bob@example.com", mail->to);
  EXPECT_TRUE(is_token(json(mail->token)));
  EXPECT_EQ("https://app.example.com/reset?token=" + mail->token, mail->link);
  EXPECT_NE(std::string::npos, mail->text.find(mail->link));

  // The app reads the token from its link, as a browser would.
  const std::string token = query_value(query_of(mail->link), "token");
  const auto reset = call("resetPassword", {{"token", token}, {"new_password", "c0rrect-Horse"}});
  EXPECT_EQ(200, reset.status);
  EXPECT_FALSE(reset.has_body());
  EXPECT_EQ(400, sign_in("bob", "bob-secret").status);
  EXPECT_EQ(200, sign_in("bob", "c0rrect-Horse").status);
  EXPECT_EQ(200, user_status(old_session.access));  // existing sessions stay
  // Single use.
  const auto reused = call("resetPassword", {{"token", token}, {"new_password", "other"}});
  EXPECT_EQ(400, reused.status);
  EXPECT_EQ("UNAUTHORIZED", error_code(reused));
  EXPECT_EQ(200, sign_in("bob", "c0rrect-Horse").status);
}

TEST_F(PasswordReset, link_keeps_the_callbacks_query_and_fragment) {
  call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "bob"},
                          {"callback_url", "https://app.example.com/reset?lang=en#top"}});
  const auto mail = outbox.latest("password_reset", "bob");
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ("https://app.example.com/reset?lang=en&token=" + mail->token + "#top", mail->link);
}

TEST_F(PasswordReset, unknown_user_or_tenant_answers_200_and_sends_nothing) {
  EXPECT_EQ(200, call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "zoe"},
                                         {"callback_url", "https://app.example.com/r"}}).status);
  EXPECT_EQ(200, call("forgetPassword", {{"domain", "other.example.com"}, {"username", "bob"},
                                         {"callback_url", "https://app.example.com/r"}}).status);
  EXPECT_EQ(0u, outbox.size());
}

TEST_F(PasswordReset, reserved_name_or_bad_callback_is_invalid_input) {
  const auto reserved = call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "admin"},
                                                {"callback_url", "https://app.example.com/r"}});
  EXPECT_EQ("VALIDATE_FAILED", error_code(reserved));
  EXPECT_EQ("reserved", reserved.body["errors"][0]["detail"]["rule"]);
  const auto script = call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "bob"},
                                              {"callback_url", "javascript:alert(1)"}});
  EXPECT_EQ("VALIDATE_FAILED", error_code(script));
  EXPECT_EQ(0u, outbox.size());
}

TEST_F(PasswordReset, token_expires_after_15_minutes) {
  call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "bob"}, {"callback_url", "https://a.example/r"}});
  const std::string token = outbox.latest("password_reset", "bob")->token;
  clock.advance(901s);
  EXPECT_EQ(400, call("resetPassword", {{"token", token}, {"new_password", "late"}}).status);
  EXPECT_EQ(200, sign_in("bob", "bob-secret").status);
}

TEST_F(PasswordReset, a_reset_ends_the_other_links_and_the_forced_change) {
  for (int i = 0; i < 2; ++i)
    call("forgetPassword", {{"domain", "pbx.example.com"}, {"username", "dave"}, {"callback_url", "https://a.example/r"}});
  const auto messages = outbox.list();
  ASSERT_EQ(2u, messages.size());
  const std::string newer = messages[0].token, older = messages[1].token;
  ASSERT_EQ(200, call("resetPassword", {{"token", newer}, {"new_password", "fresh"}}).status);
  EXPECT_EQ(400, call("resetPassword", {{"token", older}, {"new_password", "again"}}).status);
  const auto dave = tokens_for("dave", "fresh");
  EXPECT_EQ(false, call("getUserAuthInfo", nullptr, dave.access).body["password_force_reset"]);
}

// Two tenants with a user of the same name: neither's password nor token speaks for the other.
class Tenants : public MockTest {
 protected:
  Tenants() : MockTest(pbxmock::test::scenario_from(R"(
name: two-tenants
tenants:
  - name: Red
    domain: red.example.com
    users:
      - {username: alice, password: red-secret, role: Admin, email: alice@red.example.com}
  - name: Blue
    domain: blue.example.com
    users:
      - {username: alice, password: blue-secret, role: StandardUser, email: alice@blue.example.com}
)")) {}
};

TEST_F(Tenants, a_password_works_only_in_its_own_tenant) {
  EXPECT_EQ(200, sign_in("alice", "red-secret", "red.example.com").status);
  EXPECT_EQ(400, sign_in("alice", "red-secret", "blue.example.com").status);
  EXPECT_EQ(200, sign_in("alice", "blue-secret", "blue.example.com").status);
}

TEST_F(Tenants, a_token_records_its_tenant) {
  const auto red = tokens_for("alice", "red-secret", "red.example.com");
  const auto blue = tokens_for("alice", "blue-secret", "blue.example.com");
  EXPECT_EQ("Admin", call("getUserAuthInfo", nullptr, red.access).body["role"]);
  EXPECT_EQ("StandardUser", call("getUserAuthInfo", nullptr, blue.access).body["role"]);
  EXPECT_EQ("red.example.com", service.authenticate(red.access)->principal.tenant_domain);
  EXPECT_EQ("blue.example.com", service.authenticate(blue.access)->principal.tenant_domain);
  // Refreshing keeps the tenant; signing out in one tenant leaves the other signed in.
  const auto refreshed = call("refreshToken", {{"refresh_token", red.refresh}});
  EXPECT_EQ("red.example.com", service.authenticate(refreshed.body["access_token"].get<std::string>())->principal.tenant_domain);
  EXPECT_EQ(200, call("signOut", nullptr, blue.access).status);
  EXPECT_EQ(200, user_status(red.access));
}

TEST_F(Tenants, a_reset_link_changes_only_its_tenants_password) {
  call("forgetPassword", {{"domain", "blue.example.com"}, {"username", "alice"}, {"callback_url", "https://a.example/r"}});
  const auto mail = outbox.latest("password_reset", "alice");
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ("alice@blue.example.com", mail->to);
  ASSERT_EQ(200, call("resetPassword", {{"token", mail->token}, {"new_password", "new-blue"}}).status);
  EXPECT_EQ(200, sign_in("alice", "new-blue", "blue.example.com").status);
  EXPECT_EQ(200, sign_in("alice", "red-secret", "red.example.com").status);
  EXPECT_EQ(400, sign_in("alice", "new-blue", "red.example.com").status);
}

}  // namespace
