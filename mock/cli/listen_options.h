#pragma once
// The options `serve` and `proxy` share: where to listen (--host, --port, TLS), the log, the
// admin key, the journal and the request size limit.
#include <string>

#include "mock/http/server.h"

namespace CLI {
class App;
}

namespace pbxmock::cli {

// `log_format` takes "text" or "json"; the caller turns it into options.log_format.
void add_listen_options(CLI::App& app, mock::ServerOptions& options, std::string& log_format);

}  // namespace pbxmock::cli
