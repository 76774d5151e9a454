#pragma once
// What `pbxmock proxy` plugs into the dispatcher: every request that is not the proxy's own
// (/__admin/) goes to an upstream server instead of the mock. The dispatcher stays free of any
// HTTP client; the forwarder (mock/proxy/upstream_forwarder.h) brings one.
//
// screen() runs on the loop thread, before anything is sent: it may answer instead (--strict
// refuses a request that breaks the spec). forward() runs on a worker thread, like a rule's
// delay, because it waits for the upstream.
#include <optional>
#include <string>
#include <vector>

#include "mock/admin/request_journal.h"
#include "mock/http/response_writer.h"
#include "spec/request_view.h"

namespace pbxmock::mock {

struct Forwarded {
  Reply reply;               // the upstream's answer as it came (hop-by-hop headers aside), or the proxy's 502/504
  std::string operation_id;  // the operation of the spec the request is for; "" when none
  std::vector<JournalViolation> violations;
  std::string problem;  // why the upstream gave no answer to pass on (for the log); "" when it did
};

class Forwarder {
 public:
  virtual ~Forwarder() = default;
  // `headers`: the request's, names as sent.
  virtual std::optional<Forwarded> screen(const spec::RequestView& view, const spec::NameValuePairs& headers) = 0;
  virtual Forwarded forward(const spec::RequestView& view, const spec::NameValuePairs& headers) noexcept = 0;
};

}  // namespace pbxmock::mock
