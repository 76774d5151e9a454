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

// Moving the clock further than this (about 100 years) would overflow time arithmetic
// somewhere; no test needs it.
constexpr std::int64_t kMaxAdvanceSeconds = 100LL * 366 * 24 * 3600;

ApiResponse method_not_allowed(std::vector<std::string> allow) {
  return ApiResponse::error(spec::method_not_allowed(std::move(allow)));
}

const std::string* query_value(const spec::NameValuePairs& query, std::string_view name) {
  for (const auto& [key, value] : query)
    if (key == name) return &value;
  return nullptr;
}

// A JSON object body, or the 400 that says why it is not one.
Result<json, ApiResponse> json_object_body(const AdminRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Err{ApiResponse::error(spec::validation_failed("body", "type", "object", "a JSON object is required"))};
  }
  return body;
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

}  // namespace

ApiResponse AdminApi::handle(const AdminRequest& request) const {
  std::string_view path = request.path;
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // "/health/" is "/health"
  const std::string_view method = request.method;

  if (auto page = ui_page(method, request.path)) return *std::move(page);
  if (path == "/health") return method == "GET" ? health() : method_not_allowed({"GET"});
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
  return ApiResponse::error(spec::not_found("no admin operation at /__admin" + std::string(request.path)));
}

ApiResponse AdminApi::health() const {
  const auto uptime = std::chrono::steady_clock::now() - context_.started;
  return ApiResponse::json({{"status", "ok"},
                            {"scenario", context_.holder.current()->scenario->name},
                            {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()}});
}

ApiResponse AdminApi::reset() const {
  context_.holder.restart();
  context_.outbox.clear();
  context_.journal.clear();
  context_.clock.reset();
  return ApiResponse::json({{"status", "reset"}, {"scenario", context_.holder.current()->scenario->name}});
}

ApiResponse AdminApi::requests(const AdminRequest& request) const {
  std::size_t limit = context_.journal.capacity();
  if (const std::string* text = query_value(request.query, "limit")) {
    std::size_t parsed = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), parsed);
    if (ec != std::errc() || end != text->data() + text->size() || text->empty()) {
      return ApiResponse::error(spec::validation_failed("limit", "type", "integer", "a whole number >= 0"));
    }
    limit = parsed;
  }
  return ApiResponse::json(context_.journal.to_json(limit));
}

ApiResponse AdminApi::outbox(const AdminRequest& request) const {
  const std::string* to = query_value(request.query, "to");
  const std::string* kind = query_value(request.query, "kind");
  const std::string* username = query_value(request.query, "username");
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

ApiResponse AdminApi::clock(const AdminRequest& request) const {
  if (request.method == "POST") {
    auto body = json_object_body(request);
    if (!body) return body.error();
    const auto it = body->find("advance_seconds");
    if (it == body->end()) return ApiResponse::error(spec::validation_failed("advance_seconds", "required"));
    if (!it->is_number_integer()) {
      return ApiResponse::error(spec::validation_failed("advance_seconds", "type", "integer"));
    }
    if (it->is_number_unsigned() ? it->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxAdvanceSeconds)
                                 : it->get<std::int64_t>() > kMaxAdvanceSeconds) {
      return ApiResponse::error(spec::validation_failed("advance_seconds", "maximum", kMaxAdvanceSeconds));
    }
    const std::int64_t seconds = it->get<std::int64_t>();
    if (seconds < 0 || !context_.clock.advance(std::chrono::seconds(seconds))) {
      return ApiResponse::error(spec::validation_failed("advance_seconds", "minimum", 0, "the clock only moves forward"));
    }
  }
  return ApiResponse::json(context_.clock.to_json());
}

ApiResponse AdminApi::scenarios() const {
  return ApiResponse::json({{"active", context_.holder.current()->scenario->name}, {"builtin", builtin_scenario_names()}});
}

ApiResponse AdminApi::switch_scenario(const AdminRequest& request) const {
  auto body = json_object_body(request);
  if (!body) return body.error();
  const auto it = body->find("name");
  if (it == body->end()) return ApiResponse::error(spec::validation_failed("name", "required"));
  if (!it->is_string()) return ApiResponse::error(spec::validation_failed("name", "type", "string"));
  const std::string& name = it->get_ref<const std::string&>();
  const auto text = builtin_scenario(name);
  if (!text) return ApiResponse::error(spec::not_found("no built-in scenario named '" + name + "'"));
  auto loaded = load_scenario(*text, "builtin:" + name);
  if (!loaded) {
    // Our own scenarios load (tests check it); this only guards against a broken build.
    return ApiResponse::json({{"errors", {{{"code", "INTERNAL_ERROR"}, {"message", describe_errors(loaded.error())}}}}}, 500);
  }
  std::string active = loaded->name;  // not read back: another switch may come in between
  context_.holder.activate(std::move(loaded).value());
  return ApiResponse::json({{"active", std::move(active)}});
}

ApiResponse AdminApi::load_scenario_body(const AdminRequest& request) const {
  if (!request.content_type.empty()) {
    const auto media = spec::parse_media_type(request.content_type);
    static constexpr std::string_view kAccepted[] = {"application/yaml", "text/yaml", "application/x-yaml",
                                                     "text/x-yaml", "application/json"};
    bool accepted = false;
    for (const std::string_view type : kAccepted) accepted = accepted || (media && media->type == type);
    if (!accepted) {
      return ApiResponse::error(spec::unsupported_media_type(request.content_type, "application/yaml, text/yaml, application/json"));
    }
  }
  auto loaded = load_scenario(request.body, "<request>");
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
