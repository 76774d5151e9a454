// The connection loop's request reader: limits hold while bytes arrive, framing the
// server could misread is refused, and complete requests come back parsed once.
#include "mock/http/request_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace pbxmock::mock {
namespace {

using State = RequestReader::State;

// The request as the reader gives it, written back as text: request line, the headers it
// passes on (names as sent, one Content-Length for a framed body), the de-chunked body.
std::string text_of(const ReadRequest& request) {
  std::string text = request.method + " " + request.target + (request.http_1_0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  for (const auto& [name, value] : request.headers) text += name + ": " + value + "\r\n";
  return text + "\r\n" + request.body;
}

std::string detail(const RequestReader& reader, const char* name) {
  const auto& d = reader.refusal().detail;
  return d.is_object() && d.contains(name) ? d[name].dump() : std::string();
}

TEST(request_reader, a_request_fed_at_once_or_a_byte_at_a_time_is_the_same) {
  const std::string raw = "GET /api/info?x=1 HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n";
  RequestReader whole;
  EXPECT_EQ(raw.size(), whole.feed(raw));
  ASSERT_EQ(State::complete, whole.state());
  RequestReader bytes;
  for (char c : raw) {
    ASSERT_EQ(State::need_more, bytes.state());
    EXPECT_EQ(1u, bytes.feed(std::string(1, c)));
  }
  ASSERT_EQ(State::complete, bytes.state());
  const ReadRequest a = whole.take();
  EXPECT_EQ(raw, text_of(a));
  EXPECT_EQ("GET", a.method);
  EXPECT_EQ("/api/info?x=1", a.target);
  EXPECT_EQ(text_of(a), text_of(bytes.take()));
  EXPECT_EQ(State::need_more, whole.state());
  EXPECT_TRUE(whole.idle());
}

TEST(request_reader, pipelined_requests_are_taken_one_at_a_time) {
  const std::string first = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
  const std::string second = "GET /b HTTP/1.1\r\nHost: a\r\n\r\n";
  RequestReader reader;
  EXPECT_EQ(first.size(), reader.feed(first + second));
  ASSERT_EQ(State::complete, reader.state());
  EXPECT_EQ(first, text_of(reader.take()));
  EXPECT_EQ(second.size(), reader.feed(second));
  ASSERT_EQ(State::complete, reader.state());
  EXPECT_EQ("/b", reader.take().target);
}

TEST(request_reader, a_chunked_body_is_dechunked_and_given_a_content_length) {
  RequestReader reader;
  reader.feed("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n");
  EXPECT_TRUE(reader.head_done());
  reader.feed("3;ext=1\r\nabc\r\n");
  reader.feed("A\r\n0123456789\r\n0\r\nTrailer: dropped\r\n\r\n");
  ASSERT_EQ(State::complete, reader.state());
  EXPECT_EQ("POST /a HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nContent-Length: 13\r\n\r\nabc0123456789", text_of(reader.take()));
}

TEST(request_reader, a_chunk_past_the_body_limit_is_413_before_its_bytes_arrive) {
  RequestReader reader(ReaderLimits{8192, 100, 65536, 1000});
  reader.feed("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
  reader.feed("3e8\r\n" + std::string(1000, 'x') + "\r\n");
  EXPECT_EQ(State::need_more, reader.state());
  reader.feed("1\r\n");
  ASSERT_EQ(State::refused, reader.state());
  EXPECT_EQ(413, reader.refusal().status);
  RequestReader huge;
  huge.feed("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n");
  ASSERT_EQ(State::refused, huge.state());
  EXPECT_EQ(413, huge.refusal().status);
}

TEST(request_reader, a_content_length_past_the_limit_is_413_at_the_end_of_the_head) {
  RequestReader reader(ReaderLimits{8192, 100, 65536, 1000});
  reader.feed("POST /a HTTP/1.1\r\nContent-Length: 1001\r\n\r\n");
  ASSERT_EQ(State::refused, reader.state());
  EXPECT_EQ(413, reader.refusal().status);
}

TEST(request_reader, differing_content_lengths_or_one_with_transfer_encoding_are_400) {
  RequestReader twice;
  twice.feed("POST /a HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
  ASSERT_EQ(State::refused, twice.state());
  EXPECT_EQ(400, twice.refusal().status);
  EXPECT_EQ("\"Content-Length\"", detail(twice, "field"));

  RequestReader same;
  same.feed("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_EQ(State::complete, same.state());
  EXPECT_EQ("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", text_of(same.take()));

  RequestReader both;
  both.feed("POST /a HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
  ASSERT_EQ(State::refused, both.state());
  EXPECT_EQ(400, both.refusal().status);

  RequestReader gzip_te;
  gzip_te.feed("POST /a HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  ASSERT_EQ(State::refused, gzip_te.state());
  EXPECT_EQ(400, gzip_te.refusal().status);
}

TEST(request_reader, a_content_encoding_is_415_without_reading_the_body) {
  RequestReader reader;
  reader.feed("POST /a HTTP/1.1\r\nContent-Encoding: br\r\nContent-Length: 841\r\n\r\n");
  ASSERT_EQ(State::refused, reader.state());
  EXPECT_EQ(415, reader.refusal().status);
  EXPECT_EQ("\"Content-Encoding\"", detail(reader, "field"));
  EXPECT_EQ("\"unsupported\"", detail(reader, "rule"));
  RequestReader identity;
  identity.feed("POST /a HTTP/1.1\r\nHost: a\r\nContent-Encoding: identity\r\nContent-Length: 1\r\n\r\nx");
  EXPECT_EQ(State::complete, identity.state());
}

TEST(request_reader, a_request_line_without_end_is_refused_once_past_the_line_limit) {
  RequestReader reader;
  const std::string start = "GET /" + std::string(8185, 'a');
  EXPECT_EQ(start.size(), reader.feed(start));
  EXPECT_EQ(State::need_more, reader.state());
  reader.feed(std::string(100, 'a'));
  ASSERT_EQ(State::refused, reader.state());
  EXPECT_EQ(414, reader.refusal().status);
}

TEST(request_reader, a_header_line_without_end_is_400_once_past_the_line_limit) {
  RequestReader reader;
  reader.feed("GET / HTTP/1.1\r\nX-Long: ");
  reader.feed(std::string(9000, 'b'));
  ASSERT_EQ(State::refused, reader.state());
  EXPECT_EQ(400, reader.refusal().status);
  EXPECT_EQ("\"maxLineBytes\"", detail(reader, "rule"));
}

TEST(request_reader, a_header_flood_is_refused_within_the_limits) {
  RequestReader reader;
  reader.feed("GET / HTTP/1.1\r\n");
  std::string flood;
  for (int i = 0; i < 100'000; ++i) flood += "a:b\r\n";
  const std::size_t used = reader.feed(flood);
  ASSERT_EQ(State::refused, reader.state());
  EXPECT_EQ(431, reader.refusal().status);
  EXPECT_EQ("\"maxCount\"", detail(reader, "rule"));
  EXPECT_LE(used, 101u * 5);

  RequestReader wide;
  wide.feed("GET / HTTP/1.1\r\n");
  for (int i = 0; i < 70 && wide.state() == State::need_more; ++i) wide.feed("X-Wide: " + std::string(1000, 'w') + "\r\n");
  ASSERT_EQ(State::refused, wide.state());
  EXPECT_EQ(431, wide.refusal().status);
  EXPECT_EQ("\"maxBytes\"", detail(wide, "rule"));
}

TEST(request_reader, a_bare_cr_or_a_folded_line_in_the_head_is_400) {
  RequestReader cr;
  cr.feed("GET / HTTP/1.1\r\nOrigin: http://a\rX-Injected: 1\r\n\r\n");
  ASSERT_EQ(State::refused, cr.state());
  EXPECT_EQ(400, cr.refusal().status);
  RequestReader folded;
  folded.feed("GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n");
  ASSERT_EQ(State::refused, folded.state());
  EXPECT_EQ(400, folded.refusal().status);
  RequestReader bad_line;
  bad_line.feed("GARBAGE\r\n");
  ASSERT_EQ(State::refused, bad_line.state());
  EXPECT_EQ(400, bad_line.refusal().status);
}

TEST(request_reader, expect_100_continue_is_asked_once_and_not_passed_on) {
  RequestReader reader;
  reader.feed("POST /a HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_TRUE(reader.head_done());
  EXPECT_TRUE(reader.wants_continue());
  EXPECT_FALSE(reader.wants_continue());
  reader.feed("hi");
  ASSERT_EQ(State::complete, reader.state());
  EXPECT_EQ("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi", text_of(reader.take()));
}

// RFC 9112 section 3.2 (issue 18, finding 4): the host a request is for is never a guess.
TEST(request_reader, two_hosts_a_bad_host_or_none_on_http_1_1_are_400) {
  const auto refused_for = [](const std::string& raw) {
    RequestReader reader;
    reader.feed(raw);
    return reader.state() == State::refused ? reader.refusal().status : 0;
  };
  RequestReader two;
  two.feed("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n");
  ASSERT_EQ(State::refused, two.state());
  EXPECT_EQ(400, two.refusal().status);
  EXPECT_EQ("\"Host\"", detail(two, "field"));
  EXPECT_EQ("\"single\"", detail(two, "rule"));
  RequestReader none;
  none.feed("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n");
  ASSERT_EQ(State::refused, none.state());
  EXPECT_EQ("\"required\"", detail(none, "rule"));
  EXPECT_EQ(400, refused_for("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"));
  EXPECT_EQ(400, refused_for("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"));
  EXPECT_EQ(400, refused_for("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"));
  // What stays accepted: HTTP/1.0 without Host, a port, an IPv6 literal, an empty Host.
  EXPECT_EQ(0, refused_for("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(0, refused_for("GET / HTTP/1.1\r\nHost: 127.0.0.1:8887\r\n\r\n"));
  EXPECT_EQ(0, refused_for("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"));
  EXPECT_EQ(0, refused_for("GET / HTTP/1.1\r\nHost:\r\n\r\n"));
}

}  // namespace
}  // namespace pbxmock::mock
