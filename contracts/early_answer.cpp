#include "contracts/early_answer.h"

#include <charconv>
#include <string>

#include "spec/ascii.h"

namespace pbxmock::contracts {
namespace {

using spec::ascii::iequals;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

const std::string* find_header(const std::vector<NameValue>& headers, std::string_view name) {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return &value;
  return nullptr;
}

// A chunked body from `bytes` into `body`.
AnswerBytes dechunk(std::string_view bytes, std::string& body) {
  while (true) {
    const auto line_end = bytes.find("\r\n");
    if (line_end == std::string_view::npos) return AnswerBytes::incomplete;
    const std::string_view line = bytes.substr(0, line_end);
    const std::string_view size_text = trim(line.substr(0, line.find(';')));  // extensions dropped
    std::size_t size = 0;
    const auto [end, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
    if (ec != std::errc() || end != size_text.data() + size_text.size()) return AnswerBytes::malformed;
    bytes.remove_prefix(line_end + 2);
    if (size == 0) return AnswerBytes::complete;  // trailers, if any, are of no use here
    if (bytes.size() < size + 2) return AnswerBytes::incomplete;
    body.append(bytes.substr(0, size));
    bytes.remove_prefix(size + 2);
  }
}

}  // namespace

AnswerBytes parse_answer(std::string_view bytes, bool closed, Response& answer) {
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return closed ? AnswerBytes::malformed : AnswerBytes::incomplete;
  std::string_view head = bytes.substr(0, head_end + 2);
  const auto status_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, status_end);
  // "HTTP/1.1 413 Payload Too Large"
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/" || status_line[8] != ' ') return AnswerBytes::malformed;
  int status = 0;
  const auto [end, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, status);
  if (ec != std::errc() || end != status_line.data() + 12 || status < 100) return AnswerBytes::malformed;
  head.remove_prefix(status_end + 2);

  std::vector<NameValue> headers;
  while (!head.empty()) {
    const auto line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return AnswerBytes::malformed;
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
    head.remove_prefix(line_end + 2);
  }

  const std::string_view rest = bytes.substr(head_end + 4);
  std::string body;
  const std::string* encoding = find_header(headers, "Transfer-Encoding");
  const std::string* length = find_header(headers, "Content-Length");
  if (encoding != nullptr && iequals(*encoding, "chunked")) {
    const AnswerBytes chunks = dechunk(rest, body);
    if (chunks != AnswerBytes::complete) return chunks == AnswerBytes::incomplete && closed ? AnswerBytes::malformed : chunks;
  } else if (length != nullptr) {
    std::size_t declared = 0;
    const auto [length_end, length_ec] = std::from_chars(length->data(), length->data() + length->size(), declared);
    if (length_ec != std::errc() || length_end != length->data() + length->size()) return AnswerBytes::malformed;
    if (rest.size() < declared) return closed ? AnswerBytes::malformed : AnswerBytes::incomplete;
    body = std::string(rest.substr(0, declared));
  } else if (status >= 200 && status != 204 && status != 304) {
    if (!closed) return AnswerBytes::incomplete;  // the body runs until the server closes
    body = std::string(rest);
  }
  answer = make_response(status, std::move(headers), std::move(body));
  return AnswerBytes::complete;
}

}  // namespace pbxmock::contracts
