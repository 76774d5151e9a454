#include "contracts/runner.h"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <system_error>

#include "contracts/curl_command.h"
#include "contracts/expectations.h"
#include "spec/ascii.h"
#include "spec/safe_regex.h"

namespace pbxmock::contracts {
namespace {

namespace fs = std::filesystem;

bool has_tag(const std::vector<std::string>& tags, const std::string& tag) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

bool is_contract_extension(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The request a step sends, with every placeholder replaced; an error names the first
// placeholder that could not be.
struct BuiltRequest {
  HttpRequest request;
  std::vector<EnvUse> env;
  std::size_t repeat = 1;
};

Result<BuiltRequest, std::string> build_request(const RequestTemplate& t, const Variables& vars, const Target& target) {
  BuiltRequest out;
  out.request.method = t.method;
  auto substituted = vars.substitute(t.path, &out.env);
  if (!substituted) return Err{"path: " + substituted.error()};
  std::string path = std::move(substituted.value());
  if (path.rfind("http://", 0) == 0 || path.rfind("https://", 0) == 0) {
    auto on_target = path_on_target(target, path);
    if (!on_target) return Err{"path: " + on_target.error()};
    path = std::move(on_target.value());
  } else if (path.empty() || path[0] != '/') {
    return Err{"path: '" + path + "' is neither a path starting with '/' nor an absolute URL"};
  }
  std::string query;
  for (const auto& [name, value] : t.query) {
    auto n = vars.substitute(name, &out.env);
    auto v = vars.substitute(value, &out.env);
    if (!n) return Err{"query: " + n.error()};
    if (!v) return Err{"query " + name + ": " + v.error()};
    query += (query.empty() ? "" : "&") + url_encode(*n) + "=" + url_encode(*v);
  }
  if (!query.empty()) path += (path.find('?') == std::string::npos ? "?" : "&") + query;
  out.request.path = std::move(path);

  for (const auto& [name, value] : t.headers) {
    auto v = vars.substitute(value, &out.env);
    if (!v) return Err{"header " + name + ": " + v.error()};
    if (v->find_first_of("\r\n") != std::string::npos) return Err{"header " + name + ": a value cannot hold a line break"};
    out.request.headers.emplace_back(name, std::move(v.value()));
  }
  std::string content_type;
  switch (t.body_kind) {
    case BodyKind::none:
      break;
    case BodyKind::json: {
      auto body = vars.substitute_json(t.json, &out.env);
      if (!body) return Err{"json: " + body.error()};
      out.request.body = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      content_type = "application/json";
      break;
    }
    case BodyKind::form: {
      std::string form;
      for (const auto& [name, value] : t.form) {
        auto v = vars.substitute(value, &out.env);
        if (!v) return Err{"form " + name + ": " + v.error()};
        form += (form.empty() ? "" : "&") + url_encode(name) + "=" + url_encode(*v);
      }
      out.request.body = std::move(form);
      content_type = "application/x-www-form-urlencoded";
      break;
    }
    case BodyKind::raw: {
      auto body = vars.substitute(t.body, &out.env);
      if (!body) return Err{"body: " + body.error()};
      out.request.body.reserve(body->size() * t.repeat);
      for (std::size_t i = 0; i < t.repeat; ++i) out.request.body += *body;
      out.repeat = t.repeat;
      auto type = vars.substitute(t.content_type, &out.env);
      if (!type) return Err{"content_type: " + type.error()};
      // Said explicitly, so the server, the report and the curl command all see the same type.
      content_type = type->empty() ? "text/plain" : *type;
      break;
    }
  }
  const bool has_type = std::any_of(out.request.headers.begin(), out.request.headers.end(),
                                    [](const NameValue& h) { return spec::ascii::iequals(h.first, "Content-Type"); });
  if (!content_type.empty() && !has_type) out.request.headers.emplace_back("Content-Type", content_type);
  return out;
}

// A save rule applied to an answer; an error says what was missing.
Result<nlohmann::json, std::string> saved_value(const SaveRule& rule, const Response& r) {
  nlohmann::json value;
  std::string from;
  if (rule.source == SaveRule::Source::header) {
    from = "header " + rule.where;
    const std::string* h = r.header(rule.where);
    if (h == nullptr) return Err{"save " + rule.name + ": the answer has no " + rule.where + " header"};
    value = *h;
  } else {
    from = "body " + (rule.where.empty() ? std::string("(whole)") : rule.where);
    if (!r.json) return Err{"save " + rule.name + ": the body is not JSON"};
    const auto* found = spec::resolve_pointer(*r.json, rule.where);
    if (found == nullptr) return Err{"save " + rule.name + ": " + from + " is absent"};
    value = *found;
  }
  if (!rule.regex) return value;
  const std::string text = render_as_text(value);
  const auto compiled = spec::SafeRegex::compile(*rule.regex);
  if (!compiled) return Err{"save " + rule.name + ": invalid regex /" + *rule.regex + "/: " + compiled.error()};
  auto captured = compiled->first_capture(text);
  if (!captured) {
    return Err{"save " + rule.name + ": " + from + " " + show(value) + " does not match /" + *rule.regex + "/"};
  }
  return nlohmann::json(std::move(*captured));
}

std::string step_label(const std::string& file, const std::string& contract, const std::string& step) {
  return file + " \u203A " + contract + " \u203A " + step;
}

}  // namespace

Result<TagFilter, std::string> TagFilter::parse(const std::vector<std::string>& arguments) {
  TagFilter f;
  for (const auto& a : arguments) {
    // "--tag smoke,fast" reads as two tags, as most test runners take it.
    std::size_t start = 0;
    while (start <= a.size()) {
      const auto comma = a.find(',', start);
      std::string tag = a.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? a.size() + 1 : comma + 1;
      const bool negated = !tag.empty() && tag[0] == '!';
      if (negated) tag.erase(0, 1);
      if (tag.empty()) return Err{"empty tag in --tag '" + a + "'"};
      (negated ? f.exclude : f.include).push_back(std::move(tag));
    }
  }
  return f;
}

bool TagFilter::selects(const std::vector<std::string>& contract_tags, const std::vector<std::string>& step_tags) const {
  const auto tagged = [&](const std::string& t) { return has_tag(contract_tags, t) || has_tag(step_tags, t); };
  for (const auto& t : exclude)
    if (tagged(t)) return false;
  if (include.empty()) return true;
  return std::any_of(include.begin(), include.end(), tagged);
}

Result<std::vector<std::string>, std::string> find_contract_files(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) return Err{"no such file or folder: " + p};
    if (!fs::is_directory(status)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::follow_directory_symlink, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && is_contract_extension(it->path())) found.push_back(it->path().generic_string());
    }
    if (ec) return Err{"cannot read folder " + p + ": " + ec.message()};
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

Result<std::vector<ContractFile>, spec::SourceErrors> load_contract_files(const std::vector<std::string>& files) {
  std::vector<ContractFile> out;
  spec::SourceErrors errors;
  for (const auto& f : files) {
    auto loaded = load_contract_file(f);
    if (loaded) {
      out.push_back(std::move(loaded.value()));
    } else {
      errors.insert(errors.end(), loaded.error().begin(), loaded.error().end());
    }
  }
  if (!errors.empty()) return Err{std::move(errors)};
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (spec::ascii::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

Runner::Runner(const spec::OpenApiDocument& spec, RunOptions options)
    : checker_(spec, options.not_api_prefixes),
      options_(std::move(options)),
      stop_at_(options_.time_limit ? std::optional(std::chrono::steady_clock::now() + *options_.time_limit) : std::nullopt),
      client_(options_.target, ClientOptions{!options_.insecure, options_.max_answer_bytes, stop_at_}),
      coverage_(spec) {}

StepResult Runner::run_step(const Step& step, Variables& vars) {
  StepResult result;
  result.name = step.name;
  result.outcome = Outcome::failed;
  auto built = build_request(step.request, vars, options_.target);
  if (!built) {
    result.failures.push_back("request " + built.error());
    return result;
  }
  const CurlOptions curl_options{options_.insecure, built->repeat};
  const auto timeout = options_.timeout ? *options_.timeout
                                        : step.timeout_ms ? std::chrono::milliseconds(*step.timeout_ms) : kDefaultTimeout;
  const bool first_request = !any_request_sent_;
  any_request_sent_ = true;
  auto answer = client_.send(built->request, timeout);
  if (!answer && answer.error().kind == TransportError::Kind::time_limit) {
    // Not the server's failure: the run ran out of time.
    result.outcome = Outcome::skipped;
    result.skip_reason = "not run to the end: cut at --time-limit";
    out_of_time_ = true;
    return result;
  }
  if (!answer && answer.error().kind == TransportError::Kind::too_large) {
    // An answer, judged: it is more than a client should have to read.
    result.failures.push_back("answer too large: " + answer.error().message);
    result.curl = curl_command(options_.target, built->request, built->env, curl_options);
    return result;
  }
  if (!answer) {
    result.failures.push_back("transport: " + answer.error().message);
    result.no_answer = true;
    result.curl = curl_command(options_.target, built->request, built->env, curl_options);
    if (first_request && answer.error().kind == TransportError::Kind::cannot_connect) unreachable_ = true;
    return result;
  }
  const Response& response = *answer;
  const std::string path = built->request.path.substr(0, built->request.path.find('?'));
  if (const auto found = checker_.lookup(built->request.method, path); found.kind == OperationLookup::Kind::found) {
    coverage_.record(*found.operation, response.status);
  }

  auto expect = substitute_expectations(step.expect, vars);
  if (!expect) {
    result.failures.push_back("expect " + expect.error());
  } else {
    for (const auto& f : check_expectations(*expect, response)) result.failures.push_back(f.to_string());
  }
  if (step.expect.schema) {
    for (const auto& finding : checker_.check(built->request.method, path, response)) {
      const auto allowed = std::find_if(step.allow.begin(), step.allow.end(),
                                        [&](const AllowedCheck& a) { return a.check == finding.check; });
      if (allowed != step.allow.end()) {
        result.allowed.push_back(finding.check + ": " + allowed->reason + " (" + finding.message + ")");
      } else {
        result.failures.push_back("spec " + finding.check + ": " + finding.message);
      }
    }
  }
  for (const auto& rule : step.save) {
    auto value = saved_value(rule, response);
    if (value) {
      vars.set(rule.name, std::move(value.value()));
    } else {
      result.failures.push_back(value.error());
    }
  }
  if (result.failures.empty()) {
    result.outcome = Outcome::passed;
  } else {
    result.curl = curl_command(options_.target, built->request, built->env, curl_options);
  }
  return result;
}

RunResult Runner::run(const std::vector<ContractFile>& files, std::ostream& report) {
  RunResult run;
  const auto run_start = std::chrono::steady_clock::now();
  for (const auto& file : files) {
    for (const auto& contract : file.contracts) {
      std::vector<const Step*> selected;
      for (const auto& s : contract.steps)
        if (options_.tags.selects(contract.tags, s.tags)) selected.push_back(&s);
      if (selected.empty()) continue;

      ContractResult c;
      c.file = file.file;
      c.name = contract.name;
      const auto contract_start = std::chrono::steady_clock::now();
      Variables vars(options_.environment);
      vars.set("target", options_.target.url());
      vars.define_file_variables(file.variables);
      std::string failed_step;
      for (const Step* s : selected) {
        StepResult r;
        if (stop_at_ && std::chrono::steady_clock::now() >= *stop_at_) out_of_time_ = true;
        if (unreachable_ || out_of_time_ || !failed_step.empty()) {
          r.name = s->name;
          r.outcome = Outcome::skipped;
          r.skip_reason = unreachable_   ? "not run: the target is unreachable"
                          : out_of_time_ ? "not run: --time-limit reached"
                                         : "not run: step '" + failed_step + "' failed";
        } else {
          const auto step_start = std::chrono::steady_clock::now();
          r = run_step(*s, vars);
          r.seconds = since(step_start);
          if (r.outcome == Outcome::failed) failed_step = s->name;
          if (r.no_answer && run.no_answer++ == 0) run.first_transport_error = r.failures.front();
        }
        r.tags = contract.tags;
        r.tags.insert(r.tags.end(), s->tags.begin(), s->tags.end());
        switch (r.outcome) {
          case Outcome::passed: ++run.passed; break;
          case Outcome::failed: ++run.failed; break;
          case Outcome::skipped: ++run.failed; ++run.skipped; break;
        }
        report << format_step(c.file, c.name, r) << std::flush;
        c.steps.push_back(std::move(r));
      }
      c.seconds = since(contract_start);
      run.contracts.push_back(std::move(c));
    }
  }
  run.target_unreachable = unreachable_;
  run.stopped_by_time_limit = out_of_time_;
  run.seconds = since(run_start);
  return run;
}

std::string closing_line(const RunResult& run) {
  return std::to_string(run.passed) + " passed, " + std::to_string(run.failed) + " failed";
}

std::string format_step(const std::string& file, const std::string& contract, const StepResult& step) {
  const std::string label = step_label(file, contract, step.name);
  const std::string ms = std::to_string(static_cast<long long>(step.seconds * 1000 + 0.5)) + " ms";
  std::string out;
  switch (step.outcome) {
    case Outcome::passed: out = "PASS " + label + " (" + ms + ")\n"; break;
    case Outcome::failed: out = "FAIL " + label + " (" + ms + ")\n"; break;
    case Outcome::skipped: out = "SKIP " + label + " (" + step.skip_reason + ")\n"; break;
  }
  for (const auto& f : step.failures) out += "    " + f + "\n";
  for (const auto& a : step.allowed) out += "    ALLOW " + a + "\n";
  if (!step.curl.empty()) out += "    " + step.curl + "\n";
  return out;
}

}  // namespace pbxmock::contracts
