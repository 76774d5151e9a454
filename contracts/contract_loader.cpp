#include "contracts/contract_loader.h"

#include <algorithm>
#include <initializer_list>

#include "contracts/response.h"
#include "contracts/spec_checks.h"
#include "contracts/variables.h"
#include "spec/ascii.h"
#include "spec/document_reader.h"
#include "spec/safe_regex.h"

namespace pbxmock::contracts {
namespace {

using nlohmann::json;
using spec::FieldReader;

constexpr long long kMaxTimeoutMs = 600'000;
constexpr long long kMaxRepeat = 64LL * 1024 * 1024;
constexpr std::string_view kTypeNames[] = {"string", "number", "integer", "boolean", "object", "array", "null"};

bool is_variable_name(std::string_view s) {
  if (s.empty() || !(spec::ascii::is_alpha(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return spec::ascii::is_alnum(c) || c == '_'; });
}

bool is_json_pointer(std::string_view p) {
  if (p.empty()) return true;
  if (p[0] != '/') return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i] == '~' && (i + 1 == p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))) return false;
  return true;
}

bool is_token(std::string_view s) {  // RFC 9110 token, for methods and header names
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return spec::ascii::is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

const std::initializer_list<std::string_view> kBodyMatchers = {"equals", "not_equals", "regex", "type",
                                                               "present", "absent", "length", "contains"};
const std::initializer_list<std::string_view> kHeaderMatchers = {"equals", "not_equals", "regex",
                                                                 "present", "absent", "contains"};

bool contains(std::initializer_list<std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class Reader {
 public:
  explicit Reader(const spec::StructuredDocument& doc) : doc_(doc) {}

  spec::SourceErrors errors;

  void error(const std::string& pointer, std::string message) { errors.push_back(doc_.error_at(pointer, std::move(message))); }
  void key_error(const std::string& pointer, std::string message) {
    errors.push_back(doc_.error_at_key(pointer, std::move(message)));
  }
  // "<what> must be a mapping, not a list".
  void kind_error(const std::string& pointer, const std::string& what, json::value_t expected, const json& seen) {
    error(pointer, what + " must be " + std::string(spec::kind_name(expected)) + ", not " + std::string(spec::kind_name(seen)));
  }
  void unknown_key(const std::string& pointer, const std::string& key, std::initializer_list<std::string_view> allowed,
                   std::string_view hint = {}) {
    key_error(pointer, spec::unknown_key_message(key, std::vector<std::string>(allowed.begin(), allowed.end())) +
                           std::string(hint));
  }

  // Members in the order written (nlohmann::json keeps them sorted by key).
  std::vector<std::pair<std::string, const json*>> members(const json& object, const std::string& pointer) const {
    std::vector<std::tuple<std::size_t, std::size_t, std::string, const json*>> sorted;
    for (const auto& [key, value] : object.items()) {
      const auto at = doc_.key_position_of(spec::pointer_append(pointer, key));
      sorted.emplace_back(at.line, at.column, key, &value);
    }
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
             std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
    });
    std::vector<std::pair<std::string, const json*>> out;
    for (auto& [line, column, key, value] : sorted) out.emplace_back(std::move(key), value);
    return out;
  }

  // The mapping at `pointer`, read by the shared reader: a value that is not a mapping, a
  // missing required key and each key not `allowed` are reported here, at once.
  FieldReader mapping(const std::string& pointer, std::initializer_list<std::string_view> allowed,
                      std::initializer_list<std::string_view> required = {}) {
    FieldReader fields(doc_, pointer, errors, FieldReader::Prefix::none);
    fields.allow(allowed);
    fields.finish();
    for (const auto key : required) fields.require(key);
    return fields;
  }

  std::optional<std::string> string(const json& value, const std::string& pointer, const std::string& what,
                                    bool allow_empty = false) {
    if (!value.is_string()) {
      kind_error(pointer, what, json::value_t::string, value);
      return std::nullopt;
    }
    auto text = value.get<std::string>();
    if (text.empty() && !allow_empty) {
      error(pointer, what + " must not be empty");
      return std::nullopt;
    }
    if (auto pieces = parse_template(text); !pieces) {
      error(pointer, what + ": " + pieces.error());
      return std::nullopt;
    }
    return text;
  }

  // Header, query and form values: scalars written as text.
  std::optional<std::string> scalar_text(const json& value, const std::string& pointer, const std::string& what) {
    if (value.is_string()) return string(value, pointer, what, true);
    if (value.is_number() || value.is_boolean()) return value.dump();
    error(pointer, what + " must be a string, number or boolean");
    return std::nullopt;
  }

  std::optional<long long> integer(const json& value, const std::string& pointer, const std::string& what,
                                   long long min, long long max) {
    if (!value.is_number_integer() || value.get<long long>() < min || value.get<long long>() > max) {
      error(pointer, what + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return value.get<long long>();
  }

  std::optional<bool> boolean(const json& value, const std::string& pointer, const std::string& what) {
    if (!value.is_boolean()) {
      kind_error(pointer, what, json::value_t::boolean, value);
      return std::nullopt;
    }
    return value.get<bool>();
  }

  std::vector<std::string> tags(const json& value, const std::string& pointer) {
    std::vector<std::string> out;
    if (!value.is_array()) {
      error(pointer, "tags must be a list of names");
      return out;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string at = pointer + "/" + std::to_string(i);
      const auto& tag = value[i];
      if (!tag.is_string() || tag.get<std::string>().empty() || tag.get<std::string>()[0] == '!' ||
          tag.get<std::string>().find_first_of(" \t,") != std::string::npos) {
        error(at, "a tag must be a non-empty name without spaces or commas, not starting with '!'");
        continue;
      }
      out.push_back(tag.get<std::string>());
    }
    return out;
  }

  std::vector<NameValue> name_values(const json& value, const std::string& pointer, const std::string& what,
                                     bool header_names) {
    std::vector<NameValue> out;
    if (!value.is_object()) {
      error(pointer, what + " must be a mapping of names to values");
      return out;
    }
    for (const auto& [name, member] : members(value, pointer)) {
      const std::string at = spec::pointer_append(pointer, name);
      if (header_names && !is_token(name)) {
        key_error(at, "'" + name + "' is not a valid header name");
        continue;
      }
      if (member->is_array()) {  // query: repeated parameters
        for (std::size_t i = 0; i < member->size(); ++i) {
          if (auto text = scalar_text((*member)[i], at + "/" + std::to_string(i), what + " " + name)) {
            out.emplace_back(name, std::move(*text));
          }
        }
        if (header_names) error(at, what + " " + name + " must be one value");
        continue;
      }
      if (auto text = scalar_text(*member, at, what + " " + name)) out.emplace_back(name, std::move(*text));
    }
    return out;
  }

  void regex_syntax(const std::string& pattern, const std::string& pointer) {
    if (pattern.find("${") != std::string::npos) return;  // checked once substituted, at run time
    if (const auto compiled = spec::SafeRegex::compile(pattern); !compiled)
      error(pointer, "invalid regex: " + compiled.error());
  }

  std::vector<Matcher> matchers(const json& value, const std::string& pointer, const std::string& subject,
                                bool header) {
    using Kind = Matcher::Kind;
    std::vector<Matcher> out;
    if (!value.is_object()) {  // shorthand for equals
      if (header) {
        if (auto text = scalar_text(value, pointer, subject)) out.push_back({Kind::equals, json(*text)});
      } else {
        if (auto bad = placeholders_in(value); !bad) error(pointer, subject + ": " + bad.error());
        out.push_back({Kind::equals, value});
      }
      return out;
    }
    const auto allowed = header ? kHeaderMatchers : kBodyMatchers;
    if (value.empty()) error(pointer, subject + ": an empty mapping matches nothing (to compare with {} write {equals: {}})");
    for (const auto& [key, argument] : members(value, pointer)) {
      const std::string at = spec::pointer_append(pointer, key);
      if (!contains(allowed, key)) {
        unknown_key(at, key, allowed, header ? "" : "; to compare with an object write {equals: {...}}");
        continue;
      }
      if (key == "present" || key == "absent") {
        if (auto flag = boolean(*argument, at, subject + " " + key)) {
          out.push_back({(*flag == (key == "present")) ? Kind::present : Kind::absent, json()});
        }
      } else if (key == "regex") {
        if (auto pattern = string(*argument, at, subject + " regex")) {
          regex_syntax(*pattern, at);
          out.push_back({Kind::regex, json(*pattern)});
        }
      } else if (key == "type") {
        const bool known = argument->is_string() &&
                           std::find(std::begin(kTypeNames), std::end(kTypeNames), argument->get<std::string>()) !=
                               std::end(kTypeNames);
        if (!known) {
          error(at, subject + " type must be one of string, number, integer, boolean, object, array, null");
        } else {
          out.push_back({Kind::type, *argument});
        }
      } else if (key == "length") {
        if (auto n = integer(*argument, at, subject + " length", 0, 1LL << 40)) out.push_back({Kind::length, json(*n)});
      } else {
        const Kind kind = key == "equals" ? Kind::equals : key == "not_equals" ? Kind::not_equals : Kind::contains;
        if (header) {
          if (auto text = scalar_text(*argument, at, subject + " " + key)) out.push_back({kind, json(*text)});
        } else {
          if (auto bad = placeholders_in(*argument); !bad) error(at, subject + ": " + bad.error());
          out.push_back({kind, *argument});
        }
      }
    }
    return out;
  }

  std::optional<StatusExpectation> status(const json& value, const std::string& pointer) {
    StatusExpectation out;
    const auto one = [&](const json& v, const std::string& at) {
      if (v.is_number_integer() && v.get<long long>() >= 100 && v.get<long long>() <= 599) {
        out.codes.push_back(static_cast<int>(v.get<long long>()));
        return;
      }
      if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (s.size() == 3 && s[0] >= '1' && s[0] <= '5' && (s[1] == 'x' || s[1] == 'X') && (s[2] == 'x' || s[2] == 'X')) {
          out.classes.push_back(s[0] - '0');
          return;
        }
      }
      error(at, "status must be a number from 100 to 599, a class such as \"4xx\", or a list of those");
    };
    if (value.is_array()) {
      if (value.empty()) error(pointer, "status must not be an empty list");
      for (std::size_t i = 0; i < value.size(); ++i) one(value[i], pointer + "/" + std::to_string(i));
    } else {
      one(value, pointer);
    }
    if (out.codes.empty() && out.classes.empty()) return std::nullopt;
    return out;
  }

  RequestTemplate request(const std::string& pointer) {
    RequestTemplate out;
    auto fields = mapping(pointer, {"method", "path", "query", "headers", "json", "form", "body", "content_type", "repeat"},
                          {"method", "path"});
    if (!fields.is_mapping()) return out;
    if (const auto* m = fields.get("method")) {
      if (auto method = string(*m, pointer + "/method", "method")) {
        if (!is_token(*method)) {
          error(pointer + "/method", "method must be an HTTP method name such as GET or POST");
        }
        out.method = spec::ascii::upper(*method);
      }
    }
    if (const auto* p = fields.get("path")) {
      if (auto path = string(*p, pointer + "/path", "path")) {
        if ((*path)[0] != '/' && path->rfind("http://", 0) != 0 && path->rfind("https://", 0) != 0 &&
            path->rfind("${", 0) != 0) {
          error(pointer + "/path", "path must start with '/' (as the server sees it), or be an absolute URL on the target");
        }
        out.path = std::move(*path);
      }
    }
    if (const auto* q = fields.get("query")) {
      out.query = name_values(*q, pointer + "/query", "query parameter", false);
    }
    if (const auto* h = fields.get("headers")) {
      out.headers = name_values(*h, pointer + "/headers", "header", true);
    }
    int bodies = 0;
    if (const auto* j = fields.get("json")) {
      ++bodies;
      out.body_kind = BodyKind::json;
      out.json = *j;
      if (auto bad = placeholders_in(*j); !bad) error(pointer + "/json", "json: " + bad.error());
    }
    if (const auto* f = fields.get("form")) {
      ++bodies;
      out.body_kind = BodyKind::form;
      out.form = name_values(*f, pointer + "/form", "form field", false);
    }
    if (const auto* b = fields.get("body")) {
      ++bodies;
      out.body_kind = BodyKind::raw;
      if (auto text = string(*b, pointer + "/body", "body", true)) out.body = std::move(*text);
    }
    if (bodies > 1) error(pointer, "a request has at most one of json, form and body");
    if (const auto* c = fields.get("content_type")) {
      if (!fields.has("body")) error(pointer + "/content_type", "content_type goes with body (json and form set their own)");
      if (auto text = string(*c, pointer + "/content_type", "content_type")) out.content_type = std::move(*text);
    }
    if (const auto* r = fields.get("repeat")) {
      if (!fields.has("body")) error(pointer + "/repeat", "repeat goes with body");
      if (auto n = integer(*r, pointer + "/repeat", "repeat", 1, kMaxRepeat)) out.repeat = static_cast<std::size_t>(*n);
    }
    return out;
  }

  Expectations expect(const std::string& pointer) {
    Expectations out;
    auto fields = mapping(pointer, {"status", "headers", "body", "text", "error_code", "schema"});
    if (!fields.is_mapping()) return out;
    if (const auto* s = fields.get("status")) out.status = status(*s, pointer + "/status");
    if (const auto* h = fields.get("headers")) {
      const std::string at = pointer + "/headers";
      if (!h->is_object()) {
        error(at, "expect headers must be a mapping of header names to expectations");
      } else {
        for (const auto& [name, expected] : members(*h, at)) {
          const std::string here = spec::pointer_append(at, name);
          if (!is_token(name)) key_error(here, "'" + name + "' is not a valid header name");
          out.headers.push_back({name, matchers(*expected, here, "header " + name, true)});
        }
      }
    }
    if (const auto* b = fields.get("body")) {
      const std::string at = pointer + "/body";
      if (!b->is_object()) {
        error(at, "expect body must be a mapping of JSON Pointers (\"/access_token\") to expectations");
      } else {
        for (const auto& [body_pointer, expected] : members(*b, at)) {
          const std::string here = spec::pointer_append(at, body_pointer);
          if (!is_json_pointer(body_pointer)) {
            key_error(here, "'" + body_pointer + "' is not a JSON Pointer (write /field, /errors/0/code)");
            continue;
          }
          out.body.push_back({body_pointer, matchers(*expected, here, "body " + body_pointer, false)});
        }
      }
    }
    if (const auto* t = fields.get("text")) {
      out.text = matchers(*t, pointer + "/text", "text", false);
      for (const auto& m : out.text) {
        if (m.kind == Matcher::Kind::type) error(pointer + "/text", "text is always a string: type does not apply");
      }
    }
    if (const auto* c = fields.get("error_code")) {
      if (auto code = string(*c, pointer + "/error_code", "error_code")) out.error_code = std::move(*code);
    }
    if (const auto* s = fields.get("schema")) {
      if (auto flag = boolean(*s, pointer + "/schema", "schema")) out.schema = *flag;
    }
    return out;
  }

  std::vector<AllowedCheck> allow(const json& value, const std::string& pointer) {
    std::vector<AllowedCheck> out;
    if (!value.is_array()) {
      error(pointer, "allow must be a list of {check: NAME, reason: TEXT}");
      return out;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string at = pointer + "/" + std::to_string(i);
      const auto& entry = value[i];
      if (entry.is_string()) {
        error(at, "allow needs a reason: write {check: " + entry.get<std::string>() + ", reason: \"why it differs\"}");
        continue;
      }
      auto fields = mapping(at, {"check", "reason"}, {"check", "reason"});
      if (!fields.is_mapping()) continue;
      AllowedCheck a;
      if (const auto* c = fields.get("check")) {
        if (auto name = string(*c, at + "/check", "check")) {
          std::string known;
          for (auto n : kSpecCheckNames) known += (known.empty() ? "" : ", ") + std::string(n);
          if (!is_spec_check(*name)) error(at + "/check", "unknown spec check '" + *name + "' (known: " + known + ")");
          a.check = std::move(*name);
        }
      }
      if (const auto* r = fields.get("reason")) {
        if (auto reason = string(*r, at + "/reason", "reason")) a.reason = std::move(*reason);
      }
      out.push_back(std::move(a));
    }
    return out;
  }

  std::vector<SaveRule> save(const json& value, const std::string& pointer) {
    std::vector<SaveRule> out;
    if (!value.is_object()) {
      error(pointer, "save must be a mapping of variable names to a JSON Pointer, {header: NAME} or {pointer: P, regex: R}");
      return out;
    }
    for (const auto& [name, source] : members(value, pointer)) {
      const std::string at = spec::pointer_append(pointer, name);
      if (!is_variable_name(name) || name == "target") {
        key_error(at, "'" + name + "' cannot be a variable name (letters, digits and _; 'target' is the runner's)");
        continue;
      }
      SaveRule rule;
      rule.name = name;
      if (source->is_string()) {
        rule.where = source->get<std::string>();
        if (!is_json_pointer(rule.where)) error(at, "'" + rule.where + "' is not a JSON Pointer (write /field)");
        out.push_back(std::move(rule));
        continue;
      }
      if (!mapping(at, {"pointer", "header", "regex"}).is_mapping()) continue;
      const bool has_pointer = source->contains("pointer");
      const bool has_header = source->contains("header");
      if (has_pointer == has_header) {
        error(at, "save " + name + " needs exactly one of 'pointer' and 'header'");
        continue;
      }
      if (has_pointer) {
        if (auto p = string((*source)["pointer"], at + "/pointer", "pointer", true)) {
          if (!is_json_pointer(*p)) error(at + "/pointer", "'" + *p + "' is not a JSON Pointer (write /field)");
          rule.where = std::move(*p);
        }
      } else {
        rule.source = SaveRule::Source::header;
        if (auto h = string((*source)["header"], at + "/header", "header")) rule.where = std::move(*h);
      }
      if (source->contains("regex")) {
        if (auto r = string((*source)["regex"], at + "/regex", "regex")) {
          regex_syntax(*r, at + "/regex");
          rule.regex = std::move(*r);
        }
      }
      out.push_back(std::move(rule));
    }
    return out;
  }

  Step step(const std::string& pointer, const std::vector<NameValue>& default_headers, std::optional<int> default_timeout) {
    Step out;
    out.pointer = pointer;
    out.timeout_ms = default_timeout;
    auto fields =
        mapping(pointer, {"name", "tags", "timeout_ms", "request", "expect", "allow", "save"}, {"name", "request"});
    if (!fields.is_mapping()) return out;
    if (const auto* n = fields.get("name")) {
      if (auto name = string(*n, pointer + "/name", "name")) out.name = std::move(*name);
    }
    if (const auto* t = fields.get("tags")) out.tags = tags(*t, pointer + "/tags");
    if (const auto* t = fields.get("timeout_ms")) {
      if (auto ms = integer(*t, pointer + "/timeout_ms", "timeout_ms", 1, kMaxTimeoutMs)) out.timeout_ms = static_cast<int>(*ms);
    }
    if (fields.get("request") != nullptr) out.request = request(pointer + "/request");
    // Defaults first, unless the step sets the same header itself.
    std::vector<NameValue> headers;
    for (const auto& d : default_headers) {
      const bool overridden = std::any_of(out.request.headers.begin(), out.request.headers.end(),
                                          [&](const NameValue& h) { return spec::ascii::iequals(h.first, d.first); });
      if (!overridden) headers.push_back(d);
    }
    headers.insert(headers.end(), out.request.headers.begin(), out.request.headers.end());
    out.request.headers = std::move(headers);
    if (fields.get("expect") != nullptr) out.expect = expect(pointer + "/expect");
    if (const auto* a = fields.get("allow")) out.allow = allow(*a, pointer + "/allow");
    if (const auto* s = fields.get("save")) out.save = save(*s, pointer + "/save");
    return out;
  }

  ContractFile file(bool contracts_required = true) {
    ContractFile out;
    out.file = doc_.file();
    auto fields = contracts_required ? mapping("", {"variables", "defaults", "contracts"}, {"contracts"})
                                     : mapping("", {"variables", "defaults", "contracts"});
    if (!fields.is_mapping()) return out;
    if (const auto* v = fields.get("variables")) {
      if (!v->is_object()) {
        error("/variables", "variables must be a mapping of names to values");
      } else {
        for (const auto& [name, value] : members(*v, "/variables")) {
          const std::string at = spec::pointer_append("/variables", name);
          if (!is_variable_name(name) || name == "target") {
            key_error(at, "'" + name + "' cannot be a variable name (letters, digits and _; 'target' is the runner's)");
            continue;
          }
          if (auto bad = placeholders_in(*value); !bad) error(at, name + ": " + bad.error());
          out.variables.emplace_back(name, *value);
        }
      }
    }
    std::vector<NameValue> default_headers;
    std::vector<std::string> default_tags;
    std::optional<int> default_timeout;
    if (fields.get("defaults") != nullptr) {
      auto defaults = mapping("/defaults", {"headers", "tags", "timeout_ms"});
      if (defaults.is_mapping()) {
        if (const auto* h = defaults.get("headers")) {
          default_headers = name_values(*h, "/defaults/headers", "header", true);
        }
        if (const auto* t = defaults.get("tags")) default_tags = tags(*t, "/defaults/tags");
        if (const auto* t = defaults.get("timeout_ms")) {
          if (auto ms = integer(*t, "/defaults/timeout_ms", "timeout_ms", 1, kMaxTimeoutMs)) {
            default_timeout = static_cast<int>(*ms);
          }
        }
      }
    }
    const auto* contracts = fields.get("contracts");
    if (contracts == nullptr) return out;
    if (!contracts->is_array() || contracts->empty()) {
      error("/contracts", "contracts must be a non-empty list");
      return out;
    }
    spec::FirstSeen contract_names(doc_, "contract name");
    for (std::size_t i = 0; i < contracts->size(); ++i) {
      const std::string at = "/contracts/" + std::to_string(i);
      Contract contract;
      contract.pointer = at;
      contract.tags = default_tags;
      auto contract_fields = mapping(at, {"name", "tags", "steps"}, {"name", "steps"});
      if (!contract_fields.is_mapping()) continue;
      if (const auto* n = contract_fields.get("name")) {
        if (auto name = string(*n, at + "/name", "name")) {
          if (auto repeat = contract_names.repeat(*name, *name, at + "/name")) error(at + "/name", std::move(*repeat));
          contract.name = std::move(*name);
        }
      }
      if (const auto* t = contract_fields.get("tags")) {
        for (auto& tag : tags(*t, at + "/tags"))
          if (std::find(contract.tags.begin(), contract.tags.end(), tag) == contract.tags.end()) contract.tags.push_back(tag);
      }
      const auto* steps = contract_fields.get("steps");
      if (steps != nullptr && (!steps->is_array() || steps->empty())) {
        error(at + "/steps", "steps must be a non-empty list");
      } else if (steps != nullptr) {
        spec::FirstSeen step_names(doc_, "step name");
        for (std::size_t k = 0; k < steps->size(); ++k) {
          const std::string step_at = at + "/steps/" + std::to_string(k);
          Step s = step(step_at, default_headers, default_timeout);
          if (auto repeat = s.name.empty() ? std::nullopt : step_names.repeat(s.name, s.name, step_at + "/name"))
            error(step_at + "/name", std::move(*repeat));
          contract.steps.push_back(std::move(s));
        }
      }
      out.contracts.push_back(std::move(contract));
    }
    return out;
  }

 private:
  const spec::StructuredDocument& doc_;
};

}  // namespace

bool looks_like_contract_file(const nlohmann::json& root) { return root.is_object() && root.contains("contracts"); }

Result<ContractFile, spec::SourceErrors> load_contracts(const spec::StructuredDocument& document,
                                                        bool contracts_required) {
  Reader reader(document);
  ContractFile file = reader.file(contracts_required);
  if (!reader.errors.empty()) {
    spec::sort_by_position(reader.errors);
    return Err{std::move(reader.errors)};
  }
  file.source = std::make_shared<const spec::StructuredDocument>(document);
  return file;
}

Result<ContractFile, spec::SourceErrors> load_contracts(std::string_view text, std::string file) {
  auto document = spec::parse_structured(text, std::move(file));
  if (!document) return Err{spec::SourceErrors{document.error()}};
  return load_contracts(*document);
}

Result<ContractFile, spec::SourceErrors> load_contract_file(const std::string& path, bool contracts_required) {
  auto document = spec::load_structured_file(path);
  if (!document) return Err{spec::SourceErrors{document.error()}};
  return load_contracts(*document, contracts_required);
}

}  // namespace pbxmock::contracts
