#pragma once
// Which exchanges belong to one client session, from the tokens alone: an exchange that uses a
// token (in a header, the query or the body) belongs with the exchange whose answer issued it,
// transitively (sign-in, refresh, two-factor verification, sign-out). An exchange that neither
// issues nor uses one (GET /info) joins the session open at that moment, the latest one begun
// and not yet signed out; before any, the next session to begin; with none, a session of its own.
#include <cstddef>
#include <vector>

namespace pbxmock::contracts::recording {

struct ExchangeFacts {
  std::vector<std::size_t> uses_tokens_of;  // exchanges (earlier) whose answers issued a token this request sends
  bool issues_token = false;                // its answer holds a token
  bool ends_session = false;                // a sign-out that succeeded
};

// Sessions in the order they began, each the indices of its exchanges in order.
std::vector<std::vector<std::size_t>> group_sessions(const std::vector<ExchangeFacts>& facts);

}  // namespace pbxmock::contracts::recording
