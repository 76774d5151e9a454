#pragma once
// Reads one HTTP/1.1 request from bytes as they arrive, with no I/O: the event loop feeds it
// what recv() gave and learns whether it needs more, has a complete request, or must refuse
// (with the status and the vendor's error body; the connection then closes).
//
// Every limit holds while reading, so a hostile peer costs at most the limits in memory:
// the request line and each header line (414 / 400 past 8 KiB), the number of header lines
// (431 past 100), the whole head (431 past 64 KiB), the body after de-chunking (413 as soon
// as a Content-Length or a chunk size passes the cap, before its bytes are read).
// Framing the server could misread is refused (400): differing Content-Length headers,
// Content-Length with Transfer-Encoding, a transfer coding other than chunked, a bare CR
// or a folded line in the head. A Content-Encoding on a request gets 415: bodies are never
// decompressed. A request whose host is in doubt gets 400 too (RFC 9112 section 3.2): two
// Host headers, a Host value that is not host[:port], or none on HTTP/1.1 (HTTP/1.0 may omit it).
//
// A complete request comes back parsed once: method, target, version, the header lines as
// read (names as sent) without Transfer-Encoding, Expect and Content-Encoding, with one
// Content-Length giving the de-chunked body's size, and the body. Interim "100 Continue"
// answers are the caller's (see wants_continue()).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "spec/api_error.h"
#include "spec/url_encoding.h"

namespace pbxmock::mock {

struct ReaderLimits {
  std::size_t line_bytes = 8 * 1024;
  std::size_t header_lines = 100;
  std::size_t head_bytes = 64 * 1024;
  std::size_t body_bytes = 1 << 20;
};

struct ReadRequest {
  std::string method;
  std::string target;
  bool http_1_0 = false;          // HTTP/1.0 (else 1.1)
  spec::NameValuePairs headers;   // as read, names as sent
  std::string body;               // de-chunked
};

class RequestReader {
 public:
  enum class State { need_more, complete, refused };

  explicit RequestReader(ReaderLimits limits = {});

  // Consumes bytes of the current request from the front of `bytes` and returns how many it
  // took; bytes after a complete request (a pipelined next one) are left to the caller.
  std::size_t feed(std::string_view bytes);

  State state() const noexcept { return state_; }
  // Nothing of the current request has arrived yet (an idle keep-alive connection).
  bool idle() const noexcept { return phase_ == Phase::request_line && line_.empty() && head_bytes_ == 0; }
  // The head is complete and the body is still to come.
  bool head_done() const noexcept { return phase_ > Phase::headers && state_ == State::need_more; }
  // The client asked for "100 Continue" before it sends the body; true once per request.
  bool wants_continue() noexcept { return std::exchange(continue_pending_, false); }
  // The request line as far as it was read (for the log of a refusal).
  const std::string& method() const noexcept { return method_; }
  const std::string& target() const noexcept { return target_; }

  // The complete request; the reader starts over for the next one.
  ReadRequest take();
  // Why the request was refused (state() == refused).
  const spec::ApiError& refusal() const noexcept { return refusal_; }

 private:
  enum class Phase { request_line, headers, body, chunk_size, chunk_data, chunk_end, trailers };

  std::size_t feed_line(std::string_view bytes, bool& line_done);
  bool on_request_line(std::string_view line);
  bool on_header_line(std::string_view line);
  bool on_head_end();
  bool on_chunk_size(std::string_view line);
  bool on_trailer_line(std::string_view line);
  void finish();
  bool refuse(spec::ApiError error);
  void reset();

  ReaderLimits limits_;
  State state_ = State::need_more;
  Phase phase_ = Phase::request_line;
  std::string line_;  // the line being read
  std::string body_;
  std::string method_, target_;
  bool http_1_0_ = false;
  spec::NameValuePairs headers_;
  std::optional<std::size_t> content_length_;
  bool chunked_ = false;
  bool expects_continue_ = false;
  bool continue_pending_ = false;
  std::size_t hosts_ = 0;  // Host headers seen
  std::size_t header_lines_ = 0;
  std::size_t head_bytes_ = 0;
  std::size_t remaining_ = 0;  // of the Content-Length body or the current chunk
  spec::ApiError refusal_;
};

}  // namespace pbxmock::mock
