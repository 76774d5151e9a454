#pragma once
// The request journal behind GET /__admin/requests: the last N requests the mock answered,
// newest first. A fixed ring of entries: recording moves one entry in under a short lock
// (nothing is formatted there; the entry displaced is destroyed after the lock is
// released), so it costs the hot path almost nothing. Capacity 0 turns it off.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock/admin/journal_text.h"
#include "mock/clock.h"

namespace pbxmock::mock {

// A way an exchange broke the spec, as `pbxmock proxy` found it (contracts/exchange_check.h);
// the mock's own answers carry none.
struct JournalViolation {
  std::string operation;  // operationId, or "METHOD /path" for a path the spec lacks
  std::string direction;  // "request" | "response"
  std::string rule;
  std::string pointer;    // into the message seen as a document: "/body/expires_in"
  std::string message;

  // "signInWithCredentials response schema /body/expires_in: ..."
  std::string line() const;
  nlohmann::json to_json() const;  // {"operation","direction","rule","pointer","message"}
};

struct JournalEntry {
  // A body larger than this is not kept (its size is): a full ring of 1 MiB bodies would hold a
  // gigabyte, and a cut JSON body could no longer have its secrets masked.
  static constexpr std::size_t kKeptBodyBytes = 64 * 1024;
  // What one entry may add to /__admin/requests (issue 18, finding 2: a body printed with an
  // indent per level came back 2,000 times its size): each body shown compactly in at most
  // kShownBodyBytes of the answer; the method, path, query and request headers in at most
  // kShownHeadBytes, the response headers in as much again (all as written into the answer,
  // JSON escapes counted; past that the text is cut and ends in "...[cut]"). With the fixed
  // fields an entry adds at most 200 KiB.
  static constexpr std::size_t kShownBodyBytes = 64 * 1024;
  static constexpr std::size_t kShownHeadBytes = 32 * 1024;

  std::uint64_t id = 0;  // set by record(): 1 for the first request, never reused
  Clock::time_point time;
  std::string method;
  int status = 0;
  double duration_ms = 0;
  std::string operation_id;  // "" when no operation matched
  std::string rule;          // "" when no rule applied
  // Path, query (as sent, without the '?') and what was exchanged, as sent and answered;
  // masked (secret_mask.h: query, headers, bodies) only when read.
  JournalText text;
  std::size_t request_body_bytes = 0;
  std::size_t response_body_bytes = 0;
  std::vector<JournalViolation> violations;  // the proxy's findings, in either direction

  std::string_view path() const noexcept { return text.part(JournalText::path); }
  std::string_view query() const noexcept { return text.part(JournalText::query); }
  std::string_view request_body() const noexcept { return text.part(JournalText::request_body); }
  std::string_view response_body() const noexcept { return text.part(JournalText::response_body); }

  // The body of `part` (request_body or response_body), kept when small enough; appended in
  // the text's order like the other parts.
  void keep_body(JournalText::Part part, std::string_view body);

  // {"id","time","method","path","query","status","duration_ms","operation_id","rule",
  //  "request":{"headers":[[name,value]],"body","body_bytes"},"response":{...},
  //  "violations":[JournalViolation]}; operation_id
  // and rule are null when empty; secrets in the query, headers and bodies masked; a body not
  // kept reads as a sentence that says its size; bounded as kShown*Bytes say.
  nlohmann::json to_json() const;
  nlohmann::json violations_json() const;
};

class RequestJournal {
 public:
  static constexpr std::size_t kDefaultCapacity = 1000;
  explicit RequestJournal(std::size_t capacity = kDefaultCapacity);

  // Returns the entry's id (0 when the journal is off).
  std::uint64_t record(JournalEntry entry);
  // Newest first, at most `limit` entries.
  std::vector<JournalEntry> newest(std::size_t limit) const;
  void clear();
  std::size_t size() const;
  std::size_t capacity() const noexcept { return slots_.size(); }

  // {"requests":[newest first, at most limit], "total": entries held, "capacity": n}
  nlohmann::json to_json(std::size_t limit) const;

 private:
  mutable std::mutex mutex_;
  std::vector<JournalEntry> slots_;
  std::size_t next_slot_ = 0;  // where the next entry goes
  std::size_t size_ = 0;
  std::uint64_t next_id_ = 1;
};

}  // namespace pbxmock::mock
