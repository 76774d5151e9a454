#include "mock/proxy/session_recording.h"

#include <algorithm>
#include <utility>

namespace pbxmock::mock::proxy {

using contracts::recording::RecordedFile;
using contracts::recording::RecordedFolder;

Result<std::unique_ptr<SessionRecording>, std::string> SessionRecording::open(const spec::OpenApiDocument& document,
                                                                              const std::filesystem::path& dir,
                                                                              Note note) {
  auto folder = RecordedFolder::open(dir);
  if (!folder) return Err{folder.error()};
  return std::unique_ptr<SessionRecording>(new SessionRecording(document, std::move(folder).value(), std::move(note)));
}

SessionRecording::SessionRecording(const spec::OpenApiDocument& document, RecordedFolder folder, Note note)
    : recorder_(document), folder_(std::move(folder)), note_(std::move(note)) {}

void SessionRecording::add(contracts::Exchange exchange) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_ || full_) return;
  std::size_t size = exchange.request.target.size() + exchange.request.body.size() + exchange.response.body.size();
  for (const auto& [name, value] : exchange.request.headers) size += name.size() + value.size();
  for (const auto& [name, value] : exchange.response.headers) size += name.size() + value.size();
  if (bytes_ + size > kMaxBytes) {
    full_ = true;
    note_("recording: " + std::to_string(kMaxBytes >> 20) +
          " MiB of exchanges recorded; later ones are not (restart the proxy to record more)");
    return;
  }
  bytes_ += size;
  recorder_.add(std::move(exchange));
  const auto ended = recorder_.take_ended();
  if (!ended.empty()) write_locked(ended);
}

void SessionRecording::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  write_locked(recorder_.take_all());
}

void SessionRecording::write_locked(const std::vector<RecordedFile>& sessions) {
  std::vector<Result<std::filesystem::path, std::string>> results;
  for (const RecordedFile& file : sessions) results.push_back(folder_.write_session(file));
  // The skeleton reads every exchange: rewritten at most every kSkeletonEvery while sessions
  // end, and at finish(), not at each sign-out of a busy proxy.
  const auto now = std::chrono::steady_clock::now();
  if (recorder_.exchanges() > 0 && (finished_ || now - skeleton_written_ >= kSkeletonEvery)) {
    skeleton_written_ = now;
    results.push_back(folder_.write_scenario(recorder_.scenario_skeleton()));
  }
  for (auto& result : results) {
    if (!result) {
      note_("recording: " + result.error());
      continue;
    }
    const bool first_time = std::find(written_.begin(), written_.end(), *result) == written_.end();
    if (first_time) {
      note_("recording: wrote " + result->generic_string());
      written_.push_back(*result);
    }
  }
}

std::vector<std::filesystem::path> SessionRecording::written() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return written_;
}

std::vector<std::string> SessionRecording::environment() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return recorder_.environment();
}

}  // namespace pbxmock::mock::proxy
