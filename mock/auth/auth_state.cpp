#include "mock/auth/auth_state.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "mock/auth/token_generator.h"
#include "mock/text.h"
#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

constexpr std::uint64_t kSweepEvery = 1024;  // operations between sweeps of expired records
// Sessions looked at per sweep. Each sweep holds the lock, so it walks a bounded slice and the
// next one goes on from there; two sessions per operation outpace sign-ins, which open one.
constexpr std::size_t kSweepSessions = 2 * kSweepEvery;

// Compares secrets in time that does not depend on where they differ.
bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

nlohmann::json TokenSet::to_json() const {
  return {{"token_type", "Bearer"},
          {"access_token", access_token},
          {"refresh_token", refresh_token},
          {"expires_in", expires_in.count()}};
}

AuthState::AuthState(std::shared_ptr<const Scenario> scenario, Clock& clock, AuthLimits limits)
    : scenario_(std::move(scenario)),
      clock_(clock),
      limits_(limits),
      challenges_(limits.max_two_factor_challenges),
      resets_(limits.max_reset_tokens) {
  load_accounts();
}

std::string AuthState::account_key(std::string_view tenant_domain, std::string_view username) {
  std::string key(tenant_domain);
  key += '\n';  // cannot occur in a domain or a username, so keys never collide
  key += spec::ascii::lower(username);
  return key;
}

void AuthState::load_accounts() {
  accounts_.clear();
  const auto add = [this](const std::string& domain, const Account& account, bool two_factor) {
    AccountState state;
    state.account = &account;
    state.principal = Principal{domain, account.username, account.role};
    state.email = account.email;
    state.password = account.password;
    state.password_force_reset = account.password_force_reset;
    state.needs_two_factor = two_factor;
    state.microsoft_linked = !account.microsoft.empty();
    accounts_.emplace(account_key(domain, account.username), std::move(state));
  };
  for (const Account& admin : scenario_->system_admins) add("", admin, admin.two_factor);
  for (const Tenant& tenant : scenario_->tenants)
    for (const Account& user : tenant.users) add(tenant.domain, user, tenant.needs_two_factor(user));
}

AuthState::AccountState* AuthState::find_account(std::string_view tenant_domain, std::string_view username) {
  const auto it = accounts_.find(account_key(tenant_domain, username));
  return it == accounts_.end() ? nullptr : &it->second;
}

// 36^48 possible tokens make a repeat practically impossible. Each kind of token is still
// checked against the live tokens of its own kind (the only place it is looked up), which
// turns "practically" into "never"; for sessions the insertion does the check.
template <typename Table>
std::string AuthState::new_token_for(const Table& table) {
  std::string token = random_token();
  while (table.contains(token)) token = random_token();
  return token;
}

std::string AuthState::new_refresh_token(std::uint64_t session_id) {
  std::string token = random_token();
  while (!refresh_.emplace(token, session_id).second) token = random_token();
  return token;
}

std::string AuthState::add_access_token(std::uint64_t session_id, Session& session, Clock::time_point now) {
  std::string token = random_token();
  while (!access_.emplace(token, AccessEntry{session_id, now + scenario_->tokens.access}).second) token = random_token();
  session.access_tokens.push_back(token);
  while (session.access_tokens.size() > std::max<std::size_t>(1, limits_.max_access_tokens_per_session)) {
    access_.erase(session.access_tokens.front());
    session.access_tokens.erase(session.access_tokens.begin());
  }
  return token;
}

TokenSet AuthState::issue_tokens(std::uint64_t id, Session& session, Clock::time_point now) {
  session.refresh_token = new_refresh_token(id);
  session.refresh_expires = now + scenario_->tokens.refresh;
  TokenSet tokens;
  tokens.access_token = add_access_token(id, session, now);
  tokens.refresh_token = session.refresh_token;
  tokens.expires_in = scenario_->tokens.access;
  return tokens;
}

TokenSet AuthState::open_session(const std::string& key, Clock::time_point now) {
  const std::uint64_t id = next_session_++;
  Session& session = sessions_[id];
  session.account_key = key;
  TokenSet tokens = issue_tokens(id, session, now);
  // At least the session just opened stays (it has the highest id, so it is never begin()).
  while (sessions_.size() > std::max<std::size_t>(1, limits_.max_sessions)) end_session(sessions_.begin()->first);
  return tokens;
}

