// The whole plain-HTTP server, fed the bytes of one client connection in memory: the
// same steps the epoll loop takes for a socket: the connection reader, then for a complete request
// (the steps of mock/http/connection_steps.h: the request view, the guard, the dispatcher,
// the rules, the handlers, the admin API, the response writer), through
// mock/http/buffered_connection.h. The scenario is the default one with three rules
// a request asks for by header: X-Fuzz-Delay (a delay of 0), X-Fuzz-Fault (a fault of that
// name) and X-Fuzz-Respond (a 503 answer). Each input starts from POST /__admin/reset.
//
// The first byte of the input says how the rest arrives: in pieces of that many bytes (0: all
// at once), so that "100 Continue" and requests split across reads are reached. The rest is
// what the client sends, in rounds separated by "~~~": the client sends a round once the
// server has answered what it could of the rounds before. Tokens and codes are random, so a
// round may name the newest one the server answered with a placeholder of the same length:
// "$access_token", "$refresh_token" and "$token" padded with '$' to 48 characters, "$code$"
// for a 6-digit code (from the outbox, GET /__admin/outbox). Sign-out, refresh, two-factor
// and password-reset flows are reached that way.
//
// Invariants:
// - every exchange is one well-formed HTTP/1.1 answer (status line, header lines, a body
//   whose length is the Content-Length, nothing after it), "100 Continue" exactly, or the
//   bytes of a rule's fault, after which the connection ends; a refusal ends it too;
// - no 5xx that no rule asked for (the journal names the rule; the admin API has none);
// - a token signed out (POST /api/auth/sign_out answered 200, POST /api/logout answered 204)
//   is refused afterwards on the same connection: the harness puts its own GET /api/auth/user
//   with the same Authorization right after, which must get 401 unless a rule answered;
// - nothing leaks and nothing is read out of bounds (ASan, LeakSanitizer, UBSan).
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz/broken_invariant.h"
#include "mock/http/buffered_connection.h"
#include "mock/http/server.h"
#include "mock/scenario/scenario_loader.h"
#include "spec/ascii.h"

using pbxmock::fuzz::broken;
using pbxmock::mock::BufferedConnection;
using pbxmock::mock::MockServer;
using Exchange = BufferedConnection::Exchange;

namespace {

constexpr std::string_view kFuzzRules = R"(rules:
  - name: fuzz-delay
    match: {headers: {X-Fuzz-Delay: {present: true}}}
    delay: {fixed_ms: 0}
  - name: fuzz-reset
    match: {headers: {X-Fuzz-Fault: {equals: connection_reset}}}
    fault: connection_reset
  - name: fuzz-empty
    match: {headers: {X-Fuzz-Fault: {equals: empty_response}}}
    fault: empty_response
  - name: fuzz-chunk
    match: {headers: {X-Fuzz-Fault: {equals: malformed_chunk}}}
    fault: malformed_chunk
  - name: fuzz-respond
    match: {headers: {X-Fuzz-Respond: {present: true}}}
    respond:
      status: 503
      headers: {Retry-After: "1"}
      body: {errors: [{code: UNKNOWN, message: asked for by X-Fuzz-Respond}]}
)";

// Loaded with --spec: its operations besides ours are answered from the document.
constexpr std::string_view kFallbackSpec = R"({"openapi":"3.1.0","info":{"title":"fuzz","version":"1"},
  "servers":[{"url":"/api"}],
  "components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}}},
  "security":[{"bearer":[]}],
  "paths":{"/extensions":{
    "get":{"operationId":"listExtensions","responses":{"200":{"description":"ok",
      "content":{"application/json":{"example":{"items":[]}}}}}},
    "post":{"operationId":"addExtension","security":[],"requestBody":{"required":true,"content":{"application/json":
      {"schema":{"type":"object","required":["number"],"properties":{"number":{"type":"string","maxLength":8}}}}}},
      "responses":{"201":{"description":"made"}}}}}})";

MockServer* server = nullptr;
std::string fuzz_scenario;  // the default scenario named "fuzz", with the rules above

