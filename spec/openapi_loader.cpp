// load_openapi: from text to the operation model, checking on the way everything the rest
// of pbxmock relies on, and reporting every problem with its file:line:column.
#include <algorithm>
#include <fstream>
#include <new>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "spec/ascii.h"
#include "spec/document_reader.h"
#include "spec/json_access.h"
#include "spec/key_order.h"
#include "spec/openapi.h"
#include "spec/openapi_state.h"
#include "spec/path_template.h"
#include "spec/ref_resolver.h"
#include "spec/safe_regex.h"
#include "spec/server_url.h"

namespace pbxmock::spec {

namespace {

using nlohmann::json;

const char* const kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

bool is_method(const std::string& key) {
  return std::any_of(std::begin(kMethods), std::end(kMethods), [&](const char* m) { return key == m; });
}

using ascii::upper;

// "3.0.3", "3.1.0", "3.1.1-rc1".
bool supported_version(const std::string& v) {
  if (v.size() < 5 || v.compare(0, 2, "3.") != 0 || (v[2] != '0' && v[2] != '1') || v[3] != '.') return false;
  std::size_t i = 4;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
  return i > 4 && (i == v.size() || v[i] == '-');
}

// "200", "4XX" (or "4xx"), "default".
bool valid_status_key(const std::string& s) {
  if (s == "default") return true;
  if (s.size() != 3 || s[0] < '1' || s[0] > '5') return false;
  const bool digits = std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[2]));
  const bool range = (s[1] == 'X' || s[1] == 'x') && (s[2] == 'X' || s[2] == 'x');
  return digits || range;
}

// Every schema `pattern` in the document must compile in the dialect the validator uses, so a
// pattern RE2 refuses (a backreference, a lookahead) stops the load with its position instead
// of failing each request. Values (example, examples, default, enum, const) are not schemas
// and are skipped; the walk keeps its own stack, whatever the depth.
std::optional<SourceError> check_patterns(const StructuredDocument& doc) {
  static constexpr std::string_view kValueKeys[] = {"example", "examples", "default", "enum", "const"};
  std::vector<std::pair<const json*, std::string>> pending{{&doc.root(), ""}};
  while (!pending.empty()) {
    auto [value, pointer] = std::move(pending.back());
    pending.pop_back();
    if (value->is_array()) {
      for (std::size_t i = 0; i < value->size(); ++i) pending.emplace_back(&(*value)[i], pointer + "/" + std::to_string(i));
      continue;
    }
    if (!value->is_object()) continue;
    for (const auto& [key, member] : value->items()) {
      const std::string at = pointer_append(pointer, key);
      if (key == "pattern" && member.is_string()) {
        if (auto compiled = SafeRegex::compile(member.get_ref<const std::string&>()); !compiled)
          return doc.error_at(at, "pattern cannot be used: " + compiled.error());
        continue;
      }
      if (std::find(std::begin(kValueKeys), std::end(kValueKeys), key) != std::end(kValueKeys)) continue;
      if (member.is_structured()) pending.emplace_back(&member, at);
    }
  }
  return std::nullopt;
}

// Reads the document with FieldReader, the reader of every other pbxmock file: every problem
// is collected with its position, and a part that is broken is left out of what is judged
// next (an operation whose parameters are broken is not checked against its path), so one
// mistake gives one message. A document that does not say it is OpenAPI 3.x is not read further.
class Loader {
 public:
  Loader(OpenApiDocument::State& state, const KeyOrder& order, SourceErrors& errors)
      : state_(state), doc_(state.doc), order_(order), errors_(errors), operation_ids_(doc_, "operationId") {}

  void run() {
    read_document();
    if (errors_.empty()) build_routes();  // the routes of a partly read document say nothing
    if (auto e = check_refs(doc_)) errors_.push_back(std::move(*e));
    if (auto e = check_patterns(doc_)) errors_.push_back(std::move(*e));
    sort_by_position(errors_);
    // A broken $ref is found both while reading and by the whole-document check (which words
    // a cycle from where it started): one message a place.
    errors_.erase(std::unique(errors_.begin(), errors_.end(),
                              [](const SourceError& a, const SourceError& b) {
                                return a.position.line == b.position.line && a.position.column == b.position.column;
                              }),
                  errors_.end());
  }

 private:
  // Follows $refs of a non-schema object (parameter, response, ...).
  std::optional<Resolved> follow(const json& value, const std::string& pointer) {
    auto r = follow_refs(doc_, value, pointer);
    if (!r) {
      errors_.push_back(r.error());
      return std::nullopt;
    }
    return std::move(r.value());
  }

