#include "contracts/expectations.h"

#include <cmath>

#include "spec/openapi.h"
#include "spec/safe_regex.h"

namespace pbxmock::contracts {
namespace {

constexpr std::size_t kShowLimit = 160;

std::string type_name(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "integer";
    case nlohmann::json::value_t::number_float: return "number";
    case nlohmann::json::value_t::string: return "string";
    case nlohmann::json::value_t::array: return "array";
    case nlohmann::json::value_t::object: return "object";
    default: return "value";
  }
}

bool has_type(const nlohmann::json& v, const std::string& type) {
  if (type == "number") return v.is_number();
  if (type == "integer") {
    // As JSON Schema sees it: 3.0 is an integer too.
    return v.is_number_integer() || (v.is_number_float() && std::isfinite(v.get<double>()) &&
                                     std::floor(v.get<double>()) == v.get<double>());
  }
  return type_name(v) == type;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string show_seen(const nlohmann::json* value) { return value == nullptr ? "absent" : show(*value); }

Failure fail(const std::string& subject, std::string expected, const nlohmann::json* seen) {
  return {subject, std::move(expected), show_seen(seen)};
}

bool regex_search(const std::string& pattern, const std::string& subject, std::string& error) {
  const auto compiled = spec::SafeRegex::compile(pattern);
  if (!compiled) {
    error = "an invalid regex (" + compiled.error() + ")";
    return false;
  }
  return compiled->search(subject);
}

const std::string* error_code_of(const Response& r) {
  if (!r.json) return nullptr;
  const auto* code = spec::resolve_pointer(*r.json, "/errors/0/code");
  return code != nullptr && code->is_string() ? &code->get_ref<const std::string&>() : nullptr;
}

std::string describe_body(const Response& r) {
  if (r.body.empty()) return "an empty body";
  const std::string* type = r.header("Content-Type");
  return "a body that is not JSON (" + std::to_string(r.body.size()) + " bytes" + (type ? " of " + *type : "") + ")";
}

}  // namespace

std::string show(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kShowLimit) text = text.substr(0, kShowLimit) + "...";
  if (!value.is_string() && !value.is_null() && !value.is_boolean()) text += " (" + type_name(value) + ")";
  return text;
}

std::string Failure::to_string() const { return subject + ": expected " + expected + ", seen " + seen; }

std::string describe_status(const StatusExpectation& status) {
  std::vector<std::string> parts;
  for (int code : status.codes) parts.push_back(std::to_string(code));
  for (int cls : status.classes) parts.push_back(std::to_string(cls) + "xx");
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += (i + 1 == parts.size()) ? " or " : ", ";
    out += parts[i];
  }
  return out;
}

std::optional<Failure> check_matcher(const Matcher& m, const nlohmann::json* value, const std::string& subject) {
  using Kind = Matcher::Kind;
  switch (m.kind) {
    case Kind::present:
      if (value == nullptr) return fail(subject, "present", value);
      return std::nullopt;
    case Kind::absent:
      if (value != nullptr) return fail(subject, "absent", value);
      return std::nullopt;
    case Kind::equals:
      if (value == nullptr || *value != m.expected) return fail(subject, show(m.expected), value);
      return std::nullopt;
    case Kind::not_equals:
      if (value == nullptr) return fail(subject, "a value other than " + show(m.expected), value);
      if (*value == m.expected) return Failure{subject, "a value other than " + show(m.expected), "that same value"};
      return std::nullopt;
    case Kind::type: {
      const std::string wanted = m.expected.is_string() ? m.expected.get<std::string>() : m.expected.dump();
      if (value == nullptr || !has_type(*value, wanted)) return fail(subject, wanted, value);
      return std::nullopt;
    }
    case Kind::regex: {
      const std::string pattern = render_as_text(m.expected);
      const std::string expected = "a string matching /" + pattern + "/";
      if (value == nullptr || !value->is_string()) return fail(subject, expected, value);
      std::string error;
      if (!regex_search(pattern, value->get_ref<const std::string&>(), error)) {
        return Failure{subject, expected, error.empty() ? show(*value) : error};
      }
      return std::nullopt;
    }
    case Kind::length: {
      const std::string expected = "length " + m.expected.dump();
      if (value == nullptr) return fail(subject, expected, value);
      std::size_t length = 0;
      if (value->is_string()) {
        length = code_points(value->get_ref<const std::string&>());
      } else if (value->is_array() || value->is_object()) {
        length = value->size();
      } else {
        return fail(subject, expected + " (of a string, array or object)", value);
      }
      if (!m.expected.is_number_integer() || m.expected.get<long long>() < 0 ||
          static_cast<unsigned long long>(m.expected.get<long long>()) != length) {
        return Failure{subject, expected, "length " + std::to_string(length) + ": " + show(*value)};
      }
      return std::nullopt;
    }
    case Kind::contains: {
      const std::string expected = "a value containing " + show(m.expected);
      if (value == nullptr) return fail(subject, expected, value);
      if (value->is_string()) {
        if (value->get_ref<const std::string&>().find(render_as_text(m.expected)) == std::string::npos) {
          return fail(subject, expected, value);
        }
        return std::nullopt;
      }
      if (value->is_array()) {
        for (const auto& element : *value)
          if (element == m.expected) return std::nullopt;
      }
      return fail(subject, expected, value);
    }
  }
  return std::nullopt;
}

