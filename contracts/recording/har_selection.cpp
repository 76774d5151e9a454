#include "contracts/recording/har_selection.h"

#include <map>


namespace pbxmock::contracts::recording {

HarSelection select_api_entries(const std::vector<HarEntry>& entries, const ExchangeChecker& checker) {
  HarSelection out;
  std::map<std::string, std::size_t> routed;  // origin -> entries routed to an operation
  for (const HarEntry& entry : entries) {
    const auto& request = entry.exchange.request;
    if (checker.lookup(request.method, request.target).kind == OperationLookup::Kind::found) {
      ++routed[entry.origin];
    }
  }
  std::size_t best = 0;
  for (const auto& [origin, count] : routed) {
    if (count > best) {
      best = count;
      out.api_origin = origin;
    }
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& request = entries[i].exchange.request;
    const bool api = !out.api_origin.empty() && entries[i].origin == out.api_origin &&
                     checker.is_api(request.method, request.target) && !is_cors_preflight(request);
    (api ? out.api : out.other).push_back(i);
  }
  return out;
}

}  // namespace pbxmock::contracts::recording
