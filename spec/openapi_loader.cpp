// load_openapi: from text to the operation model, checking on the way everything the rest
// of pbxmock relies on, and reporting the first problem with its file:line:column.
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

class Loader {
 public:
  Loader(OpenApiDocument::State& state, const KeyOrder& order) : state_(state), doc_(state.doc), order_(order) {}

  std::optional<SourceError> run() {
    if (!check_version() || !read_servers() || !read_root_security() || !read_paths() || !build_routes()) return error_;
    if (auto e = check_refs(doc_)) return e;
    if (auto e = check_patterns(doc_)) return e;
    return std::nullopt;
  }

 private:
  bool fail(SourceError e) {
    if (!error_) error_ = std::move(e);
    return false;
  }
  bool fail_at(const std::string& pointer, std::string message) { return fail(doc_.error_at(pointer, std::move(message))); }

  bool expect(const json& value, json::value_t type, const std::string& pointer, std::string_view what) {
    if (value.type() == type) return true;
    return fail_at(pointer, std::string(what) + " must be " + std::string(kind_name(type)) + ", not " + std::string(kind_name(value)));
  }

  // The members of `value`, or nullptr (and the error) when it is not a mapping.
  const json::object_t* members(const json& value, const std::string& pointer, std::string_view what) {
    const auto* object = object_of(value);
    if (object == nullptr) expect(value, json::value_t::object, pointer, what);
    return object;
  }

  // The text of `value`, or nullptr (and the error) when it is not a string.
  const std::string* text(const json& value, const std::string& pointer, std::string_view what) {
    const auto* s = string_of(value);
    if (s == nullptr) expect(value, json::value_t::string, pointer, what);
    return s;
  }

  // Follows $refs of a non-schema object (parameter, response, ...).
  std::optional<Resolved> follow(const json& value, const std::string& pointer) {
    auto r = follow_refs(doc_, value, pointer);
    if (!r) {
      fail(r.error());
      return std::nullopt;
    }
    return std::move(r.value());
  }

  bool check_version() {
    const json& root = doc_.root();
    if (!root.is_object()) return fail_at("", "an OpenAPI document must be a mapping at the top, not " + std::string(kind_name(root)));
    const json* it = find_member(root, "openapi");
    if (it == nullptr) {
      if (root.contains("swagger")) return fail_at("/swagger", "Swagger 2.0 is not supported: only OpenAPI 3.0.x and 3.1.x");
      return fail_at("", "no 'openapi' field: this does not look like an OpenAPI 3.x document");
    }
    if (it->is_number()) return fail_at("/openapi", "'openapi' must be a string such as \"3.1.0\" (quote it in YAML), not a number");
    const std::string* given = text(*it, "/openapi", "'openapi'");
    if (given == nullptr) return false;
    const std::string& version = *given;
    if (!supported_version(version)) return fail_at("/openapi", "OpenAPI version '" + version + "' is not supported: only 3.0.x and 3.1.x");
    v31_ = version[2] == '1';
    return true;
  }

  bool read_servers() {
    const json& root = doc_.root();
    const json* it = find_member(root, "servers");
    if (it == nullptr) return true;
    if (!expect(*it, json::value_t::array, "/servers", "'servers'")) return false;
    if (it->empty()) return true;
    const json& first = (*it)[0];
    if (!expect(first, json::value_t::object, "/servers/0", "a server")) return false;
    const json* url = find_member(first, "url");
    if (url == nullptr) return fail_at("/servers/0", "a server needs a 'url'");
    const std::string* address = text(*url, "/servers/0/url", "'url'");
    if (address == nullptr) return false;
    state_.base_path = base_path_of_server_url(*address, find_member(first, "variables"));
    return true;
  }

  // Whether `security` (an array of alternatives) asks for credentials: it does unless it is
  // empty or one alternative is `{}` (anonymous access allowed).
  std::optional<bool> read_security(const json& security, const std::string& pointer) {
    if (!expect(security, json::value_t::array, pointer, "'security'")) return std::nullopt;
    bool anonymous = security.empty();
    for (std::size_t i = 0; i < security.size(); ++i) {
      if (!expect(security[i], json::value_t::object, pointer + "/" + std::to_string(i), "a security requirement")) return std::nullopt;
      if (security[i].empty()) anonymous = true;
    }
    return !anonymous;
  }