  void read_document() {
    const json& root = doc_.root();
    if (!root.is_object()) {
      report(doc_, errors_, "", "an OpenAPI document must be a mapping at the top, not " + std::string(kind_name(root)));
      return;
    }
    FieldReader top(doc_, "", errors_);
    if (!read_version(top)) return;
    read_servers(top);
    if (const auto secured = read_security(top)) root_requires_auth_ = *secured;
    read_paths(top);
  }

  bool read_version(FieldReader& top) {
    const json* given = top.get("openapi");
    if (given == nullptr) {
      if (top.has("swagger")) {
        top.error("swagger", "Swagger 2.0 is not supported: only OpenAPI 3.0.x and 3.1.x");
      } else {
        top.error_here("no 'openapi' field: this does not look like an OpenAPI 3.x document");
      }
      return false;
    }
    if (given->is_number()) {
      top.error("openapi", "expected a string such as \"3.1.0\" (quote it in YAML), got a number");
      return false;
    }
    const auto version = top.string("openapi");
    if (!version) return false;
    if (!supported_version(*version)) {
      top.error("openapi", "OpenAPI version '" + *version + "' is not supported: only 3.0.x and 3.1.x");
      return false;
    }
    v31_ = (*version)[2] == '1';
    return true;
  }

  void read_servers(FieldReader& top) {
    const json* servers = top.list("servers");
    if (servers == nullptr || servers->empty()) return;
    FieldReader first(doc_, pointer_append(top.pointer_of("servers"), "0"), errors_);
    if (const auto url = first.string("url", true)) state_.base_path = base_path_of_server_url(*url, first.get("variables"));
  }

  // Whether the `security` of `owner` (an array of alternatives) asks for credentials: it does
  // unless it is empty or one alternative is `{}` (anonymous access allowed). nullopt when
  // there is none, or it is broken (reported).
  std::optional<bool> read_security(FieldReader& owner) {
    const json* security = owner.list("security");
    if (security == nullptr) return std::nullopt;
    bool anonymous = security->empty();
    bool whole = true;
    for (std::size_t i = 0; i < security->size(); ++i) {
      const json& requirement = (*security)[i];
      if (!requirement.is_object()) {
        report_type(doc_, errors_, owner.pointer_of("security") + "/" + std::to_string(i), kind_name(json::value_t::object),
                    requirement);
        whole = false;
      } else if (requirement.empty()) {
        anonymous = true;
      }
    }
    if (!whole) return std::nullopt;
    return !anonymous;
  }

  void read_paths(FieldReader& top) {
    if (!top.has("paths")) {
      // 3.1 lets a document hold only components or webhooks; 3.0 requires paths.
      if (!v31_) top.error_here("missing required key 'paths' (OpenAPI 3.0 requires it)");
      return;
    }
    const json* paths = top.mapping("paths");
    if (paths == nullptr) return;
    FieldReader items(doc_, top.pointer_of("paths"), errors_);
    for (const auto& key : order_.keys(*paths, items.pointer())) {
      if (key.rfind("x-", 0) == 0) continue;  // extensions
      read_path_item(items, key);
    }
  }

  void read_path_item(FieldReader& paths, const std::string& path) {
    auto parsed = parse_path_template(path);
    if (!parsed) {
      paths.key_error(path, "bad path template '" + path + "': " + parsed.error().message + " (at offset " +
                                std::to_string(parsed.error().offset) + ")");
      return;
    }
    const auto item = follow(*paths.get(path), paths.pointer_of(path));
    if (!item) return;
    FieldReader fields(doc_, item->pointer, errors_);
    if (!fields.is_mapping()) return;
    std::vector<Parameter> shared;
    if (!read_parameters(fields, shared)) return;  // its operations would miss parameters
    for (const auto& key : order_.keys(*fields.value(), fields.pointer())) {
      if (!is_method(key)) continue;  // summary, servers, x-..., and methods OpenAPI does not know
      Operation op;
      op.method = upper(key);
      op.path_template = path;
      op.pointer = fields.pointer_of(key);
      op.parameters = shared;
      if (!read_operation(op, parsed.value())) continue;
      if (!op.operation_id.empty()) state_.by_id.emplace(op.operation_id, state_.operations.size());
      templates_.push_back(parsed.value());
      state_.operations.push_back(std::move(op));
    }
  }

