#include "contracts/fuzzing/reproducer.h"

#include "contracts/curl_command.h"

namespace pbxmock::contracts::fuzzing {
namespace {

// Bodies this long do not fit in one argument (Linux: 128 KiB); curl_command then builds
// them from a repeated chunk when they are one.
constexpr std::size_t kChunk = 1024;

}  // namespace

std::string reproducer_script(const Target& target, const FuzzCase& fuzz_case,
                              const std::vector<std::pair<std::string, std::string>>& saved, bool insecure,
                              const std::string& title, const std::vector<EnvUse>& env) {
  std::vector<EnvUse> uses = env;
  for (const auto& [name, value] : saved) {
    if (value.size() >= 4) uses.push_back({name, value});
  }
  std::string out = "#!/bin/bash\n# " + title + "\n";
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
        out += save.name + "=$(printf '%s' \"$answer\" | grep -o '\"" + save.key +
               "\" *: *\"[^\"]*\"' | " + (save.first ? "head" : "tail") + " -n 1 | sed 's/.*\"\\([^\"]*\\)\"$/\\1/')\n";
      }
    }
  }
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
