#pragma once
// `pbxmock proxy --record DIR`: the API's exchanges as they pass, into contract files. A
// session's file is written as soon as its sign-out ends it; what is still open, and the
// scenario skeleton, at finish() (the proxy's stop). The skeleton is also rewritten as
// sessions end (at most every 5 s), so a proxy that is killed leaves most of what it had. Workers add exchanges at once
// from many threads: one lock around the recorder and the writing.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "contracts/exchange.h"
#include "contracts/recording/recorded_folder.h"
#include "contracts/recording/recorder.h"
#include "spec/openapi.h"
#include "spec/result.h"

namespace pbxmock::mock::proxy {

class SessionRecording {
 public:
  // A line for the log ("wrote DIR/contracts/session-1.yaml", or why a file was not written).
  using Note = std::function<void(const std::string&)>;

  // `document` must outlive the recording. The error says why DIR cannot be written.
  static Result<std::unique_ptr<SessionRecording>, std::string> open(const spec::OpenApiDocument& document,
                                                                     const std::filesystem::path& dir, Note note);

  // Past kMaxBytes of exchanges held (the recorder keeps each until the end, for the skeleton)
  // the rest is not recorded, and the log says so once: a long session cannot grow the proxy.
  static constexpr std::size_t kMaxBytes = 64u << 20;
  void add(contracts::Exchange exchange);
  // Writes the sessions still open and the scenario skeleton; later exchanges are dropped.
  void finish();

  std::vector<std::filesystem::path> written() const;
  std::vector<std::string> environment() const;  // the variables the written contracts read

 private:
  SessionRecording(const spec::OpenApiDocument& document, contracts::recording::RecordedFolder folder, Note note);
  void write_locked(const std::vector<contracts::recording::RecordedFile>& sessions);

  mutable std::mutex mutex_;
  contracts::recording::Recorder recorder_;
  contracts::recording::RecordedFolder folder_;
  Note note_;
  std::vector<std::filesystem::path> written_;
  bool finished_ = false;
  static constexpr std::chrono::seconds kSkeletonEvery{5};
  std::chrono::steady_clock::time_point skeleton_written_{};
  std::size_t bytes_ = 0;
  bool full_ = false;
};

}  // namespace pbxmock::mock::proxy
