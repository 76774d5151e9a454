#include "mock/spec_fallback.h"

#include <cmath>
#include <string>
#include <string_view>
#include <utility>

namespace pbxmock::mock {
namespace {

using nlohmann::json;

class Sampler {
 public:
  Sampler(const spec::OpenApiDocument& document, const SchemaSampleLimits& limits)
      : document_(document), limits_(limits) {}

  json sample(const json& schema, std::size_t depth) {
    if (depth > limits_.max_depth || ++nodes_ > limits_.max_nodes) return nullptr;
    if (schema.is_boolean()) return schema.get<bool>() ? json::object() : json();
    if (!schema.is_object()) return nullptr;
    if (const auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
      const json* target = document_.resolve_ref(ref->get_ref<const std::string&>());
      return target ? sample(*target, depth + 1) : json();
    }
    for (const char* key : {"example", "default", "const"}) {
      if (const auto it = schema.find(key); it != schema.end()) return *it;
    }
    if (const auto it = schema.find("examples"); it != schema.end() && it->is_array() && !it->empty()) {
      return it->front();
    }
    if (const auto it = schema.find("enum"); it != schema.end() && it->is_array() && !it->empty()) {
      return it->front();
    }
    if (const auto it = schema.find("allOf"); it != schema.end() && it->is_array()) return merge_all(*it, depth);
    for (const char* key : {"oneOf", "anyOf"}) {
      if (const auto it = schema.find(key); it != schema.end() && it->is_array() && !it->empty()) {
        return sample(it->front(), depth + 1);
      }
    }
    const std::string type = main_type(schema);
    if (type == "object" || (type.empty() && schema.contains("properties"))) return object(schema, depth);
    if (type == "array") return array(schema, depth);
    if (type == "string") return string(schema);
    if (type == "integer") return integer(schema);
    if (type == "number") return number(schema);
    if (type == "boolean") return false;
    if (type == "null") return nullptr;
    return json::object();  // no type at all: anything goes, an empty object is the least surprising
  }

 private:
  // The first non-null type of `type: [..]`, or the single one.
  static std::string main_type(const json& schema) {
    const auto it = schema.find("type");
    if (it == schema.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array()) {
      for (const auto& t : *it)
        if (t.is_string() && t.get_ref<const std::string&>() != "null") return t.get<std::string>();
    }
    return {};
  }

  json merge_all(const json& parts, std::size_t depth) {
    json merged = json::object();
    for (const auto& part : parts) {
      json value = sample(part, depth + 1);
      if (value.is_object()) {
        for (auto& [key, item] : value.items()) merged[key] = std::move(item);
      } else if (!value.is_null() && merged.empty()) {
        return value;  // allOf of scalars: the first one that says something
      }
    }
    return merged;
  }

  json object(const json& schema, std::size_t depth) {
    json out = json::object();
    const auto properties = schema.find("properties");
    if (properties == schema.end() || !properties->is_object()) return out;
    for (const auto& [name, property] : properties->items()) {
      if (property.is_object() && property.value("writeOnly", false)) continue;  // never in a response
      out[name] = sample(property, depth + 1);
    }
    return out;
  }

  json array(const json& schema, std::size_t depth) {
    json out = json::array();
    const auto items = schema.find("items");
    if (items == schema.end()) return out;
    std::size_t count = 1;
    if (const auto min = schema.find("minItems"); min != schema.end() && min->is_number_unsigned()) {
      count = std::max<std::size_t>(1, std::min<std::size_t>(min->get<std::size_t>(), 3));
    }
    for (std::size_t i = 0; i < count; ++i) out.push_back(sample(*items, depth + 1));
    return out;
  }

