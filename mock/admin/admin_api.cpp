#include "mock/admin/admin_api.h"

#include <charconv>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "mock/admin/ui_page.h"
#include "mock/scenario/scenario_loader.h"
#include "mock/text.h"
#include "spec/api_error.h"
#include "spec/ascii.h"
#include "spec/media_type.h"

namespace pbxmock::mock {
namespace {

using nlohmann::json;

ApiResponse method_not_allowed(std::vector<std::string> allow) {
  return ApiResponse::error(spec::method_not_allowed(std::move(allow)));
}

const std::string* query_value(const spec::NameValuePairs& query, std::string_view name) {
  for (const auto& [key, value] : query)
    if (key == name) return &value;
  return nullptr;
}

// A JSON object body (the view's, under the API's size and depth limits), or the 400 that
// says why it is not one.
Result<const json*, ApiResponse> json_object_body(const spec::RequestView& request) {
  const spec::JsonBody& body = request.json_body();
  if (body.state == spec::JsonBody::State::too_deep) {
    return Err{ApiResponse::error(spec::validation_failed("body", "maxDepth", request.limits().max_depth,
                                                          "arrays and objects nested too deep"))};
  }
  if (body.state != spec::JsonBody::State::parsed || !body.value.is_object()) {
    return Err{ApiResponse::error(spec::validation_failed("body", "type", "object", "a JSON object is required"))};
  }
  return &body.value;
}

// The outbox's JSON for one message, with the field names the admin API documents.
json message_json(const OutboxMessage& message) {
  json out = message.to_json();
  if (const auto it = out.find("tenant_domain"); it != out.end()) {
    if (!out.contains("tenant")) out["tenant"] = *it;
    out.erase("tenant_domain");
  }
  return out;
}

// The ?limit= of a list, or the 400 that says why it is not a whole number.
Result<std::size_t, ApiResponse> limit_of(const spec::RequestView& request, std::size_t otherwise) {
  const std::string* text = query_value(request.query(), "limit");
  if (!text) return otherwise;
  std::size_t parsed = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), parsed);
  if (ec != std::errc() || end != text->data() + text->size() || text->empty()) {
    return Err{ApiResponse::error(spec::validation_failed("limit", "type", "integer", "a whole number >= 0"))};
  }
  return parsed;
}

}  // namespace

bool is_admin_path(std::string_view path) noexcept {
  return path.substr(0, kAdminPrefix.size()) == kAdminPrefix &&
         (path.size() == kAdminPrefix.size() || path[kAdminPrefix.size()] == '/');
}

ApiResponse AdminApi::handle(const spec::RequestView& request) const {
  std::string_view path = request.path().substr(kAdminPrefix.size());  // "/health", "/scenarios/active"
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // "/health/" is "/health"
  const std::string_view method = request.method();

  if (auto page = ui_page(method, request.path().substr(kAdminPrefix.size()))) return *std::move(page);
  if (path == "/health") return method == "GET" ? health() : method_not_allowed({"GET"});
  if (path == "/violations") {
    if (!context_.violations) {
      return ApiResponse::error(spec::not_found("no admin operation at " + std::string(request.path()) +
                                                ": only pbxmock proxy checks exchanges against the spec"));
    }
    if (method == "GET") return violations(request);
    if (method == "DELETE") {
      context_.violations->clear();
      return ApiResponse::json({{"status", "cleared"}});
    }
    return method_not_allowed({"DELETE", "GET"});
  }
  if (context_.violations && path != "/requests" && path != "/reset") return mock_only(request.path());
  if (path == "/reset") return method == "POST" ? reset() : method_not_allowed({"POST"});
  if (path == "/requests") {
    if (method == "GET") return requests(request);
    if (method == "DELETE") {
      context_.journal.clear();
      return ApiResponse::json({{"status", "cleared"}});
    }
    return method_not_allowed({"DELETE", "GET"});
  }
  if (path == "/outbox") {
    if (method == "GET") return outbox(request);
    if (method == "DELETE") {
      context_.outbox.clear();
      return ApiResponse::json({{"status", "cleared"}});
    }
    return method_not_allowed({"DELETE", "GET"});
  }
  if (path == "/clock") return method == "GET" || method == "POST" ? clock(request) : method_not_allowed({"GET", "POST"});
  if (path == "/scenarios") {
    if (method == "GET") return scenarios();
    if (method == "POST") return load_scenario_body(request);
    return method_not_allowed({"GET", "POST"});
  }
  if (path == "/scenarios/active") {
    if (method == "GET") return ApiResponse::json({{"active", context_.holder.current()->scenario->name}});
    if (method == "PUT") return switch_scenario(request);
    return method_not_allowed({"GET", "PUT"});
  }
  return ApiResponse::error(spec::not_found("no admin operation at " + std::string(request.path())));
}

ApiResponse AdminApi::health() const {
  const auto uptime = std::chrono::steady_clock::now() - context_.started;
  if (context_.violations) {
    return ApiResponse::json({{"status", "ok"},
                              {"mode", "proxy"},
                              {"upstream", context_.upstream},
                              {"violations", context_.violations->total()},
                              {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()}});
  }
  return ApiResponse::json({{"status", "ok"},
                            {"scenario", context_.holder.current()->scenario->name},
                            {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()}});
}

ApiResponse AdminApi::mock_only(std::string_view path) const {
  return ApiResponse::error(spec::not_found("no admin operation at " + std::string(path) +
                                            ": pbxmock proxy has no scenario, outbox or clock; it forwards to " +
                                            context_.upstream));
}

