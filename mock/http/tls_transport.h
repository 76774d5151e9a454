#pragma once
// TLS for the connection loop, with OpenSSL directly over the loop's non-blocking sockets:
// the handshake, reads and writes are steps that say which readiness they wait for
// (SSL_ERROR_WANT_READ / WANT_WRITE), so a client that is slow to shake hands holds a few
// kilobytes and no thread, like a slow plain-HTTP client. TLS 1.2 at least; no
// renegotiation; OpenSSL's buffers are given back while a connection is idle.
#include <memory>
#include <string>

#include "mock/http/transport.h"
#include "spec/result.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace pbxmock::mock {

// A certificate and its key, shared by every TLS connection (OpenSSL's context is
// thread-safe once set up).
class TlsContext {
 public:
  // The error names both files and OpenSSL's reason.
  static Result<std::unique_ptr<TlsContext>, std::string> load(const std::string& cert_file,
                                                                const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // The server side of a TLS connection on an accepted socket (which the caller keeps
  // owning); nullptr when OpenSSL cannot make one.
  std::unique_ptr<Transport> accept(int socket) const;

 private:
  explicit TlsContext(SSL_CTX* context) noexcept : context_(context) {}
  SSL_CTX* context_;
};

class TlsTransport final : public Transport {
 public:
  explicit TlsTransport(SSL* ssl) noexcept : ssl_(ssl) {}
  ~TlsTransport() override;
  TlsTransport(const TlsTransport&) = delete;
  TlsTransport& operator=(const TlsTransport&) = delete;

  IoStatus handshake() override;
  IoResult read(char* into, std::size_t size) override;
  IoResult write(std::string_view bytes) override;
  bool has_buffered() const override;
  void finish() override;

 private:
  IoStatus status_of(int result);

  SSL* ssl_;
  bool broken_ = false;    // a fatal error: OpenSSL forbids a close_notify after one
  bool finished_ = false;  // close_notify sent (or given up on)
};

}  // namespace pbxmock::mock
