#pragma once
// `pbxmock proxy`'s forwarder: each request goes to the upstream through the client `check`
// and `fuzz` use (contracts/http_client.h: one deadline for the whole answer, a size cap on
// it), the answer comes back as it came, and both directions are checked against the spec
// (contracts/exchange_check.h). The API's exchanges go to the recording when there is one.
//
// An upstream that does not answer in time gets the client a 504, one that cannot be reached
// or answers too much or not in HTTP a 502, each in the vendor's error body with a detail
// that says what happened; neither holds the proxy beyond the deadline or the cap. A request
// that has been through this proxy before is a loop, refused with 508.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "contracts/exchange_check.h"
#include "contracts/http_client.h"
#include "mock/http/forwarder.h"
#include "mock/proxy/session_recording.h"

namespace pbxmock::mock::proxy {

struct ProxyOptions {
  contracts::Target upstream;
  contracts::ClientOptions client;  // certificate checks (-k), the answer's size cap
  std::chrono::milliseconds timeout{30'000};  // for the whole answer, connecting included
  bool strict = false;                        // refuse a request that breaks the spec
};

class UpstreamForwarder final : public Forwarder {
 public:
  // `document` and `recording` (nullptr: none) must outlive the forwarder.
  UpstreamForwarder(const spec::OpenApiDocument& document, ProxyOptions options, SessionRecording* recording);
  ~UpstreamForwarder() override;

  std::optional<Forwarded> screen(const spec::RequestView& view, const spec::NameValuePairs& headers) override;
  Forwarded forward(const spec::RequestView& view, const spec::NameValuePairs& headers) noexcept override;

 private:
  Forwarded send(const spec::RequestView& view, const spec::NameValuePairs& headers);
  // A client of the pool (each keeps one connection to the upstream alive), or a new one.
  std::unique_ptr<contracts::HttpClient> take_client();
  void give_back(std::unique_ptr<contracts::HttpClient> client);
  // The operationId the lookup found, "" for none.
  static std::string operation_of(const contracts::OperationLookup& found);

  contracts::ExchangeChecker checker_;
  ProxyOptions options_;
  SessionRecording* recording_;
  // "1.1 pbxmock-<random>", sent as a Via header: a request that comes back with it went
  // round a loop (an upstream that is this proxy, or leads back to it) and is refused with
  // 508 instead of being forwarded again until every worker waits on another.
  std::string via_;
  std::mutex clients_mutex_;
  std::vector<std::unique_ptr<contracts::HttpClient>> idle_clients_;
};

}  // namespace pbxmock::mock::proxy
