#include "mock/admin/request_journal.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "mock/admin/secret_mask.h"

namespace pbxmock::mock {

namespace {

// What `c` takes once written into a JSON string of the answer (nlohmann, ensure_ascii off):
// two or six for an escape; a byte past ASCII counted as the three of the U+FFFD that
// replaces it when it is not valid UTF-8 (an upper bound, never an under-count).
std::size_t escaped_size(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (c == '"' || c == '\\') return 2;
  if (byte < 0x20) return c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' ? 2 : 6;
  return byte < 0x80 ? 1 : 3;
}

constexpr std::string_view kCut = "...[cut]";

// `text` as shown in what is left of `budget` (bytes of the answer), which it uses up: whole
// when it fits, else cut where it and kCut fit.
std::string fitted(std::string text, std::size_t& budget) {
  std::size_t used = 0;
  std::size_t cut_at = 0;
  std::size_t used_at_cut = 0;
  for (std::size_t i = 0; i < text.size() && used <= budget; ++i) {
    used += escaped_size(text[i]);
    if (used + kCut.size() <= budget) {
      cut_at = i + 1;
      used_at_cut = used;
    }
  }
  if (used <= budget) {
    budget -= used;
    return text;
  }
  if (budget < kCut.size()) {
    budget = 0;
    return {};
  }
  text.resize(cut_at);
  text.append(kCut);
  budget -= used_at_cut + kCut.size();
  return text;
}

std::string body_shown(std::string_view kept, std::size_t bytes) {
  if (kept.size() != bytes) {
    return "(" + std::to_string(bytes) + " bytes, not kept: the journal keeps bodies of up to " +
           std::to_string(JournalEntry::kKeptBodyBytes / 1024) + " KiB)";
  }
  std::size_t budget = JournalEntry::kShownBodyBytes;
  return fitted(masked_body(kept), budget);
}

nlohmann::json exchange_json(const JournalText& text, JournalText::Part headers, JournalText::Part body,
                             std::size_t body_bytes, std::size_t& head_budget) {
  nlohmann::json shown = nlohmann::json::array();
  for (const auto& [name, value] : text.headers(headers)) {
    std::string shown_name = fitted(std::string(name), head_budget);
    shown.push_back({std::move(shown_name), fitted(masked_header(name, value), head_budget)});
  }
  return {{"headers", std::move(shown)}, {"body", body_shown(text.part(body), body_bytes)}, {"body_bytes", body_bytes}};
}

}  // namespace

void JournalEntry::keep_body(JournalText::Part part, std::string_view body) {
  (part == JournalText::request_body ? request_body_bytes : response_body_bytes) = body.size();
  text.append(part, body.size() <= kKeptBodyBytes ? body : std::string_view());
}

std::string JournalViolation::line() const {
  return operation + " " + direction + " " + rule + " " + (pointer.empty() ? std::string("(message)") : pointer) +
         ": " + message;
}

nlohmann::json JournalViolation::to_json() const {
  return {{"operation", operation}, {"direction", direction}, {"rule", rule}, {"pointer", pointer},
          {"message", message}};
}

nlohmann::json JournalEntry::to_json() const {
  // Milliseconds to a tenth of a microsecond are plenty and keep the JSON short.
  const double rounded_ms = std::round(duration_ms * 10'000.0) / 10'000.0;
  std::size_t request_head = kShownHeadBytes;
  std::string shown_method = fitted(method, request_head);
  std::string shown_path = fitted(std::string(path()), request_head);
  std::string shown_query = fitted(masked_query(query()), request_head);
  nlohmann::json request =
      exchange_json(text, JournalText::request_headers, JournalText::request_body, request_body_bytes, request_head);
  std::size_t response_head = kShownHeadBytes;
  nlohmann::json response =
      exchange_json(text, JournalText::response_headers, JournalText::response_body, response_body_bytes, response_head);
  return {{"id", id},
          {"time", to_rfc3339(time)},
          {"method", std::move(shown_method)},
          {"path", std::move(shown_path)},
          {"query", std::move(shown_query)},
          {"status", status},
          {"duration_ms", rounded_ms},
          {"operation_id", operation_id.empty() ? nlohmann::json() : nlohmann::json(operation_id)},
          {"rule", rule.empty() ? nlohmann::json() : nlohmann::json(rule)},
          {"request", std::move(request)},
          {"response", std::move(response)},
          {"violations", violations_json()}};
}

nlohmann::json JournalEntry::violations_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const JournalViolation& v : violations) out.push_back(v.to_json());
  return out;
}

RequestJournal::RequestJournal(std::size_t capacity) : slots_(capacity) {}

std::uint64_t RequestJournal::record(JournalEntry entry) {
  if (slots_.empty()) return 0;
  std::uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = entry.id = next_id_++;
    std::swap(slots_[next_slot_], entry);
    next_slot_ = (next_slot_ + 1) % slots_.size();
    size_ = std::min(size_ + 1, slots_.size());
  }
  // `entry` now holds the displaced one; its strings are freed here, outside the lock.
  return id;
}

std::vector<JournalEntry> RequestJournal::newest(std::size_t limit) const {
  std::vector<JournalEntry> out;
  std::lock_guard<std::mutex> lock(mutex_);
  const std::size_t n = std::min(limit, size_);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t slot = (next_slot_ + slots_.size() - 1 - i) % slots_.size();
    out.push_back(slots_[slot]);
  }
  return out;
}

void RequestJournal::clear() {
  std::vector<JournalEntry> fresh(slots_.size());
  std::lock_guard<std::mutex> lock(mutex_);
  slots_.swap(fresh);
  next_slot_ = 0;
  size_ = 0;
}

std::size_t RequestJournal::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return size_;
}

nlohmann::json RequestJournal::to_json(std::size_t limit) const {
  nlohmann::json requests = nlohmann::json::array();
  for (const JournalEntry& entry : newest(limit)) requests.push_back(entry.to_json());
  return {{"requests", std::move(requests)}, {"total", size()}, {"capacity", capacity()}};
}

}  // namespace pbxmock::mock
