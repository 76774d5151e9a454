#include "contracts/contract_lint.h"

#include <algorithm>
#include <set>
#include <string>

#include "contracts/expectations.h"
#include "contracts/variables.h"
#include "spec/media_type.h"

namespace pbxmock::contracts {
namespace {

bool allows(const Step& step, std::string_view check) {
  return std::any_of(step.allow.begin(), step.allow.end(), [&](const AllowedCheck& a) { return a.check == check; });
}

bool expects_success(const Expectations& e) {
  if (!e.status) return false;
  const bool codes = std::all_of(e.status->codes.begin(), e.status->codes.end(), [](int c) { return c / 100 == 2; });
  const bool classes = std::all_of(e.status->classes.begin(), e.status->classes.end(), [](int c) { return c == 2; });
  return codes && classes;
}

bool expects_only_client_errors(const Expectations& e) {
  if (!e.status) return true;  // unknown: not contradictory
  const bool codes = std::all_of(e.status->codes.begin(), e.status->codes.end(), [](int c) { return c / 100 == 4; });
  const bool classes = std::all_of(e.status->classes.begin(), e.status->classes.end(), [](int c) { return c == 4; });
  return codes && classes;
}

bool holds_placeholder(const nlohmann::json* value) {
  return value != nullptr && value->is_string() && value->get_ref<const std::string&>().find("${") != std::string::npos;
}

// Every string (and object key) under `value`, with its JSON Pointer.
void strings_under(const nlohmann::json& value, const std::string& pointer,
                   std::vector<std::pair<std::string, std::string>>& out) {
  if (value.is_string()) {
    out.emplace_back(pointer, value.get<std::string>());
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      const std::string at = spec::pointer_append(pointer, key);
      out.emplace_back(at, key);
      strings_under(member, at, out);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) strings_under(value[i], pointer + "/" + std::to_string(i), out);
  }
}

class Linter {
 public:
  Linter(const ContractFile& file, const SpecChecker& checker)
      : file_(file), doc_(*file.source), checker_(checker) {}

  std::vector<spec::SourceError> run() {
    std::set<std::string> file_variables;
    for (const auto& [name, value] : file_.variables) {
      check_names(value, spec::pointer_append("/variables", name), file_variables, "the variables above it");
      file_variables.insert(name);
    }
    file_variables.insert("target");
    for (const auto& contract : file_.contracts) {
      std::set<std::string> known = file_variables;
      for (const auto& step : contract.steps) {
        lint_step(step, known);
        for (const auto& rule : step.save) known.insert(rule.name);
      }
    }
    std::stable_sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.position.line, a.position.column) < std::tie(b.position.line, b.position.column);
    });
    return std::move(errors_);
  }

 private:
  void error(const std::string& pointer, std::string message) { errors_.push_back(doc_.error_at(pointer, std::move(message))); }

  void check_names(const nlohmann::json& value, const std::string& pointer, const std::set<std::string>& known,
                   const char* where) {
    std::vector<std::pair<std::string, std::string>> strings;
    strings_under(value, pointer, strings);
    for (const auto& [at, text] : strings) {
      auto pieces = parse_template(text);
      if (!pieces) continue;  // the loader reported it
      for (const auto& piece : *pieces) {
        const auto& p = piece.placeholder;
        if (!p || p->env || p->fallback || known.count(p->name) != 0) continue;
        error(at, "${" + p->name + "} is not defined here: not a file variable, not `target`, not saved by " + where);
      }
    }
  }

  void lint_step(const Step& step, const std::set<std::string>& known) {
    const nlohmann::json* raw = spec::resolve_pointer(doc_.root(), step.pointer);
    if (raw == nullptr) return;
    for (const char* part : {"request", "expect"}) {
      if (const auto it = raw->find(part); it != raw->end()) {
        check_names(*it, step.pointer + "/" + part, known, "an earlier step");
      }
    }
    if (step.expect.error_code && !expects_only_client_errors(step.expect)) {
      error(step.pointer + "/expect/error_code",
            "error_code expects a vendor error body, but the expected status is " + describe_status(*step.expect.status));
    }
    const auto& request = step.request;
    if (request.path.find("${") != std::string::npos || request.path.rfind("/", 0) != 0) return;
    const std::string path = request.path.substr(0, request.path.find('?'));
    const auto found = checker_.lookup(request.method, path);
    if (found.kind == OperationLookup::Kind::not_api) return;
    if (found.kind == OperationLookup::Kind::unknown) {
      if (!allows(step, "unknown_operation")) {
        error(step.pointer + "/request/path", request.method + " " + path + ": " + found.message +
                                                  " (allow unknown_operation if this is on purpose)");
      }
      return;
    }
    const auto& op = *found.operation;
    if (step.expect.status && !allows(step, "undeclared_status")) {
      for (int code : step.expect.status->codes) {
        if (op.find_response(code) == nullptr) {
          error(step.pointer + "/expect/status", "status " + std::to_string(code) + " is not declared for " +
                                                     op.method + " " + op.path_template +
                                                     " (allow undeclared_status if this is on purpose)");
        }
      }
    }
    if (request.body_kind == BodyKind::json && expects_success(step.expect)) lint_body(step, op);
  }

  void lint_body(const Step& step, const spec::Operation& op) {
    const spec::MediaType* media = nullptr;
    for (const auto& m : op.request_body)
      if (spec::is_json_media_type(m.content_type) && m.schema != nullptr) media = &m;
    if (media == nullptr) return;
    for (const auto& v : checker_.validator().validate(*media->schema, step.request.json, spec::Direction::request, 16)) {
      // A value with a placeholder is only known at run time.
      if (holds_placeholder(spec::resolve_pointer(step.request.json, v.pointer))) continue;
      error(step.pointer + "/request/json" + v.pointer,
            "the step expects success, but " + op.operation_id + "'s request schema rejects this body: " + describe(v));
    }
  }

  const ContractFile& file_;
  const spec::StructuredDocument& doc_;
  const SpecChecker& checker_;
  std::vector<spec::SourceError> errors_;
};

}  // namespace

std::vector<spec::SourceError> lint_contracts(const ContractFile& file, const SpecChecker& checker) {
  if (!file.source) return {};
  return Linter(file, checker).run();
}

}  // namespace pbxmock::contracts
