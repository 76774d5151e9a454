#include "contracts/fuzzing/reproducer.h"

#include <algorithm>

#include "contracts/curl_command.h"
#include "contracts/fuzzing/runtime_expression.h"
#include "contracts/fuzzing/side_steps.h"
#include "contracts/runner.h"

namespace pbxmock::contracts::fuzzing {
namespace {

// Bodies this long do not fit in one argument (Linux: 128 KiB); curl_command then builds
// them from a repeated chunk when they are one.
constexpr std::size_t kChunk = 1024;

// Reads a link's value out of a curl -i answer on stdin: `link_value header NAME` or
// `link_value body POINTER`, as the fuzzer evaluated the runtime expression.
constexpr std::string_view kLinkValue = R"(link_value() { python3 -c '
import json, sys
text, head = sys.stdin.read(), ""
while text.startswith("HTTP/"):
    head, _, text = text.partition("\r\n\r\n")
kind, arg = sys.argv[1], sys.argv[2]
if kind == "header":
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == arg.lower():
            print(value.strip(), end="")
            break
else:
    value = json.loads(text)
    for token in arg.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value[token]
    print(value if isinstance(value, str) else json.dumps(value), end="")
' "$@"; }
)";

// The code or reset token in a message's text, found as find_secret (mailbox.h) finds it.
constexpr std::string_view kMailValue = R"(mail_value() { text=$(cat)
  if [ "$1" = otp ]; then printf '%s' "$text" | grep -oE '(^|[^0-9])[0-9]{6}([^0-9]|$)' | head -n 1 | tr -cd 0-9; return; fi
  v=$(printf '%s' "$text" | grep -oE 'token=[A-Za-z0-9._~-]+' | head -n 1 | cut -d= -f2-)
  [ -n "$v" ] || v=$(printf '%s' "$text" | grep -oE '[A-Za-z0-9_-]{16,}' | head -n 1)
  printf '%s' "$v"; }
)";

std::string single_quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Bash text for a link's value: the answer's parts read with link_value; what the script cannot
// read again (the request's own values, $url, $statusCode) as the run saw it.
std::string link_assignment(const Save& save, const std::vector<std::pair<std::string, std::string>>& saved) {
  auto parts = parse_expression_template(save.expression);
  std::string seen;
  for (const auto& [name, value] : saved) {
    if (name == save.name) seen = value;
  }
  bool readable = static_cast<bool>(parts);
  if (parts) {
    for (const TemplatePart& part : *parts) {
      if (part.expression && !(part.expression->kind == RuntimeExpression::Kind::response &&
                               (part.expression->source == RuntimeExpression::Source::body ||
                                part.expression->source == RuntimeExpression::Source::header))) {
        readable = false;
      }
    }
  }
  if (!readable) return save.name + "=" + single_quoted(seen) + "  # " + save.expression + " as the run saw it\n";
  std::string value;
  for (const TemplatePart& part : *parts) {
    if (!part.expression) {
      value += single_quoted(part.literal);
      continue;
    }
    const bool header = part.expression->source == RuntimeExpression::Source::header;
    value += "\"$(printf '%s' \"$answer\" | link_value " + std::string(header ? "header " : "body ") +
             single_quoted(header ? part.expression->name : part.expression->pointer) + ")\"";
  }
  return save.name + "=" + value + "  # " + save.expression + "\n";
}

std::string query_value(const Step& step, std::string_view name) {
  for (const auto& [key, value] : step.parts.query) {
    if (key == name) return value;
  }
  return {};
}

std::string json_string_value(const std::string& key, bool first) {
  return " | grep -o '\"" + key + "\" *: *\"[^\"]*\"' | " + (first ? "head" : "tail") +
         " -n 1 | sed 's/.*\"\\([^\"]*\\)\"$/\\1/'";
}

// Who a mail step reads for: the username and the kind ("otp", "password_reset").
std::pair<std::string, std::string> mail_key(const Step& step) {
  return {query_value(step, "username"), query_value(step, "kind")};
}

// A bash function mail_N that prints the newest message's code or token for one user and kind,
// from the mailbox the run read.
std::string mail_function(std::size_t n, const std::pair<std::string, std::string>& key, const MailboxSource& mailbox,
                          bool insecure) {
  const auto& [username, kind] = key;
  std::string out = "# the newest " + kind + " message for " + username + ", from the mailbox the run read\n";
  out += "mail_" + std::to_string(n) + "() { ";
  if (!mailbox.url.empty()) {
    const std::string fetch = "curl -sS" + std::string(insecure ? " -k" : "") + " " +
                              single_quoted(mailbox.url + "?username=" + url_encode(username) + "&kind=" + url_encode(kind));
    out += "local mail value\n  mail=$(" + fetch + ")\n";
    out += "  value=$(printf '%s' \"$mail\"" + json_string_value(kind == "otp" ? "code" : "token", true) + ")\n";
    out += "  [ -n \"$value\" ] || value=$(printf '%s' \"$mail\"" + json_string_value("text", true) + " | mail_value " +
           kind + ")\n";
    out += "  printf '%s' \"$value\"; }\n";
  } else {
    out += "PBX_MAIL_USERNAME=" + single_quoted(username) + " PBX_MAIL_KIND=" + single_quoted(kind) + " sh -c " +
           single_quoted(mailbox.command) + " | mail_value " + kind + "; }\n";
  }
  return out;
}