void AuthState::end_session(std::uint64_t session_id) {
  const auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return;
  for (const std::string& token : it->second.access_tokens) access_.erase(token);
  refresh_.erase(it->second.refresh_token);
  sessions_.erase(it);
}

void AuthState::sweep_now_and_then(Clock::time_point now) {
  if (++operations_ % kSweepEvery != 0) return;
  auto it = sessions_.lower_bound(sweep_from_);
  // No session twice in one sweep, even when there are fewer than kSweepSessions.
  const std::size_t slice = std::min(kSweepSessions, sessions_.size());
  for (std::size_t looked = 0; looked < slice && !sessions_.empty(); ++looked) {
    if (it == sessions_.end()) it = sessions_.begin();
    Session& session = it->second;
    auto& tokens = session.access_tokens;
    tokens.erase(std::remove_if(tokens.begin(), tokens.end(),
                                [&](const std::string& token) {
                                  const auto entry = access_.find(token);
                                  if (entry == access_.end()) return true;
                                  if (entry->second.expires > now) return false;
                                  access_.erase(entry);
                                  return true;
                                }),
                 tokens.end());
    if (session.refresh_expires <= now && tokens.empty()) {
      refresh_.erase(session.refresh_token);
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  sweep_from_ = it == sessions_.end() ? 0 : it->first;
  // Every challenge and reset token of a scenario lives equally long and the clock only moves
  // forward, so the expired ones are the oldest: the sweep stops at the first live one.
  challenges_.erase_oldest_while([now](const Challenge& c) { return c.expires <= now; });
  resets_.erase_oldest_while([now](const ResetTicket& r) { return r.expires <= now; });
}

SignInResult AuthState::sign_in(std::string_view tenant_domain, std::string_view username, std::string_view password) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  sweep_now_and_then(now);
  SignInResult result;
  AccountState* account = find_account(tenant_domain, username);
  if (account == nullptr || !same_secret(account->password, password)) return result;
  const std::string key = account_key(tenant_domain, username);
  if (account->needs_two_factor) {
    result.kind = SignInResult::Kind::two_factor;
    result.challenge_token = new_token_for(challenges_);
    challenges_.insert(result.challenge_token,
                       Challenge{key, now + scenario_->tokens.two_factor_session,
                                 scenario_->tokens.two_factor_max_attempts, {}});
    return result;
  }
  result.kind = SignInResult::Kind::tokens;
  result.tokens = open_session(key, now);
  return result;
}

std::optional<TokenSet> AuthState::sign_in_linked(std::string_view tenant_domain, std::string_view username) {
  if (tenant_domain.empty()) return std::nullopt;  // system administrators have no Microsoft link
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  sweep_now_and_then(now);
  AccountState* account = find_account(tenant_domain, username);
  if (account == nullptr || !account->microsoft_linked) return std::nullopt;
  return open_session(account_key(tenant_domain, username), now);
}

std::optional<AccessGrant> AuthState::authenticate(std::string_view access_token) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  const auto entry = access_.find(std::string(access_token));
  if (entry == access_.end() || entry->second.expires <= now) return std::nullopt;
  const auto session = sessions_.find(entry->second.session);
  if (session == sessions_.end()) return std::nullopt;
  const auto account = accounts_.find(session->second.account_key);
  if (account == accounts_.end()) return std::nullopt;
  return AccessGrant{account->second.principal, entry->first, entry->second.expires,
                     account->second.password_force_reset};
}

bool AuthState::sign_out(std::string_view access_token) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  sweep_now_and_then(now);
  const auto entry = access_.find(std::string(access_token));
  if (entry == access_.end() || entry->second.expires <= now) return false;
  end_session(entry->second.session);
  return true;
}

std::optional<TokenSet> AuthState::refresh(std::string_view refresh_token) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  sweep_now_and_then(now);
  const auto entry = refresh_.find(std::string(refresh_token));
  if (entry == refresh_.end()) return std::nullopt;
  const std::uint64_t id = entry->second;
  const auto found = sessions_.find(id);
  if (found == sessions_.end()) return std::nullopt;
  Session& session = found->second;
  if (session.refresh_expires <= now) return std::nullopt;
  refresh_.erase(entry);
  return issue_tokens(id, session, now);
}

