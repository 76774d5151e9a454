#include "mock/scenario/scenario_watcher.h"

#include <sys/stat.h>

#include <utility>

namespace pbxmock::mock {

ScenarioWatcher::ScenarioWatcher(std::string path, std::chrono::milliseconds interval, OnLoaded on_loaded,
                                 OnRejected on_rejected)
    : path_(std::move(path)),
      interval_(interval),
      on_loaded_(std::move(on_loaded)),
      on_rejected_(std::move(on_rejected)),
      last_(stamp()),
      thread_([this] { run(); }) {}

ScenarioWatcher::~ScenarioWatcher() { stop(); }

void ScenarioWatcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ScenarioWatcher::Stamp ScenarioWatcher::stamp() const {
  struct stat info {};
  if (::stat(path_.c_str(), &info) != 0) return {};
  return {true, static_cast<long long>(info.st_mtim.tv_sec) * 1'000'000'000LL + info.st_mtim.tv_nsec,
          static_cast<long long>(info.st_size)};
}

void ScenarioWatcher::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    const Stamp now = stamp();
    // A file that vanished (an editor between delete and rename) is waited for, not reported.
    if (!now.exists || now == last_) continue;
    last_ = now;
    lock.unlock();
    auto loaded = load_scenario_file(path_);
    if (loaded) {
      on_loaded_(std::move(loaded).value());
    } else {
      on_rejected_(loaded.error());
    }
    lock.lock();
  }
}

}  // namespace pbxmock::mock
