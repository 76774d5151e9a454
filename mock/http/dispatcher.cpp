#include "mock/http/dispatcher.h"

#include <utility>

#include "mock/admin/home_page.h"
#include "mock/admin/ui_page.h"
#include "mock/http/cors.h"
#include "mock/http/request_guard.h"
#include "spec/api_error.h"
#include "spec/url_encoding.h"

namespace pbxmock::mock {
namespace {

constexpr std::string_view kIdpPrefix = "/__idp/";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

}  // namespace

Dispatcher::Dispatcher(DispatcherParts parts)
    : parts_(parts), parser_(spec::builtin_spec(), spec::RequestLimits{parts.max_body_bytes}) {
  if (parts_.fallback_document) {
    fallback_parser_ =
        std::make_unique<spec::RequestParser>(*parts_.fallback_document, spec::RequestLimits{parts.max_body_bytes});
    fallback_ = std::make_unique<SpecFallback>(*parts_.fallback_document);
  }
}

std::variant<Outgoing, Dispatcher::Pending> Dispatcher::begin(const spec::RequestView& view,
                                                              const Incoming& incoming) noexcept {
  const Time start = std::chrono::steady_clock::now();
  try {
    if (parts_.guard) {
      if (auto refused = guard_request(view, *parts_.guard)) {
        Outgoing out{Reply::of(ApiResponse::error(*refused)), {}};
        add_cors_headers(view, out.reply);
        record_refusal(incoming.remote_address, view.method(), view.target(), refused->status);
        return out;
      }
    }
    if (parts_.forwarder && !is_admin_path(view.path())) {
      if (auto answered = parts_.forwarder->screen(view, incoming.headers)) {
        return deliver_forwarded(view, incoming, std::move(*answered), start);
      }
      Pending pending;
      pending.forward = true;
      pending.start = start;
      return pending;
    }
    Outcome outcome;
    if (view.method() == "OPTIONS") {
      Outgoing out{answer_preflight(view), {}};
      outcome.journal = !is_admin_path(view.path());
      record(view, incoming, out.reply, out.reply.status, start, outcome);
      return out;
    }
    std::optional<Pending> pending;
    Answer answer = dispatch(view, outcome, pending);
    if (pending) {
      pending->outcome = std::move(outcome);
      pending->start = start;
      return std::move(*pending);
    }
    return deliver(view, incoming, std::move(answer), start, outcome);
  } catch (const std::exception& e) {
    // Handlers and parsers do not throw by design; this is a bug (or memory running out),
    // reported as one, and the server keeps running.
    return internal_error(view, e.what());
  }
}

Outgoing Dispatcher::finish(const spec::RequestView& view, const Incoming& incoming, Pending pending) noexcept {
  try {
    if (pending.forward) {
      return deliver_forwarded(view, incoming, parts_.forwarder->forward(view, incoming.headers), pending.start);
    }
    Answer answer = apply_rule(view, pending.rule, pending.outcome);
    return deliver(view, incoming, std::move(answer), pending.start, pending.outcome);
  } catch (const std::exception& e) {
    return internal_error(view, e.what());
  }
}

Outgoing Dispatcher::refuse(const spec::RequestView& view, const Incoming& incoming,
                            const spec::ApiError& error) noexcept {
  try {
    return deliver(view, incoming, ApiResponse::error(error), std::chrono::steady_clock::now(), Outcome{});
  } catch (const std::exception& e) {
    return internal_error(view, e.what());
  }
}

Outgoing Dispatcher::internal_error(const spec::RequestView& view, const char* what) noexcept {
  try {
    Outgoing out{Reply::of(ApiResponse::error(spec::internal_error(what))), {}};
    add_cors_headers(view, out.reply);
    return out;
  } catch (...) {
    Outgoing out;
    out.reply.status = 500;
    return out;
  }
}

Dispatcher::Answer Dispatcher::dispatch(const spec::RequestView& view, Outcome& outcome,
                                        std::optional<Pending>& pending) {
  if (is_admin_path(view.path())) {
    outcome.journal = false;
    return answer_admin(view);
  }
  if (view.path() == "/" && (view.method() == "GET" || view.method() == "HEAD")) {
    outcome.journal = false;
    const std::string* accept = view.header("accept");
    return home_page(*parts_.holder.current()->scenario,
                     {accept ? std::string_view(*accept) : std::string_view(), spec::builtin_spec().base_path(),
                      parts_.gate.open()});
  }
  if (starts_with(view.path(), kIdpPrefix)) return answer_identity_provider(view);
  return answer_api(view, outcome, pending);
}

ApiResponse Dispatcher::answer_admin(const spec::RequestView& view) {
  // The page itself holds no data and must load without the key so that it can ask for it;
  // every call it makes for data goes through the gate.
  if (!parts_.gate.allows(view) && !is_ui_page_path(view.path().substr(kAdminPrefix.size()))) {
    ApiResponse refused = ApiResponse::error(
        spec::unauthorized("the admin API needs the admin key: send X-Admin-Key (the key is printed at start)"));
    refused.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"pbxmock admin\"");
    return refused;
  }
  return parts_.admin.handle(view);
}

