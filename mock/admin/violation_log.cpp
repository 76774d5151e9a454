#include "mock/admin/violation_log.h"

#include <algorithm>
#include <utility>

namespace pbxmock::mock {

ViolationLog::ViolationLog(std::size_t capacity) : slots_(std::max<std::size_t>(capacity, 1)) {}

void ViolationLog::record(LoggedViolation violation) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::swap(slots_[next_slot_], violation);
  next_slot_ = (next_slot_ + 1) % slots_.size();
  size_ = std::min(size_ + 1, slots_.size());
  ++total_;
}

void ViolationLog::clear() {
  std::vector<LoggedViolation> fresh(slots_.size());
  std::lock_guard<std::mutex> lock(mutex_);
  slots_.swap(fresh);
  next_slot_ = 0;
  size_ = 0;
  total_ = 0;
}

std::size_t ViolationLog::total() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_;
}

nlohmann::json ViolationLog::to_json(std::size_t limit) const {
  std::vector<LoggedViolation> newest;
  std::size_t total = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::size_t n = std::min(limit, size_);
    newest.reserve(n);
    for (std::size_t i = 0; i < n; ++i) newest.push_back(slots_[(next_slot_ + slots_.size() - 1 - i) % slots_.size()]);
    total = total_;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const LoggedViolation& v : newest) {
    nlohmann::json item = v.violation.to_json();
    item["request_id"] = v.request_id;
    item["time"] = to_rfc3339(v.time);
    item["method"] = v.method;
    item["path"] = v.path;
    list.push_back(std::move(item));
  }
  return {{"violations", std::move(list)}, {"total", total}, {"capacity", slots_.size()}};
}

}  // namespace pbxmock::mock