  static json string(const json& schema) {
    const std::string format = schema.value("format", "");
    std::string text = "string";
    if (format == "date-time") text = "2025-01-01T00:00:00Z";
    else if (format == "date") text = "2025-01-01";
    else if (format == "time") text = "00:00:00Z";
    else if (format == "email") text = "user@example.com";
    else if (format == "uri" || format == "url") text = "https://example.com/";
    else if (format == "uuid") text = "00000000-0000-4000-8000-000000000000";
    else if (format == "ipv4") text = "192.0.2.1";
    else if (format == "ipv6") text = "2001:db8::1";
    else if (format == "hostname" || format == "sip-domain") text = "pbx.example.com";
    else if (format == "portsip-username") text = "alice";
    else if (format == "byte") text = "c3RyaW5n";
    const auto min = schema.find("minLength");
    if (min != schema.end() && min->is_number_unsigned()) {
      const std::size_t wanted = std::min<std::size_t>(min->get<std::size_t>(), 1024);
      if (text.size() < wanted) text.append(wanted - text.size(), 'x');
    }
    const auto max = schema.find("maxLength");
    if (max != schema.end() && max->is_number_unsigned() && text.size() > max->get<std::size_t>()) {
      text.resize(max->get<std::size_t>());
    }
    return text;
  }

  // The smallest value the bounds allow, 0 when they allow it.
  static double lower_bound(const json& schema, double step) {
    double value = 0;
    if (const auto min = schema.find("minimum"); min != schema.end() && min->is_number()) {
      value = min->get<double>();
      if (const auto ex = schema.find("exclusiveMinimum"); ex != schema.end() && ex->is_boolean() && ex->get<bool>()) {
        value += step;
      }
    }
    if (const auto ex = schema.find("exclusiveMinimum"); ex != schema.end() && ex->is_number()) {
      value = ex->get<double>() + step;
    }
    return value;
  }

  static json integer(const json& schema) { return static_cast<std::int64_t>(std::ceil(lower_bound(schema, 1))); }
  static json number(const json& schema) { return lower_bound(schema, 0.5); }

  const spec::OpenApiDocument& document_;
  const SchemaSampleLimits& limits_;
  std::size_t nodes_ = 0;
};

bool is_json(std::string_view content_type) {
  return content_type.find("json") != std::string_view::npos;
}

// "200" is better than "201" is better than "2XX"; nullptr when there is no 2xx.
const spec::Response* success_response(const spec::Operation& operation) {
  const spec::Response* best = nullptr;
  for (const auto& response : operation.responses) {
    const std::string& s = response.status;
    if (s.size() != 3 || s[0] != '2') continue;
    if (!best || s < best->status) best = &response;  // digits sort before 'X'
  }
  return best;
}

int status_of(const spec::Response* response) {
  if (!response || response->status == "default") return 200;
  const std::string& s = response->status;
  if (s[1] == 'X' || s[1] == 'x') return 200;
  return std::stoi(s);
}

}  // namespace

json sample_from_schema(const spec::OpenApiDocument& document, const json& schema, const SchemaSampleLimits& limits) {
  return Sampler(document, limits).sample(schema, 0);
}

ApiResponse answer_from_spec(const spec::OpenApiDocument& document, const spec::Operation& operation) {
  const spec::Response* response = success_response(operation);
  if (!response) response = operation.find_response(200);  // "default"
  const int status = status_of(response);
  if (!response || response->content.empty() || status == 204) return ApiResponse::empty(status);

  const spec::MediaType* chosen = &response->content.front();
  for (const auto& media : response->content) {
    if (is_json(media.content_type)) {
      chosen = &media;
      break;
    }
  }
  ApiResponse answer;
  answer.status = status;
  answer.content_type = chosen->content_type;
  if (is_json(chosen->content_type)) {
    if (chosen->example) {
      answer.body = *chosen->example;
    } else if (chosen->schema) {
      answer.body = sample_from_schema(document, *chosen->schema);
    }
    if (answer.body.is_null()) return ApiResponse::empty(status);
    return answer;
  }
  // Text and binary answers: a string example is sent as it is, anything else as nothing.
  if (chosen->example && chosen->example->is_string()) answer.raw_body = chosen->example->get<std::string>();
  return answer;
}

std::shared_ptr<const ApiResponse> SpecFallback::answer(const spec::Operation& operation) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto it = answers_.find(&operation); it != answers_.end()) return it->second;
  }
  // Built outside the lock: two threads may build the same answer once each, which is harmless.
  auto built = std::make_shared<const ApiResponse>(answer_from_spec(document_, operation));
  std::lock_guard<std::mutex> lock(mutex_);
  return answers_.emplace(&operation, std::move(built)).first->second;
}

}  // namespace pbxmock::mock
