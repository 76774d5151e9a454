#include "contracts/recording/recorded_folder.h"

#include <fstream>
#include <system_error>

namespace pbxmock::contracts::recording {
namespace {

Result<std::filesystem::path, std::string> write_whole(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path part = path;
  part += ".part";
  {
    std::ofstream file(part, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) return Err{"cannot write " + part.generic_string()};
  }
  std::error_code ec;
  std::filesystem::rename(part, path, ec);
  if (ec) return Err{"cannot rename " + part.generic_string() + " to " + path.generic_string() + ": " + ec.message()};
  return path;
}

}  // namespace

Result<RecordedFolder, std::string> RecordedFolder::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir / "contracts", ec);
  if (ec) return Err{"cannot create " + (dir / "contracts").generic_string() + ": " + ec.message()};
  return RecordedFolder(dir);
}

Result<std::filesystem::path, std::string> RecordedFolder::write_session(const RecordedFile& file) const {
  return write_whole(dir_ / "contracts" / file.name, file.text);
}

Result<std::filesystem::path, std::string> RecordedFolder::write_scenario(const RecordedFile& file) const {
  return write_whole(dir_ / file.name, file.text);
}

}  // namespace pbxmock::contracts::recording
