#pragma once
// The variable-length parts of one journaled exchange (path, query, both header lists, both
// bodies) in one buffer: recording a request costs one allocation instead of two for each
// header and one for each string, which was about a tenth of GET /api/info's throughput.
// Parts are appended in their order; a part not written reads as empty.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pbxmock::mock {

class JournalText {
 public:
  enum Part : std::uint8_t { path, query, request_headers, request_body, response_headers, response_body, part_count };
  using HeaderView = std::pair<std::string_view, std::string_view>;

  void reserve(std::size_t bytes) { bytes_.reserve(bytes); }
  // `part` must not come before one already written.
  void append(Part part, std::string_view bytes);
  // A header of a header part; a newline in the value (never sent by a client the reader
  // accepts) is kept as a space so that the list reads back as it was written.
  void append_header(Part part, std::string_view name, std::string_view value);

  std::string_view part(Part part) const noexcept;
  std::vector<HeaderView> headers(Part part) const;

  // What append_header adds for one header, for reserve().
  static std::size_t header_bytes(std::string_view name, std::string_view value) noexcept {
    return name.size() + value.size() + 2;
  }

 private:
  void open(Part part);

  std::string bytes_;
  std::array<std::uint32_t, part_count> ends_{};
  int last_ = -1;  // the last part opened
};

}  // namespace pbxmock::mock
