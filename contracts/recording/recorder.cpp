#include "contracts/recording/recorder.h"

#include <map>

#include "contracts/recording/contract_writer.h"
#include "contracts/recording/scenario_skeleton.h"
#include "contracts/recording/session_grouping.h"
#include "spec/request_view.h"

namespace pbxmock::contracts::recording {
namespace {

bool is_sign_out(const OperationLookup& found) {
  if (found.kind != OperationLookup::Kind::found) return false;
  const std::string& id = found.operation->operation_id;
  return id == "signOut" || id == "logout";
}

// "alice@pbx.example.com" from the session's first sign-in body, else "".
std::string signed_in_as(const std::vector<Exchange>& all, const std::vector<std::size_t>& members) {
  for (const std::size_t i : members) {
    const RequestBody body = read_request_body(all[i].request);
    const nlohmann::json* user = nullptr;
    if (body.kind == RequestBody::Kind::json && body.json.is_object() && body.json.contains("username")) {
      user = &body.json["username"];
    }
    if (user == nullptr || !user->is_string()) continue;
    std::string out = user->get<std::string>();
    const auto domain = body.json.find("domain");
    if (domain != body.json.end() && domain->is_string()) out += "@" + domain->get<std::string>();
    return out;
  }
  return "";
}

}  // namespace

Recorder::Recorder(const spec::OpenApiDocument& document, RecorderOptions options)
    : checker_(document), options_(std::move(options)), secrets_(options_.env_prefix) {}

void Recorder::add(Exchange exchange) { exchanges_.push_back(std::move(exchange)); }

std::vector<std::vector<std::size_t>> Recorder::sessions() const {
  std::vector<ExchangeFacts> facts(exchanges_.size());
  std::map<std::string, std::size_t> issuer;  // token value -> exchange whose answer issued it
  for (std::size_t i = 0; i < exchanges_.size(); ++i) {
    const Exchange& e = exchanges_[i];
    for (const std::string& value : request_strings(e.request)) {
      const auto it = issuer.find(value);
      if (it != issuer.end()) facts[i].uses_tokens_of.push_back(it->second);
    }
    const auto tokens = issued_tokens(e.response);
    facts[i].issues_token = !tokens.empty();
    for (const IssuedToken& t : tokens) issuer.emplace(t.value, i);
    const bool succeeded = e.response.status >= 200 && e.response.status <= 299;
    facts[i].ends_session =
        succeeded && is_sign_out(checker_.lookup(e.request.method, spec::split_target(e.request.target).path));
  }
  return group_sessions(facts);
}

RecordedFile Recorder::write(const std::vector<std::size_t>& members) {
  written_.insert(members.front());
  ++files_;
  SessionContract session;
  session.name = "session " + std::to_string(files_);
  const std::string user = signed_in_as(exchanges_, members);
  if (!user.empty()) session.name += ": " + user;
  session.exchanges = members;
  return {options_.file_prefix + "-" + std::to_string(files_) + ".yaml",
          write_session_contract(exchanges_, session, checker_, secrets_)};
}

std::vector<RecordedFile> Recorder::take_ended() {
  std::vector<RecordedFile> out;
  for (const auto& members : sessions()) {
    if (written_.count(members.front())) continue;
    const Exchange& last = exchanges_[members.back()];
    const bool ended = last.response.status >= 200 && last.response.status <= 299 &&
                       is_sign_out(checker_.lookup(last.request.method, spec::split_target(last.request.target).path));
    if (ended) out.push_back(write(members));
  }
  return out;
}

std::vector<RecordedFile> Recorder::take_all() {
  std::vector<RecordedFile> out;
  for (const auto& members : sessions())
    if (!written_.count(members.front())) out.push_back(write(members));
  return out;
}

RecordedFile Recorder::scenario_skeleton() const {
  return {"scenario.yaml", write_scenario_skeleton(exchanges_, checker_)};
}

}  // namespace pbxmock::contracts::recording
