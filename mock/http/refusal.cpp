#include "mock/http/refusal.h"

#include "mock/api_response.h"
#include "mock/http/response_writer.h"

namespace pbxmock::mock {

std::string refusal_bytes(const spec::ApiError& error, std::string_view method) {
  Reply reply = Reply::of(ApiResponse::error(error));
  reply.headers.emplace_back("Access-Control-Allow-Origin", "*");
  Framing framing;
  framing.head = method == "HEAD";
  framing.close = true;
  std::string out;
  write_reply(reply, framing, out);
  return out;
}

}  // namespace pbxmock::mock
