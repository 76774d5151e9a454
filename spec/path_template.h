#pragma once
// An OpenAPI path template ("/users/{id}/files/{name}.json") split into segments, each a
// literal or at most one `{parameter}` with literal text around it. Shared by the loader
// (to check templates), the router (to build its trie) and tests and fuzzers (to make
// sample paths).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "spec/result.h"

namespace pbxmock::spec {

// More segments than this is refused: the router walks segments recursively, and no real API
// comes near it.
inline constexpr std::size_t kMaxTemplateSegments = 64;

struct TemplateSegment {
  bool is_parameter = false;
  std::string prefix;  // the whole segment when it is a literal
  std::string name;    // parameter name, "" for a literal
  std::string suffix;

  // Whether a raw segment of a request path fits; parameters never match an empty value.
  bool matches(std::string_view segment) const noexcept;
};

struct PathTemplate {
  std::vector<TemplateSegment> segments;  // "/" is one empty literal segment
  std::vector<std::string> parameter_names() const;
};

// Well-formed: starts with '/'; braces neither nested nor unbalanced; a parameter name is
// non-empty and has no '/', '{' or '}'; at most one parameter per segment (two, as in
// "{a}-{b}", cannot be split without guessing); no name twice. The error says what and the
// 0-based offset where.
struct PathTemplateError {
  std::string message;
  std::size_t offset = 0;
};

Result<PathTemplate, PathTemplateError> parse_path_template(std::string_view text);

}  // namespace pbxmock::spec
