// Fuzzes recorded exchanges: any bytes as a HAR file, through what `pbxmock import` does with
// one (read_har, select_api_entries, the exchange checks) and what `pbxmock proxy --record`
// does with each exchange (Recorder::add, then take_ended), then take_all and the scenario
// skeleton. A HAR that does not read is refused with a problem that says what and where. Every
// file the recorder writes keeps its promises: a session file loads with the contract loader
// (a file `check` cannot read is a bug) and is written once; the skeleton parses as YAML; no
// request's password is written (see leaked_password below for how coincidences are told apart).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/contract_loader.h"
#include "contracts/exchange_check.h"
#include "contracts/recording/har_reader.h"
#include "contracts/recording/har_selection.h"
#include "contracts/recording/recorder.h"
#include "contracts/recording/token_trail.h"
#include "fuzz/broken_invariant.h"
#include "mock/cli/spec_choice.h"
#include "spec/document_reader.h"
#include "spec/openapi.h"
#include "spec/structured_document.h"

using namespace pbxmock;
using pbxmock::fuzz::broken;
using nlohmann::json;

namespace {

constexpr std::string_view kFile = "fuzz.har";
constexpr std::size_t kMinPasswordLength = 8;  // the brief's "worth checking": shorter ones occur by chance

const contracts::ExchangeChecker& checker() {
  static const contracts::ExchangeChecker instance(spec::builtin_spec(), cli::mock_own_path_prefixes());
  return instance;
}

struct Recording {
  std::vector<contracts::recording::RecordedFile> sessions;  // take_ended's, then take_all's
  contracts::recording::RecordedFile scenario;
};

// As the proxy feeds the recorder: take_ended after every exchange, the rest at the end.
Recording record(const std::vector<contracts::Exchange>& exchanges) {
  contracts::recording::Recorder recorder(spec::builtin_spec());
  Recording out;
  for (const auto& exchange : exchanges) {
    recorder.add(exchange);
    for (auto& file : recorder.take_ended()) out.sessions.push_back(std::move(file));
  }
  for (auto& file : recorder.take_all()) out.sessions.push_back(std::move(file));
  out.scenario = recorder.scenario_skeleton();
  return out;
}

// The string values of members named "password" at any depth of a JSON request body, as the
// recorder reads the body (a form or raw body is not looked at: narrower, never wrong).
void collect_passwords(const json& value, std::set<std::string>& out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key == "password" && item.is_string()) {
        if (item.get_ref<const std::string&>().size() >= kMinPasswordLength) out.insert(item.get<std::string>());
      } else {
        collect_passwords(item, out);
      }
    }
  } else if (value.is_array()) {
    for (const auto& item : value) collect_passwords(item, out);
  }
}

// The same body with every password member whose value is `from` holding `to` instead.
void replace_passwords(json& value, const std::string& from, const std::string& to) {
  if (value.is_object()) {
    for (auto& [key, item] : value.items()) {
      if (key == "password" && item.is_string() && item.get_ref<const std::string&>() == from) {
        item = to;
      } else {
        replace_passwords(item, from, to);
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) replace_passwords(item, from, to);
  }
}

bool appears_in(const Recording& recording, const std::string& value) {
  for (const auto& file : recording.sessions)
    if (file.text.find(value) != std::string::npos) return true;
  return recording.scenario.text.find(value) != std::string::npos;
}

// A password found in a written file may be there by right: the same characters may also be a
// username, a path, an answer's field, or words the writer itself writes. So the recording is
// made again with that password (every password member holding it) replaced by a value that
// shares no character with it; only when the value is then gone from every file did the
// password put it there. Returns the file that held it, or "".
std::string leaked_password(const std::vector<contracts::Exchange>& exchanges, const Recording& recording,
                            const std::string& password) {
  std::string where;
  for (const auto& file : recording.sessions)
    if (where.empty() && file.text.find(password) != std::string::npos) where = file.name;
  if (where.empty() && recording.scenario.text.find(password) != std::string::npos) where = recording.scenario.name;
  if (where.empty()) return "";
  char stand_in = 'a';
  while (password.find(stand_in) != std::string::npos) ++stand_in;  // 26+ letters, so one is free...
  if (stand_in > 'z') return "";                                     // ...or the check is skipped
  const std::string replacement(password.size(), stand_in);
  std::vector<contracts::Exchange> changed = exchanges;
  for (auto& exchange : changed) {
    const auto body = contracts::recording::read_request_body(exchange.request);
    if (body.kind != contracts::recording::RequestBody::Kind::json) continue;
    json edited = body.json;
    replace_passwords(edited, password, replacement);
    if (edited != body.json) exchange.request.body = edited.dump();
  }
  return appears_in(record(changed), password) ? "" : where;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto entries = contracts::recording::read_har(input);
  if (!entries) {
    const auto& problem = entries.error();
    const std::string described = problem.describe(std::string(kFile));
    if (problem.message.empty() || described.size() <= kFile.size() + 2) broken("a refusal that says nothing", input, described);
    if (problem.line == 0 && problem.column != 0) broken("a column without a line", input, described);
    const std::size_t lines = static_cast<std::size_t>(std::count(input.begin(), input.end(), '\n')) + 1;
    if (problem.line > lines) broken("a problem past the last line", input, described);
    return 0;
  }
  const auto selection = contracts::recording::select_api_entries(*entries, checker());
  if (selection.api.size() + selection.other.size() != entries->size()) broken("entries lost by the selection", input);

  std::vector<contracts::Exchange> exchanges;
  std::set<std::string> passwords;
  for (const std::size_t i : selection.api) {
    if (i >= entries->size()) broken("a selected index past the entries", input, std::to_string(i));
    const contracts::Exchange& exchange = (*entries)[i].exchange;
    for (const auto& violation : checker().check(exchange)) {
      if (violation.rule.empty() || violation.message.empty()) broken("a violation without a rule or message", input, contracts::to_line(violation));
    }
    const auto body = contracts::recording::read_request_body(exchange.request);
    if (body.kind == contracts::recording::RequestBody::Kind::json) collect_passwords(body.json, passwords);
    exchanges.push_back(exchange);
  }

  const Recording recording = record(exchanges);
  std::set<std::string> names;
  std::size_t steps = 0;
  for (const auto& file : recording.sessions) {
    if (!names.insert(file.name).second) broken("a session file written twice", input, file.name);
    const auto loaded = contracts::load_contracts(file.text, file.name);
    if (!loaded) broken("a written contract file does not load", input, file.name + ":\n" + file.text + spec::to_string(loaded.error()));
    for (const auto& contract : loaded->contracts) steps += contract.steps.size();
  }
  // Each exchange is written at most once (one that sends an already written session's token is dropped).
  if (steps > exchanges.size()) broken("more steps written than exchanges recorded", input, std::to_string(steps));
  const auto scenario = spec::parse_structured(recording.scenario.text, recording.scenario.name);
  if (!scenario) broken("the scenario skeleton is not YAML", input, recording.scenario.text + scenario.error().to_string());

  for (const std::string& password : passwords) {
    const std::string where = leaked_password(exchanges, recording, password);
    if (!where.empty()) broken("a request's password written to a file", input, where + ": " + password);
  }
  return 0;
}