// Bash lines that wait, as the run did, for a message newer than the last one seen for the
// same user and kind (mail may take a moment to arrive; up to 10 s), and read its code or
// token into the step's name.
std::string mail_lines(const Step& step, std::size_t n) {
  const std::string name = step.saves.empty() ? "MAIL" : step.saves.front().name;
  const std::string fn = "mail_" + std::to_string(n), seen = "seen_" + std::to_string(n);
  std::string out = "for _ in $(seq 50); do " + name + "=$(" + fn + "); [ -n \"$" + name + "\" ] && [ \"$" + name +
                    "\" != \"$" + seen + "\" ] && break; sleep 0.2; done\n";
  out += seen + "=$" + name + "\n";
  if (mail_key(step).second == "otp") out += wrong_code_name(name) + "=$(printf '%s' \"$" + name + "\" | tr 0123456789 1234567890)\n";
  return out;
}

// A curl command that moves the mock's clock as the run did.
std::string clock_line(const Target& target, const Step& step, bool insecure) {
  const std::string from = query_value(step, "from");
  const std::string offset = query_value(step, "offset");
  const std::string seconds = from.empty() ? offset : "'\"$((" + from + " + (" + offset + ")))\"'";
  return "curl -sS" + std::string(insecure ? " -k" : "") + " -X POST " + single_quoted(target.url() + "/__admin/clock") +
         " -H 'Content-Type: application/json' --data-raw '{\"advance_seconds\":" + seconds + "}' > /dev/null\n";
}

}  // namespace

std::string reproducer_script(const Target& target, const FuzzCase& fuzz_case,
                              const std::vector<std::pair<std::string, std::string>>& saved, bool insecure,
                              const std::string& title, const std::vector<EnvUse>& env,
                              const ReproducerSetting& setting) {
  std::vector<EnvUse> uses = env;
  for (const auto& [name, value] : saved) {
    if (value.size() >= 4) uses.push_back({name, value});
  }
  std::string out = "#!/bin/bash\n# " + title + "\n";
  for (const std::string& link : followed_links(fuzz_case)) out += "# follows the link " + link + "\n";
  bool links = false;
  for (const Step& step : fuzz_case.steps) {
    for (const Save& save : step.saves) links = links || !save.expression.empty();
  }
  if (links) out += std::string(kLinkValue);
  const bool mail = std::any_of(fuzz_case.steps.begin(), fuzz_case.steps.end(),
                                [](const Step& step) { return step.action == StepAction::read_mail; });
  if (mail) out += std::string(kMailValue);
  if (!setting.scenario.empty()) {
    out += "# --mock-admin: load the fuzzer's scenario first; the case signs in as its accounts, which exist only\n"
           "# while it is loaded (GET /__admin/scenarios/active says which one runs; PUT it back afterwards)\n";
    out += "curl -sS" + std::string(insecure ? " -k" : "") + " -X POST " + single_quoted(target.url() + "/__admin/scenarios") +
           " -H 'Content-Type: application/yaml' --data-binary @- > /dev/null <<'PBXMOCK_SCENARIO'\n" + setting.scenario +
           (setting.scenario.back() == '\n' ? "" : "\n") + "PBXMOCK_SCENARIO\n";
  }
  // What the mailbox holds before the case runs, for each user and kind it reads: a message
  // counts only when it is newer (the run notes the same before it starts).
  std::vector<std::pair<std::string, std::string>> mail_keys;
  for (const Step& step : fuzz_case.steps) {
    if (step.action != StepAction::read_mail) continue;
    const auto key = mail_key(step);
    if (std::find(mail_keys.begin(), mail_keys.end(), key) != mail_keys.end()) continue;
    mail_keys.push_back(key);
    const std::size_t n = mail_keys.size();
    out += mail_function(n, key, setting.mailbox, insecure);
    out += "seen_" + std::to_string(n) + "=$(mail_" + std::to_string(n) + ")\n";
  }
  for (std::size_t i = 0; i < fuzz_case.steps.size(); ++i) {
    const Step& step = fuzz_case.steps[i];
    if (step.action == StepAction::read_mail) {
      const auto at = std::find(mail_keys.begin(), mail_keys.end(), mail_key(step));
      out += mail_lines(step, static_cast<std::size_t>(at - mail_keys.begin()) + 1);
      continue;
    }
    if (step.action == StepAction::advance_clock) {
      out += clock_line(target, step, insecure);
      continue;
    }
    const HttpRequest request = render(step.parts, saved);
    CurlOptions options;
    options.insecure = insecure;
    if (request.body.size() > 64 * kChunk && request.body.size() % kChunk == 0) options.repeat = request.body.size() / kChunk;
    const std::string command = curl_command(target, request, uses, options);
    const bool shown = i == (setting.shown_step ? *setting.shown_step : fuzz_case.steps.size() - 1);
    const bool last = i + 1 == fuzz_case.steps.size();
    if (shown && (step.saves.empty() || last)) {
      out += command + "\n";
    } else if (step.saves.empty()) {
      out += command + " > /dev/null\n";
    } else {
      out += "answer=$(" + command + ")\n";
      if (shown) out += "printf '%s\\n' \"$answer\"\n";
      for (const Save& save : step.saves) {
        if (!save.expression.empty()) {
          out += link_assignment(save, saved);
          continue;
        }
        out += save.name + "=$(printf '%s' \"$answer\"" + json_string_value(save.key, save.first) + ")\n";
      }
    }
    if (shown && i + 1 < fuzz_case.steps.size()) {
      out += "# the answer above is the one that fails; the steps below put the account back as it was\n";
    }
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