  // Whether `op` was read whole.
  bool read_operation(Operation& op, const PathTemplate& path) {
    FieldReader fields(doc_, op.pointer, errors_);
    if (!fields.is_mapping()) return false;
    if (const auto id = fields.string("operationId")) {
      op.operation_id = *id;
      if (auto repeat = operation_ids_.repeat(*id, *id, fields.pointer_of("operationId"))) {
        fields.error("operationId", std::move(*repeat));
      }
    }
    std::vector<Parameter> own;
    if (read_parameters(fields, own)) {
      for (auto& param : own) merge_parameter(op.parameters, std::move(param));
      check_path_parameters(fields, op, path);
    }
    read_request_body(fields, op);
    read_responses(fields, op);
    op.requires_auth = root_requires_auth_;
    if (const auto secured = read_security(fields)) op.requires_auth = *secured;
    return fields.clean();
  }

  // A parameter of the same name and place replaces the earlier one: within one list, and
  // the operation's over its path item's.
  static void merge_parameter(std::vector<Parameter>& into, Parameter param) {
    const auto same = std::find_if(into.begin(), into.end(),
                                   [&](const Parameter& q) { return q.name == param.name && q.in == param.in; });
    if (same != into.end()) {
      *same = std::move(param);
    } else {
      into.push_back(std::move(param));
    }
  }

  void check_path_parameters(FieldReader& fields, const Operation& op, const PathTemplate& path) {
    for (const auto& name : path.parameter_names()) {
      const bool declared = std::any_of(op.parameters.begin(), op.parameters.end(),
                                        [&](const Parameter& q) { return q.in == "path" && q.name == name; });
      if (!declared) {
        fields.error_here("'" + op.path_template + "' has {" + name + "}, but " + op.method +
                          " declares no parameter named '" + name + "' with 'in: path'");
      }
    }
  }

