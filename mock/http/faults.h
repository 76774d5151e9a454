#pragma once
// Breaking a connection on purpose (a rule's `fault`), from inside a cpp-httplib handler,
// which is never told its socket. The socket is found by what it looks like: the server's
// local port and the peer address and port httplib reports for the request. Found only on
// the rare path of a fault, by walking the process's open descriptors.
//
// The descriptor is never closed under httplib's feet: once the fault is done, a fresh,
// unconnected socket is dup2()ed over its number. httplib then writes its answer to that
// stand-in (and fails harmlessly) and closes it, and no other connection can have been
// given the same number in between.
#include <optional>
#include <string>
#include <string_view>

#include "mock/rules/rules.h"

typedef struct ssl_st SSL;

namespace pbxmock::mock {

// The connected socket whose local port is `local_port` and whose peer is `peer_address`
// (numeric, as httplib prints it: "127.0.0.1", "::1") and `peer_port`; nullopt if none.
std::optional<int> find_connection_socket(int local_port, std::string_view peer_address, int peer_port);

// connection_reset: the peer gets an RST (SO_LINGER 0, then the last close).
// empty_response: the peer sees the connection closed without a byte.
// malformed_chunk: the peer gets a 200 head announcing a chunked body, then a chunk-size
// line that is not hexadecimal, then the end of the connection. On a TLS connection
// (`ssl` set) those bytes go through TLS, so the client sees a broken HTTP body rather
// than a broken TLS record.
// Returns false when the socket could not be prepared (the caller answers 500 instead).
bool apply_fault(int socket_fd, Fault fault, SSL* ssl = nullptr);

// What the peer receives before the connection ends, for each fault: the malformed chunk's
// bytes, nothing for the others. apply_fault() sends these; an in-memory connection
// (mock/http/buffered_connection.h) answers them.
std::string_view fault_bytes(Fault fault) noexcept;

}  // namespace pbxmock::mock
