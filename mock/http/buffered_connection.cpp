#include "mock/http/buffered_connection.h"

#include <utility>

#include "mock/http/faults.h"

namespace pbxmock::mock {
namespace {

// Set by a handler's fault while a BufferedConnection serves a request on this thread.
thread_local std::optional<Fault> broken_by;

}  // namespace

bool break_in_memory_connection(Fault fault) noexcept {
  broken_by = fault;
  return true;
}

BufferedConnection::BufferedConnection(LoopSettings settings, ServeRequest serve, RefuseRequest refuse,
                                       ConnectionInfo info)
    : settings_(settings),
      serve_(std::move(serve)),
      refuse_(std::move(refuse)),
      info_(std::move(info)),
      reader_(settings.limits) {}

bool BufferedConnection::receive_first(std::string_view bytes) {
  if (closed_ || !reader_.idle()) return false;
  in_.insert(0, bytes);
  return true;
}

std::optional<BufferedConnection::Exchange> BufferedConnection::next() {
  if (closed_) return std::nullopt;
  // As ConnectionLoop::advance: everything buffered goes to the reader, which stops at the
  // end of a complete request and leaves a pipelined next one in the buffer.
  const bool had_head = reader_.head_done();
  in_.erase(0, reader_.feed(in_));
  Exchange exchange;
  exchange.method = reader_.method();
  exchange.target = reader_.target();
  switch (reader_.state()) {
    case RequestReader::State::complete: {
      ReadRequest request = reader_.take();
      exchange.method = request.method;
      exchange.target = request.target;
      const bool last = ++served_ >= settings_.keep_alive_requests;
      broken_by.reset();
      Served served = serve_(request, info_, last);
      exchange.fault = std::exchange(broken_by, std::nullopt);
      if (exchange.fault) {
        // On a socket, httplib's answer went to the stand-in nobody reads, and sending it
        // failed, which ended the connection (ConnectionLoop::answer).
        served.bytes.assign(fault_bytes(*exchange.fault));
        served.close = true;
      }
      exchange.bytes = std::move(served.bytes);
      exchange.request = std::move(request.message);
      exchange.close = closed_ = served.close || last;
      return exchange;
    }
    case RequestReader::State::refused:
      exchange.kind = Exchange::Kind::refused;
      exchange.bytes = refuse_(reader_, reader_.refusal(), info_);
      exchange.close = closed_ = true;
      return exchange;
    case RequestReader::State::need_more:
      break;
  }
  if (!had_head && reader_.head_done() && reader_.wants_continue()) {
    exchange.kind = Exchange::Kind::interim;
    exchange.bytes.assign(kContinueAnswer);
    return exchange;
  }
  return std::nullopt;
}

}  // namespace pbxmock::mock
