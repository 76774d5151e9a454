#pragma once
// JUnit XML, as CI servers read it: <testsuites> with one <testsuite> per contract and one
// <testcase> per step. A failed step has a <failure> (its message the first difference, its
// text every difference and the curl command); a step not run after an earlier failure has
// <skipped/>. Everything is XML-escaped, and bytes XML 1.0 cannot carry (control characters,
// invalid UTF-8) become U+FFFD, so any server answer quoted in a message stays well-formed.
#include <optional>
#include <string>
#include <string_view>

#include "contracts/run_result.h"

namespace pbxmock::contracts {

std::string junit_xml(const RunResult& run);

// Error: why the file could not be written.
std::optional<std::string> write_junit_file(const std::string& path, const RunResult& run);

// Text for XML content and attribute values (quotes and newlines escaped too).
std::string xml_escape(std::string_view text);

}  // namespace pbxmock::contracts