ApiResponse AdminApi::violations(const spec::RequestView& request) const {
  auto limit = limit_of(request, ViolationLog::kDefaultCapacity);
  if (!limit) return limit.error();
  return ApiResponse::json(context_.violations->to_json(limit.value()));
}

ApiResponse AdminApi::reset() const {
  if (context_.violations) {
    context_.journal.clear();
    context_.violations->clear();
    return ApiResponse::json({{"status", "reset"}, {"mode", "proxy"}});
  }
  context_.holder.restart();
  context_.outbox.clear();
  context_.journal.clear();
  context_.clock.reset();
  return ApiResponse::json({{"status", "reset"}, {"scenario", context_.holder.current()->scenario->name}});
}

ApiResponse AdminApi::requests(const spec::RequestView& request) const {
  auto limit = limit_of(request, context_.journal.capacity());
  if (!limit) return limit.error();
  return ApiResponse::json(context_.journal.to_json(limit.value()));
}

ApiResponse AdminApi::outbox(const spec::RequestView& request) const {
  const std::string* to = query_value(request.query(), "to");
  const std::string* kind = query_value(request.query(), "kind");
  const std::string* username = query_value(request.query(), "username");
  json messages = json::array();
  for (const OutboxMessage& message : context_.outbox.list()) {
    // Addresses and usernames compare without regard to case, as the mock treats them.
    if (to && !spec::ascii::iequals(message.to, *to)) continue;
    if (kind && message.kind != *kind) continue;
    if (username && !spec::ascii::iequals(message.username, *username)) continue;
    messages.push_back(message_json(message));
  }
  return ApiResponse::json({{"messages", std::move(messages)}});
}

ApiResponse AdminApi::clock(const spec::RequestView& request) const {
  if (request.method() == "POST") {
    auto body = json_object_body(request);
    if (!body) return body.error();
    const json& object = **body;
    const auto it = object.find("advance_seconds");
    if (it == object.end()) return ApiResponse::error(spec::validation_failed("advance_seconds", "required"));
    if (!it->is_number_integer()) {
      return ApiResponse::error(spec::validation_failed("advance_seconds", "type", "integer"));
    }
    if (!it->is_number_unsigned() && it->get<std::int64_t>() < 0) {
      return ApiResponse::error(spec::validation_failed("advance_seconds", "minimum", 0, "the clock only moves forward"));
    }
    // Compared as unsigned: a value past INT64_MAX must not wrap into a small one.
    const auto seconds = it->get<std::uint64_t>();
    const auto headroom = context_.clock.headroom().count();
    if (seconds > static_cast<std::uint64_t>(headroom) || !context_.clock.advance(std::chrono::seconds(seconds))) {
      return ApiResponse::error(spec::validation_failed(
          "advance_seconds", "maximum", headroom,
          "the clock runs at most " + std::to_string(Clock::kMaxOffset.count() / 86400) +
              " days ahead of real time; it is " + std::to_string(context_.clock.offset().count()) +
              " seconds ahead now, so it can move at most " + std::to_string(headroom) + " more (POST /__admin/reset brings it back)"));
    }
  }
  return ApiResponse::json(context_.clock.to_json());
}

ApiResponse AdminApi::scenarios() const {
  return ApiResponse::json({{"active", context_.holder.current()->scenario->name}, {"builtin", builtin_scenario_names()}});
}

ApiResponse AdminApi::switch_scenario(const spec::RequestView& request) const {
  auto body = json_object_body(request);
  if (!body) return body.error();
  const json& object = **body;
  const auto it = object.find("name");
  if (it == object.end()) return ApiResponse::error(spec::validation_failed("name", "required"));
  if (!it->is_string()) return ApiResponse::error(spec::validation_failed("name", "type", "string"));
  const std::string& name = it->get_ref<const std::string&>();
  const auto text = builtin_scenario(name);
  if (!text) return ApiResponse::error(spec::not_found("no built-in scenario named '" + name + "'"));
  auto loaded = load_scenario(*text, "builtin:" + name);
  if (!loaded) {
    // Our own scenarios load (tests check it); this only guards against a broken build.
    return ApiResponse::error(spec::internal_error(describe_errors(loaded.error())));
  }
  std::string active = loaded->name;  // not read back: another switch may come in between
  context_.holder.activate(std::move(loaded).value());
  return ApiResponse::json({{"active", std::move(active)}});
}

ApiResponse AdminApi::load_scenario_body(const spec::RequestView& request) const {
  const std::string* content_type = request.header("content-type");
  if (content_type && !content_type->empty()) {
    const auto media = spec::parse_media_type(*content_type);
    static constexpr std::string_view kAccepted[] = {"application/yaml", "text/yaml", "application/x-yaml",
                                                     "text/x-yaml", "application/json"};
    bool accepted = false;
    for (const std::string_view type : kAccepted) accepted = accepted || (media && media->type == type);
    if (!accepted) {
      return ApiResponse::error(spec::unsupported_media_type(*content_type, "application/yaml, text/yaml, application/json"));
    }
  }
  auto loaded = load_scenario(request.body(), "<request>");
  if (!loaded) {
    json detail = json::array();
    for (const auto& error : loaded.error()) {
      detail.push_back({{"file", error.file},
                        {"line", error.position.line},
                        {"column", error.position.column},
                        {"message", error.message}});
    }
    spec::ApiError error{400, "INVALID_SCENARIO", "scenario rejected", std::move(detail), {}};
    return ApiResponse::error(error);
  }
  std::string active = loaded->name;  // not read back: another switch may come in between
  context_.holder.activate(std::move(loaded).value());
  return ApiResponse::json({{"active", std::move(active)}});
}

}  // namespace pbxmock::mock
