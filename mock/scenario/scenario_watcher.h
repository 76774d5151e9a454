#pragma once
// `--watch`: polls the scenario file's modification time and size and reloads it when they
// change. Loading is all or nothing: a good file replaces the running scenario; a bad one
// is reported (file:line:column for each problem) and the running scenario stays. Only a
// regular file of at most 4 MiB is read (spec/regular_file.h), and no error stops the thread.
// Polling, not inotify: it works the same for editors that replace the file, for bind
// mounts and for network file systems.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "mock/scenario/scenario.h"
#include "mock/scenario/scenario_loader.h"

namespace pbxmock::mock {

class ScenarioWatcher {
 public:
  using OnLoaded = std::function<void(Scenario)>;
  using OnRejected = std::function<void(const spec::SourceErrors&)>;

  // Starts polling at once; the file as it is now counts as already loaded.
  ScenarioWatcher(std::string path, std::chrono::milliseconds interval, OnLoaded on_loaded, OnRejected on_rejected);
  ~ScenarioWatcher();  // stops and joins
  ScenarioWatcher(const ScenarioWatcher&) = delete;
  ScenarioWatcher& operator=(const ScenarioWatcher&) = delete;

  void stop();

 private:
  struct Stamp {
    bool exists = false;
    long long mtime_ns = 0;
    long long size = 0;
    bool operator==(const Stamp& o) const { return exists == o.exists && mtime_ns == o.mtime_ns && size == o.size; }
  };
  Stamp stamp() const;
  void run();
  void reload() noexcept;
  void report_failure(const std::string& why) noexcept;

  const std::string path_;
  const std::chrono::milliseconds interval_;
  OnLoaded on_loaded_;
  OnRejected on_rejected_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  Stamp last_;
  std::thread thread_;
};

}  // namespace pbxmock::mock