// The default scenario's text, renamed, with its empty rule list replaced by ours.
std::string make_fuzz_scenario() {
  std::string text(*pbxmock::mock::builtin_scenario("default"));
  const std::size_t name = text.find("\nname: default\n");
  const std::size_t rules = text.rfind("\nrules: []");
  if (name == std::string::npos || rules == std::string::npos) {
    std::fprintf(stderr, "server_fuzzer: the default scenario no longer has 'name: default' and 'rules: []'\n");
    std::abort();
  }
  text.replace(rules + 1, std::string_view("rules: []").size(), kFuzzRules);
  text.replace(name + 1, std::string_view("name: default").size(), "name: fuzz");
  return text;
}

struct Answer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string_view body;
};

// One complete HTTP/1.1 answer and nothing after it, or why not. `head_only`: the answer to
// a HEAD, whose Content-Length describes a body not sent.
std::optional<std::string> parse_answer(std::string_view bytes, bool head_only, Answer& answer) {
  const std::size_t head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return "no end of head";
  std::string_view head = bytes.substr(0, head_end + 2);
  const std::size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 9) != "HTTP/1.1 " ||
      (status_line.size() > 12 && status_line[12] != ' ')) {
    return "bad status line";
  }
  for (std::size_t i = 9; i < 12; ++i) {
    if (status_line[i] < '0' || status_line[i] > '9') return "status is not 3 digits";
  }
  answer.status = std::stoi(std::string(status_line.substr(9, 3)));
  if (answer.status < 100 || answer.status > 599) return "status out of range";
  head.remove_prefix(line_end + 2);
  std::optional<std::size_t> length;
  bool chunked = false;
  while (!head.empty()) {
    const std::size_t end = head.find("\r\n");
    const std::string_view line = head.substr(0, end);
    head.remove_prefix(end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return "header line without a name";
    for (const char c : line) {
      if (c == '\r' || c == '\n' || c == '\0') return "control character in a header line";
    }
    for (const char c : line.substr(0, colon)) {
      if (c == ' ' || c == '\t') return "white space in a header name";
    }
    std::string name = pbxmock::spec::ascii::lower(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    if (name == "content-length") {
      if (value.empty() || value.size() > 12 || value.find_first_not_of("0123456789") != std::string_view::npos) {
        return "Content-Length is not a number";
      }
      const std::size_t n = std::stoull(std::string(value));
      if (length && *length != n) return "two different Content-Length";
      length = n;
    }
    if (name == "transfer-encoding") chunked = true;
    answer.headers.emplace_back(std::move(name), std::string(value));
  }
  answer.body = bytes.substr(head_end + 4);
  if (chunked) return "a chunked answer (the server frames every answer with Content-Length)";
  const bool bodiless = answer.status < 200 || answer.status == 204 || answer.status == 304;
  if (bodiless) {
    if (!answer.body.empty()) return "a body on a status that has none";
    return std::nullopt;
  }
  if (!length) return "no Content-Length";
  if (head_only) {
    if (!answer.body.empty()) return "a body in the answer to HEAD";
    return std::nullopt;
  }
  if (answer.body.size() != *length) return "body length differs from Content-Length (or bytes after the answer)";
  return std::nullopt;
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

bool is_admin_path(std::string_view path) { return path == "/__admin" || path.rfind("/__admin/", 0) == 0; }

// One request on a fresh in-memory connection (the harness's own calls): its answer.
Answer call(const std::string& request, std::string& keep) {
  BufferedConnection connection = server->connect_in_memory();
  connection.receive(request);
  std::optional<Exchange> exchange = connection.next();
  if (!exchange || exchange->kind != Exchange::Kind::answered || exchange->fault) {
    broken("the harness's own request was not answered", request);
  }
  keep = std::move(exchange->bytes);
  Answer answer;
  if (auto why = parse_answer(keep, false, answer)) broken("the harness's own request got a malformed answer", keep, *why);
  return answer;
}

std::string admin_request(std::string_view method, std::string_view target, std::string_view body = {}) {
  std::string request(method);
  request.append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  if (!body.empty()) request.append("Content-Type: application/yaml\r\nContent-Length: ").append(std::to_string(body.size())).append("\r\n");
  request.append("\r\n").append(body);
  return request;
}

// Whether the newest `count` journal entries include one a rule answered.
bool rule_answered_recently(std::size_t count) {
  std::string bytes;
  const Answer answer = call(admin_request("GET", "/__admin/requests?limit=" + std::to_string(count)), bytes);
  const nlohmann::json journal = nlohmann::json::parse(answer.body, nullptr, false);
  if (!journal.is_object() || !journal.contains("requests") || !journal["requests"].is_array()) {
    broken("the journal is not readable", bytes);
  }
  for (const auto& entry : journal["requests"]) {
    if (entry.contains("rule") && entry["rule"].is_string()) return true;
  }
  return false;
}

// The input's state must not leak into the next one: the admin API's reset, and the fuzz
// scenario back if the input switched or loaded another.
void reset_server() {
  std::string bytes;
  const Answer reset = call(admin_request("POST", "/__admin/reset"), bytes);
  if (reset.status != 200) broken("POST /__admin/reset failed", bytes);
  if (reset.body.find("\"scenario\":\"fuzz\"") != std::string_view::npos) return;
  const Answer loaded = call(admin_request("POST", "/__admin/scenarios", fuzz_scenario), bytes);
  if (loaded.status != 200) broken("loading the fuzz scenario failed", bytes);
  const Answer again = call(admin_request("POST", "/__admin/reset"), bytes);
  if (again.status != 200 || again.body.find("\"scenario\":\"fuzz\"") == std::string_view::npos) {
    broken("the fuzz scenario did not stay active", bytes);
  }
}

// The request's Authorization header lines, as the reader read them.
std::string authorization_lines(const pbxmock::mock::ReadRequest& request) {
  std::string lines;
  for (const auto& [name, value] : request.headers) {
    if (pbxmock::spec::ascii::iequals(name, "authorization")) lines.append(name).append(": ").append(value).append("\r\n");
  }
  return lines;
}

// A sign-out that took a token away; what its probe must then be told.
bool signed_out(const Exchange& exchange, int status) {
  const std::string_view path = path_of(exchange.target);
  return exchange.method == "POST" &&
         ((path == "/api/auth/sign_out" && status == 200) || (path == "/api/logout" && status == 204));
}

constexpr std::string_view kRoundSeparator = "~~~";

// The newest token and code each answer carried, under the placeholder that stands for it.
struct Secret {
  std::string_view key;
  std::string placeholder;
  std::string value;
};

std::vector<Secret> make_secrets() {
  std::vector<Secret> secrets;
  for (const std::string_view key : {"access_token", "refresh_token", "token"}) {
    std::string placeholder = "$" + std::string(key);
    placeholder.resize(48, '$');
    secrets.push_back({key, std::move(placeholder), {}});
  }
  secrets.push_back({"code", "$code$", {}});
  return secrets;
}

// The first value of each key, depth first (the outbox lists the newest message first).
void remember_secrets(const nlohmann::json& value, std::vector<Secret>& secrets, int depth = 0) {
  if (depth > 8) return;
  if (value.is_object()) {
    for (auto& secret : secrets) {
      const auto it = value.find(std::string(secret.key));
      if (it != value.end() && it->is_string() && it->get_ref<const std::string&>().size() == secret.placeholder.size()) {
        secret.value = it->get<std::string>();
      }
    }
    for (const auto& [key, inner] : value.items()) remember_secrets(inner, secrets, depth + 1);
  } else if (value.is_array() && !value.empty()) {
    remember_secrets(value.front(), secrets, depth + 1);
  }
}

std::string with_secrets(std::string_view round, const std::vector<Secret>& secrets) {
  std::string text(round);
  for (const auto& secret : secrets) {
    if (secret.value.empty()) continue;
    for (std::size_t at = text.find(secret.placeholder); at != std::string::npos;
         at = text.find(secret.placeholder, at + secret.value.size())) {
      text.replace(at, secret.placeholder.size(), secret.value);
    }
  }
  return text;
}

struct Checked {
  int status = 0;
};

Checked check_exchange(const Exchange& exchange, std::string_view input) {
  switch (exchange.kind) {
    case Exchange::Kind::interim:
      if (exchange.bytes != pbxmock::mock::kContinueAnswer) broken("an interim answer that is not 100 Continue", input, exchange.bytes);
      if (exchange.close) broken("100 Continue ended the connection", input);
      return {100};
    case Exchange::Kind::answered:
    case Exchange::Kind::refused:
      break;
  }
  if (exchange.fault) {
    if (exchange.kind != Exchange::Kind::answered) broken("a fault on a refused request", input);
    if (!exchange.close) broken("the connection outlived a rule's fault", input);
    return {0};
  }
  if (exchange.kind == Exchange::Kind::refused && !exchange.close) broken("the connection outlived a refusal", input);
  Answer answer;
  if (auto why = parse_answer(exchange.bytes, exchange.method == "HEAD", answer)) {
    broken("malformed answer", input, *why + ": " + exchange.bytes);
  }
  if (answer.status < 200) broken("a final answer with a 1xx status", input, exchange.bytes);
  if (answer.status >= 500) {
    if (exchange.kind == Exchange::Kind::refused || is_admin_path(path_of(exchange.target)) || !rule_answered_recently(1)) {
      broken("a 5xx no rule asked for", input, exchange.bytes);
    }
  }
  return {answer.status};
}

void probe_sign_out(BufferedConnection& connection, const Exchange& sign_out, std::string_view input) {
  const std::string authorization = authorization_lines(sign_out.request);
  if (authorization.empty()) return;  // logout without a token: nothing was taken away
  const std::string probe = "GET /api/auth/user HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization + "\r\n";
  if (!connection.receive_first(probe)) broken("the probe could not be put after the sign-out", input);
  std::optional<Exchange> answered = connection.next();
  if (!answered) broken("the probe after a sign-out was not answered", input, probe);
  const Checked checked = check_exchange(*answered, input);
  if (answered->fault || answered->kind != Exchange::Kind::answered) return;  // a rule of a loaded scenario
  if (checked.status != 401 && !rule_answered_recently(2)) {
    broken("a signed-out token still works on the same connection", input, probe + "\n->\n" + answered->bytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  pbxmock::mock::ServerOptions options;
  options.port = 0;
  options.journal_size = 64;
  // The access log is written (to nowhere): its formatting is on every request's path.
  options.quiet = false;
  options.log_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  // A --spec document with two operations of its own, so the fallback answers are reached.
  char spec_path[] = "/tmp/pbxmock-server-fuzzer-spec-XXXXXX";
  const int spec_fd = ::mkstemp(spec_path);
  if (spec_fd < 0 || ::write(spec_fd, kFallbackSpec.data(), kFallbackSpec.size()) != static_cast<ssize_t>(kFallbackSpec.size())) {
    std::fprintf(stderr, "server_fuzzer: cannot write the --spec document to %s\n", spec_path);
    std::abort();
  }
  ::close(spec_fd);
  options.spec_file = spec_path;
  auto started = MockServer::start_in_memory(options);
  ::unlink(spec_path);
  if (!started) {
    std::fprintf(stderr, "server_fuzzer: %s\n", started.error().c_str());
    std::abort();
  }
  // Kept for the whole process: built once, reset between inputs.
  server = started.value().release();
  fuzz_scenario = make_fuzz_scenario();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (server == nullptr) LLVMFuzzerInitialize(nullptr, nullptr);  // the replay driver calls only this
  if (size == 0) return 0;
  reset_server();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t piece = data[0] == 0 ? size : data[0];
  std::string_view rest = input.substr(1);

  std::vector<Secret> secrets = make_secrets();
  BufferedConnection connection = server->connect_in_memory();
  while (!connection.closed()) {
    const std::size_t round_end = rest.find(kRoundSeparator);
    const std::string round = with_secrets(rest.substr(0, round_end), secrets);
    std::string_view unsent = round;
    while (!unsent.empty() && !connection.closed()) {
      connection.receive(unsent.substr(0, piece));
      unsent.remove_prefix(std::min(piece, unsent.size()));
      while (std::optional<Exchange> exchange = connection.next()) {
        const Checked checked = check_exchange(*exchange, input);
        if (exchange->kind != Exchange::Kind::answered || exchange->fault) continue;
        const std::size_t body = exchange->bytes.find("\r\n\r\n");
        if (body != std::string::npos && exchange->bytes.find("application/json") < body) {
          remember_secrets(nlohmann::json::parse(exchange->bytes.begin() + static_cast<std::ptrdiff_t>(body) + 4,
                                                 exchange->bytes.end(), nullptr, false),
                           secrets);
        }
        if (!exchange->close && signed_out(*exchange, checked.status)) probe_sign_out(connection, *exchange, input);
      }
    }
    if (round_end == std::string_view::npos) break;
    rest.remove_prefix(round_end + kRoundSeparator.size());
  }
  return 0;
}
