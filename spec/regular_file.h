#pragma once
// Reading a file a person names (--scenario, --watch) without trusting what it is: only a
// regular file is read (a FIFO would block forever, /dev/zero would never end), it is opened
// without blocking and judged with fstat on the open descriptor (no race with a rename), and
// a file over the size cap is refused before a byte of it is held.
#include <cstddef>
#include <string>

#include "spec/result.h"

namespace pbxmock::spec {

inline constexpr std::size_t kMaxDocumentFileBytes = 4 * 1024 * 1024;

// The whole text, or why not ("not a regular file (a FIFO)", "4.2 MiB is over the 4 MiB cap").
Result<std::string, std::string> read_regular_file(const std::string& path, std::size_t max_bytes = kMaxDocumentFileBytes);

}  // namespace pbxmock::spec
