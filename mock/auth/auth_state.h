#pragma once
// Everything about authentication that changes while the mock runs: passwords (after a
// reset), sessions with their access and refresh tokens, two-factor challenges, password-reset
// tokens. Each public operation is one step under one lock, so concurrent requests see a
// consistent state (a password check and the tokens it earns happen together).
//
// The model:
// - A session starts at a sign-in and holds one refresh token and the access tokens issued
//   in it. Refreshing replaces the refresh token (the old one stops working at once) and adds
//   a new access token; earlier access tokens of the session work until they expire, so
//   requests in flight during a refresh do not fail. Signing out ends the session: every
//   access token of it and its refresh token stop working (AUTH-API.md B4).
// - Every token records the account it was issued to, tenant included, so a tenant's token
//   never speaks for another tenant's user of the same name.
// - Time comes from the Clock; expired records are swept away now and then, and each table
//   is bounded (AuthLimits), dropping the oldest, so no client can grow the mock unboundedly.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock/clock.h"
#include "mock/scenario/scenario.h"
#include "mock/auth/token_table.h"

namespace pbxmock::mock {

// Who a token speaks for.
struct Principal {
  std::string tenant_domain;  // normalized; empty for a system administrator
  std::string username;       // as the scenario spells it
  std::string role;
  bool is_system_admin() const noexcept { return tenant_domain.empty(); }
};

// The token object of AUTH-API.md A #2 and #9.
struct TokenSet {
  std::string access_token;
  std::string refresh_token;
  std::chrono::seconds expires_in{0};
  // {"token_type": "Bearer", "access_token", "refresh_token", "expires_in"}
  nlohmann::json to_json() const;
};

// A valid access token and what it grants.
struct AccessGrant {
  Principal principal;
  std::string access_token;
  Clock::time_point expires_at;
  bool password_force_reset = false;
};

struct SignInResult {
  enum class Kind { tokens, two_factor, rejected };
  Kind kind = Kind::rejected;
  TokenSet tokens;              // kind tokens
  std::string challenge_token;  // kind two_factor: for send_otp and verify_otp
};

// What to "e-mail": a one-time code or a reset token, with the address and the account.
struct Delivery {
  std::string secret;  // the code or the reset token
  Principal principal;
  std::string email;
  std::chrono::seconds valid_for{0};
};

struct AuthLimits {
  std::size_t max_sessions = 10'000;             // the oldest session ends past this
  std::size_t max_access_tokens_per_session = 8; // the oldest access token of a session ends past this
  std::size_t max_two_factor_challenges = 10'000;
  std::size_t max_reset_tokens = 10'000;
};

class AuthState {
 public:
  AuthState(std::shared_ptr<const Scenario> scenario, Clock& clock, AuthLimits limits = {});

  // `tenant_domain` normalized, or empty for a system administrator. Rejected when the tenant,
  // the user or the password is wrong (the caller answers the same for all three).
  SignInResult sign_in(std::string_view tenant_domain, std::string_view username, std::string_view password);
  // The stand-in identity provider vouched for a Microsoft-linked user: tokens, no password,
  // no second factor (Microsoft did that). nullopt when no such linked user exists.
  std::optional<TokenSet> sign_in_linked(std::string_view tenant_domain, std::string_view username);

  // The grant of a known, unexpired, unrevoked access token.
  std::optional<AccessGrant> authenticate(std::string_view access_token);
  // Ends the token's session (all its access tokens and its refresh token). False when the
  // token was not valid.
  bool sign_out(std::string_view access_token);
  // Rotates: new tokens, and the refresh token given stops working.
  std::optional<TokenSet> refresh(std::string_view refresh_token);

  // A new code for a live challenge (replacing any earlier code); nullopt when the challenge
  // is unknown, expired or used up.
  std::optional<Delivery> send_otp(std::string_view challenge_token);
  // The right code ends the challenge and signs in; a wrong one uses up one attempt, and the
  // last wrong attempt ends the challenge. nullopt for any failure.
  std::optional<TokenSet> verify_otp(std::string_view challenge_token, std::string_view code);

  // A single-use reset token for a tenant user (nullopt when there is no such user or the user
  // has no e-mail address).
  std::optional<Delivery> start_password_reset(std::string_view tenant_domain, std::string_view username);
  // Sets the password; the token and every other reset token of the user stop working, and
  // the user no longer has to change the password (password_force_reset becomes false).
  // Existing sessions stay. False when the token is unknown, used or expired.
  bool reset_password(std::string_view reset_token, std::string_view new_password);

  // Back to the scenario's start: its passwords, no sessions, challenges or reset tokens.
  void reset();

  // Takes over the sessions of `earlier` (the state of the scenario this one replaces) whose
  // account this scenario still has, with their tokens and expiry times; returns how many.
  // For a scenario file edited under --watch: the edit does not sign anybody out.
  std::size_t adopt_sessions(const AuthState& earlier);

  // Counts, for the admin API and tests: {"sessions", "access_tokens", "refresh_tokens",
  // "two_factor_challenges", "reset_tokens"}.
  nlohmann::json stats_json() const;

  const Scenario& scenario() const noexcept { return *scenario_; }

 private:
  struct AccountState {
    const Account* account = nullptr;
    Principal principal;
    std::string email;
    std::string password;
    bool password_force_reset = false;
    bool needs_two_factor = false;
    bool microsoft_linked = false;
  };
  struct Session {
    std::string account_key;
    std::string refresh_token;
    Clock::time_point refresh_expires;
    std::vector<std::string> access_tokens;  // oldest first
  };
  struct AccessEntry {
    std::uint64_t session = 0;
    Clock::time_point expires;
  };
  struct Challenge {
    std::string account_key;
    Clock::time_point expires;
    int attempts_left = 0;
    std::string code;  // empty until send_otp
  };
  struct ResetTicket {
    std::string account_key;
    Clock::time_point expires;
  };

  static std::string account_key(std::string_view tenant_domain, std::string_view username);
  AccountState* find_account(std::string_view tenant_domain, std::string_view username);
  // The caller holds mutex_ for every function below.
  template <typename Table>
  static std::string new_token_for(const Table& table);
  std::string new_refresh_token(std::uint64_t session_id);  // registered in refresh_
  TokenSet open_session(const std::string& account_key, Clock::time_point now);
  // A fresh refresh token and access token for the session (opening it, or rotating).
  TokenSet issue_tokens(std::uint64_t session_id, Session& session, Clock::time_point now);
  std::string add_access_token(std::uint64_t session_id, Session& session, Clock::time_point now);
  void end_session(std::uint64_t session_id);
  // The challenge, or nullptr when it is unknown, expired or used up (then it is erased).
  Challenge* live_challenge(std::string_view token, Clock::time_point now);
  void sweep_now_and_then(Clock::time_point now);
  void load_accounts();

  std::shared_ptr<const Scenario> scenario_;
  Clock& clock_;
  const AuthLimits limits_;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, AccountState> accounts_;  // key: tenant domain '\n' lower-case username
  std::map<std::uint64_t, Session> sessions_;               // oldest first
  std::unordered_map<std::string, AccessEntry> access_;
  std::unordered_map<std::string, std::uint64_t> refresh_;
  TokenTable<Challenge> challenges_;
  TokenTable<ResetTicket> resets_;
  std::uint64_t next_session_ = 1;
  std::uint64_t operations_ = 0;
  std::uint64_t sweep_from_ = 0;  // the session id the next sweep starts at
};

}  // namespace pbxmock::mock
