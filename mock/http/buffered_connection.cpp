#include "mock/http/buffered_connection.h"

#include <utility>

namespace pbxmock::mock {

BufferedConnection::BufferedConnection(LoopSettings settings, const ServeRequest& serve,
                                       const RefuseRequest& refuse, ConnectionInfo info)
    : settings_(settings), serve_(serve), refuse_(refuse), info_(std::move(info)), steps_(settings_, serve_, refuse_) {
  steps_.keep_requests();
}

// The steps hold a reference to the settings: a moved connection starts its own steps (it
// is moved only before its first byte, when it is handed out).
BufferedConnection::BufferedConnection(BufferedConnection&& other) noexcept
    : settings_(other.settings_),
      serve_(other.serve_),
      refuse_(other.refuse_),
      info_(std::move(other.info_)),
      steps_(settings_, serve_, refuse_),
      in_(std::move(other.in_)),
      closed_(other.closed_) {
  steps_.keep_requests();
}

bool BufferedConnection::receive_first(std::string_view bytes) {
  if (closed_ || !steps_.reader().idle()) return false;
  in_.insert(0, bytes);
  return true;
}

std::optional<BufferedConnection::Exchange> BufferedConnection::next() {
  if (closed_) return std::nullopt;
  ConnectionSteps::Step step = steps_.next(in_, info_, false);
  Exchange exchange;
  exchange.method = steps_.reader().method();
  exchange.target = steps_.reader().target();
  switch (step.kind) {
    case ConnectionSteps::Step::Kind::need_more:
      return std::nullopt;
    case ConnectionSteps::Step::Kind::interim:
      exchange.kind = Exchange::Kind::interim;
      break;
    case ConnectionSteps::Step::Kind::refused:
      exchange.kind = Exchange::Kind::refused;
      break;
    case ConnectionSteps::Step::Kind::answer:
      exchange.kind = Exchange::Kind::answered;
      if (step.request) {
        exchange.method = step.request->method;
        exchange.target = step.request->target;
        exchange.request = std::move(*step.request);
      }
      // Nobody waits in memory: a rule's delay is skipped.
      if (step.served.finish) step.served = step.served.finish();
      break;
  }
  exchange.fault = step.served.fault;
  exchange.bytes = std::move(step.served.bytes);
  exchange.close = closed_ = step.served.close;
  return exchange;
}

}  // namespace pbxmock::mock
