// Fuzzes load_openapi with any bytes as a YAML or JSON document: it answers a document or an
// error, never throws or crashes. A loaded document keeps these promises: every pointer in
// the model names a value of the document (a schema pointer names the very schema handed
// out); every operation's template parses again; and its own path with a sample value per
// parameter routes back to it. That last one is weakened when another template also matches
// the sample path (a literal sibling equal to the sample, a partial segment that fits): then
// the router's answer must be one of the matching templates (an operation of this method, or
// a 405 whose list lacks it), never a 404.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/broken_invariant.h"
#include "spec/openapi.h"
#include "spec/path_template.h"

using namespace pbxmock::spec;

namespace {

using pbxmock::fuzz::broken;

// Whether `path` fits `t`, segment by segment (independent of the router's trie).
bool fits(const PathTemplate& t, std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const std::size_t slash = path.find('/');
    if (!t.segments[i].matches(path.substr(0, slash))) return false;
    if ((slash == std::string_view::npos) != (i + 1 == t.segments.size())) return false;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return true;
}

void check_schema(const OpenApiDocument& doc, const nlohmann::json* schema, const std::string& pointer, std::string_view input) {
  if (schema != nullptr && resolve_pointer(doc.root(), pointer) != schema) broken("schema pointer names another value", input, pointer);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto loaded = load_openapi(input, "fuzz.yaml");
  if (!loaded) return 0;
  const OpenApiDocument& doc = loaded.value();
  const auto& ops = doc.operations();
  std::vector<PathTemplate> templates;
  for (const auto& op : ops) {
    auto parsed = parse_path_template(op.path_template);
    if (!parsed) broken("a loaded template does not parse", input, op.path_template);
    templates.push_back(std::move(parsed.value()));
    if (!resolve_pointer(doc.root(), op.pointer)) broken("operation pointer names nothing", input, op.pointer);
    for (const auto& p : op.parameters) {
      if (!resolve_pointer(doc.root(), p.pointer)) broken("parameter pointer names nothing", input, p.pointer);
      check_schema(doc, p.schema, p.schema_pointer, input);
    }
    for (const auto& m : op.request_body) check_schema(doc, m.schema, m.schema_pointer, input);
    for (const auto& r : op.responses) {
      if (!resolve_pointer(doc.root(), r.pointer)) broken("response pointer names nothing", input, r.pointer);
      for (const auto& m : r.content) check_schema(doc, m.schema, m.schema_pointer, input);
    }
  }
  for (std::size_t i = 0; i < ops.size(); ++i) {
    std::string path;
    for (const auto& s : templates[i].segments) path += "/" + s.prefix + (s.is_parameter ? "v" + std::to_string(i) + s.suffix : "");
    bool alone = true;
    for (std::size_t j = 0; j < ops.size() && alone; ++j) alone = ops[j].path_template == ops[i].path_template || !fits(templates[j], path);
    const auto routed = doc.route(ops[i].method, path);
    if (!routed && routed.error().kind == RouteMiss::not_found) broken("own path not found", input, ops[i].method + " " + path);
    if (alone && (!routed || routed->operation != &ops[i])) broken("own path went elsewhere", input, ops[i].method + " " + path);
    if (routed) {
      const auto j = static_cast<std::size_t>(routed->operation - ops.data());
      if (j >= ops.size() || ops[j].method != ops[i].method || !fits(templates[j], path)) broken("routed to a template that does not fit", input, path);
      if (routed->path_params.size() != templates[j].parameter_names().size()) broken("wrong number of path parameters", input, path);
    } else {
      for (const auto& m : routed.error().allowed_methods)
        if (m == ops[i].method) broken("405 lists the method asked for", input, path);
    }
  }
  (void)doc.route("GET", input.substr(0, 256));  // the input as a request path: any bytes, no crash
  return 0;
}
