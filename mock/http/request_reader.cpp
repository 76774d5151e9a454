#include "mock/http/request_reader.h"

#include <algorithm>
#include <charconv>

#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

using spec::ApiError;

bool is_token_char(char c) {
  return spec::ascii::is_alpha(c) || (c >= '0' && c <= '9') || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

ApiError malformed(std::string field, std::string rule, std::string explanation) {
  return {400,
          "VALIDATE_FAILED",
          "malformed HTTP request",
          {{"field", std::move(field)}, {"rule", std::move(rule)}, {"explanation", std::move(explanation)}},
          {}};
}

ApiError head_too_large(std::string rule, std::size_t limit, std::string explanation) {
  return {431,
          "REQUEST_HEADER_FIELDS_TOO_LARGE",
          "request head too large",
          {{"field", "headers"}, {"rule", std::move(rule)}, {"limit", limit}, {"explanation", std::move(explanation)}},
          {}};
}

// 400 as the server answered it before (one line too long is a malformed request; 431 is for
// a head that is too large as a whole).
ApiError line_too_long(std::size_t limit) {
  return {400,
          "VALIDATE_FAILED",
          "malformed HTTP request",
          {{"field", "headers"}, {"rule", "maxLineBytes"}, {"limit", limit}, {"explanation", "a header line is longer than the limit"}},
          {}};
}

ApiError uri_too_long(std::size_t limit) {
  return {414, "URI_TOO_LONG", "request URI too long", {{"field", "uri"}, {"rule", "maxLength"}, {"limit", limit}}, {}};
}

ApiError encoded_body() {
  return {415,
          "UNSUPPORTED_MEDIA_TYPE",
          "compressed request bodies are not accepted",
          {{"field", "Content-Encoding"}, {"rule", "unsupported"}, {"explanation", "send the body without a Content-Encoding"}},
          {}};
}

// RFC 3986's host [":" port]: reg-name, IPv4 or IP-literal characters; empty is allowed (a
// target without an authority).
bool is_host_value(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    return spec::ascii::is_alpha(c) || (c >= '0' && c <= '9') || std::string_view("-._~!$&'()*+,;=%:[]").find(c) != std::string_view::npos;
  });
}

std::optional<std::size_t> decimal(std::string_view text) {
  std::size_t value = 0;
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return SIZE_MAX;  // too big: past any limit
  return value;
}

}  // namespace

RequestReader::RequestReader(ReaderLimits limits) : limits_(limits) {}

bool RequestReader::refuse(ApiError error) {
  refusal_ = std::move(error);
  state_ = State::refused;
  return false;
}

void RequestReader::reset() {
  state_ = State::need_more;
  phase_ = Phase::request_line;
  line_.clear();
  headers_.clear();
  body_.clear();
  method_.clear();
  target_.clear();
  content_length_.reset();
  chunked_ = expects_continue_ = continue_pending_ = http_1_0_ = false;
  header_lines_ = head_bytes_ = remaining_ = hosts_ = 0;
}

std::size_t RequestReader::feed_line(std::string_view bytes, bool& line_done) {
  const std::size_t newline = bytes.find('\n');
  line_done = newline != std::string_view::npos;
  const std::size_t take = line_done ? newline + 1 : bytes.size();
  const bool in_head = phase_ == Phase::request_line || phase_ == Phase::headers || phase_ == Phase::trailers;
  // The line without its LF may still end in CR, which does not count against the limit.
  std::size_t length = line_.size() + (line_done ? newline : take);
  if (line_done) {
    const char before = newline > 0 ? bytes[newline - 1] : (line_.empty() ? '\0' : line_.back());
    if (before == '\r') --length;
  }
  if (length > limits_.line_bytes + (line_done ? 0 : 1)) {
    if (phase_ == Phase::request_line) refuse(uri_too_long(limits_.line_bytes));
    else if (in_head) refuse(line_too_long(limits_.line_bytes));
    else refuse(malformed("Transfer-Encoding", "chunked", "a chunk-size line is too long"));
    return take;
  }
  if (in_head) {
    head_bytes_ += take;
    if (head_bytes_ > limits_.head_bytes) {
      refuse(head_too_large("maxBytes", limits_.head_bytes, "the request line and headers are longer than the limit"));
      return take;
    }
  }
  line_.append(bytes.data(), take);
  return take;
}

std::size_t RequestReader::feed(std::string_view bytes) {
  std::size_t used = 0;
  while (state_ == State::need_more && used < bytes.size()) {
    if (phase_ == Phase::body || phase_ == Phase::chunk_data) {
      const std::size_t n = std::min(remaining_, bytes.size() - used);
      body_.append(bytes.data() + used, n);
      used += n;
      remaining_ -= n;
      if (remaining_ == 0) {
        if (phase_ == Phase::body) finish();
        else phase_ = Phase::chunk_end;
      }
      continue;
    }
    bool line_done = false;
    used += feed_line(bytes.substr(used), line_done);
    if (state_ != State::need_more || !line_done) continue;
    std::string_view line(line_);
    line.remove_suffix(1);  // LF
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool ok = true;
    if (line.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos) {
      ok = refuse(malformed("headers", "characters", "a bare CR or a NUL in the request head"));
    } else {
      switch (phase_) {
        case Phase::request_line:
          ok = line.empty() || on_request_line(line);  // empty lines before a request are allowed
          break;
        case Phase::headers:
          ok = line.empty() ? on_head_end() : on_header_line(line);
          break;
        case Phase::chunk_size:
          ok = on_chunk_size(line);
          break;
        case Phase::chunk_end:
          ok = line.empty() ? (phase_ = Phase::chunk_size, true)
                            : refuse(malformed("Transfer-Encoding", "chunked", "a chunk is longer than its size says"));
          break;
        case Phase::trailers:
          ok = line.empty() ? (finish(), true) : on_trailer_line(line);
          break;
        default:
          break;
      }
    }
    line_.clear();
    if (!ok) break;
  }
  return used;
}

