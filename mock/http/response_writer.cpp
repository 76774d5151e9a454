#include "mock/http/response_writer.h"

#include <charconv>

#include "spec/ascii.h"

namespace pbxmock::mock {
namespace {

bool safe(std::string_view text) noexcept {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, static_cast<std::size_t>(end - digits));
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ", 2).append(value).append("\r\n", 2);
}

}  // namespace

Reply Reply::of(const ApiResponse& answer) {
  Reply reply;
  reply.status = answer.status;
  reply.headers.reserve(answer.headers.size() + 5);
  for (const auto& header : answer.headers) reply.headers.push_back(header);
  if (answer.has_body()) {
    reply.body = answer.serialized_body();
    reply.headers.emplace_back("Content-Type", answer.content_type);
  }
  return reply;
}

bool Reply::has_header(std::string_view name) const noexcept {
  for (const auto& header : headers)
    if (spec::ascii::iequals(header.first, name)) return true;
  return false;
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 418: return "I'm a teapot";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 423: return "Locked";
    case 425: return "Too Early";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

void write_reply(const Reply& reply, const Framing& framing, std::string& out) {
  std::size_t size = 64 + reply.body.size();
  for (const auto& [name, value] : reply.headers) size += name.size() + value.size() + 4;
  out.reserve(out.size() + size);
  out.append("HTTP/1.1 ", 9);
  append_number(out, static_cast<std::size_t>(reply.status));
  out += ' ';
  out.append(reason_phrase(reply.status));
  out.append("\r\n", 2);
  for (const auto& [name, value] : reply.headers) {
    if (safe(name) && safe(value)) append_header(out, name, value);
  }
  out.append("Content-Length: ", 16);
  append_number(out, reply.body.size());
  out.append("\r\n", 2);
  if (framing.close) {
    out.append("Connection: close\r\n", 19);
  } else {
    out.append("Keep-Alive: timeout=", 20);
    append_number(out, static_cast<std::size_t>(framing.keep_alive_seconds));
    out.append(", max=", 6);
    append_number(out, framing.keep_alive_requests);
    out.append("\r\n", 2);
  }
  out.append("\r\n", 2);
  if (!framing.head) out.append(reply.body);
}

}  // namespace pbxmock::mock
