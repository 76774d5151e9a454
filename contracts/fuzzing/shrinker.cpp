#include "contracts/fuzzing/shrinker.h"

#include <algorithm>
#include <optional>

namespace pbxmock::contracts::fuzzing {
namespace {

using nlohmann::json;

int status_of(const StepRun& run) { return run.response ? run.response->status : 0; }

// The step the failure is judged on: the last one of the failing operation.
std::optional<std::size_t> judged_step(const FuzzCase& fuzz_case, const std::string& operation) {
  for (std::size_t i = fuzz_case.steps.size(); i-- > 0;) {
    if (fuzz_case.steps[i].operation_id == operation) return i;
  }
  return std::nullopt;
}

// `text` cut to `length` bytes, still ending on something a name or a domain may end on.
std::string cut(const std::string& text, std::size_t length) {
  std::string out = text.substr(0, length);
  if (!out.empty() && (out.back() == '.' || out.back() == '-')) out.back() = 'x';
  return out;
}

class Shrinker {
 public:
  Shrinker(const FailureKey& key, const CaseBuilder& builder, const spec::OpenApiDocument& document,
           const std::function<CaseRun(const FuzzCase&)>& run_case, std::size_t budget)
      : key_(key), builder_(builder), document_(document), run_case_(run_case), budget_(budget) {}

  ShrinkResult run(FuzzCase current, CaseRun current_run) {
    // Steps after the first failing one (a link followed further, say), and steps never sent
    // (a link not followed), are not needed to show it.
    std::size_t keep = std::min(current.steps.size(), current_run.steps.size());
    for (std::size_t i = 0; i < keep; ++i) {
      const StepRun& step_run = current_run.steps[i];
      const bool fails = current.steps[i].operation_id == key_.operation && status_of(step_run) == key_.status &&
                         std::any_of(step_run.outcome.failures.begin(), step_run.outcome.failures.end(),
                                     [&](const CheckFailure& failure) { return failure.check == key_.check; });
      if (fails) {
        keep = i + 1;
        break;
      }
    }
    if (keep > 0 && keep < current.steps.size()) {
      FuzzCase candidate = current;
      candidate.steps.resize(keep);
      try_candidate(candidate, current, current_run);
    }
    // The sequence: drop each step before the judged one that it turns out not to need.
    for (std::size_t i = 0; i + 1 < current.steps.size();) {
      if (current.steps[i].essential) {
        ++i;
        continue;
      }
      FuzzCase candidate = current;
      candidate.steps.erase(candidate.steps.begin() + static_cast<std::ptrdiff_t>(i));
      if (try_candidate(candidate, current, current_run)) continue;
      ++i;
    }
    const auto index = judged_step(current, key_.operation);
    const spec::Operation* operation = index ? document_.find_operation(key_.operation) : nullptr;
    if (operation != nullptr && current.steps[*index].parts.body.is_object() &&
        current.steps[*index].parts.encoding != BodyEncoding::raw) {
      const bool was_valid = builder_.valid(*operation, current.steps[*index].parts);
      auto keeps_validity = [&](const FuzzCase& candidate) {
        return builder_.valid(*operation, candidate.steps[*index].parts) == was_valid;
      };
      // Properties, one at a time.
      const json body = current.steps[*index].parts.body;
      for (const auto& [name, value] : body.items()) {
        FuzzCase candidate = current;
        candidate.steps[*index].parts.body.erase(name);
        if (keeps_validity(candidate)) try_candidate(candidate, current, current_run);
      }
      // Strings: the shortest length that still fails (bisection; lengths are where servers break).
      const json properties = current.steps[*index].parts.body;
      for (const auto& [name, value] : properties.items()) {
        if (!value.is_string()) continue;
        const std::string original = value.get<std::string>();
        if (original.find("${") != std::string::npos) continue;
        std::size_t lo = 0;
        std::size_t hi = original.size();  // fails at hi
        while (lo < hi && attempts_ < budget_) {
          const std::size_t mid = lo + (hi - lo) / 2;
          FuzzCase candidate = current;
          candidate.steps[*index].parts.body[name] = cut(original, mid);
          if (!keeps_validity(candidate)) {
            lo = mid + 1;
            continue;
          }
          CaseRun run = run_case_(candidate);
          ++attempts_;
          if (shows(candidate, run, key_)) {
            hi = mid;
            best_ = std::move(candidate);
            best_run_ = std::move(run);
          } else {
            lo = mid + 1;
          }
        }
        if (best_) {
          current = std::move(*best_);
          current_run = std::move(best_run_);
          best_.reset();
        }
      }
    }
    CaseRun again = run_case_(current);
    Confirmation confirmation = Confirmation::not_sent;
    if (!again.cut) {
      confirmation = shows(current, again, key_) ? Confirmation::confirmed : Confirmation::not_reproduced;
      current_run = std::move(again);
    }
    return {std::move(current), std::move(current_run), attempts_, confirmation};
  }

 private:
  bool try_candidate(const FuzzCase& candidate, FuzzCase& current, CaseRun& current_run) {
    if (attempts_ >= budget_) return false;
    ++attempts_;
    CaseRun run = run_case_(candidate);
    if (!shows(candidate, run, key_)) return false;
    current = candidate;
    current_run = std::move(run);
    return true;
  }

  const FailureKey& key_;
  const CaseBuilder& builder_;
  const spec::OpenApiDocument& document_;
  const std::function<CaseRun(const FuzzCase&)>& run_case_;
  std::size_t budget_;
  std::size_t attempts_ = 0;
  std::optional<FuzzCase> best_;
  CaseRun best_run_;
};

}  // namespace

bool shows(const FuzzCase& fuzz_case, const CaseRun& run, const FailureKey& key) {
  for (std::size_t i = 0; i < run.steps.size() && i < fuzz_case.steps.size(); ++i) {
    if (fuzz_case.steps[i].operation_id != key.operation || status_of(run.steps[i]) != key.status) continue;
    for (const CheckFailure& failure : run.steps[i].outcome.failures) {
      if (failure.check == key.check) return true;
    }
  }
  return false;
}

ShrinkResult shrink(const FuzzCase& failing, const CaseRun& failing_run, const FailureKey& key,
                    const CaseBuilder& builder, const spec::OpenApiDocument& document,
                    const std::function<CaseRun(const FuzzCase&)>& run_case, std::size_t budget) {
  return Shrinker(key, builder, document, run_case, budget).run(failing, failing_run);
}

}  // namespace pbxmock::contracts::fuzzing