bool RequestReader::on_request_line(std::string_view line) {
  const std::size_t first = line.find(' ');
  const std::size_t last = line.rfind(' ');
  if (first == std::string_view::npos || first == last) {
    return refuse(malformed("request", "http", "the request line is not METHOD TARGET HTTP/1.x"));
  }
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, last - first - 1);
  const std::string_view version = line.substr(last + 1);
  if (!is_token(method) || target.empty() || target.find(' ') != std::string_view::npos ||
      (version != "HTTP/1.1" && version != "HTTP/1.0")) {
    return refuse(malformed("request", "http", "the request line is not METHOD TARGET HTTP/1.x"));
  }
  method_.assign(method);
  target_.assign(target);
  http_1_0_ = version == "HTTP/1.0";
  headers_.reserve(8);  // one allocation for a usual request's headers, not four
  phase_ = Phase::headers;
  return true;
}

bool RequestReader::on_header_line(std::string_view line) {
  if (++header_lines_ > limits_.header_lines) {
    return refuse(head_too_large("maxCount", limits_.header_lines, "more header lines than the limit"));
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    return refuse(malformed("headers", "http", "a header line is not NAME: VALUE (folded lines are not accepted)"));
  }
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trim(line.substr(colon + 1));
  namespace ascii = spec::ascii;
  if (ascii::iequals(name, "Content-Length")) {
    const auto length = decimal(value);
    if (!length) return refuse(malformed("Content-Length", "integer", "Content-Length is not a decimal number"));
    if (content_length_ && *content_length_ != *length) {
      return refuse(malformed("Content-Length", "single", "two Content-Length headers with different values"));
    }
    content_length_ = length;
    return true;  // written again at the end, once
  }
  if (ascii::iequals(name, "Transfer-Encoding")) {
    if (chunked_ || !ascii::iequals(value, "chunked")) {
      return refuse(malformed("Transfer-Encoding", "chunked", "the only transfer coding accepted is a single chunked"));
    }
    chunked_ = true;
    return true;
  }
  if (ascii::iequals(name, "Content-Encoding")) {
    if (!value.empty() && !ascii::iequals(value, "identity")) return refuse(encoded_body());
    return true;
  }
  if (ascii::iequals(name, "Host")) {
    ++hosts_;
    if (!is_host_value(value)) return refuse(malformed("Host", "uri-host", "the Host header is not host[:port]"));
  }
  if (ascii::iequals(name, "Expect")) {
    expects_continue_ = ascii::iequals(value, "100-continue");
    return true;  // answered by the caller, not passed on
  }
  headers_.emplace_back(name, value);
  return true;
}

bool RequestReader::on_head_end() {
  if (chunked_ && content_length_) {
    return refuse(malformed("Transfer-Encoding", "exclusive", "Content-Length and Transfer-Encoding together"));
  }
  if (content_length_ && *content_length_ > limits_.body_bytes) return refuse(spec::payload_too_large(limits_.body_bytes));
  // RFC 9112 section 3.2: which host a request is for must not be left to guessing.
  if (hosts_ > 1) return refuse(malformed("Host", "single", "more than one Host header"));
  if (hosts_ == 0 && !http_1_0_) return refuse(malformed("Host", "required", "an HTTP/1.1 request without a Host header"));
  const bool body_follows = chunked_ || (content_length_ && *content_length_ > 0);
  continue_pending_ = expects_continue_ && body_follows;
  if (chunked_) {
    phase_ = Phase::chunk_size;
  } else if (body_follows) {
    phase_ = Phase::body;
    remaining_ = *content_length_;
  } else {
    finish();
  }
  return true;
}

bool RequestReader::on_chunk_size(std::string_view line) {
  const std::string_view digits = trim(line.substr(0, line.find(';')));
  std::size_t size = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), size, 16);
  if (digits.empty() || end != digits.data() + digits.size()) {
    return refuse(malformed("Transfer-Encoding", "chunked", "a chunk size is not hexadecimal"));
  }
  if (error != std::errc() || size > limits_.body_bytes - body_.size()) {
    return refuse(spec::payload_too_large(limits_.body_bytes));
  }
  if (size == 0) {
    phase_ = Phase::trailers;
  } else {
    phase_ = Phase::chunk_data;
    remaining_ = size;
  }
  return true;
}

bool RequestReader::on_trailer_line(std::string_view) {
  // Trailers count against the head's limits and are dropped: nothing here reads them.
  if (++header_lines_ > limits_.header_lines) {
    return refuse(head_too_large("maxCount", limits_.header_lines, "more header lines than the limit"));
  }
  return true;
}

void RequestReader::finish() {
  if (chunked_ || content_length_) headers_.emplace_back("Content-Length", std::to_string(body_.size()));
  state_ = State::complete;
}

ReadRequest RequestReader::take() {
  ReadRequest request{std::move(method_), std::move(target_), http_1_0_, std::move(headers_), std::move(body_)};
  reset();
  return request;
}

}  // namespace pbxmock::mock
