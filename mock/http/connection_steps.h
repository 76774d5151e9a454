#pragma once
// The steps one HTTP connection goes through, without any I/O: what was received goes to
// the connection's RequestReader (which holds every limit as bytes arrive); a complete
// request is served (ServeRequest: the request view, the dispatcher, the response writer);
// a refused one gets the refusal; a head that asks for it gets "100 Continue" before its
// body. The epoll loop (mock/http/connection_loop.h) and the in-memory connection
// (mock/http/buffered_connection.h, what server_fuzzer drives) both take exactly these steps
// and differ only in how the bytes come and go.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "mock/http/request_reader.h"
#include "mock/rules/rules.h"


namespace pbxmock::mock {

struct LoopSettings {
  ReaderLimits limits;
  std::chrono::milliseconds handshake_deadline{10'000};  // TLS
  std::chrono::milliseconds head_deadline{10'000};
  std::chrono::milliseconds body_deadline{30'000};
  std::chrono::milliseconds keep_alive{5'000};
  std::chrono::milliseconds write_timeout{5'000};
  std::chrono::milliseconds linger{2'000};  // reading and dropping after a refusal
  std::size_t keep_alive_requests = 10'000;
  std::size_t max_connections = 10'000;  // past this, new connections are closed at once
  // Past this many connections in their TLS handshake (OpenSSL holds some 50 KiB for each
  // until it ends), the one that started first is closed for each new one.
  std::size_t max_handshakes = 1'024;
};

struct Endpoint {
  std::string ip;
  int port = -1;
};

struct ConnectionInfo {
  int socket = -1;
  Endpoint remote, local;
};

// What the server sends for one request.
struct Served {
  std::string bytes;           // the whole answer, or what a fault sends
  bool close = false;          // the connection ends after it
  std::optional<Fault> fault;  // a rule breaks the connection after `bytes` (mock/http/faults.h)
  // A rule's delay: nothing is sent yet; after `delay`, `finish` gives what to send.
  std::chrono::milliseconds delay{0};
  std::function<Served()> finish;
};

// Answers one complete request (`last`: the connection closes after it). It may take the
// request's parts (a delayed answer keeps them).
using ServeRequest = std::function<Served(ReadRequest& request, const ConnectionInfo& connection, bool last)>;
// The answer to a refused request (the reader says why; status 408 when a deadline passed).
using RefuseRequest =
    std::function<std::string(const RequestReader&, const spec::ApiError&, const ConnectionInfo&)>;

class ConnectionSteps {
 public:
  struct Step {
    enum class Kind {
      need_more,  // nothing to send: wait for more bytes
      interim,    // send "100 Continue"; the body is still to come
      answer,     // a complete request was served
      refused,    // the reader refused the request: send the refusal, then the connection ends
    };
    Kind kind = Kind::need_more;
    Served served;  // interim, answer, refused: what to send
    // The first byte of a request arrived (its head deadline starts) / its head ended (the
    // body's deadline starts).
    bool started = false;
    bool head_done = false;
    std::optional<ReadRequest> request;  // answer, when keep_requests(): the request as read
  };

  // `serve` and `refuse` must outlive the steps.
  ConnectionSteps(const LoopSettings& settings, const ServeRequest& serve, const RefuseRequest& refuse);

  // Takes the next step over `in`, what was received and not yet read (what a step reads is
  // erased from its front; a pipelined next request stays). `stopping`: the server stops,
  // so the connection ends after this request.
  Step next(std::string& in, const ConnectionInfo& connection, bool stopping);
  // A deadline passed while a request was under way: the 408 refusal to send.
  std::string time_out(const ConnectionInfo& connection, bool head) const;

  const RequestReader& reader() const noexcept { return reader_; }
  // Keep a copy of each request as read in its step (for the fuzzer's checks).
  void keep_requests() noexcept { keep_requests_ = true; }

 private:
  const LoopSettings& settings_;
  const ServeRequest& serve_;
  const RefuseRequest& refuse_;
  RequestReader reader_;
  std::size_t served_ = 0;
  bool keep_requests_ = false;
};

}  // namespace pbxmock::mock
