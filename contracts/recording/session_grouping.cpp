#include "contracts/recording/session_grouping.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>

namespace pbxmock::contracts::recording {
namespace {

class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  // The earlier exchange stays the root, so a session is named by where it began.
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

}  // namespace

std::vector<std::vector<std::size_t>> group_sessions(const std::vector<ExchangeFacts>& facts) {
  const std::size_t n = facts.size();
  DisjointSets sets(n);
  std::vector<bool> bearing(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    bearing[i] = facts[i].issues_token || !facts[i].uses_tokens_of.empty();
    for (const std::size_t issuer : facts[i].uses_tokens_of)
      if (issuer < i) sets.join(i, issuer);
  }
  // Each token-bearing session: where it began and where a sign-out ended it.
  std::map<std::size_t, std::size_t> ends;  // root -> index of its ending sign-out (n: never)
  for (std::size_t i = 0; i < n; ++i) {
    if (!bearing[i]) continue;
    const std::size_t root = sets.find(i);
    auto [it, inserted] = ends.emplace(root, n);
    if (facts[i].ends_session && it->second == n) it->second = i;
  }

  // One sweep: the sessions open at i (begun before it, not ended before it) and the next to
  // begin are kept as i advances, not searched for at every exchange that bears no token (a
  // search over all sessions each time made a long recording with many sessions cubic).
  std::vector<std::size_t> roots;                    // ascending
  std::vector<std::vector<std::size_t>> closing(n + 1);  // closing[k]: sessions open up to k - 1
  for (const auto& [root, end] : ends) {
    roots.push_back(root);
    if (root < end) closing[end + 1 > n ? n : end + 1].push_back(root);
  }
  std::set<std::size_t> open_now;
  std::size_t begun = 0;  // roots[0..begun) begin before i
  std::vector<std::size_t> owner(n);
  std::optional<std::size_t> loose_run;  // the session of consecutive exchanges that joined none
  for (std::size_t i = 0; i < n; ++i) {
    for (const std::size_t root : closing[i]) open_now.erase(root);
    for (; begun < roots.size() && roots[begun] < i; ++begun) {
      if (ends[roots[begun]] >= i) open_now.insert(roots[begun]);
    }
    if (bearing[i]) {
      owner[i] = sets.find(i);
      loose_run.reset();
      continue;
    }
    std::optional<std::size_t> open;
    if (!open_now.empty()) open = *open_now.rbegin();  // the latest begun
    std::optional<std::size_t> next;
    if (begun < roots.size()) next = roots[begun];  // roots[begun] > i: i bears no token, so is no root
    if (open) {
      owner[i] = *open;
    } else if (next) {
      owner[i] = *next;
    } else {
      if (!loose_run) loose_run = i;
      owner[i] = *loose_run;
    }
  }

  std::map<std::size_t, std::vector<std::size_t>> by_first;  // keyed by the session's first exchange
  std::map<std::size_t, std::size_t> first_of;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [it, inserted] = first_of.emplace(owner[i], i);
    by_first[it->second].push_back(i);
  }
  std::vector<std::vector<std::size_t>> out;
  for (auto& [first, members] : by_first) out.push_back(std::move(members));
  return out;
}

}  // namespace pbxmock::contracts::recording
