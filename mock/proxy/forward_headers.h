#pragma once
// Which headers cross the proxy. Hop-by-hop headers (RFC 9110 7.6.1: Connection and the
// headers it names, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade) belong to
// one connection and stop at the proxy. So do the framing headers each side writes afresh
// (Content-Length) and Host, which the client sets for the upstream. Accept-Encoding and
// Expect are dropped on the way up: the proxy must read the answer to check it, so it asks
// for it unencoded, and it has the whole body already.
#include <string_view>
#include <vector>

#include "spec/url_encoding.h"

namespace pbxmock::mock::proxy {

// The request's headers as they go to the upstream, names and order as sent.
spec::NameValuePairs headers_for_upstream(const spec::NameValuePairs& sent);
// The answer's headers as they go back to the client.
spec::NameValuePairs headers_for_client(const spec::NameValuePairs& answered);

}  // namespace pbxmock::mock::proxy
