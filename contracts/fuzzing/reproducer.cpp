#include "contracts/fuzzing/reproducer.h"

#include "contracts/curl_command.h"
#include "contracts/fuzzing/runtime_expression.h"

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

}  // namespace

std::string reproducer_script(const Target& target, const FuzzCase& fuzz_case,
                              const std::vector<std::pair<std::string, std::string>>& saved, bool insecure,
                              const std::string& title, const std::vector<EnvUse>& env) {
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
  for (std::size_t i = 0; i < fuzz_case.steps.size(); ++i) {
    const Step& step = fuzz_case.steps[i];
    const HttpRequest request = render(step.parts, saved);
    CurlOptions options;
    options.insecure = insecure;
    if (request.body.size() > 64 * kChunk && request.body.size() % kChunk == 0) options.repeat = request.body.size() / kChunk;
    const std::string command = curl_command(target, request, uses, options);
    const bool last = i + 1 == fuzz_case.steps.size();
    if (last) {
      out += command + "\n";
    } else if (step.saves.empty()) {
      out += command + " > /dev/null\n";
    } else {
      out += "answer=$(" + command + ")\n";
      for (const Save& save : step.saves) {
        if (!save.expression.empty()) {
          out += link_assignment(save, saved);
          continue;
        }
        out += save.name + "=$(printf '%s' \"$answer\" | grep -o '\"" + save.key +
               "\" *: *\"[^\"]*\"' | " + (save.first ? "head" : "tail") + " -n 1 | sed 's/.*\"\\([^\"]*\\)\"$/\\1/')\n";
      }
    }
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
