#pragma once
// An answer read off the socket by hand: the one a server sends before it has taken the whole
// request body (nginx's 413), after cpp-httplib gave up writing that body. Parsing only.
#include <string_view>

#include "contracts/response.h"

namespace pbxmock::contracts {

enum class AnswerBytes { complete, incomplete, malformed };

// The HTTP/1.x answer at the start of `bytes` into `answer`. `closed`: the server closed the
// connection after these bytes, which ends a body that declares no length.
AnswerBytes parse_answer(std::string_view bytes, bool closed, Response& answer);

}  // namespace pbxmock::contracts
