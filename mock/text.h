#pragma once
// Small ASCII text helpers the mock needs in several places: case-insensitive comparison
// (usernames, header names) and HTML escaping (the stand-in identity provider's pages).
#include <string>
#include <string_view>

namespace pbxmock::mock {

std::string to_lower_ascii(std::string_view text);
bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept;

// & < > " ' as entities: safe inside element text and inside quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace pbxmock::mock
