#include "contracts/fuzzing/links.h"

#include <algorithm>

#include "contracts/fuzzing/operation_name.h"
#include "contracts/fuzzing/runtime_expression.h"
#include "spec/ascii.h"
#include "spec/structured_document.h"

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

// Every string in a link value that holds an expression must parse; the first that does not is the problem.
std::optional<std::string> bad_expression(const json& value) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (!has_runtime_expression(text)) return std::nullopt;
    auto parsed = parse_expression_template(text);
    if (parsed) return std::nullopt;
    return "'" + text + "': " + parsed.error().reason + " (at offset " + std::to_string(parsed.error().offset) + ")";
  }
  if (value.is_structured()) {
    for (const auto& item : value) {
      if (auto problem = bad_expression(item)) return problem;
    }
  }
  return std::nullopt;
}

const spec::Operation* operation_at(const spec::OpenApiDocument& document, std::string_view ref) {
  if (ref.empty() || ref.front() != '#') return nullptr;  // another document: not followed
  const json* target = document.resolve_ref(ref);
  for (const auto& operation : document.operations()) {
    if (spec::resolve_pointer(document.root(), operation.pointer) == target && target != nullptr) return &operation;
  }
  return nullptr;
}

std::optional<Link> read_link(const spec::OpenApiDocument& document, const std::string& name, const json& written,
                              std::string pointer, std::vector<std::string>& problems) {
  const json* value = &written;
  for (int hops = 0; hops < 8 && value->is_object() && value->contains("$ref"); ++hops) {
    const json& ref = (*value)["$ref"];
    const json* next = ref.is_string() ? document.resolve_ref(ref.get<std::string>()) : nullptr;
    if (next == nullptr) {
      problems.push_back(pointer + ": the link's $ref does not resolve in this document");
      return std::nullopt;
    }
    pointer = ref.get<std::string>().substr(1);
    value = next;
  }
  if (!value->is_object()) {
    problems.push_back(pointer + ": a link must be a mapping");
    return std::nullopt;
  }
  Link link;
  link.name = name;
  link.pointer = pointer;
  if (const auto id = value->find("operationId"); id != value->end()) {
    link.target = id->is_string() ? document.find_operation(id->get<std::string>()) : nullptr;
    if (link.target == nullptr) {
      problems.push_back(pointer + ": operationId " + id->dump() + " names no operation of this document");
      return std::nullopt;
    }
  } else if (const auto ref = value->find("operationRef"); ref != value->end()) {
    link.target = ref->is_string() ? operation_at(document, ref->get<std::string>()) : nullptr;
    if (link.target == nullptr) {
      problems.push_back(pointer + ": operationRef " + ref->dump() + " is not an operation of this document (only local '#/paths/...' references are followed)");
      return std::nullopt;
    }
  } else {
    problems.push_back(pointer + ": a link needs operationId or operationRef");
    return std::nullopt;
  }
  if (const auto parameters = value->find("parameters"); parameters != value->end()) {
    if (!parameters->is_object()) {
      problems.push_back(pointer + "/parameters: must be a mapping of parameter names to values");
      return std::nullopt;
    }
    for (const auto& [key, item] : parameters->items()) link.parameters.emplace_back(key, item);
  }
  if (const auto body = value->find("requestBody"); body != value->end()) link.request_body = *body;
  for (const auto& [key, item] : link.parameters) {
    if (auto problem = bad_expression(item)) {
      problems.push_back(spec::pointer_append(pointer + "/parameters", key) + ": " + *problem);
      return std::nullopt;
    }
  }
  if (link.request_body) {
    if (auto problem = bad_expression(*link.request_body)) {
      problems.push_back(pointer + "/requestBody: " + *problem);
      return std::nullopt;
    }
  }
  return link;
}

// Fills link values into a generated request. Each expression becomes a save of the step
// before (evaluated on its answer) and a ${LINKn} placeholder here.
class LinkFiller {
 public:
  LinkFiller(Step& from, RequestParts& to, const Link& link, std::size_t& counter)
      : from_(from), to_(to), link_(link), counter_(counter) {}

  // The text to put in the request for a link value.
  std::string text(const json& value) {
    if (value.is_string()) {
      const std::string& written = value.get_ref<const std::string&>();
      if (!has_runtime_expression(written)) return written;
      const std::string name = "LINK" + std::to_string(++counter_);
      from_.saves.push_back({name, {}, false, written, link_.status});
      return "${" + name + "}";
    }
    return value.dump();
  }

  json body_value(const json& value) {
    if (value.is_string()) return text(value);
    if (value.is_structured()) {
      json out = value;
      for (auto& item : out) item = body_value(item);
      return out;
    }
    return value;
  }

  // Merges the link's object over the generated one, member by member.
  static void merge(json& into, const json& over) {
    for (const auto& [key, item] : over.items()) {
      if (item.is_object() && into.contains(key) && into[key].is_object()) {
        merge(into[key], item);
      } else {
        into[key] = item;
      }
    }
  }

  bool fill_parameters(bool& sets_authorization) {
    for (const auto& [key, value] : link_.parameters) {
      std::string in;
      std::string name = key;
      const std::size_t dot = key.find('.');
      if (dot != std::string::npos) {
        const std::string prefix = key.substr(0, dot);
        if (prefix == "path" || prefix == "query" || prefix == "header" || prefix == "cookie") {
          in = prefix;
          name = key.substr(dot + 1);
        }
      }
      if (in.empty()) {
        for (const auto& parameter : link_.target->parameters) {
          if (parameter.name == name) in = parameter.in;
        }
      }
      if (in.empty() || in == "cookie") continue;  // not a parameter of the target: nothing to fill
      const std::string filled = text(value);
      auto& list = in == "path" ? to_.path_params : in == "query" ? to_.query : to_.headers;
      auto same = std::find_if(list.begin(), list.end(), [&](const auto& entry) {
        return in == "header" ? spec::ascii::iequals(entry.first, name) : entry.first == name;
      });
      if (same != list.end()) {
        same->second = filled;
      } else {
        list.emplace_back(name, filled);
      }
      if (in == "header" && spec::ascii::iequals(name, "Authorization")) sets_authorization = true;
    }
    return true;
  }

