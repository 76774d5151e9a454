#pragma once
// A table of short-lived records keyed by an opaque token (two-factor challenges, reset
// tokens), bounded: past the capacity the oldest record is dropped, so a client that asks
// for codes in a loop cannot grow the mock without limit. Not thread-safe by itself: the
// owner (AuthState) holds its lock around every call.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pbxmock::mock {

template <typename T>
class TokenTable {
 public:
  explicit TokenTable(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  T* find(std::string_view token) {
    const auto it = entries_.find(std::string(token));
    return it == entries_.end() ? nullptr : &it->second.value;
  }
  bool contains(std::string_view token) const { return entries_.count(std::string(token)) != 0; }

  void insert(const std::string& token, T value) {
    erase(token);
    const std::uint64_t order = next_++;
    entries_.emplace(token, Entry{order, std::move(value)});
    order_.emplace(order, token);
    while (entries_.size() > capacity_) {
      entries_.erase(order_.begin()->second);
      order_.erase(order_.begin());
    }
  }

  bool erase(std::string_view token) {
    const auto it = entries_.find(std::string(token));
    if (it == entries_.end()) return false;
    order_.erase(it->second.order);
    entries_.erase(it);
    return true;
  }

  // Erases every record for which pred(record) is true.
  template <typename Pred>
  void erase_if(Pred pred) {
    for (auto it = order_.begin(); it != order_.end();) {
      const auto entry = entries_.find(it->second);
      if (pred(entry->second.value)) {
        entries_.erase(entry);
        it = order_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // Erases records from the oldest on while pred(record) is true; stops at the first that is not.
  template <typename Pred>
  void erase_oldest_while(Pred pred) {
    while (!order_.empty()) {
      const auto entry = entries_.find(order_.begin()->second);
      if (!pred(entry->second.value)) return;
      entries_.erase(entry);
      order_.erase(order_.begin());
    }
  }

  std::size_t size() const noexcept { return entries_.size(); }
  void clear() {
    entries_.clear();
    order_.clear();
  }

 private:
  struct Entry {
    std::uint64_t order;
    T value;
  };
  std::size_t capacity_;
  std::unordered_map<std::string, Entry> entries_;
  std::map<std::uint64_t, std::string> order_;  // oldest first
  std::uint64_t next_ = 0;
};

}  // namespace pbxmock::mock
