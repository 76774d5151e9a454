#pragma once
// HTML escaping for the pages the mock serves (the stand-in identity provider's). Case
// helpers live in spec/ascii.h.
#include <string>
#include <string_view>

namespace pbxmock::mock {

// & < > " ' as entities: safe inside element text and inside quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace pbxmock::mock
