#include "contracts/fuzzing/side_steps.h"

#include <charconv>

namespace pbxmock::contracts::fuzzing {
namespace {

std::string query_value(const Step& step, std::string_view name) {
  for (const auto& [key, value] : step.parts.query) {
    if (key == name) return value;
  }
  return {};
}

std::optional<long long> whole_number(std::string_view text) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string wrong_code_name(const std::string& name) { return name + "_WRONG"; }

StepRun SideSteps::run(const Step& step, std::vector<std::pair<std::string, std::string>>& saved) {
  StepRun out;
  const auto started = std::chrono::steady_clock::now();
  if (step.action == StepAction::read_mail) {
    const std::string username = query_value(step, "username");
    const std::string kind = query_value(step, "kind");
    out.request = {"GET", "mailbox: newest " + kind + " message for " + username, {}, {}};
    if (mailbox_ == nullptr || step.saves.empty()) {
      out.transport_error = "no mailbox to read the " + kind + " message from (--mailbox or --mailbox-command)";
    } else if (auto value = mailbox_->fresh(username, kind, timeout_)) {
      if (kind == "otp") saved.emplace_back(wrong_code_name(step.saves.front().name), wrong_code(*value));
      saved.emplace_back(step.saves.front().name, std::move(*value));
    } else {
      out.transport_error = value.error();
    }
  } else if (step.action == StepAction::advance_clock) {
    const std::string from = query_value(step, "from");
    std::optional<long long> base = from.empty() ? std::optional<long long>(0) : std::nullopt;
    for (const auto& [name, value] : saved) {
      if (name == from) base = whole_number(value);
    }
    const auto offset = whole_number(query_value(step, "offset"));
    if (!base || !offset) {
      out.transport_error = "the clock cannot be moved: no whole number of seconds saved as " + from;
    } else {
      const long long seconds = std::max(0LL, *base + *offset);
      out.request = {"POST", "/__admin/clock", {{"Content-Type", "application/json"}},
                     nlohmann::json({{"advance_seconds", seconds}}).dump()};
      auto answer = admin_.send(out.request, timeout_);
      if (!answer) {
        out.transport_error = "/__admin/clock: " + answer.error().message;
      } else if (answer->status != 200) {
        out.transport_error = "/__admin/clock answered " + std::to_string(answer->status) + ": " + answer->body;
      } else {
        out.response = std::move(answer).value();
      }
    }
  } else {
    out.transport_error = "not a side step";
  }
  out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  return out;
}

}  // namespace pbxmock::contracts::fuzzing
