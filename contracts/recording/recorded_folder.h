#pragma once
// Where recorded files go, for `pbxmock import` and `pbxmock proxy --record` alike:
// DIR/contracts/<session>.yaml (a folder of their own, so `pbxmock check DIR/contracts` reads
// only them) and DIR/scenario.yaml. A file is written beside its name and renamed into place,
// so a reader (or a proxy killed mid-write) never leaves half a contract.
#include <filesystem>
#include <string>

#include "contracts/recording/recorder.h"
#include "spec/result.h"

namespace pbxmock::contracts::recording {

class RecordedFolder {
 public:
  // Creates DIR/contracts when missing; the error names the folder and why.
  static Result<RecordedFolder, std::string> open(const std::filesystem::path& dir);

  // The path written, or why not.
  Result<std::filesystem::path, std::string> write_session(const RecordedFile& file) const;
  Result<std::filesystem::path, std::string> write_scenario(const RecordedFile& file) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  explicit RecordedFolder(std::filesystem::path dir) : dir_(std::move(dir)) {}

  std::filesystem::path dir_;
};

}  // namespace pbxmock::contracts::recording
