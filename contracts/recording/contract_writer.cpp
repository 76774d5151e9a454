#include "contracts/recording/contract_writer.h"

#include <algorithm>
#include <map>
#include <set>

#include <yaml-cpp/yaml.h>

#include "spec/ascii.h"
#include "spec/media_type.h"
#include "spec/request_view.h"
#include "spec/secret_names.h"
#include "spec/structured_document.h"
#include "spec/url_encoding.h"

namespace pbxmock::contracts::recording {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDepth = 4;
constexpr std::size_t kMaxMembers = 64;

// String members whose value is the same wherever the recording is replayed against the
// same server; every other string is expected by its kind only.
bool is_stable_key(std::string_view key) {
  static constexpr std::string_view kStable[] = {"role", "token_type", "domain", "web_domain", "name"};
  for (const auto k : kStable)
    if (k == key) return true;
  return false;
}

// A literal as the contract format reads it: "${" would start a placeholder.
std::string literal(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) out += '$';
    out += text[i];
  }
  return out;
}

// A saved token's variable, named after the answer's member: a contract variable is letters,
// digits and _, begins with no digit and is not `target`, and a member's name may be anything.
std::string save_name(std::string_view key) {
  std::string out;
  for (const char c : key) out += spec::ascii::is_alnum(c) ? c : '_';
  if (out.empty() || spec::ascii::is_digit(out[0]) || out == "target") out.insert(0, "token_");
  return out;
}

// A string from the recording, read back as that string: yaml-cpp quotes what YAML would take
// for null, but not "404", "1e5", ".inf" or "TRUE", which the loader's core schema reads as a
// number or a boolean.
void emit_string(YAML::Emitter& out, const std::string& text) {
  const std::string lower = spec::ascii::lower(text);
  const bool other_kind = text.empty() || std::string_view("0123456789+-.").find(text[0]) != std::string_view::npos ||
                          lower == "true" || lower == "false" || lower == "null" || lower == "~";
  if (other_kind) out << YAML::DoubleQuoted;
  out << text;
}

std::string regex_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

void emit_json(YAML::Emitter& out, const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key << key << YAML::Value;
        emit_json(out, item);
      }
      out << YAML::EndMap;
      break;
    case json::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& item : value) emit_json(out, item);
      out << YAML::EndSeq;
      break;
    case json::value_t::string: out << YAML::DoubleQuoted << value.get<std::string>(); break;
    case json::value_t::boolean: out << value.get<bool>(); break;
    case json::value_t::number_integer: out << value.get<long long>(); break;
    case json::value_t::number_unsigned: out << value.get<unsigned long long>(); break;
    case json::value_t::number_float: out << value.get<double>(); break;
    default: out << YAML::Null; break;
  }
}

std::string type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    default: return "null";
  }
}

// What the steps of one contract share while it is written.
class SessionWriter {
 public:
  SessionWriter(const std::vector<Exchange>& all, const SessionContract& session, const SpecChecker& checker,
                EnvSecrets& secrets)
      : all_(all), session_(session), checker_(checker), secrets_(secrets) {
    plan_saves();
  }

  std::string write() {
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::Comment("Recorded by pbxmock. Secrets are not in this file: they come from the environment "
                         "(${env.NAME}) or from earlier answers (save:).");
    out << YAML::BeginMap << YAML::Key << "contracts" << YAML::Value << YAML::BeginSeq;
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << literal(session_.name);
    out << YAML::Key << "tags" << YAML::Value << YAML::Flow << std::vector<std::string>{"recorded"};
    out << YAML::Key << "steps" << YAML::Value << YAML::BeginSeq;
    for (std::size_t n = 0; n < session_.exchanges.size(); ++n) write_step(out, n);
    out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
  }

 private:
  // Which issued tokens a later request of the session sends, and the name each is saved as.
  void plan_saves() {
    std::map<std::string, std::size_t> issuer;  // token value -> position in the session
    std::set<std::string> names;
    std::map<std::string, int> next_suffix;  // base name -> the last suffix used (0: none yet)
    for (std::size_t n = 0; n < session_.exchanges.size(); ++n) {
      const Exchange& e = all_[session_.exchanges[n]];
      for (const std::string& value : request_strings(e.request)) {
        const auto it = issuer.find(value);
        if (it == issuer.end() || saved_.count(value)) continue;
        const std::string base = save_name(token_keys_[value]);
        int& k = next_suffix[base];  // resumed, not searched from 2 again for every token of one key
        std::string name = k == 0 ? base : base + "_" + std::to_string(k);
        while (names.count(name)) name = base + "_" + std::to_string(k = std::max(k, 1) + 1);
        names.insert(name);
        saved_[value] = name;
        saves_[it->second].push_back({name, token_pointers_[value]});
      }
      for (const IssuedToken& t : issued_tokens(e.response)) {
        issuer.emplace(t.value, n);
        token_keys_.emplace(t.value, t.key);
        token_pointers_.emplace(t.value, t.pointer);
      }
    }
  }

