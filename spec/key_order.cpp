#include "spec/key_order.h"

#include "spec/json_access.h"

#include <algorithm>
#include <tuple>
#include <unordered_set>

namespace pbxmock::spec {

namespace {

// parse_structured reads text as JSON exactly when this holds.
bool looks_like_json(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

using Recorded = std::unordered_map<std::string, std::vector<std::string>>;

// A SAX pass that keeps only the member order of the wanted objects: no second tree.
class OrderRecorder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit OrderRecorder(Recorded& out) : out_(out) {}

  bool null() override { return scalar(); }
  bool boolean(bool) override { return scalar(); }
  bool number_integer(number_integer_t) override { return scalar(); }
  bool number_unsigned(number_unsigned_t) override { return scalar(); }
  bool number_float(number_float_t, const string_t&) override { return scalar(); }
  bool string(string_t&) override { return scalar(); }
  bool binary(binary_t&) override { return scalar(); }
  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& key) override {
    frames_.back().key = key;
    if (frames_.back().record) frames_.back().record->push_back(key);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  struct Frame {
    bool object = false;
    std::size_t index = 0;
    std::string key;
    std::vector<std::string>* record = nullptr;  // unordered_map nodes never move
  };

  bool wanted() const {
    if (tokens_.empty()) return false;
    if (tokens_.front() == "paths" && tokens_.size() <= 2) return true;
    return tokens_.back() == "examples";
  }
  std::string pointer() const {
    std::string p;
    for (const auto& t : tokens_) p = pointer_append(p, t);
    return p;
  }
  bool scalar() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }
  bool open(bool object) {
    if (!frames_.empty()) tokens_.push_back(frames_.back().object ? frames_.back().key : std::to_string(frames_.back().index));
    Frame frame;
    frame.object = object;
    if (object && wanted()) {
      frame.record = &out_[pointer()];
      frame.record->clear();  // a duplicate key's later object replaces the earlier one, as in the tree
    }
    frames_.push_back(std::move(frame));
    return true;
  }
  bool close() {
    frames_.pop_back();
    if (!frames_.empty()) tokens_.pop_back();
    return scalar();
  }

  Recorded& out_;
  std::vector<Frame> frames_;
  std::vector<std::string> tokens_;  // the path to the innermost open container
};

}  // namespace

KeyOrder::KeyOrder(std::string_view text, const StructuredDocument& doc) : doc_(doc), json_(looks_like_json(text)) {
  if (!json_) return;
  OrderRecorder recorder(recorded_);
  try {
    nlohmann::json::sax_parse(text.begin(), text.end(), &recorder);
  } catch (const std::exception&) {
    // The same text already parsed as a tree; should this pass still fail, the keys
    // simply come out sorted.
    recorded_.clear();
  }
}

std::vector<std::string> KeyOrder::keys(const nlohmann::json& object, std::string_view pointer) const {
  std::vector<std::string> out;
  const auto* members = object_of(object);
  if (members == nullptr) return out;
  if (json_) {
    const auto it = recorded_.find(std::string(pointer));
    if (it != recorded_.end()) {
      std::unordered_set<std::string> seen;
      for (const auto& key : it->second) {
        if (members->count(key) != 0 && seen.insert(key).second) out.push_back(key);
      }
      if (out.size() == members->size()) return out;
      out.clear();  // out of step with the tree: fall back to sorted rather than drop a key
    }
    for (const auto& member : *members) out.push_back(member.first);
    return out;
  }
  std::vector<std::tuple<std::size_t, std::size_t, std::string>> positioned;
  for (const auto& member : *members) {
    const SourcePosition p = doc_.key_position_of(pointer_append(pointer, member.first));
    positioned.emplace_back(p.line, p.column, member.first);
  }
  std::sort(positioned.begin(), positioned.end());
  for (auto& p : positioned) out.push_back(std::move(std::get<2>(p)));
  return out;
}

}  // namespace pbxmock::spec
