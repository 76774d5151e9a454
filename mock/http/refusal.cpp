#include "mock/http/refusal.h"

#include "mock/api_response.h"

namespace pbxmock::mock {
namespace {

const char* reason(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
  }
}

}  // namespace

std::string refusal_bytes(const spec::ApiError& error, std::string_view method) {
  const ApiResponse answer = ApiResponse::error(error);
  const std::string body = answer.serialized_body();
  std::string out = "HTTP/1.1 " + std::to_string(answer.status) + " " + reason(answer.status) + "\r\n";
  out += "Content-Type: " + answer.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Access-Control-Allow-Origin: *\r\n";
  out += "Connection: close\r\n\r\n";
  if (method != "HEAD") out += body;
  return out;
}

}  // namespace pbxmock::mock