std::vector<Failure> check_expectations(const Expectations& expect, const Response& r) {
  std::vector<Failure> out;
  if (expect.status) {
    bool ok = false;
    for (int code : expect.status->codes) ok = ok || code == r.status;
    for (int cls : expect.status->classes) ok = ok || r.status / 100 == cls;
    if (!ok) {
      std::string seen = std::to_string(r.status);
      // The server's own reason saves a trip to the curl command.
      if (const auto* code = error_code_of(r)) {
        seen += " " + *code;
        const auto* message = spec::resolve_pointer(*r.json, "/errors/0/message");
        if (message != nullptr && message->is_string()) seen += " (" + show(*message) + ")";
      }
      out.push_back({"status", describe_status(*expect.status), seen});
    }
  }
  for (const auto& h : expect.headers) {
    const std::string* raw = r.header(h.name);
    const nlohmann::json value = raw ? nlohmann::json(*raw) : nlohmann::json();
    for (const auto& m : h.matchers)
      if (auto f = check_matcher(m, raw ? &value : nullptr, "header " + h.name)) out.push_back(std::move(*f));
  }
  for (const auto& b : expect.body) {
    const std::string subject = "body " + (b.pointer.empty() ? std::string("(whole)") : b.pointer);
    if (!r.json) {
      // Without a JSON body every member is absent: only `absent` can hold.
      for (const auto& m : b.matchers)
        if (m.kind != Matcher::Kind::absent) out.push_back({subject, "a JSON body", describe_body(r)});
      continue;
    }
    const nlohmann::json* value = spec::resolve_pointer(*r.json, b.pointer);
    for (const auto& m : b.matchers)
      if (auto f = check_matcher(m, value, subject)) out.push_back(std::move(*f));
  }
  if (!expect.text.empty()) {
    const nlohmann::json text = r.body;  // as a JSON string, so the matchers apply unchanged
    for (const auto& m : expect.text)
      if (auto f = check_matcher(m, &text, "text")) out.push_back(std::move(*f));
  }
  if (expect.error_code) {
    const std::string* code = error_code_of(r);
    if (code == nullptr) {
      out.push_back({"error code", *expect.error_code,
                     r.json ? "no errors[0].code in " + show(*r.json) : describe_body(r)});
    } else if (*code != *expect.error_code) {
      out.push_back({"error code", *expect.error_code, *code});
    }
  }
  return out;
}

Result<Expectations, std::string> substitute_expectations(const Expectations& expect, const Variables& variables) {
  Expectations out = expect;
  const auto substitute_matchers = [&](std::vector<Matcher>& matchers) -> std::optional<std::string> {
    for (auto& m : matchers) {
      auto value = variables.substitute_json(m.expected);
      if (!value) return value.error();
      m.expected = std::move(value.value());
    }
    return std::nullopt;
  };
  for (auto& h : out.headers)
    if (auto error = substitute_matchers(h.matchers)) return Err{"header " + h.name + ": " + *error};
  for (auto& b : out.body)
    if (auto error = substitute_matchers(b.matchers)) return Err{"body " + b.pointer + ": " + *error};
  if (auto error = substitute_matchers(out.text)) return Err{"text: " + *error};
  if (out.error_code) {
    auto code = variables.substitute(*out.error_code);
    if (!code) return Err{"error_code: " + code.error()};
    out.error_code = std::move(code.value());
  }
  return out;
}

}  // namespace pbxmock::contracts
