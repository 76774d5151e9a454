#pragma once
// A `curl` command line that sends the same request again, for the report of a failed step:
// copy, paste, see the answer. Every argument is shell-quoted. Values that came from the
// environment (`${env.NAME}`) are written as "$NAME" wherever they appear verbatim, so a
// password kept out of the contract files does not land in a CI log either.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/http_client.h"
#include "contracts/variables.h"

namespace pbxmock::contracts {

// 'text' for a POSIX shell ('\'' for each quote); bare when only safe characters.
std::string shell_quote(std::string_view text);

struct CurlOptions {
  bool insecure = false;   // -k
  std::size_t repeat = 1;  // the body is its first size/repeat bytes sent `repeat` times
};

std::string curl_command(const Target& target, const HttpRequest& request, const std::vector<EnvUse>& env = {},
                         const CurlOptions& options = {});

}  // namespace pbxmock::contracts
