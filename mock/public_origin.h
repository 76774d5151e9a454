#pragma once
// Where browsers reach the mock, for the addresses it hands out (the stand-in identity
// provider's page). Either fixed (`serve --public-url`, for a mock behind a proxy or in a
// container) or built from each request's Host header with the scheme the mock serves (so
// `--host 0.0.0.0` hands out the address the browser used, not 0.0.0.0). Set by the server
// once; read only by the handlers that build such an address, so ordinary requests never
// touch its lock. Thread-safe.
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pbxmock::mock {

struct OriginSettings {
  std::string fixed;              // "" = from the Host header
  std::string scheme = "http";    // for origins built from the Host header
};

class PublicOrigin {
 public:
  // A trailing '/' of the fixed origin is dropped: the origin is followed by a path.
  void set(OriginSettings settings) {
    while (!settings.fixed.empty() && settings.fixed.back() == '/') settings.fixed.pop_back();
    std::lock_guard lock(mutex_);
    settings_ = std::move(settings);
  }
  // The origin for a request whose Host header is `host` (nullopt: none usable): the fixed
  // one, else scheme://host; "" when there is neither.
  std::string resolve(const std::optional<std::string>& host) const {
    std::lock_guard lock(mutex_);
    if (!settings_.fixed.empty()) return settings_.fixed;
    return host ? settings_.scheme + "://" + *host : std::string();
  }

 private:
  mutable std::mutex mutex_;
  OriginSettings settings_;
};

}  // namespace pbxmock::mock