  // The `parameters` of `owner` into `out`; whether they were read whole (true when absent).
  bool read_parameters(FieldReader& owner, std::vector<Parameter>& out) {
    const std::size_t before = errors_.size();
    const json* list = owner.list("parameters");
    if (list == nullptr) return errors_.size() == before;
    const std::string pointer = owner.pointer_of("parameters");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto p = follow((*list)[i], pointer + "/" + std::to_string(i));
      if (!p) continue;
      Parameter param;
      if (read_parameter(p->pointer, param)) merge_parameter(out, std::move(param));
    }
    return errors_.size() == before;
  }

  bool read_parameter(const std::string& pointer, Parameter& param) {
    FieldReader fields(doc_, pointer, errors_);
    if (!fields.is_mapping()) return false;
    param.pointer = pointer;
    const auto name = fields.string("name", true);
    const auto in = fields.string("in", true);
    if (!name || !in) return false;
    param.name = *name;
    param.in = *in;
    if (param.in != "path" && param.in != "query" && param.in != "header" && param.in != "cookie") {
      fields.error("in", "must be path, query, header or cookie, not '" + param.in + "'");
      return false;
    }
    if (const auto required = fields.boolean("required")) param.required = *required;
    if (param.in == "path") param.required = true;
    if (const json* schema = fields.get("schema")) {
      read_schema(*schema, fields.pointer_of("schema"), param.schema, param.schema_pointer);
    } else if (fields.has("content")) {
      // The other form: `content` with one media type whose schema describes the value.
      std::vector<MediaType> media;
      read_content(fields, media);
      if (!media.empty()) {
        param.schema = media.front().schema;
        param.schema_pointer = media.front().schema_pointer;
      }
    }
    return fields.clean();
  }

  void read_schema(const json& value, const std::string& pointer, const json*& schema, std::string& schema_pointer) {
    // 3.0 ignores siblings of $ref; in 3.1 they count, so only an annotated $ref is followed.
    auto r = follow_refs(doc_, value, pointer, v31_ ? RefSiblings::annotations : RefSiblings::ignored);
    if (!r) {
      errors_.push_back(r.error());
      return;
    }
    if (!r->value->is_object() && !(v31_ && r->value->is_boolean())) {
      report_type(doc_, errors_, r->pointer, v31_ ? "a mapping or a boolean" : kind_name(json::value_t::object), *r->value);
      return;
    }
    schema = r->value;
    schema_pointer = r->pointer;
  }

  // The media types of the `content` of `owner`.
  void read_content(FieldReader& owner, std::vector<MediaType>& out) {
    const json* types = owner.mapping("content");
    if (types == nullptr) return;
    const std::string pointer = owner.pointer_of("content");
    for (const auto& [key, media] : types->items()) {
      FieldReader fields(doc_, pointer_append(pointer, key), errors_);
      if (!fields.is_mapping()) continue;
      MediaType type;
      type.content_type = key;
      if (const json* schema = fields.get("schema")) {
        read_schema(*schema, fields.pointer_of("schema"), type.schema, type.schema_pointer);
      }
      read_example(fields, type.example);
      out.push_back(std::move(type));
    }
  }

  void read_example(FieldReader& media, const json*& example) {
    if (const json* it = media.get("example")) {
      example = it;
      return;
    }
    const json* examples = media.mapping("examples");
    if (examples == nullptr) return;
    const std::string at = media.pointer_of("examples");
    const auto keys = order_.keys(*examples, at);
    if (keys.empty()) return;
    const auto entry = follow(*find_member(*examples, keys.front()), pointer_append(at, keys.front()));
    if (!entry) return;
    FieldReader fields(doc_, entry->pointer, errors_);
    if (const json* value = fields.get("value")) example = value;  // an `externalValue` example has no value we can serve
  }

  void read_request_body(FieldReader& operation, Operation& op) {
    const json* value = operation.get("requestBody");
    if (value == nullptr) return;
    const auto body = follow(*value, operation.pointer_of("requestBody"));
    if (!body) return;
    FieldReader fields(doc_, body->pointer, errors_);
    if (!fields.is_mapping()) return;
    op.has_request_body = true;
    if (const auto required = fields.boolean("required")) op.request_body_required = *required;
    if (fields.has("content")) read_content(fields, op.request_body);
  }

  void read_responses(FieldReader& operation, Operation& op) {
    const json* statuses = operation.mapping("responses");
    if (statuses == nullptr) return;
    FieldReader list(doc_, operation.pointer_of("responses"), errors_);
    for (const auto& [status, member] : statuses->items()) {
      if (status.rfind("x-", 0) == 0) continue;
      if (!valid_status_key(status)) {
        list.key_error(status, "'" + status + "' is not a response status: use 100..599, 1XX..5XX or default");
        continue;
      }
      const auto response = follow(member, list.pointer_of(status));
      if (!response) continue;
      FieldReader fields(doc_, response->pointer, errors_);
      if (!fields.is_mapping()) continue;
      Response r;
      r.status = status;
      r.pointer = response->pointer;
      if (fields.has("content")) read_content(fields, r.content);
      if (const json* headers = fields.mapping("headers")) {
        for (const auto& header : headers->items()) r.headers.push_back(header.key());
      }
      op.responses.push_back(std::move(r));
    }
  }

  void build_routes() {
    for (std::size_t i = 0; i < state_.operations.size(); ++i) {
      const Operation& op = state_.operations[i];
      const auto added = state_.router.add(templates_[i], op.method, i);
      if (!added) {
        const Operation& other = state_.operations[added.error()];
        report(doc_, errors_, op.pointer, op.method + " " + op.path_template + " cannot be told apart from " +
                                              other.method + " " + other.path_template + ": same method, same path shape");
      }
    }
  }

  OpenApiDocument::State& state_;
  const StructuredDocument& doc_;
  const KeyOrder& order_;
  SourceErrors& errors_;
  FirstSeen operation_ids_;
  bool v31_ = false;
  bool root_requires_auth_ = false;
  std::vector<PathTemplate> templates_;  // parallel to state_.operations
};

}  // namespace

Result<OpenApiDocument, SourceErrors> load_openapi(std::string_view text, std::string file) {
  try {
    auto parsed = parse_structured(text, file);
    if (!parsed) return Err{SourceErrors{parsed.error()}};
    auto state = std::make_unique<OpenApiDocument::State>(std::move(parsed.value()));
    const KeyOrder order(text, state->doc);
    SourceErrors errors;
    Loader(*state, order, errors).run();
    if (!errors.empty()) return Err{std::move(errors)};
    return OpenApiDocument(std::move(state));
  } catch (const std::bad_alloc&) {
    return Err{SourceErrors{SourceError{std::move(file), {}, "out of memory while loading the document"}}};
  } catch (const std::exception& e) {
    // Every check above is written not to throw; this is the last line, not the plan.
    return Err{SourceErrors{SourceError{std::move(file), {}, std::string("internal error while loading: ") + e.what()}}};
  }
}

Result<OpenApiDocument, SourceErrors> load_openapi_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err{SourceErrors{SourceError{path, {}, "cannot open file"}}};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Err{SourceErrors{SourceError{path, {}, "cannot read file"}}};
  return load_openapi(text.str(), path);
}

}  // namespace pbxmock::spec
