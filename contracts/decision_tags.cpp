#include "contracts/decision_tags.h"

#include <algorithm>
#include <map>

#include "spec/ascii.h"

namespace pbxmock::contracts {

bool is_decision_tag(std::string_view tag) noexcept {
  if (tag.size() < 2 || tag.size() > 4 || tag[0] != 'B' || tag[1] == '0') return false;
  return std::all_of(tag.begin() + 1, tag.end(), [](char c) { return spec::ascii::is_digit(c); });
}

std::vector<TagOutcome> decision_tags(const RunResult& run) {
  std::map<int, TagOutcome> by_number;
  for (const auto& contract : run.contracts) {
    for (const auto& step : contract.steps) {
      std::vector<std::string> counted;  // a tag given twice counts once
      for (const auto& tag : step.tags) {
        if (!is_decision_tag(tag) || std::find(counted.begin(), counted.end(), tag) != counted.end()) continue;
        counted.push_back(tag);
        TagOutcome& outcome = by_number[std::stoi(tag.substr(1))];
        outcome.tag = tag;
        (step.outcome == Outcome::passed ? outcome.passed : outcome.failed) += 1;
      }
    }
  }
  std::vector<TagOutcome> out;
  for (auto& [number, outcome] : by_number) out.push_back(std::move(outcome));
  return out;
}

std::string decision_lines(const std::vector<TagOutcome>& outcomes) {
  std::string out;
  for (const auto& o : outcomes) {
    const std::size_t total = o.passed + o.failed;
    const std::string steps = std::to_string(total) + (total == 1 ? " step" : " steps");
    if (o.failed == 0) {
      out += o.tag + " shared: passed (" + steps + ")\n";
    } else {
      out += o.tag + " differs: failed (" + std::to_string(o.failed) + " of " + steps + ")\n";
    }
  }
  return out;
}

}  // namespace pbxmock::contracts
