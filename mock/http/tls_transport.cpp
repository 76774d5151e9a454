#include "mock/http/tls_transport.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <climits>

namespace pbxmock::mock {
namespace {

// Past this, sessions to resume are dropped oldest first (OpenSSL's default is 20,480).
constexpr long kSessionCacheSize = 1024;

std::string openssl_reason() {
  const unsigned long code = ::ERR_peek_error();  // the first: the cause, not its callers
  ::ERR_clear_error();
  if (code == 0) return "no reason given";
  char text[256];
  ::ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace

Result<std::unique_ptr<TlsContext>, std::string> TlsContext::load(const std::string& cert_file,
                                                                  const std::string& key_file) {
  ::ERR_clear_error();
  SSL_CTX* context = ::SSL_CTX_new(::TLS_server_method());
  if (!context) return Err{"cannot set up TLS: " + openssl_reason()};
  std::unique_ptr<TlsContext> out(new TlsContext(context));
  ::SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  long options = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION;
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
  // A client that closes without close_notify has simply gone, as over plain TCP.
  options |= SSL_OP_IGNORE_UNEXPECTED_EOF;
#endif
  ::SSL_CTX_set_options(context, options);
  // Writes go out as the socket takes them, like send(); an idle connection holds no
  // read or write buffer.
  ::SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                  SSL_MODE_RELEASE_BUFFERS);
  ::SSL_CTX_sess_set_cache_size(context, kSessionCacheSize);
  if (::SSL_CTX_use_certificate_chain_file(context, cert_file.c_str()) != 1 ||
      ::SSL_CTX_use_PrivateKey_file(context, key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      ::SSL_CTX_check_private_key(context) != 1) {
    return Err{"cannot use the TLS certificate " + cert_file + " and key " + key_file + ": " + openssl_reason()};
  }
  return out;
}

TlsContext::~TlsContext() { ::SSL_CTX_free(context_); }

std::unique_ptr<Transport> TlsContext::accept(int socket) const {
  SSL* ssl = ::SSL_new(context_);
  if (!ssl) {
    ::ERR_clear_error();
    return nullptr;
  }
  if (::SSL_set_fd(ssl, socket) != 1) {
    ::ERR_clear_error();
    ::SSL_free(ssl);
    return nullptr;
  }
  ::SSL_set_accept_state(ssl);
  return std::make_unique<TlsTransport>(ssl);
}

TlsTransport::~TlsTransport() { ::SSL_free(ssl_); }

// OpenSSL's error queue is per thread and SSL_get_error reads it: every call starts with
// an empty queue and leaves one behind, whichever thread (loop or worker) makes it.
IoStatus TlsTransport::status_of(int result) {
  const int error = ::SSL_get_error(ssl_, result);
  ::ERR_clear_error();
  switch (error) {
    case SSL_ERROR_WANT_READ:
      return IoStatus::want_read;
    case SSL_ERROR_WANT_WRITE:
      return IoStatus::want_write;
    case SSL_ERROR_ZERO_RETURN:  // the peer's close_notify: ours may still go out
      return IoStatus::closed;
    default:
      broken_ = true;
      return IoStatus::closed;
  }
}

IoStatus TlsTransport::handshake() {
  ::ERR_clear_error();
  const int result = ::SSL_do_handshake(ssl_);
  return result == 1 ? IoStatus::ok : status_of(result);
}

IoResult TlsTransport::read(char* into, std::size_t size) {
  ::ERR_clear_error();
  const int result = ::SSL_read(ssl_, into, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
  if (result > 0) return {static_cast<std::size_t>(result), IoStatus::ok};
  return {0, status_of(result)};
}

IoResult TlsTransport::write(std::string_view bytes) {
  if (bytes.empty()) return {0, IoStatus::ok};
  ::ERR_clear_error();
  const int result = ::SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX)));
  if (result > 0) return {static_cast<std::size_t>(result), IoStatus::ok};
  return {0, status_of(result)};
}

bool TlsTransport::has_buffered() const { return ::SSL_has_pending(ssl_) == 1; }

void TlsTransport::finish() {
  if (finished_) return;
  finished_ = true;
  // Not during the handshake or after a fatal error (OpenSSL refuses both); a socket too
  // full to take the alert means a peer that reads nothing anyway.
  if (broken_ || ::SSL_is_init_finished(ssl_) != 1) return;
  ::ERR_clear_error();
  ::SSL_shutdown(ssl_);
  ::ERR_clear_error();
}

}  // namespace pbxmock::mock
