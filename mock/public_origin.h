#pragma once
// Where browsers reach the mock ("http://127.0.0.1:8887"), for the addresses it hands out.
// Set by the server once it knows its address; read only by the handlers that build such an
// address, so ordinary requests never touch its lock. Thread-safe.
#include <mutex>
#include <string>

namespace pbxmock::mock {

class PublicOrigin {
 public:
  // A trailing '/' is dropped: the origin is followed by a path.
  void set(std::string origin) {
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    std::lock_guard lock(mutex_);
    origin_ = std::move(origin);
  }
  std::string get() const {
    std::lock_guard lock(mutex_);
    return origin_;
  }

 private:
  mutable std::mutex mutex_;
  std::string origin_;
};

}  // namespace pbxmock::mock