  // A request's string, with a secret replaced by its placeholder.
  std::string value_of(std::string_view field, const std::string& value, bool secret) {
    if (const auto it = saved_.find(value); it != saved_.end()) return "${" + it->second + "}";
    if (secret) return secrets_.placeholder(field, value);
    if (auto known = secrets_.known(value)) return *known;
    return literal(value);
  }

  bool holds_known_secret(const std::string& text) const {
    for (const auto& [value, name] : saved_)
      if (text.find(value) != std::string::npos) return true;
    for (const auto& [value, key] : token_keys_)
      if (text.find(value) != std::string::npos) return true;
    return secrets_.appears_in(text);
  }

  json request_json(const json& value, std::string_view key) {
    if (value.is_object()) {
      json out = json::object();
      // Keys too: the loader reads "${" in a json body's keys as a placeholder.
      for (const auto& [k, item] : value.items()) out[literal(k)] = request_json(item, k);
      return out;
    }
    if (value.is_array()) {
      json out = json::array();
      for (const auto& item : value) out.push_back(request_json(item, key));
      return out;
    }
    if (value.is_string()) {
      const bool secret = spec::is_secret_name(key) || spec::is_one_time_code(key, value);
      return value_of(key, value.get<std::string>(), secret);
    }
    return value;
  }

  // Query parameters or form fields as a mapping: a name sent more than once (a=1&a=2) is one
  // key with the list of its values, as the contract format reads it (a key twice is an error).
  template <typename Written>
  static void write_name_values(YAML::Emitter& out, const std::vector<std::pair<std::string, std::string>>& pairs,
                                Written&& written) {
    std::vector<std::pair<std::string, std::vector<std::string>>> grouped;  // in the order first sent
    std::map<std::string, std::size_t> position;
    for (const auto& [name, value] : pairs) {
      const auto [it, added] = position.emplace(name, grouped.size());
      if (added) grouped.push_back({name, {}});
      grouped[it->second].second.push_back(written(name, value));
    }
    out << YAML::BeginMap;
    for (const auto& [name, values] : grouped) {
      out << YAML::Key << name << YAML::Value;
      if (values.size() == 1) {
        out << YAML::DoubleQuoted << values.front();
      } else {
        out << YAML::Flow << YAML::BeginSeq;
        for (const auto& value : values) out << YAML::DoubleQuoted << value;
        out << YAML::EndSeq;
      }
    }
    out << YAML::EndMap;
  }

  void write_request(YAML::Emitter& out, const ExchangeRequest& request) {
    out << YAML::Key << "request" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "method" << YAML::Value;
    emit_string(out, request.method);
    const auto split = spec::split_target(request.target);
    auto query = spec::parse_url_encoded(split.query);
    out << YAML::Key << "path" << YAML::Value
        << literal(std::string(query ? split.path : std::string_view(request.target)));
    if (query && !query->empty()) {
      out << YAML::Key << "query" << YAML::Value;
      write_name_values(out, *query, [&](const std::string& name, const std::string& value) {
        return value_of(name, value, spec::is_secret_name(name));
      });
    }
    std::vector<std::pair<std::string, std::string>> headers;
    std::set<std::string> seen;  // lower case
    for (const auto& [name, value] : request.headers) {
      // A contract sends one value per header: a repeated one is written as first sent.
      if (!seen.insert(spec::ascii::lower(name)).second) continue;
      if (spec::ascii::iequals(name, "Authorization")) {
        const auto token = bearer_token(request);
        headers.emplace_back("Authorization", token ? "Bearer " + value_of("bearer_token", *token, true)
                                                    : value_of("authorization", value, true));
      } else if (name.size() > 2 && spec::ascii::iequals(name.substr(0, 2), "x-") && spec::is_token(name)) {
        // (A name that is no token, which a HAR can hold, is no header a contract can send.)
        headers.emplace_back(name, value_of(name, value, spec::is_secret_name(name)));
      }
    }
    if (!headers.empty()) {
      out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
      for (const auto& [name, value] : headers) out << YAML::Key << name << YAML::Value << YAML::DoubleQuoted << value;
      out << YAML::EndMap;
    }
    const RequestBody body = read_request_body(request);
    switch (body.kind) {
      case RequestBody::Kind::none: break;
      case RequestBody::Kind::json:
        out << YAML::Key << "json" << YAML::Value;
        emit_json(out, request_json(body.json, ""));
        break;
      case RequestBody::Kind::form:
        out << YAML::Key << "form" << YAML::Value;
        write_name_values(out, body.form, [&](const std::string& name, const std::string& value) {
          return value_of(name, value, spec::is_secret_name(name) || spec::is_one_time_code(name, value));
        });
        break;
      case RequestBody::Kind::raw:
        // Not JSON nor a form: its secrets cannot be found by name, so a body that holds a
        // secret or token seen anywhere in the session comes whole from the environment.
        out << YAML::Key << "body" << YAML::Value << YAML::DoubleQuoted
            << (holds_known_secret(request.body) ? secrets_.placeholder("body", request.body) : literal(request.body));
        if (!body.content_type.empty()) {
          out << YAML::Key << "content_type" << YAML::Value;
          emit_string(out, literal(body.content_type));
        }
        break;
    }
    out << YAML::EndMap;
  }

