#include "mock/scenario/scenario_watcher.h"

#include <sys/stat.h>

#include <exception>
#include <new>
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

void ScenarioWatcher::reload() noexcept {
  // Whatever goes wrong with one version of the file (out of memory included), the watcher
  // reports it and keeps watching: an exception leaving the thread would end the process.
  try {
    auto loaded = load_scenario_file(path_);
    if (loaded) {
      on_loaded_(std::move(loaded).value());
    } else {
      on_rejected_(loaded.error());
    }
    return;
  } catch (const std::bad_alloc&) {
    report_failure("out of memory while loading it");
  } catch (const std::exception& e) {
    report_failure(std::string("internal error while loading it: ") + e.what());
  } catch (...) {
    report_failure("internal error while loading it");
  }
}

void ScenarioWatcher::report_failure(const std::string& why) noexcept {
  try {
    on_rejected_(spec::SourceErrors{spec::SourceError{path_, {}, why}});
  } catch (...) {
    // Nothing left to tell it with; the next change gets another try.
  }
}

void ScenarioWatcher::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    const Stamp now = stamp();
    // A file that vanished (an editor between delete and rename) is waited for, not reported.
    if (!now.exists || now == last_) continue;
    last_ = now;
    lock.unlock();
    reload();
    lock.lock();
  }
}

}  // namespace pbxmock::mock
