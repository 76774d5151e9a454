#include "spec/ref_resolver.h"

#include <algorithm>
#include <exception>
#include <vector>

#include "spec/ascii.h"
#include "spec/json_access.h"
#include "spec/openapi.h"

namespace pbxmock::spec {

namespace {

// Longer chains are refused: no hand-written document needs them, and it keeps the
// cycle check (a linear scan of the chain) cheap on hostile input.
constexpr std::size_t kMaxRefChain = 64;

using ascii::hex_value;

bool is_annotation(const std::string& key) {
  static const char* const names[] = {"$ref", "$comment", "description", "summary", "title",
                                      "deprecated", "example", "examples", "externalDocs"};
  if (key.rfind("x-", 0) == 0) return true;
  return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return key == n; });
}

bool only_annotations(const nlohmann::json& object) {
  for (const auto& [key, value] : *object_of(object))
    if (!is_annotation(key)) return false;
  return true;
}

std::string describe_chain(const std::vector<std::string>& chain, const std::string& back_to) {
  std::string out;
  for (const auto& p : chain) out += "#" + p + " -> ";
  return out + "#" + back_to;
}

}  // namespace

std::optional<std::string> local_ref_pointer(std::string_view ref) {
  if (ref.empty() || ref.front() != '#') return std::nullopt;
  ref.remove_prefix(1);
  if (!ref.empty() && ref.front() != '/') return std::nullopt;  // "#anchor": a name, not a pointer
  std::string pointer;
  pointer.reserve(ref.size());
  for (std::size_t i = 0; i < ref.size(); ++i) {
    if (ref[i] != '%') {
      pointer += ref[i];
      continue;
    }
    if (i + 2 >= ref.size()) return std::nullopt;
    const int hi = hex_value(ref[i + 1]);
    const int lo = hex_value(ref[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    pointer += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return pointer;
}

namespace {

// One JSON Pointer step from node; nullptr when it names nothing. Array indexes are decimal
// without leading zeros, as RFC 6901 says ("-", the element past the end, names nothing).
const nlohmann::json* step(const nlohmann::json& node, std::string_view token) {
  if (node.is_object()) {
    const auto& members = node.get_ref<const nlohmann::json::object_t&>();
    const auto found = members.find(token);
    return found == members.end() ? nullptr : &found->second;
  }
  if (!node.is_array() || token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) return nullptr;
  std::size_t index = 0;
  for (const char c : token) {
    if (c < '0' || c > '9') return nullptr;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  const auto& items = node.get_ref<const nlohmann::json::array_t&>();
  return index < items.size() ? &items[index] : nullptr;
}

}  // namespace

// Walks the pointer in place, allocating only for a token with ~ escapes: this runs for
// every $ref of every validation and every field a rule or a contract looks at.
const nlohmann::json* resolve_pointer(const nlohmann::json& root, std::string_view pointer) {
  if (pointer.empty()) return &root;
  if (pointer.front() != '/') return nullptr;
  const nlohmann::json* node = &root;
  std::string unescaped;
  std::size_t begin = 1;
  while (node != nullptr) {
    const std::size_t slash = std::min(pointer.find('/', begin), pointer.size());
    std::string_view token = pointer.substr(begin, slash - begin);
    if (token.find('~') != std::string_view::npos) {
      unescaped.clear();
      for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] != '~') {
          unescaped += token[i];
        } else if (i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
          unescaped += token[++i] == '0' ? '~' : '/';
        } else {
          return nullptr;  // '~' must be followed by 0 or 1
        }
      }
      token = unescaped;
    }
    node = step(*node, token);
    if (slash == pointer.size()) return node;
    begin = slash + 1;
  }
  return nullptr;
}

const nlohmann::json* resolve_local_ref(const nlohmann::json& root, std::string_view ref) noexcept {
  try {
    if (ref.empty() || ref.front() != '#') return nullptr;
    // The common case has no %XX escape: its fragment is the pointer itself.
    if (ref.find('%') == std::string_view::npos) return resolve_pointer(root, ref.substr(1));
    const auto pointer = local_ref_pointer(ref);
    return pointer ? resolve_pointer(root, *pointer) : nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
}

Result<Resolved, SourceError> follow_refs(const StructuredDocument& doc, const nlohmann::json& value, std::string pointer,
                                          RefSiblings siblings) {
  const nlohmann::json* current = &value;
  std::vector<std::string> chain;  // pointers of the $ref objects followed so far
  while (const nlohmann::json* ref = find_member(*current, "$ref")) {
    if (siblings == RefSiblings::annotations && !only_annotations(*current)) break;
    const std::string at = pointer_append(pointer, "$ref");
    const std::string* text_ptr = string_of(*ref);
    if (text_ptr == nullptr) return Err{doc.error_at(at, "$ref must be a string")};
    const std::string& text = *text_ptr;
    if (text.empty() || text.front() != '#') {
      return Err{doc.error_at(at, "$ref '" + text + "' is not supported: only references inside this document ('#/...') are")};
    }
    const auto target_pointer = local_ref_pointer(text);
    if (!target_pointer) return Err{doc.error_at(at, "$ref '" + text + "' is not a JSON Pointer fragment ('#/...')")};
    const nlohmann::json* target = resolve_pointer(doc.root(), *target_pointer);
    if (!target) return Err{doc.error_at(at, "$ref '" + text + "' names nothing in this document")};
    chain.push_back(pointer);
    if (std::find(chain.begin(), chain.end(), *target_pointer) != chain.end()) {
      return Err{doc.error_at(at, "circular $ref: " + describe_chain(chain, *target_pointer))};
    }
    if (chain.size() > kMaxRefChain) {
      return Err{doc.error_at(at, "a chain of more than " + std::to_string(kMaxRefChain) + " $refs")};
    }
    current = target;
    pointer = *target_pointer;
  }
  return Resolved{current, std::move(pointer)};
}

namespace {

struct RefChecker {
  const StructuredDocument& doc;
  std::optional<SourceError> error;

  // `key` is the member name this value sits under, `parent_key` the one above that: enough
  // to tell literal example values (skipped) from Example Objects (which may be $refs).
  void walk(const nlohmann::json& value, std::string& pointer, std::string_view key, std::string_view parent_key) {
    if (error) return;
    if (value.is_array()) {
      if (key == "examples" || key == "enum") return;  // JSON Schema `examples`: literal values
      for (std::size_t i = 0; i < value.size() && !error; ++i) {
        const std::size_t mark = pointer.size();
        pointer += '/';
        pointer += std::to_string(i);
        walk(value[i], pointer, "", key);
        pointer.resize(mark);
      }
      return;
    }
    if (!value.is_object()) return;
    // Under `properties` and the like, member names are names, not keywords.
    const bool names = key == "properties" || key == "patternProperties" || key == "$defs" || key == "definitions" ||
                       key == "schemas" || key == "dependentSchemas";
    for (const auto& [k, member] : *object_of(value)) {
      if (!names && (k == "example" || k == "default" || k == "const" || k == "enum")) continue;
      if (!names && k == "value" && parent_key == "examples") continue;
      if (!names && k == "$ref" && member.is_string()) {
        if (auto r = follow_refs(doc, value, pointer); !r) {
          error = r.error();
          return;
        }
        continue;
      }
      const std::size_t mark = pointer.size();
      pointer = pointer_append(pointer, k);
      walk(member, pointer, k, key);
      pointer.resize(mark);
      if (error) return;
    }
  }
};

}  // namespace

std::optional<SourceError> check_refs(const StructuredDocument& doc) {
  RefChecker checker{doc, std::nullopt};
  std::string pointer;
  checker.walk(doc.root(), pointer, "", "");
  return checker.error;
}

}  // namespace pbxmock::spec