  bool read_root_security() {
    const json& root = doc_.root();
    const json* it = find_member(root, "security");
    if (it == nullptr) return true;
    const auto secured = read_security(*it, "/security");
    if (!secured) return false;
    root_requires_auth_ = *secured;
    return true;
  }

  bool read_paths() {
    const json& root = doc_.root();
    const json* it = find_member(root, "paths");
    if (it == nullptr) {
      // 3.1 lets a document hold only components or webhooks; 3.0 requires paths.
      return v31_ || fail_at("", "no 'paths' field (required in OpenAPI 3.0)");
    }
    if (!expect(*it, json::value_t::object, "/paths", "'paths'")) return false;
    for (const auto& key : order_.keys(*it, "/paths")) {
      if (key.rfind("x-", 0) == 0) continue;  // extensions
      if (!read_path_item(key, *find_member(*it, key), pointer_append("/paths", key))) return false;
    }
    return true;
  }

  bool read_path_item(const std::string& path, const json& value, const std::string& key_pointer) {
    auto parsed = parse_path_template(path);
    if (!parsed) {
      return fail(doc_.error_at_key(key_pointer, "bad path template '" + path + "': " + parsed.error().message +
                                                     " (at offset " + std::to_string(parsed.error().offset) + ")"));
    }
    const auto item = follow(value, key_pointer);
    if (!item) return false;
    if (!expect(*item->value, json::value_t::object, item->pointer, "a path item")) return false;
    std::vector<Parameter> shared;
    if (const json* p = find_member(*item->value, "parameters")) {
      if (!read_parameters(*p, pointer_append(item->pointer, "parameters"), shared)) return false;
    }
    for (const auto& key : order_.keys(*item->value, item->pointer)) {
      if (!is_method(key)) continue;  // summary, servers, x-..., and methods OpenAPI does not know
      Operation op;
      op.method = upper(key);
      op.path_template = path;
      op.pointer = pointer_append(item->pointer, key);
      op.parameters = shared;
      if (!read_operation(*find_member(*item->value, key), op, parsed.value())) return false;
      templates_.push_back(parsed.value());
      state_.operations.push_back(std::move(op));
    }
    return true;
  }

  bool read_operation(const json& value, Operation& op, const PathTemplate& path) {
    if (!expect(value, json::value_t::object, op.pointer, "an operation")) return false;
    if (const json* id = find_member(value, "operationId")) {
      const std::string at = pointer_append(op.pointer, "operationId");
      const std::string* given = text(*id, at, "'operationId'");
      if (given == nullptr) return false;
      op.operation_id = *given;
      const auto [it, fresh] = state_.by_id.emplace(op.operation_id, state_.operations.size());
      if (!fresh) {
        const Operation& other = state_.operations[it->second];
        return fail_at(at, "operationId '" + op.operation_id + "' is already used by " + other.method + " " + other.path_template);
      }
    }
    if (const json* p = find_member(value, "parameters")) {
      std::vector<Parameter> own;
      if (!read_parameters(*p, pointer_append(op.pointer, "parameters"), own)) return false;
      for (auto& param : own) {
        const auto same = std::find_if(op.parameters.begin(), op.parameters.end(),
                                       [&](const Parameter& q) { return q.name == param.name && q.in == param.in; });
        if (same != op.parameters.end()) {
          *same = std::move(param);
        } else {
          op.parameters.push_back(std::move(param));
        }
      }
    }
    for (const auto& name : path.parameter_names()) {
      const bool declared = std::any_of(op.parameters.begin(), op.parameters.end(),
                                        [&](const Parameter& q) { return q.in == "path" && q.name == name; });
      if (!declared) {
        return fail_at(op.pointer, "'" + op.path_template + "' has {" + name + "}, but " + op.method +
                                       " declares no parameter named '" + name + "' with 'in: path'");
      }
    }
    if (const json* body = find_member(value, "requestBody")) {
      if (!read_request_body(*body, pointer_append(op.pointer, "requestBody"), op)) return false;
    }
    if (const json* responses = find_member(value, "responses")) {
      if (!read_responses(*responses, pointer_append(op.pointer, "responses"), op)) return false;
    }
    op.requires_auth = root_requires_auth_;
    if (const json* security = find_member(value, "security")) {
      const auto secured = read_security(*security, pointer_append(op.pointer, "security"));
      if (!secured) return false;
      op.requires_auth = *secured;
    }
    return true;
  }

