#include "spec/request_view.h"

#include "spec/ascii.h"
#include "spec/base_path.h"
#include "spec/media_type.h"
#include "spec/request_parser.h"

namespace pbxmock::spec {

SplitTarget split_target(std::string_view target) noexcept {
  target = target.substr(0, target.find('#'));
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

JsonBody read_json_body(std::string_view body, const RequestLimits& limits) {
  JsonBody out;
  if (body.empty()) return out;
  if (body.size() > limits.max_body_bytes) {
    out.state = JsonBody::State::too_large;
  } else if (json_nesting_exceeds(body, limits.max_depth)) {
    out.state = JsonBody::State::too_deep;
  } else {
    out.value = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    out.state = out.value.is_discarded() ? JsonBody::State::invalid : JsonBody::State::parsed;
    if (out.value.is_discarded()) out.value = nullptr;
  }
  return out;
}

RequestView::RequestView(std::string_view method, std::string_view target, NameValuePairs headers,
                         std::string_view body, RequestLimits limits)
    : method_(method),
      target_(target),
      split_(split_target(target)),
      body_(body),
      limits_(limits),
      headers_(std::move(headers)) {
  for (auto& header : headers_)
    for (char& c : header.first) c = ascii::to_lower(c);
  if (!split_.query.empty()) {
    auto pairs = parse_url_encoded(split_.query);
    if (pairs) {
      query_ = std::move(pairs).value();
    } else {
      query_error_ = pairs.error();
    }
  }
}

const std::string* RequestView::header(std::string_view lower_name) const noexcept {
  for (const auto& [name, value] : headers_)
    if (name == lower_name) return &value;
  return nullptr;
}

const Result<RouteMatch, RouteFailure>& RequestView::route(const OpenApiDocument& document) const {
  for (RouteSlot& slot : routes_) {
    if (slot.document == &document) return *slot.result;
    if (slot.document == nullptr) {
      slot.document = &document;
      slot.result.emplace(route_full_path(document, method_, split_.path));
      return *slot.result;
    }
  }
  // A third document: looked up in the last slot's place (no caller asks three).
  RouteSlot& last = routes_[1];
  last.document = &document;
  last.result.emplace(route_full_path(document, method_, split_.path));
  return *last.result;
}

const JsonBody& RequestView::json_body() const {
  if (!json_) json_.emplace(read_json_body(body_, limits_));
  return *json_;
}

const nlohmann::json* RequestView::body_value() const {
  const JsonBody& json = json_body();
  if (json.state == JsonBody::State::parsed) return &json.value;
  if (json.state != JsonBody::State::invalid) return nullptr;
  if (!form_) {
    form_.emplace(nullptr);
    const std::string* type = header("content-type");
    const auto media = type ? parse_media_type(*type) : std::nullopt;
    if (media && media->type == "application/x-www-form-urlencoded") {
      if (auto pairs = parse_url_encoded(body_)) {
        nlohmann::json fields = nlohmann::json::object();
        for (auto& [name, value] : pairs.value()) fields[name] = std::move(value);
        *form_ = std::move(fields);
      }
    }
  }
  return form_->is_null() ? nullptr : &*form_;
}

}  // namespace pbxmock::spec
