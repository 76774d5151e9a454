#include "spec/structured_document.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "spec/ascii.h"

namespace pbxmock::spec {

struct IndexEntry {
  SourcePosition value;
  SourcePosition key;
};

// Positions by JSON Pointer. For JSON input it is filled lazily from the original text
// (re-read by yaml-cpp, which reads JSON too): positions are only wanted when reporting
// an error, and most documents never have one.
class PositionIndex {
 public:
  PositionIndex() = default;
  explicit PositionIndex(std::string deferred_text) : deferred_text_(std::move(deferred_text)), deferred_(true) {}

  void add(std::string pointer, IndexEntry entry) { entries_.emplace(std::move(pointer), entry); }

  const IndexEntry* find(const std::string& pointer) const {
    if (deferred_) std::call_once(once_, [this] { build_from_text(); });
    const auto it = entries_.find(pointer);
    return it == entries_.end() ? nullptr : &it->second;
  }

 private:
  void build_from_text() const;

  std::string deferred_text_;
  bool deferred_ = false;
  mutable std::once_flag once_;
  mutable std::unordered_map<std::string, IndexEntry> entries_;
};

namespace {

SourcePosition position(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {};
  return {static_cast<std::size_t>(mark.line) + 1, static_cast<std::size_t>(mark.column) + 1};
}

SourcePosition position_at_offset(std::string_view text, std::size_t offset) {
  SourcePosition p{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c)) return false;
  return !s.empty();
}
using ascii::is_digit;
using ascii::is_hex;
bool is_octal(char c) { return c >= '0' && c <= '7'; }

template <typename T>
std::optional<T> parse_integer(std::string_view digits, int base) {
  T value{};
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// A plain (unquoted) YAML scalar under the YAML 1.2 core schema.
nlohmann::json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  std::string_view v = s;
  if (v.size() > 2 && v[0] == '0' && v[1] == 'x' && all_of(v.substr(2), is_hex)) {
    if (auto n = parse_integer<std::uint64_t>(v.substr(2), 16)) return *n;
  }
  if (v.size() > 2 && v[0] == '0' && v[1] == 'o' && all_of(v.substr(2), is_octal)) {
    if (auto n = parse_integer<std::uint64_t>(v.substr(2), 8)) return *n;
  }
  const bool negative = v[0] == '-';
  std::string_view unsigned_part = (v[0] == '-' || v[0] == '+') ? v.substr(1) : v;
  if (all_of(unsigned_part, is_digit)) {
    if (negative) {
      if (auto n = parse_integer<std::int64_t>(v, 10)) return *n;
    } else if (auto n = parse_integer<std::uint64_t>(unsigned_part, 10)) {
      return *n;
    }
  }
  if (unsigned_part == ".inf" || unsigned_part == ".Inf" || unsigned_part == ".INF") {
    return negative ? -HUGE_VAL : HUGE_VAL;  // nlohmann keeps it; JSON output shows null
  }
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  std::size_t i = 0;
  const std::string_view u = unsigned_part;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < u.size() && is_digit(u[i])) ++i, ++int_digits;
  if (i < u.size() && u[i] == '.') {
    ++i;
    while (i < u.size() && is_digit(u[i])) ++i, ++frac_digits;
  }
  bool numeric = int_digits + frac_digits > 0;
  if (numeric && i < u.size() && (u[i] == 'e' || u[i] == 'E')) {
    ++i;
    if (i < u.size() && (u[i] == '+' || u[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < u.size() && is_digit(u[i])) ++i, ++exp_digits;
    numeric = exp_digits > 0;
  }
  if (numeric && i == u.size()) {
    // strtod is locale-free for the C locale this program runs in; from_chars for double
    // is missing from GCC 10-era libstdc++ that some users still have.
    return std::strtod(s.c_str(), nullptr);
  }
  return s;
}

struct Converter {
  std::string_view file;
  const StructuredLimits& limits;
  PositionIndex* index;  // null when positions are not wanted
  std::size_t byte_budget;  // what the expanded values may take (StructuredLimits)
  std::size_t nodes = 0;
  std::size_t bytes = 0;
  std::optional<SourceError> error;

  // What one value costs besides its text: the json node itself, roughly.
  static constexpr std::size_t kValueOverhead = 16;

  bool spend(const YAML::Mark& mark, std::size_t amount) {
    bytes += amount;
    if (bytes <= byte_budget) return true;
    return fail(mark, "document too large: its values would take more than " + std::to_string(byte_budget) +
                          " bytes after expanding aliases (anchors used too often)");
  }

  bool fail(const YAML::Mark& mark, std::string message) {
    if (!error) error = SourceError{std::string(file), position(mark), std::move(message)};
    return false;
  }

  bool convert(const YAML::Node& node, std::string& pointer, std::size_t depth, nlohmann::json& out,
               SourcePosition key_position) {
    if (++nodes > limits.max_nodes) return fail(node.Mark(), "document too large: more than " + std::to_string(limits.max_nodes) + " values (after expanding aliases)");
    if (depth > limits.max_depth) return fail(node.Mark(), "nested more than " + std::to_string(limits.max_depth) + " levels deep");
    if (!spend(node.Mark(), kValueOverhead + (node.IsScalar() ? node.Scalar().size() : 0))) return false;
    if (index) index->add(pointer, {position(node.Mark()), key_position});
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out = nullptr;
        return true;
      case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str") {
          out = node.Scalar();
        } else {
          out = plain_scalar(node.Scalar());
        }
        return true;
      }
      case YAML::NodeType::Sequence: {
        out = nlohmann::json::array();
        std::size_t i = 0;
        for (const auto& item : node) {
          const std::size_t mark = pointer.size();
          pointer += '/';
          pointer += std::to_string(i++);
          nlohmann::json child;
          const bool ok = convert(item, pointer, depth + 1, child, {});
          pointer.resize(mark);
          if (!ok) return false;
          out.push_back(std::move(child));
        }
        return true;
      }
      case YAML::NodeType::Map: {
        out = nlohmann::json::object();
        for (const auto& member : node) {
          if (!member.first.IsScalar()) return fail(member.first.Mark(), "a mapping key must be a plain value, not a list or mapping");
          const std::string& key = member.first.Scalar();
          if (!spend(member.first.Mark(), key.size())) return false;
          if (out.contains(key)) return fail(member.first.Mark(), "duplicate key '" + key + "'");
          const std::size_t mark = pointer.size();
          pointer = pointer_append(pointer, key);
          nlohmann::json child;
          const bool ok = convert(member.second, pointer, depth + 1, child, position(member.first.Mark()));
          pointer.resize(mark);
          if (!ok) return false;
          out[key] = std::move(child);
        }
        return true;
      }
    }
    return true;
  }
};