  bool read_parameters(const json& list, const std::string& pointer, std::vector<Parameter>& out) {
    if (!expect(list, json::value_t::array, pointer, "'parameters'")) return false;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto p = follow(list[i], pointer + "/" + std::to_string(i));
      if (!p) return false;
      Parameter param;
      if (!read_parameter(*p->value, p->pointer, param)) return false;
      // Within one list a repeat replaces the earlier one, as for operation over path level.
      const auto same = std::find_if(out.begin(), out.end(), [&](const Parameter& q) { return q.name == param.name && q.in == param.in; });
      if (same != out.end()) {
        *same = std::move(param);
      } else {
        out.push_back(std::move(param));
      }
    }
    return true;
  }

  bool read_parameter(const json& value, const std::string& pointer, Parameter& param) {
    if (!expect(value, json::value_t::object, pointer, "a parameter")) return false;
    param.pointer = pointer;
    const json* name = find_member(value, "name");
    if (name == nullptr) return fail_at(pointer, "a parameter needs a 'name'");
    const std::string* name_text = text(*name, pointer_append(pointer, "name"), "'name'");
    if (name_text == nullptr) return false;
    param.name = *name_text;
    const json* in = find_member(value, "in");
    if (in == nullptr) return fail_at(pointer, "parameter '" + param.name + "' needs 'in' (path, query, header or cookie)");
    const std::string* in_text = text(*in, pointer_append(pointer, "in"), "'in'");
    if (in_text == nullptr) return false;
    param.in = *in_text;
    if (param.in != "path" && param.in != "query" && param.in != "header" && param.in != "cookie") {
      return fail_at(pointer_append(pointer, "in"), "'in' must be path, query, header or cookie, not '" + param.in + "'");
    }
    if (const json* required = find_member(value, "required")) {
      if (!expect(*required, json::value_t::boolean, pointer_append(pointer, "required"), "'required'")) return false;
      param.required = *required == true;
    }
    if (param.in == "path") param.required = true;
    if (const json* schema = find_member(value, "schema")) {
      return read_schema(*schema, pointer_append(pointer, "schema"), param.schema, param.schema_pointer);
    }
    // The other form: `content` with one media type whose schema describes the value.
    if (const json* content = find_member(value, "content")) {
      std::vector<MediaType> media;
      if (!read_content(*content, pointer_append(pointer, "content"), media)) return false;
      if (!media.empty()) {
        param.schema = media.front().schema;
        param.schema_pointer = media.front().schema_pointer;
      }
    }
    return true;
  }

  bool read_schema(const json& value, const std::string& pointer, const json*& schema, std::string& schema_pointer) {
    // 3.0 ignores siblings of $ref; in 3.1 they count, so only an annotated $ref is followed.
    auto r = follow_refs(doc_, value, pointer, v31_ ? RefSiblings::annotations : RefSiblings::ignored);
    if (!r) return fail(r.error());
    if (!r->value->is_object() && !(v31_ && r->value->is_boolean())) {
      return fail_at(r->pointer, std::string("a schema must be a mapping") + (v31_ ? " or a boolean" : "") + ", not " + std::string(kind_name(*r->value)));
    }
    schema = r->value;
    schema_pointer = r->pointer;
    return true;
  }

  bool read_content(const json& value, const std::string& pointer, std::vector<MediaType>& out) {
    const auto* types = members(value, pointer, "'content'");
    if (types == nullptr) return false;
    for (const auto& [key, media] : *types) {
      const std::string at = pointer_append(pointer, key);
      if (!expect(media, json::value_t::object, at, "a media type")) return false;
      MediaType type;
      type.content_type = key;
      if (const json* schema = find_member(media, "schema")) {
        if (!read_schema(*schema, pointer_append(at, "schema"), type.schema, type.schema_pointer)) return false;
      }
      if (!read_example(media, at, type.example)) return false;
      out.push_back(std::move(type));
    }
    return true;
  }

  bool read_example(const json& media, const std::string& pointer, const json*& example) {
    if (const json* it = find_member(media, "example")) {
      example = &*it;
      return true;
    }
    const json* examples = find_member(media, "examples");
    if (examples == nullptr) return true;
    const std::string at = pointer_append(pointer, "examples");
    if (!expect(*examples, json::value_t::object, at, "'examples'")) return false;
    const auto keys = order_.keys(*examples, at);
    if (keys.empty()) return true;
    const auto entry = follow(*find_member(*examples, keys.front()), pointer_append(at, keys.front()));
    if (!entry) return false;
    if (!expect(*entry->value, json::value_t::object, entry->pointer, "an example")) return false;
    if (const json* value = find_member(*entry->value, "value")) example = &*value;
    return true;  // an `externalValue` example has no value we can serve
  }

  bool read_request_body(const json& value, const std::string& pointer, Operation& op) {
    const auto body = follow(value, pointer);
    if (!body) return false;
    if (!expect(*body->value, json::value_t::object, body->pointer, "'requestBody'")) return false;
    op.has_request_body = true;
    if (const json* required = find_member(*body->value, "required")) {
      if (!expect(*required, json::value_t::boolean, pointer_append(body->pointer, "required"), "'required'")) return false;
      op.request_body_required = *required == true;
    }
    if (const json* content = find_member(*body->value, "content")) {
      return read_content(*content, pointer_append(body->pointer, "content"), op.request_body);
    }
    return true;
  }

  bool read_responses(const json& value, const std::string& pointer, Operation& op) {
    const auto* statuses = members(value, pointer, "'responses'");
    if (statuses == nullptr) return false;
    for (const auto& [status, member] : *statuses) {
      if (status.rfind("x-", 0) == 0) continue;
      const std::string at = pointer_append(pointer, status);
      if (!valid_status_key(status)) {
        return fail(doc_.error_at_key(at, "'" + status + "' is not a response status: use 100..599, 1XX..5XX or default"));
      }
      const auto response = follow(member, at);
      if (!response) return false;
      if (!expect(*response->value, json::value_t::object, response->pointer, "a response")) return false;
      Response r;
      r.status = status;
      r.pointer = response->pointer;
      if (const json* content = find_member(*response->value, "content")) {
        if (!read_content(*content, pointer_append(response->pointer, "content"), r.content)) return false;
      }
      if (const json* headers = find_member(*response->value, "headers")) {
        const auto* names = members(*headers, pointer_append(response->pointer, "headers"), "'headers'");
        if (names == nullptr) return false;
        for (const auto& header : *names) r.headers.push_back(header.first);
      }
      op.responses.push_back(std::move(r));
    }
    return true;
  }

  bool build_routes() {
    for (std::size_t i = 0; i < state_.operations.size(); ++i) {
      const Operation& op = state_.operations[i];
      const auto added = state_.router.add(templates_[i], op.method, i);
      if (!added) {
        const Operation& other = state_.operations[added.error()];
        return fail_at(op.pointer, op.method + " " + op.path_template + " cannot be told apart from " + other.method +
                                       " " + other.path_template + ": same method, same path shape");
      }
    }
    return true;
  }

  OpenApiDocument::State& state_;
  const StructuredDocument& doc_;
  const KeyOrder& order_;
  bool v31_ = false;
  bool root_requires_auth_ = false;
  std::vector<PathTemplate> templates_;  // parallel to state_.operations
  std::optional<SourceError> error_;
};

}  // namespace

Result<OpenApiDocument, SourceError> load_openapi(std::string_view text, std::string file) {
  try {
    auto parsed = parse_structured(text, file);
    if (!parsed) return Err{parsed.error()};
    auto state = std::make_unique<OpenApiDocument::State>(std::move(parsed.value()));
    const KeyOrder order(text, state->doc);
    if (auto error = Loader(*state, order).run()) return Err{std::move(*error)};
    return OpenApiDocument(std::move(state));
  } catch (const std::bad_alloc&) {
    return Err{SourceError{std::move(file), {}, "out of memory while loading the document"}};
  } catch (const std::exception& e) {
    // Every check above is written not to throw; this is the last line, not the plan.
    return Err{SourceError{std::move(file), {}, std::string("internal error while loading: ") + e.what()}};
  }
}

Result<OpenApiDocument, SourceError> load_openapi_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err{SourceError{path, {}, "cannot open file"}};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Err{SourceError{path, {}, "cannot read file"}};
  return load_openapi(text.str(), path);
}

}  // namespace pbxmock::spec
