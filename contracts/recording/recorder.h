#pragma once
// Exchanges in, contract files out: what `pbxmock import` does with a HAR file and what the
// proxy's --record does with the traffic it forwards. The exchanges are grouped into client
// sessions (session_grouping.h), each written as one contract file (contract_writer.h), and a
// scenario skeleton is written from what the exchanges show of the server
// (scenario_skeleton.h). No secret is written: passwords, codes and tokens no answer issued
// become ${env.NAME} variables (listed in `environment`), tokens an answer issued are saved.
//
// The recorder records every exchange it is given; choosing the API's (ExchangeChecker::is_api)
// is the caller's.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "contracts/exchange.h"
#include "contracts/recording/session_grouping.h"
#include "contracts/recording/token_trail.h"
#include "contracts/spec_checks.h"
#include "spec/openapi.h"

namespace pbxmock::contracts::recording {

struct RecordedFile {
  std::string name;  // a file name without folders: "session-1.yaml", "scenario.yaml"
  std::string text;
};

struct RecorderOptions {
  std::string file_prefix = "session";  // session files are <prefix>-<n>.yaml
  std::string env_prefix = "PBX_";
};

class Recorder {
 public:
  // `document` must outlive the recorder.
  explicit Recorder(const spec::OpenApiDocument& document, RecorderOptions options = {});

  // In the order the exchanges happened.
  void add(Exchange exchange);

  // The sessions a sign-out has ended since the last call, each once. Exchanges that send a
  // written session's token later are not written again.
  std::vector<RecordedFile> take_ended();

  // Every session not yet taken (in the order they began).
  std::vector<RecordedFile> take_all();

  // The scenario skeleton from every exchange added ("scenario.yaml").
  RecordedFile scenario_skeleton() const;

  // The environment variables the files written so far read, in the order named.
  const std::vector<std::string>& environment() const { return secrets_.names(); }

  std::size_t exchanges() const { return exchanges_.size(); }

 private:
  // The sessions among the exchanges not yet written, as indices into exchanges_.
  std::vector<std::vector<std::size_t>> sessions() const;
  // The session's file; the caller takes its members out of open_.
  RecordedFile write(const std::vector<std::size_t>& members);

  SpecChecker checker_;
  RecorderOptions options_;
  std::vector<Exchange> exchanges_;
  // What grouping needs of each exchange, found once as it is added: a proxy adds exchanges
  // for hours, and finding them again over all of them at every sign-out is quadratic.
  std::vector<ExchangeFacts> facts_;
  std::map<std::string, std::size_t> issuer_;  // token value -> exchange whose answer issued it
  std::vector<std::size_t> open_;               // exchanges not written (nor dropped), in order
  bool ended_since_take_ = false;               // a sign-out was added since take_ended()
  EnvSecrets secrets_;
  std::size_t files_ = 0;
};

}  // namespace pbxmock::contracts::recording