std::optional<SourceError> yaml_to_json(std::string_view text, std::string_view file, const StructuredLimits& limits,
                                        PositionIndex* index, nlohmann::json& out) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    const std::size_t scaled = text.size() > SIZE_MAX / limits.expansion_factor ? SIZE_MAX : text.size() * limits.expansion_factor;
    const std::size_t budget = std::min(limits.max_expanded_bytes, std::max(limits.min_expanded_bytes, scaled));
    Converter converter{file, limits, index, budget, 0, 0, std::nullopt};
    std::string pointer;
    converter.convert(root, pointer, 0, out, {});
    return converter.error;
  } catch (const YAML::Exception& e) {
    return SourceError{std::string(file), position(e.mark), e.msg};
  } catch (const std::exception& e) {
    return SourceError{std::string(file), {}, e.what()};
  }
}

bool looks_like_json(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

}  // namespace

void PositionIndex::build_from_text() const {
  PositionIndex fresh;
  nlohmann::json ignored;
  StructuredLimits generous;
  generous.max_nodes = SIZE_MAX;
  generous.max_depth = SIZE_MAX;
  generous.max_expanded_bytes = SIZE_MAX;
  yaml_to_json(deferred_text_, "", generous, &fresh, ignored);
  entries_ = std::move(fresh.entries_);
}

std::string SourceError::to_string() const {
  std::ostringstream out;
  out << file;
  if (position.line != 0) out << ':' << position.line << ':' << position.column;
  out << ": " << message;
  return out.str();
}

StructuredDocument::StructuredDocument(nlohmann::json root, std::string file, std::shared_ptr<const PositionIndex> index)
    : root_(std::move(root)), file_(std::move(file)), index_(std::move(index)) {}

SourcePosition StructuredDocument::position_of(std::string_view pointer) const {
  if (!index_) return {};
  std::string p(pointer);
  while (true) {
    if (const IndexEntry* e = index_->find(p); e && e->value.line != 0) return e->value;
    if (p.empty()) return {};
    p.resize(p.rfind('/'));
  }
}

SourcePosition StructuredDocument::key_position_of(std::string_view pointer) const {
  if (index_) {
    if (const IndexEntry* e = index_->find(std::string(pointer)); e && e->key.line != 0) return e->key;
  }
  return position_of(pointer);
}

SourceError StructuredDocument::error_at(std::string_view pointer, std::string message) const {
  return {file_, position_of(pointer), std::move(message)};
}

SourceError StructuredDocument::error_at_key(std::string_view pointer, std::string message) const {
  return {file_, key_position_of(pointer), std::move(message)};
}

Result<StructuredDocument, SourceError> parse_structured(std::string_view text, std::string file,
                                                         const StructuredLimits& limits) {
  if (looks_like_json(text)) {
    std::size_t depth = 0;
    bool too_deep = false;
    // The callback sees every opening bracket: refusing past the limit keeps the
    // recursive parser off a hostile document's deep end.
    const auto guard = [&](int d, nlohmann::json::parse_event_t event, nlohmann::json&) {
      if (event == nlohmann::json::parse_event_t::object_start || event == nlohmann::json::parse_event_t::array_start) {
        depth = static_cast<std::size_t>(d);
        if (depth > limits.max_depth) too_deep = true;
      }
      return !too_deep;
    };
    try {
      nlohmann::json root = nlohmann::json::parse(text.begin(), text.end(), guard);
      if (too_deep) {
        return Err{SourceError{file, {}, "nested more than " + std::to_string(limits.max_depth) + " levels deep"}};
      }
      auto index = std::make_shared<PositionIndex>(std::string(text));
      return StructuredDocument(std::move(root), std::move(file), std::move(index));
    } catch (const nlohmann::json::parse_error& e) {
      return Err{SourceError{file, position_at_offset(text, e.byte == 0 ? 0 : e.byte - 1), e.what()}};
    } catch (const std::exception& e) {
      return Err{SourceError{file, {}, e.what()}};
    }
  }
  auto index = std::make_shared<PositionIndex>();
  nlohmann::json root;
  if (auto error = yaml_to_json(text, file, limits, index.get(), root)) return Err{std::move(*error)};
  return StructuredDocument(std::move(root), std::move(file), std::move(index));
}

Result<StructuredDocument, SourceError> load_structured_file(const std::string& path, const StructuredLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err{SourceError{path, {}, "cannot open file"}};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_structured(text.str(), path, limits);
}

std::string pointer_append(std::string_view pointer, std::string_view token) {
  std::string out;
  out.reserve(pointer.size() + token.size() + 1);
  out.append(pointer);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace pbxmock::spec
