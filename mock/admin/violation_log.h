#pragma once
// The spec violations `pbxmock proxy` found, behind GET /__admin/violations: newest first,
// each with the journal entry of its exchange (request_id), so a violation can be read beside
// the request and answer that broke the rule. A ring of its own: the journal turns over with
// every clean request, and a violation is what a team came to the proxy to see.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock/admin/request_journal.h"
#include "mock/clock.h"

namespace pbxmock::mock {

struct LoggedViolation {
  std::uint64_t request_id = 0;  // the journal entry's id; 0 when the journal is off
  Clock::time_point time;
  std::string method;
  std::string path;
  JournalViolation violation;
};

class ViolationLog {
 public:
  static constexpr std::size_t kDefaultCapacity = 1000;
  explicit ViolationLog(std::size_t capacity = kDefaultCapacity);

  void record(LoggedViolation violation);
  void clear();
  std::size_t total() const;  // found since the start (or the last clear), not only those held

  // {"violations":[{"request_id","time","method","path","operation","direction","rule",
  //  "pointer","message"}, newest first, at most limit],"total":n,"capacity":n}
  nlohmann::json to_json(std::size_t limit) const;

 private:
  mutable std::mutex mutex_;
  std::vector<LoggedViolation> slots_;
  std::size_t next_slot_ = 0;
  std::size_t size_ = 0;
  std::size_t total_ = 0;
};

}  // namespace pbxmock::mock