ApiResponse Dispatcher::answer_identity_provider(const spec::RequestView& view) {
  // The page's links are GETs with a query; a form posting back sends its fields as the body.
  spec::NameValuePairs form;
  if (view.method() == "POST" && !view.body().empty()) {
    if (auto pairs = spec::parse_url_encoded(view.body())) form = std::move(pairs).value();
  }
  const auto bundle = parts_.holder.current();
  return bundle->auth.identity_provider(std::string(view.method()), std::string(view.path()),
                                        view.method() == "POST" ? form : view.query());
}

Dispatcher::Answer Dispatcher::answer_api(const spec::RequestView& view, Outcome& outcome,
                                          std::optional<Pending>& pending) {
  const auto bundle = parts_.holder.current();
  if (bundle->rules.size() > 0) {
    outcome.operation_id = operation_id_of(view);
    if (auto applied = bundle->rules.match(view, outcome.operation_id)) {
      outcome.rule = applied->rule_name;
      if (applied->delay && applied->delay->count() > 0) {
        pending.emplace();
        pending->delay = *applied->delay;
        pending->rule = std::move(*applied);
        return ApiResponse::empty(0);  // not sent: the caller waits, then finish() answers
      }
      return apply_rule(view, *applied, outcome);
    }
  }
  return answer_operation(view, outcome);
}

Dispatcher::Answer Dispatcher::apply_rule(const spec::RequestView& view, RuleOutcome& rule, Outcome& outcome) {
  if (rule.fault) return *rule.fault;
  if (rule.response) return std::move(*rule.response);
  return answer_operation(view, outcome);
}

ApiResponse Dispatcher::answer_operation(const spec::RequestView& view, Outcome& outcome) {
  const auto bundle = parts_.holder.current();
  auto parsed = parser_.parse(view);
  if (parsed) {
    outcome.operation_id = parsed->operation->operation_id;
    return bundle->auth.handle(*parsed);
  }
  if (parsed.error().status == 404 && fallback_parser_) {
    auto other = fallback_parser_->parse(view);
    if (other) {
      outcome.operation_id = other->operation->operation_id;
      // A protected operation of the other document accepts the tokens this mock issued.
      if (other->operation->requires_auth && !bundle->auth.authenticate(other->bearer_token.value_or(""))) {
        return ApiResponse::error(spec::unauthorized("unknown, expired or revoked bearer token"));
      }
      return *fallback_->answer(*other->operation);
    }
    if (other.error().status != 404) {
      outcome.operation_id = operation_id_of(view);
      return ApiResponse::error(other.error());
    }
  }
  if (outcome.operation_id.empty()) outcome.operation_id = operation_id_of(view);
  return ApiResponse::error(parsed.error());
}

Outgoing Dispatcher::deliver(const spec::RequestView& view, const Incoming& incoming, Answer answer, Time start,
                             const Outcome& outcome) {
  Outgoing out;
  if (const Fault* fault = std::get_if<Fault>(&answer)) {
    // Journaled before the client can see the break: a client that asks the admin API
    // right after must find the request there.
    out.fault = *fault;
    record(view, incoming, out.reply, 0, start, outcome);
    return out;
  }
  out.reply = Reply::of(std::get<ApiResponse>(answer));
  add_cors_headers(view, out.reply);
  record(view, incoming, out.reply, out.reply.status, start, outcome);
  return out;
}

