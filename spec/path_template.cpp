#include "spec/path_template.h"

#include <algorithm>

namespace pbxmock::spec {

bool TemplateSegment::matches(std::string_view segment) const noexcept {
  if (!is_parameter) return segment == prefix;
  // The parameter's own part must be at least one byte.
  if (segment.size() <= prefix.size() + suffix.size()) return false;
  return segment.compare(0, prefix.size(), prefix) == 0 &&
         segment.compare(segment.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> PathTemplate::parameter_names() const {
  std::vector<std::string> names;
  for (const auto& s : segments)
    if (s.is_parameter) names.push_back(s.name);
  return names;
}

namespace {

PathTemplateError error(std::string message, std::size_t offset) { return {std::move(message), offset}; }

}  // namespace

Result<PathTemplate, PathTemplateError> parse_path_template(std::string_view text) {
  if (text.empty() || text.front() != '/') return Err{error("a path template must start with '/'", 0)};
  PathTemplate result;
  std::size_t start = 1;  // of the current segment
  while (true) {
    const std::size_t end = std::min(text.find('/', start), text.size());
    if (result.segments.size() == kMaxTemplateSegments) {
      return Err{error("more than " + std::to_string(kMaxTemplateSegments) + " segments", start)};
    }
    const std::string_view segment = text.substr(start, end - start);
    TemplateSegment parsed;
    const std::size_t open = segment.find('{');
    const std::size_t close = segment.find('}');
    if (open == std::string_view::npos) {
      if (close != std::string_view::npos) return Err{error("'}' without '{'", start + close)};
      parsed.prefix = std::string(segment);
    } else {
      if (close == std::string_view::npos) {
        // The only way to reach a '/' inside braces; say so rather than "unbalanced".
        return Err{error(end < text.size() ? "'{' closed after a '/': a parameter covers part of one segment only"
                                           : "'{' without '}'",
                         start + open)};
      }
      if (close < open) return Err{error("'}' without '{'", start + close)};
      const std::string_view name = segment.substr(open + 1, close - open - 1);
      if (name.empty()) return Err{error("empty parameter name", start + open)};
      if (name.find('{') != std::string_view::npos) return Err{error("'{' inside a parameter name", start + open + 1 + name.find('{'))};
      const std::string_view rest = segment.substr(close + 1);
      if (rest.find_first_of("{}") != std::string_view::npos) {
        return Err{error("more than one parameter in one segment is not supported", start + close + 1 + rest.find_first_of("{}"))};
      }
      for (const auto& s : result.segments) {
        if (s.is_parameter && s.name == name) return Err{error("parameter '" + std::string(name) + "' appears twice", start + open)};
      }
      parsed.is_parameter = true;
      parsed.prefix = std::string(segment.substr(0, open));
      parsed.name = std::string(name);
      parsed.suffix = std::string(rest);
    }
    result.segments.push_back(std::move(parsed));
    if (end == text.size()) break;
    start = end + 1;
  }
  return result;
}

}  // namespace pbxmock::spec
