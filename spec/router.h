#pragma once
// Routes `METHOD /path` to an operation index through a trie of path segments: one lookup
// per segment instead of a scan over every template, which matters because it runs on
// every request. Precedence is described at OpenApiDocument::route.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spec/path_template.h"
#include "spec/result.h"

namespace pbxmock::spec {

struct RouterHit {
  std::size_t operation = 0;
  std::vector<std::pair<std::string, std::string>> path_params;  // raw values
};

struct RouterMiss {
  bool method_not_allowed = false;
  std::vector<std::string> allowed_methods;  // sorted
};

class Router {
 public:
  // Adds `operation` (an index chosen by the caller) for `method` on `path`. Fails, leaving the
  // router as it was, when `method` is already on a template of the same shape ("/a/{x}"
  // and "/a/{y}" are the same shape: no request could tell them apart). Returns the index of
  // the operation already there in that case.
  Result<std::size_t, std::size_t> add(const PathTemplate& path, std::string_view method, std::size_t operation);

  Result<RouterHit, RouterMiss> route(std::string_view method, std::string_view path) const;

 private:
  struct TemplateEdge {
    std::string prefix;
    std::string suffix;
    std::uint32_t child = 0;
  };
  struct Node {
    std::vector<std::pair<std::string, std::uint32_t>> literals;  // sorted by segment text
    std::vector<TemplateEdge> templates;                          // in matching order
    std::vector<std::pair<std::string, std::size_t>> methods;     // sorted by method
  };
  struct Walk;

  std::uint32_t child_for(std::uint32_t node, const TemplateSegment& segment);
  bool walk(std::uint32_t node, std::string_view rest, Walk& walk) const;

  std::vector<Node> nodes_{1};                         // nodes_[0] is the root
  std::vector<std::vector<std::string>> param_names_;  // by operation index
};

}  // namespace pbxmock::spec
