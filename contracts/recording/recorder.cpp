#include "contracts/recording/recorder.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "contracts/recording/contract_writer.h"
#include "contracts/recording/scenario_skeleton.h"
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

void Recorder::add(Exchange exchange) {
  const std::size_t i = exchanges_.size();
  ExchangeFacts facts;
  bool uses_written_only = false;
  for (const std::string& value : request_strings(exchange.request)) {
    const auto it = issuer_.find(value);
    if (it != issuer_.end()) facts.uses_tokens_of.push_back(it->second);
  }
  if (!facts.uses_tokens_of.empty()) {
    // Its tokens' sessions were all written already: it is not written again.
    uses_written_only = std::none_of(facts.uses_tokens_of.begin(), facts.uses_tokens_of.end(), [&](std::size_t issuer) {
      return std::binary_search(open_.begin(), open_.end(), issuer);
    });
  }
  const auto tokens = issued_tokens(exchange.response);
  facts.issues_token = !tokens.empty();
  for (const IssuedToken& t : tokens) issuer_.emplace(t.value, i);
  const bool succeeded = exchange.response.status >= 200 && exchange.response.status <= 299;
  facts.ends_session = succeeded && is_sign_out(checker_.lookup(exchange.request.method,
                                                                spec::split_target(exchange.request.target).path));
  ended_since_take_ = ended_since_take_ || facts.ends_session;
  exchanges_.push_back(std::move(exchange));
  facts_.push_back(std::move(facts));
  if (!uses_written_only) open_.push_back(i);
}

std::vector<std::vector<std::size_t>> Recorder::sessions() const {
  // Grouped over the open exchanges only, renumbered 0..n-1; tokens of written ones are gone.
  std::map<std::size_t, std::size_t> local;
  for (std::size_t k = 0; k < open_.size(); ++k) local.emplace(open_[k], k);
  std::vector<ExchangeFacts> facts;
  facts.reserve(open_.size());
  for (const std::size_t i : open_) {
    ExchangeFacts f = facts_[i];
    f.uses_tokens_of.clear();
    for (const std::size_t issuer : facts_[i].uses_tokens_of) {
      const auto it = local.find(issuer);
      if (it != local.end()) f.uses_tokens_of.push_back(it->second);
    }
    facts.push_back(std::move(f));
  }
  auto groups = group_sessions(facts);
  for (auto& members : groups)
    for (std::size_t& k : members) k = open_[k];
  return groups;
}

RecordedFile Recorder::write(const std::vector<std::size_t>& members) {
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
  if (!ended_since_take_) return out;
  ended_since_take_ = false;
  std::vector<std::size_t> written;
  for (const auto& members : sessions()) {
    // Found once when added: a route lookup per open session at every sign-out was most of it.
    if (!facts_[members.back()].ends_session) continue;
    out.push_back(write(members));
    written.insert(written.end(), members.begin(), members.end());
  }
  // Closed in one pass, not once per session written (quadratic when one take writes many).
  std::sort(written.begin(), written.end());
  std::vector<std::size_t> still_open;
  std::set_difference(open_.begin(), open_.end(), written.begin(), written.end(), std::back_inserter(still_open));
  open_ = std::move(still_open);
  return out;
}

std::vector<RecordedFile> Recorder::take_all() {
  std::vector<RecordedFile> out;
  for (const auto& members : sessions()) out.push_back(write(members));
  open_.clear();
  return out;
}

RecordedFile Recorder::scenario_skeleton() const {
  return {"scenario.yaml", write_scenario_skeleton(exchanges_, checker_)};
}

}  // namespace pbxmock::contracts::recording
