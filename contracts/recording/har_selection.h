#pragma once
// Which entries of a HAR file are the API's. A browser's HAR holds everything the page loaded
// (scripts, fonts, other sites' calls), so an entry is the API's when its path lies below the
// spec's base path (the path of its `servers` URL, "/api"), is not under the caller's
// not-the-API prefixes (the mock's /__admin and /__idp), and comes from the API's origin: the
// scheme, host and port that served most of the entries routed to an operation of the spec.
// The host in the spec's `servers` is not compared: it is an example, and a real PBX has its own.
#include <cstddef>
#include <string>
#include <vector>

#include "contracts/exchange_check.h"
#include "contracts/recording/har_reader.h"

namespace pbxmock::contracts::recording {

struct HarSelection {
  std::string api_origin;          // "" when no entry is the API's
  std::vector<std::size_t> api;    // indices into the entries, in order
  std::vector<std::size_t> other;  // the rest, in order
};

HarSelection select_api_entries(const std::vector<HarEntry>& entries, const ExchangeChecker& checker);

}  // namespace pbxmock::contracts::recording
