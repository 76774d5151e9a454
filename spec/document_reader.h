#pragma once
// Reading a hand-written YAML/JSON document (scenario, rules, contracts, OpenAPI) into a
// typed model while collecting every problem with its file:line:column: wrong kinds,
// missing keys, unknown keys (typo protection), repeated names. One error list type, one
// word for each JSON kind and one "unknown key" message for every loader.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/structured_document.h"

namespace pbxmock::spec {

// Every problem found in one file; loaders give back all of them, sorted by position.
using SourceErrors = std::vector<SourceError>;

// One line a problem, `file:line:column: message`, in the list's order.
std::string to_string(const SourceErrors& errors);

// "a mapping", "a list", "a string", "an integer", "a number", "a boolean", "null": the
// words a person who wrote YAML or JSON recognises, used for what was expected and seen.
std::string_view kind_name(nlohmann::json::value_t kind);
std::string_view kind_name(const nlohmann::json& value);

// "unknown key 'x' (allowed: a, b, c)", the allowed keys in the order given.
std::string unknown_key_message(std::string_view key, const std::vector<std::string>& allowed);

// "line 12, column 5" for messages that point back at an earlier value.
std::string describe_position(const SourcePosition& position);

// In file order (line, then column), so a person fixes them top to bottom.
void sort_by_position(SourceErrors& errors);

// "<pointer>: <message>" at the value's position; pointer "" reads as "/".
void report(const StructuredDocument& document, SourceErrors& errors, std::string_view pointer, std::string message);
// "expected <what>, got <kind>" (with a hint to quote numbers meant as text).
std::string type_message(std::string_view expected, const nlohmann::json& seen);
// "<pointer>: " and type_message at the value's position.
void report_type(const StructuredDocument& document, SourceErrors& errors, std::string_view pointer,
                 std::string_view expected, const nlohmann::json& seen);

// Names that must be unique within one list (usernames, tenant domains, contract and step
// names): remembers where each was first written, to say so when it comes again.
class FirstSeen {
 public:
  // `what` names the kind of name ("username"); `note` is said before the first position
  // ("usernames ignore letter case").
  FirstSeen(const StructuredDocument& document, std::string what, std::string note = {});

  // nullopt the first time `key` is seen (remembered at `pointer`); after that
  // "duplicate <what> '<name>' (<note>; first at line 6, column 19)".
  std::optional<std::string> repeat(const std::string& key, std::string_view name, const std::string& pointer);

 private:
  const StructuredDocument& document_;
  std::string what_;
  std::string note_;
  std::map<std::string, std::string> first_;  // key -> pointer of its first value
};

// Reads one mapping of a document. Every accessor marks its key as allowed; finish()
// reports the keys never asked for, listing the allowed ones.
class FieldReader {
 public:
  // How a message starts. A scenario's messages name the JSON Pointer ("/tenants/0/name: ...");
  // a contract file's name the field in words, and the file:line:column alone says where.
  enum class Prefix { pointer, none };

  // Reads the mapping at `pointer`; when the value there is not a mapping, that is reported
  // once and every accessor answers "absent".
  FieldReader(const StructuredDocument& document, std::string pointer, SourceErrors& errors,
              Prefix prefix = Prefix::pointer);

  bool is_mapping() const noexcept { return object_ != nullptr; }
  // The mapping itself (nullptr when the value is not one), for a caller that walks its
  // keys in an order of its own (the OpenAPI loader: document order).
  const nlohmann::json* value() const noexcept { return object_; }
  const std::string& pointer() const noexcept { return pointer_; }
  std::string pointer_of(std::string_view key) const;

  // The value of a known key, or nullptr when absent.
  const nlohmann::json* get(std::string_view key);
  bool has(std::string_view key) const;

  // Typed accessors: absent answers nullopt (and reports a missing key when `required`); a
  // value of the wrong kind is reported and answers nullopt.
  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<double> number(std::string_view key, double min, double max);
  const nlohmann::json* list(std::string_view key);
  const nlohmann::json* mapping(std::string_view key);

  // "missing required key '<key>'" at the mapping when the mapping lacks `key`.
  void require(std::string_view key);
  // Declares keys allowed without reading them yet (a format whose keys are known up front).
  void allow(std::initializer_list<std::string_view> keys);

  // Reports each key never asked for as unknown, naming the keys that are allowed.
  void finish();

  // A problem with the value of `key` (at the value's position).
  void error(std::string_view key, std::string message);
  // A problem with the name of `key` (at the key's position).
  void key_error(std::string_view key, std::string message);
  // A problem with the mapping itself (at its position).
  void error_here(std::string message);

  // Whether nothing was reported since this reader was made, by it or by the readers of
  // the values inside it: a value is taken only when it is whole.
  bool clean() const noexcept { return errors_.size() == errors_before_; }

  const StructuredDocument& document() const noexcept { return document_; }
  SourceErrors& errors() noexcept { return errors_; }

 private:
  // The value of `key` when it is of a kind `accepts` takes; reports `expected` otherwise.
  template <typename Accepts>
  const nlohmann::json* typed(std::string_view key, std::string_view expected, Accepts accepts);
  // `in`, after reporting (when false) that the value at `key` must lie in [min, max].
  bool in_range(std::string_view key, const nlohmann::json& value, bool in, const std::string& min,
                const std::string& max);
  // At the value (or the key) at `pointer`, prefixed as `prefix_` says.
  void put(const std::string& pointer, std::string message, bool at_key = false);

  const StructuredDocument& document_;
  std::string pointer_;
  SourceErrors& errors_;
  Prefix prefix_;
  std::size_t errors_before_;
  const nlohmann::json* object_ = nullptr;
  std::vector<std::string> allowed_;              // in the order first asked for
  std::set<std::string, std::less<>> allowed_set_;
};

}  // namespace pbxmock::spec
