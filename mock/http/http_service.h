#pragma once
// What the server does with one complete request, for the socket loop and the in-memory
// connection alike: the request as read (mock/http/request_reader.h) becomes one
// spec::RequestView, the Dispatcher answers it, and the response writer
// (mock/http/response_writer.h) makes the bytes, framed for keep-alive or close. A rule's
// fault comes back as a value (Served::fault) for the connection's owner to apply; a rule's
// delay as Served::finish, which the owner runs after waiting.
#include <string>

#include "mock/http/connection_steps.h"
#include "mock/http/dispatcher.h"

namespace pbxmock::mock {

class HttpService {
 public:
  // The dispatcher must outlive the service.
  HttpService(Dispatcher& dispatcher, const LoopSettings& settings);

  Served serve(ReadRequest& request, const ConnectionInfo& connection, bool last);
  // A request the reader refused (or timed out): logged, journaled, answered with the
  // vendor's error body and Connection: close.
  std::string refuse(const RequestReader& reader, const spec::ApiError& error, const ConnectionInfo& connection);

  const ServeRequest& serve_function() const noexcept { return serve_; }
  const RefuseRequest& refuse_function() const noexcept { return refuse_; }

 private:
  Served write(const Outgoing& out, const Framing& framing) const;

  Dispatcher& dispatcher_;
  spec::RequestLimits limits_;
  Framing keep_alive_;
  ServeRequest serve_;
  RefuseRequest refuse_;
};

}  // namespace pbxmock::mock
