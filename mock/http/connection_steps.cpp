#include "mock/http/connection_steps.h"

#include <utility>

#include "mock/http/response_writer.h"

namespace pbxmock::mock {
namespace {

spec::ApiError timed_out(bool head) {
  return {408,
          "REQUEST_TIMEOUT",
          "request not received in time",
          {{"field", head ? "headers" : "body"},
           {"rule", "deadline"},
           {"explanation", head ? "the request line and headers did not arrive in time" : "the body did not arrive in time"}},
          {}};
}

}  // namespace

ConnectionSteps::ConnectionSteps(const LoopSettings& settings, const ServeRequest& serve, const RefuseRequest& refuse)
    : settings_(settings), serve_(serve), refuse_(refuse), reader_(settings.limits) {}

ConnectionSteps::Step ConnectionSteps::next(std::string& in, const ConnectionInfo& connection, bool stopping) {
  Step step;
  const bool was_idle = reader_.idle();
  const bool had_head = reader_.head_done();
  in.erase(0, reader_.feed(in));
  switch (reader_.state()) {
    case RequestReader::State::complete: {
      ReadRequest request = reader_.take();
      if (keep_requests_) step.request = request;
      const bool last = ++served_ >= settings_.keep_alive_requests || stopping;
      step.kind = Step::Kind::answer;
      step.served = serve_(request, connection, last);
      step.served.close = step.served.close || last;
      return step;
    }
    case RequestReader::State::refused:
      step.kind = Step::Kind::refused;
      step.served.bytes = refuse_(reader_, reader_.refusal(), connection);
      step.served.close = true;
      return step;
    case RequestReader::State::need_more:
      break;
  }
  step.started = was_idle && !reader_.idle();
  step.head_done = !had_head && reader_.head_done();
  if (step.head_done && reader_.wants_continue()) {
    step.kind = Step::Kind::interim;
    step.served.bytes.assign(kContinueAnswer);
  }
  return step;
}

std::string ConnectionSteps::time_out(const ConnectionInfo& connection, bool head) const {
  return refuse_(reader_, timed_out(head), connection);
}

}  // namespace pbxmock::mock
