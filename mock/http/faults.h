#pragma once
// Breaking a connection on purpose (a rule's `fault`). The dispatcher returns the fault as a
// value; whoever owns the connection (the connection loop, or an in-memory connection)
// sends what the fault sends through the connection's transport (so on TLS the bytes go
// through the session and the client sees a broken HTTP body, not a broken TLS record),
// then breaks the socket as the fault says and closes it without a TLS goodbye.
#include <string_view>

#include "mock/rules/rules.h"

namespace pbxmock::mock {

// What the peer receives before the connection ends, for each fault: the malformed chunk
// (a 200 head announcing a chunked body, a valid first chunk, then a chunk-size line that is
// not hexadecimal); nothing for the others.
std::string_view fault_bytes(Fault fault) noexcept;

// Prepares the socket for its last close: connection_reset makes that close send an RST
// (SO_LINGER 0); the others shut both directions, so the peer sees the end of the stream
// (after the bytes above). The caller closes the socket right after.
void break_socket(int socket, Fault fault) noexcept;

}  // namespace pbxmock::mock
