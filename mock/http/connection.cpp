#include "mock/http/connection.h"

#include <utility>

#include "mock/http/memory_stream.h"

namespace pbxmock::mock {

bool httplib_reads_body_for(std::string_view method) noexcept {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" || method == "PRI";
}

PlainHttpServer::PlainHttpServer(LoopSettings settings, RefuseRequest refuse, MakeTransport make_transport)
    : settings_(settings),
      refuse_(std::move(refuse)),
      loop_(std::make_unique<ConnectionLoop>(
          settings_, [this](ReadRequest& request, const ConnectionInfo& connection,
                            bool last) { return serve(request, connection, last); },
          refuse_, std::move(make_transport))) {
  new_task_queue = [] { return new InlineTaskQueue(); };
}

PlainHttpServer::~PlainHttpServer() { loop_.reset(); }

bool PlainHttpServer::process_and_close_socket(socket_t sock) {
  loop_->add(sock);
  return true;
}

BufferedConnection PlainHttpServer::connect_in_memory(ConnectionInfo info) {
  return BufferedConnection(
      settings_, [this](ReadRequest& request, const ConnectionInfo& connection,
                        bool last) { return serve(request, connection, last); },
      refuse_, std::move(info));
}

Served PlainHttpServer::serve(ReadRequest& request, const ConnectionInfo& connection, bool last) {
  MemoryStream stream(request.message, connection);
  bool closed = false;
  // A rule's fault on a TLS connection writes through its session, as httplib's own TLS
  // server lets it (Request::ssl). The worker alone uses the session while it serves.
  const auto with_session = [&connection](httplib::Request& parsed) { parsed.ssl = connection.tls; };
  const bool ok = connection.tls ? process_request(stream, last, closed, with_session)
                                 : process_request(stream, last, closed, nullptr);
  return Served{std::move(stream.written()), !ok || closed};
}

}  // namespace pbxmock::mock
