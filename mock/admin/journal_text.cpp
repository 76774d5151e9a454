#include "mock/admin/journal_text.h"

namespace pbxmock::mock {

void JournalText::open(Part part) {
  while (last_ < static_cast<int>(part)) ends_[static_cast<std::size_t>(++last_)] = static_cast<std::uint32_t>(bytes_.size());
}

void JournalText::append(Part part, std::string_view bytes) {
  open(part);
  bytes_.append(bytes);
  ends_[part] = static_cast<std::uint32_t>(bytes_.size());
}

void JournalText::append_header(Part part, std::string_view name, std::string_view value) {
  open(part);
  const std::size_t start = bytes_.size();
  bytes_.append(name).push_back(':');
  bytes_.append(value);
  for (std::size_t i = start + name.size() + 1; i < bytes_.size(); ++i)
    if (bytes_[i] == '\n') bytes_[i] = ' ';
  bytes_.push_back('\n');
  ends_[part] = static_cast<std::uint32_t>(bytes_.size());
}

std::string_view JournalText::part(Part part) const noexcept {
  if (static_cast<int>(part) > last_) return {};
  const std::uint32_t start = part == 0 ? 0 : ends_[part - 1];
  return std::string_view(bytes_).substr(start, ends_[part] - start);
}

std::vector<JournalText::HeaderView> JournalText::headers(Part which) const {
  std::vector<HeaderView> out;
  std::string_view rest = part(which);
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    const std::size_t colon = line.find(':');
    out.emplace_back(line.substr(0, colon), colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  return out;
}

}  // namespace pbxmock::mock