  void expect_members(const json& value, const std::string& pointer, std::string_view key, std::size_t depth,
                      std::vector<std::pair<std::string, json>>& out) {
    if (out.size() >= kMaxMembers) return;
    if (value.is_object() && depth < kMaxDepth && !value.empty()) {
      for (const auto& [k, item] : value.items()) expect_members(item, spec::pointer_append(pointer, k), k, depth + 1, out);
      return;
    }
    // A stable name wins over a secret-looking one ("token_type"), but never over a secret's value.
    const bool secret_value = value.is_string() && (saved_.count(value.get<std::string>()) ||
                                                    token_keys_.count(value.get<std::string>()) ||
                                                    secrets_.known(value.get<std::string>()));
    const bool secret = secret_value || (!is_stable_key(key) && (spec::is_secret_name(key) || spec::is_one_time_code(key, value)));
    if (value.is_boolean() || (value.is_string() && is_stable_key(key) && !secret)) {
      out.emplace_back(pointer, value.is_string() ? json(literal(value.get<std::string>())) : value);
    } else {
      out.emplace_back(pointer, json{{"type", type_name(value)}});
    }
  }

  void write_expect(YAML::Emitter& out, const ExchangeResponse& response) {
    out << YAML::Key << "expect" << YAML::Value << YAML::BeginMap;
    // A HAR says 0 for a request that got no answer (blocked, aborted), and a recording may
    // hold any number; a contract expects only an HTTP status, so the step then expects none.
    if (response.status >= 100 && response.status <= 599) {
      out << YAML::Key << "status" << YAML::Value << response.status;
    }
    std::string type;
    for (const auto& [name, value] : response.headers)
      if (spec::ascii::iequals(name, "Content-Type")) type = value;
    const auto media = spec::parse_media_type(type);
    if (!response.body.empty() && media) {
      out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap << YAML::Key << "Content-Type" << YAML::Value
          << YAML::Flow << YAML::BeginMap << YAML::Key << "regex" << YAML::Value << YAML::DoubleQuoted
          << "^" + regex_escape(media->type) << YAML::EndMap << YAML::EndMap;
    }
    const json body = parse_json_body(response.body);
    const json* code = body.is_object() ? spec::resolve_pointer(body, "/errors/0/code") : nullptr;
    if (response.status >= 400 && code != nullptr && code->is_string() && !code->get_ref<const std::string&>().empty()) {
      out << YAML::Key << "error_code" << YAML::Value;
      emit_string(out, literal(code->get<std::string>()));
    } else if (body.is_object() && !body.empty()) {
      std::vector<std::pair<std::string, json>> members;
      expect_members(body, "", "", 0, members);
      out << YAML::Key << "body" << YAML::Value << YAML::BeginMap;
      for (const auto& [pointer, expected] : members) {
        out << YAML::Key << YAML::DoubleQuoted << pointer << YAML::Value;
        if (expected.is_object()) out << YAML::Flow;
        emit_json(out, expected);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }

  void write_step(YAML::Emitter& out, std::size_t n) {
    const Exchange& e = all_[session_.exchanges[n]];
    const std::string_view path = spec::split_target(e.request.target).path;
    const OperationLookup found = checker_.lookup(e.request.method, path);
    std::string name = std::to_string(n + 1) + " " + e.request.method + " " + std::string(path);
    if (found.kind == OperationLookup::Kind::found && !found.operation->operation_id.empty()) {
      name += " (" + found.operation->operation_id + ")";
    }
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << literal(name);
    write_request(out, e.request);
    write_expect(out, e.response);
    if (const auto it = saves_.find(n); it != saves_.end()) {
      out << YAML::Key << "save" << YAML::Value << YAML::BeginMap;
      for (const auto& [save_name, pointer] : it->second) out << YAML::Key << save_name << YAML::Value << pointer;
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }

  const std::vector<Exchange>& all_;
  const SessionContract& session_;
  const SpecChecker& checker_;
  EnvSecrets& secrets_;
  std::map<std::string, std::string> saved_;  // token value -> saved variable
  std::map<std::size_t, std::vector<std::pair<std::string, std::string>>> saves_;  // step -> (name, pointer)
  std::map<std::string, std::string> token_keys_;
  std::map<std::string, std::string> token_pointers_;
};

}  // namespace

std::string write_session_contract(const std::vector<Exchange>& all, const SessionContract& session,
                                   const SpecChecker& checker, EnvSecrets& secrets) {
  return SessionWriter(all, session, checker, secrets).write();
}

}  // namespace pbxmock::contracts::recording
