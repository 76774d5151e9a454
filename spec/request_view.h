#pragma once
// One request as every layer reads it: built once by whoever received the bytes (the
// server's dispatcher, a test, a fuzzer), then handed to the journal, the scenario's rules,
// the admin API and the request parser. The target is split once, header names lower-cased
// once, the query decoded once; the route in a document and the JSON body are worked out on
// first use and kept. The view does not own the method, target or body it was given.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "spec/openapi.h"
#include "spec/result.h"
#include "spec/url_encoding.h"

namespace pbxmock::spec {

struct RequestLimits {
  std::size_t max_body_bytes = 1 << 20;  // 413 above this
  std::size_t max_depth = 64;            // nesting of a JSON body; deeper is 400 maxDepth
};

// "/api/info?domain=x#frag" -> path "/api/info", query "domain=x" (both still encoded).
struct SplitTarget {
  std::string_view path;
  std::string_view query;  // without the '?'
};
SplitTarget split_target(std::string_view target) noexcept;

// The body read as JSON, under the size and depth limits, before nlohmann sees it.
struct JsonBody {
  enum class State { absent, too_large, too_deep, invalid, parsed };
  State state = State::absent;
  nlohmann::json value;  // when parsed
};

// Size first, then nesting (nlohmann's parser and destructor recurse once per level), then
// the parse; never throws for bad bytes.
JsonBody read_json_body(std::string_view body, const RequestLimits& limits);

class RequestView {
 public:
  // `method`, `target` and `body` must outlive the view; header names come in any case.
  RequestView(std::string_view method, std::string_view target, NameValuePairs headers, std::string_view body,
              RequestLimits limits = {});

  std::string_view method() const noexcept { return method_; }
  std::string_view target() const noexcept { return target_; }
  std::string_view path() const noexcept { return split_.path; }       // raw, as sent
  std::string_view raw_query() const noexcept { return split_.query; }  // raw, without '?'
  std::string_view body() const noexcept { return body_; }
  const RequestLimits& limits() const noexcept { return limits_; }

  const NameValuePairs& headers() const noexcept { return headers_; }  // names lower-cased
  const std::string* header(std::string_view lower_name) const noexcept;

  // The decoded query pairs (order and repeats kept); empty when a '%' escape is bad, and
  // then query_error() is where.
  const NameValuePairs& query() const noexcept { return query_; }
  const std::optional<DecodeError>& query_error() const noexcept { return query_error_; }

  // The route of the full path in `document` (base path handled there), looked up once per
  // document.
  const Result<RouteMatch, RouteFailure>& route(const OpenApiDocument& document) const;

  // The body as JSON, parsed on first use only if it is within the limits.
  const JsonBody& json_body() const;
  // The same once something asked for it; nullptr before.
  const JsonBody* parsed_json_body() const noexcept { return json_ ? &*json_ : nullptr; }

  // What the scenario's rules and the admin API see of the body: the JSON value, or for a
  // form body its fields as an object of strings; nullptr when neither (none, too deep,
  // not JSON).
  const nlohmann::json* body_value() const;

 private:
  struct RouteSlot {
    const OpenApiDocument* document = nullptr;
    std::optional<Result<RouteMatch, RouteFailure>> result;
  };

  std::string_view method_;
  std::string_view target_;
  SplitTarget split_;
  std::string_view body_;
  RequestLimits limits_;
  NameValuePairs headers_;
  NameValuePairs query_;
  std::optional<DecodeError> query_error_;
  // The server asks two documents at most (ours and --spec's).
  mutable RouteSlot routes_[2];
  mutable std::optional<JsonBody> json_;
  mutable std::optional<nlohmann::json> form_;
};

}  // namespace pbxmock::spec