Outgoing Dispatcher::deliver_forwarded(const spec::RequestView& view, const Incoming& incoming, Forwarded forwarded,
                                       Time start) {
  if (!forwarded.problem.empty()) {
    parts_.log.note("upstream: " + std::string(view.method()) + " " + std::string(view.path()) + ": " +
                    forwarded.problem);
  }
  Outgoing out;
  out.reply = std::move(forwarded.reply);
  Outcome outcome;
  outcome.operation_id = forwarded.operation_id;
  record(view, incoming, out.reply, out.reply.status, start, outcome, forwarded.violations);
  return out;
}

// The operation the path routes to in our spec, else in the --spec document; "" for none.
std::string_view Dispatcher::operation_id_of(const spec::RequestView& view) const {
  for (const spec::OpenApiDocument* document : {&spec::builtin_spec(), parts_.fallback_document}) {
    if (!document) continue;
    if (const auto& route = view.route(*document)) return route->operation->operation_id;
  }
  return {};
}

void Dispatcher::record(const spec::RequestView& view, const Incoming& incoming, const Reply& reply, int status,
                        Time start, const Outcome& outcome, const std::vector<JournalViolation>& violations) {
  std::uint64_t id = 0;
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const std::string_view path = view.path();
  const std::string_view query = view.raw_query();
  if (outcome.journal && parts_.journal.capacity() > 0) {
    JournalEntry entry;
    entry.time = parts_.clock.now();
    entry.method.assign(view.method());
    entry.status = status;
    entry.duration_ms = ms;
    entry.operation_id.assign(outcome.operation_id);
    entry.rule = outcome.rule;
    const auto kept = [](std::string_view body) {
      return body.size() <= JournalEntry::kKeptBodyBytes ? body.size() : 0;
    };
    std::size_t bytes = path.size() + query.size() + kept(view.body()) + kept(reply.body);
    for (const auto& [name, value] : incoming.headers) bytes += JournalText::header_bytes(name, value);
    for (const auto& [name, value] : reply.headers) bytes += JournalText::header_bytes(name, value);
    entry.text.reserve(bytes);
    entry.text.append(JournalText::path, path);
    entry.text.append(JournalText::query, query);
    for (const auto& [name, value] : incoming.headers) entry.text.append_header(JournalText::request_headers, name, value);
    entry.keep_body(JournalText::request_body, view.body());
    for (const auto& [name, value] : reply.headers) entry.text.append_header(JournalText::response_headers, name, value);
    entry.keep_body(JournalText::response_body, reply.body);
    entry.violations = violations;
    id = parts_.journal.record(std::move(entry));
  }
  if (!violations.empty()) record_violations(view, violations, id);
  if (parts_.log.enabled()) {
    parts_.log.write(AccessRecord{incoming.remote_address, view.method().empty() ? std::string_view("-") : view.method(),
                                  path.empty() ? std::string_view("-") : path, status, ms, outcome.operation_id,
                                  outcome.rule});
  }
}

void Dispatcher::record_violations(const spec::RequestView& view, const std::vector<JournalViolation>& violations,
                                   std::uint64_t id) const {
  for (const JournalViolation& v : violations) {
    // Written even with --quiet: finding these is what the proxy is for.
    parts_.log.note("VIOLATION " + std::string(view.method()) + " " + std::string(view.path()) + " " + v.line() +
                    (id ? " (request " + std::to_string(id) + ")" : std::string()));
    if (parts_.violations) {
      parts_.violations->record(
          LoggedViolation{id, parts_.clock.now(), std::string(view.method()), std::string(view.path()), v});
    }
  }
}

void Dispatcher::record_refusal(std::string_view remote_address, std::string_view method, std::string_view target,
                                int status) const {
  const spec::SplitTarget parts = spec::split_target(target);
  if (parts_.journal.capacity() > 0 && !method.empty()) {
    JournalEntry entry;
    entry.time = parts_.clock.now();
    entry.method.assign(method);
    entry.text.append(JournalText::path, parts.path);
    entry.text.append(JournalText::query, parts.query);
    entry.status = status;
    parts_.journal.record(std::move(entry));
  }
  if (parts_.log.enabled()) {
    parts_.log.write(AccessRecord{remote_address, method.empty() ? std::string_view("-") : method,
                                  parts.path.empty() ? std::string_view("-") : parts.path, status, 0, {}, {}});
  }
}

}  // namespace pbxmock::mock
