#pragma once
// A request that passed the spec: routed to an operation, parameters decoded and typed,
// body parsed and validated. What the mock's handlers work from. Nothing of the request view
// (spec/request_view.h) is copied: the query and the headers are the view's, the operation id
// the document's, so a parsed request is read while the view and the document live. Tests
// build one by hand with pairs of their own.
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace pbxmock::spec {

struct Operation;

// Name/value pairs that are a request view's (borrowed) or this object's own (built by hand).
class Pairs {
 public:
  using List = std::vector<std::pair<std::string, std::string>>;
  Pairs() = default;
  Pairs(std::initializer_list<List::value_type> pairs) : own_(pairs) {}
  static Pairs borrow(const List& pairs) noexcept {
    Pairs out;
    out.borrowed_ = &pairs;
    return out;
  }

  const List& list() const noexcept { return borrowed_ ? *borrowed_ : own_; }
  List::const_iterator begin() const noexcept { return list().begin(); }
  List::const_iterator end() const noexcept { return list().end(); }
  std::size_t size() const noexcept { return list().size(); }
  bool empty() const noexcept { return list().empty(); }
  template <typename... Args>
  void emplace_back(Args&&... args) {
    if (borrowed_) own_ = *std::exchange(borrowed_, nullptr);
    own_.emplace_back(std::forward<Args>(args)...);
  }

 private:
  List own_;
  const List* borrowed_ = nullptr;
};

struct ParsedRequest {
  const Operation* operation = nullptr;
  std::string_view operation_id;                        // the operation's own (document-owned)
  std::map<std::string, std::string> path_params;       // percent-decoded
  Pairs query;                                          // percent-decoded, in order, repeats kept
  nlohmann::json params = nlohmann::json::object();     // declared path/query parameters, typed by their schema (qr -> true)
  Pairs headers;                                        // names lower-cased
  nlohmann::json body;                                  // JSON body, or form fields as an object of strings; null if none
  std::optional<std::string> bearer_token;              // from "Authorization: Bearer <token>"

  const std::string* header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers)
      if (name == lower_name) return &value;
    return nullptr;
  }
};

}  // namespace pbxmock::spec