AuthState::Challenge* AuthState::live_challenge(std::string_view token, Clock::time_point now) {
  Challenge* challenge = challenges_.find(token);
  if (challenge == nullptr) return nullptr;
  if (challenge->expires <= now || challenge->attempts_left <= 0) {
    challenges_.erase(token);
    return nullptr;
  }
  return challenge;
}

std::optional<Delivery> AuthState::send_otp(std::string_view challenge_token) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  sweep_now_and_then(now);
  Challenge* challenge = live_challenge(challenge_token, now);
  if (challenge == nullptr) return std::nullopt;
  const auto account = accounts_.find(challenge->account_key);
  if (account == accounts_.end()) return std::nullopt;
  challenge->code = random_otp_code();
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(challenge->expires - now);
  return Delivery{challenge->code, account->second.principal, account->second.email, left};
}

std::optional<TokenSet> AuthState::verify_otp(std::string_view challenge_token, std::string_view code) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  sweep_now_and_then(now);
  Challenge* challenge = live_challenge(challenge_token, now);
  if (challenge == nullptr) return std::nullopt;
  if (challenge->code.empty() || !same_secret(challenge->code, code)) {
    if (--challenge->attempts_left <= 0) challenges_.erase(challenge_token);
    return std::nullopt;
  }
  const std::string key = challenge->account_key;
  challenges_.erase(challenge_token);
  if (accounts_.count(key) == 0) return std::nullopt;
  return open_session(key, now);
}

std::optional<Delivery> AuthState::start_password_reset(std::string_view tenant_domain, std::string_view username) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  sweep_now_and_then(now);
  AccountState* account = find_account(tenant_domain, username);
  if (account == nullptr || account->email.empty()) return std::nullopt;
  std::string token = new_token_for(resets_);
  resets_.insert(token, ResetTicket{account_key(tenant_domain, username), now + scenario_->tokens.reset_token});
  return Delivery{std::move(token), account->principal, account->email, scenario_->tokens.reset_token};
}

bool AuthState::reset_password(std::string_view reset_token, std::string_view new_password) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  sweep_now_and_then(now);
  ResetTicket* ticket = resets_.find(reset_token);
  if (ticket == nullptr) return false;
  if (ticket->expires <= now) {
    resets_.erase(reset_token);
    return false;
  }
  const std::string key = ticket->account_key;
  // Single use, and a new password makes every other outstanding link of the user moot.
  resets_.erase_if([&key](const ResetTicket& other) { return other.account_key == key; });
  const auto account = accounts_.find(key);
  if (account == accounts_.end()) return false;
  account->second.password = std::string(new_password);
  account->second.password_force_reset = false;
  return true;
}

void AuthState::reset() {
  std::lock_guard lock(mutex_);
  load_accounts();
  sessions_.clear();
  access_.clear();
  refresh_.clear();
  challenges_.clear();
  resets_.clear();
  sweep_from_ = 0;
}

std::size_t AuthState::adopt_sessions(const AuthState& earlier) {
  std::scoped_lock locks(mutex_, earlier.mutex_);
  std::size_t adopted = 0;
  for (const auto& [id, session] : earlier.sessions_) {
    if (accounts_.count(session.account_key) == 0) continue;
    const std::uint64_t new_id = next_session_++;
    Session& copy = sessions_[new_id];
    copy = session;
    copy.access_tokens.clear();
    if (!refresh_.emplace(copy.refresh_token, new_id).second) {
      sessions_.erase(new_id);  // cannot happen (refresh tokens are unique), but never share one
      continue;
    }
    for (const std::string& token : session.access_tokens) {
      const auto entry = earlier.access_.find(token);
      if (entry == earlier.access_.end()) continue;
      if (access_.emplace(token, AccessEntry{new_id, entry->second.expires}).second) copy.access_tokens.push_back(token);
    }
    ++adopted;
  }
  return adopted;
}

nlohmann::json AuthState::stats_json() const {
  std::lock_guard lock(mutex_);
  return {{"sessions", sessions_.size()},
          {"access_tokens", access_.size()},
          {"refresh_tokens", refresh_.size()},
          {"two_factor_challenges", challenges_.size()},
          {"reset_tokens", resets_.size()}};
}

}  // namespace pbxmock::mock
