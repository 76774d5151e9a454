#pragma once
// Where the reference files beside the project are (../shared/portsip/...): the folder in
// $PBXMOCK_SHARED_DIR (CTest sets it), else PBXMOCK_SHARED_FALLBACK, compiled in by
// tests/CMakeLists.txt for the tests that read them. Those files are read, never copied.
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace pbxmock::test {

inline std::string shared_file(std::string_view relative) {
  const char* dir = std::getenv("PBXMOCK_SHARED_DIR");
#ifdef PBXMOCK_SHARED_FALLBACK
  if (dir == nullptr || *dir == '\0') dir = PBXMOCK_SHARED_FALLBACK;
#endif
  if (dir == nullptr) return std::string(relative);
  return std::string(dir) + "/" + std::string(relative);
}

inline bool file_exists(const std::string& path) { return std::ifstream(path).good(); }

// The message a test fails with when a reference file is missing: it must fail, never skip,
// because CI (CI=true) always has the file and a skip would hide a broken set-up.
inline std::string missing_file_message(const std::string& path) {
  const char* ci = std::getenv("CI");
  return "reference file missing: " + path + " (set PBXMOCK_SHARED_DIR to the folder holding portsip/)" +
         ((ci != nullptr && std::string_view(ci) == "true") ? "; CI=true: the CI set-up must provide it" : "");
}

}  // namespace pbxmock::test