  void fill_body() {
    if (!link_.request_body) return;
    const json& body = *link_.request_body;
    if (body.is_string() && !body.get_ref<const std::string&>().empty() && body.get_ref<const std::string&>().front() == '$') {
      to_.encoding = BodyEncoding::raw;
      to_.raw_body = text(body);
      if (to_.content_type.empty()) to_.content_type = "application/json";
      return;
    }
    json value = body_value(body);
    if (value.is_object() && to_.body.is_object() &&
        (to_.encoding == BodyEncoding::json || to_.encoding == BodyEncoding::form)) {
      merge(to_.body, value);
      return;
    }
    to_.body = std::move(value);
    if (to_.encoding != BodyEncoding::form) {
      to_.encoding = BodyEncoding::json;
      to_.content_type = "application/json";
    }
  }

 private:
  Step& from_;
  RequestParts& to_;
  const Link& link_;
  std::size_t& counter_;
};

}  // namespace

std::size_t DocumentLinks::count() const {
  std::size_t n = 0;
  for (const auto& links : by_operation) n += links.size();
  return n;
}

DocumentLinks read_links(const spec::OpenApiDocument& document) {
  DocumentLinks out;
  for (const auto& operation : document.operations()) {
    out.by_operation.emplace_back();
    for (const auto& response : operation.responses) {
      const json* object = spec::resolve_pointer(document.root(), response.pointer);
      if (object == nullptr || !object->is_object() || !object->contains("links")) continue;
      const json& links = (*object)["links"];
      const std::string at = response.pointer + "/links";
      if (!links.is_object()) {
        out.problems.push_back(at + ": must be a mapping of link names to links");
        continue;
      }
      for (const auto& [name, value] : links.items()) {
        if (name.rfind("x-", 0) == 0) continue;
        auto link = read_link(document, name, value, spec::pointer_append(at, name), out.problems);
        if (!link) continue;
        link->status = response.status;
        out.by_operation.back().push_back(std::move(*link));
      }
    }
  }
  return out;
}

std::optional<FuzzCase> build_link_case(const CaseBuilder& builder, const spec::OpenApiDocument& document,
                                        const DocumentLinks& links, const SessionPlan& session,
                                        const spec::Operation& source, std::size_t example, Random& random,
                                        std::size_t max_links) {
  const auto index_of = [&](const spec::Operation& operation) {
    return static_cast<std::size_t>(&operation - document.operations().data());
  };
  if (links.by_operation.size() != document.operations().size() || links.by_operation[index_of(source)].empty()) {
    return std::nullopt;
  }
  auto first = builder.positive(source, random);
  if (!first) return std::nullopt;
  // Generated credentials are seldom right, and a link from a sign-in needs its success: half
  // of the time the sequence starts with the run's own sign-in body where it fits the source.
  if (!session.sign_in.empty() && random.chance(0.5)) {
    const RequestParts& known = session.sign_in.back().parts;
    RequestParts candidate = *first;
    candidate.body = known.body;
    if (known.encoding == first->encoding && known.body.is_object() && builder.valid(source, candidate)) first = std::move(candidate);
  }
  FuzzCase out;
  out.example = example;
  bool needs_session = false;
  std::vector<Step> steps;
  Step step;
  step.operation_id = operation_name(source);
  step.intent = Intent::positive;
  step.parts = std::move(*first);
  if (source.requires_auth && !session.sign_in.empty()) {
    needs_session = true;
    step.parts.headers.emplace_back("Authorization", "Bearer ${ACCESS_TOKEN}");
  }
  steps.push_back(std::move(step));
  std::size_t counter = 0;
  const spec::Operation* current = &source;
  for (std::size_t followed = 0; followed < max_links; ++followed) {
    const auto& choices = links.by_operation[index_of(*current)];
    if (choices.empty() || (followed > 0 && random.chance(0.4))) break;
    const Link& link = choices[random.below(choices.size())];
    auto parts = builder.positive(*link.target, random);
    if (!parts) break;
    Step next;
    next.operation_id = operation_name(*link.target);
    next.intent = Intent::positive;
    next.parts = std::move(*parts);
    next.parts.headers.erase(std::remove_if(next.parts.headers.begin(), next.parts.headers.end(),
                                            [](const auto& h) { return spec::ascii::iequals(h.first, "Authorization"); }),
                             next.parts.headers.end());
    bool sets_authorization = false;
    LinkFiller filler(steps.back(), next.parts, link, counter);
    filler.fill_parameters(sets_authorization);
    filler.fill_body();
    if (link.target->requires_auth && !sets_authorization && !session.sign_in.empty()) {
      needs_session = true;
      next.parts.headers.emplace_back("Authorization", "Bearer ${ACCESS_TOKEN}");
    }
    next.link = operation_name(*current) + " " + link.status + " -> " + next.operation_id + " (" + link.name + ")";
    steps.push_back(std::move(next));
    current = link.target;
  }
  if (steps.size() < 2) return std::nullopt;
  if (needs_session) out.steps = session.sign_in;
  for (Step& s : steps) out.steps.push_back(std::move(s));
  out.operation_id = out.steps.back().operation_id;
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
