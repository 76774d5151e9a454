#include "spec/router.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace pbxmock::spec {

namespace {

// Partial templates with more literal text are more specific, so they are tried first;
// the rest of the key only makes the order total (and so independent of insertion order).
auto priority(const std::string& prefix, const std::string& suffix) {
  return std::make_tuple(-static_cast<long>(prefix.size() + suffix.size()), -static_cast<long>(prefix.size()),
                         std::string_view(prefix), std::string_view(suffix));
}

template <typename Pairs>
auto find_key(Pairs& pairs, std::string_view key) {
  const auto it = std::lower_bound(pairs.begin(), pairs.end(), key,
                                   [](const auto& pair, std::string_view k) { return std::string_view(pair.first) < k; });
  return (it != pairs.end() && it->first == key) ? it : pairs.end();
}

template <typename Pairs, typename Value>
void insert_sorted(Pairs& pairs, std::string_view key, Value value) {
  const auto it = std::lower_bound(pairs.begin(), pairs.end(), key,
                                   [](const auto& pair, std::string_view k) { return std::string_view(pair.first) < k; });
  pairs.emplace(it, std::string(key), value);
}

}  // namespace

// Parameter values seen on the way down, as views into the request path: no allocation
// until a match is found. The trie is at most kMaxTemplateSegments deep.
struct Router::Walk {
  std::array<std::string_view, kMaxTemplateSegments> values;
  std::size_t count = 0;
  std::uint32_t found = 0;
};

std::uint32_t Router::child_for(std::uint32_t node, const TemplateSegment& segment) {
  const auto fresh = static_cast<std::uint32_t>(nodes_.size());
  if (!segment.is_parameter) {
    auto& literals = nodes_[node].literals;
    if (const auto it = find_key(literals, segment.prefix); it != literals.end()) return it->second;
    insert_sorted(nodes_[node].literals, segment.prefix, fresh);
  } else {
    auto& edges = nodes_[node].templates;
    const auto key = priority(segment.prefix, segment.suffix);
    const auto it = std::lower_bound(edges.begin(), edges.end(), key,
                                     [](const TemplateEdge& e, const auto& k) { return priority(e.prefix, e.suffix) < k; });
    if (it != edges.end() && it->prefix == segment.prefix && it->suffix == segment.suffix) return it->child;
    edges.insert(it, TemplateEdge{segment.prefix, segment.suffix, fresh});
  }
  nodes_.emplace_back();  // after the edge: `nodes_[node]` above must not dangle
  return fresh;
}

Result<std::size_t, std::size_t> Router::add(const PathTemplate& path, std::string_view method, std::size_t operation) {
  // Check before changing anything, so a refused route leaves no empty branch behind.
  std::uint32_t node = 0;
  bool exists = true;
  for (const auto& segment : path.segments) {
    const Node& n = nodes_[node];
    if (!segment.is_parameter) {
      const auto it = find_key(n.literals, segment.prefix);
      if (it == n.literals.end()) { exists = false; break; }
      node = it->second;
    } else {
      const auto it = std::find_if(n.templates.begin(), n.templates.end(), [&](const TemplateEdge& e) {
        return e.prefix == segment.prefix && e.suffix == segment.suffix;
      });
      if (it == n.templates.end()) { exists = false; break; }
      node = it->child;
    }
  }
  if (exists) {
    if (const auto it = find_key(nodes_[node].methods, method); it != nodes_[node].methods.end()) return Err{it->second};
  }
  node = 0;
  for (const auto& segment : path.segments) node = child_for(node, segment);
  insert_sorted(nodes_[node].methods, method, operation);
  if (param_names_.size() <= operation) param_names_.resize(operation + 1);
  param_names_[operation] = path.parameter_names();
  return operation;
}

bool Router::walk(std::uint32_t node, std::string_view rest, Walk& w) const {
  const std::size_t slash = rest.find('/');
  const bool last = slash == std::string_view::npos;
  const std::string_view segment = rest.substr(0, slash);
  const std::string_view after = last ? std::string_view() : rest.substr(slash + 1);
  // A node without operations (the "/users" of "/users/{id}" alone) is not a match:
  // keep looking, a template sibling may still lead to one.
  const auto descend = [&](std::uint32_t child) {
    if (!last) return walk(child, after, w);
    if (nodes_[child].methods.empty()) return false;
    w.found = child;
    return true;
  };
  const Node& n = nodes_[node];
  if (const auto it = find_key(n.literals, segment); it != n.literals.end() && descend(it->second)) return true;
  for (const auto& edge : n.templates) {
    if (segment.size() <= edge.prefix.size() + edge.suffix.size()) continue;  // a value is never empty
    if (segment.compare(0, edge.prefix.size(), edge.prefix) != 0) continue;
    if (segment.compare(segment.size() - edge.suffix.size(), edge.suffix.size(), edge.suffix) != 0) continue;
    w.values[w.count++] = segment.substr(edge.prefix.size(), segment.size() - edge.prefix.size() - edge.suffix.size());
    if (descend(edge.child)) return true;
    --w.count;
  }
  return false;
}

Result<RouterHit, RouterMiss> Router::route(std::string_view method, std::string_view path) const {
  if (path.empty() || path.front() != '/') return Err{RouterMiss{}};
  Walk w;
  if (!walk(0, path.substr(1), w)) return Err{RouterMiss{}};
  const Node& found = nodes_[w.found];
  const auto it = find_key(found.methods, method);
  if (it == found.methods.end()) {
    RouterMiss miss{true, {}};
    for (const auto& m : found.methods) miss.allowed_methods.push_back(m.first);
    return Err{std::move(miss)};
  }
  RouterHit hit;
  hit.operation = it->second;
  const auto& names = param_names_[hit.operation];
  hit.path_params.reserve(w.count);
  for (std::size_t i = 0; i < w.count && i < names.size(); ++i) hit.path_params.emplace_back(names[i], w.values[i]);
  return hit;
}

}  // namespace pbxmock::spec
