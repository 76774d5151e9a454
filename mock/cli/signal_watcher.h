#pragma once
// How `serve` and `proxy` stop on SIGINT and SIGTERM, without code in signal context.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <thread>

#include "mock/http/server.h"

namespace pbxmock::cli {

// SIGINT and SIGTERM are blocked in every thread (set before any starts) and taken by one
// thread with sigtimedwait, which then stops the server: no code runs in signal context.
class SignalWatcher {
 public:
  explicit SignalWatcher(mock::MockServer& server) : thread_([this, &server] { watch(server); }) {}
  ~SignalWatcher() {
    done_ = true;
    thread_.join();
  }

  static void block_stop_signals() {
    sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A client that goes away mid-answer must not kill the server.
    ::signal(SIGPIPE, SIG_IGN);
  }

 private:
  static sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
  }

  void watch(mock::MockServer& server) {
    const sigset_t set = stop_signals();
    const timespec poll{0, 100'000'000};
    while (!done_) {
      if (sigtimedwait(&set, nullptr, &poll) > 0) {
        server.stop();
        return;
      }
    }
  }

  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace pbxmock::cli
