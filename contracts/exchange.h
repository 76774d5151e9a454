#pragma once
// One request and its answer as someone saw them pass: the proxy between a front end and a
// PBX, or a browser's HAR file (contracts/recording/har_reader.h). Plain values, no HTTP
// library's types, so every source can fill one and every consumer (the exchange checker, the
// recorder) reads the same thing.
#include <string>
#include <vector>

#include "contracts/contract.h"

namespace pbxmock::contracts {

struct ExchangeRequest {
  std::string method;              // upper case
  std::string target;              // as the server saw it: path and query, "/api/info?domain=x"
  std::vector<NameValue> headers;  // in the order sent, names as sent
  std::string body;                // the bytes
};

struct ExchangeResponse {
  int status = 0;
  std::vector<NameValue> headers;
  std::string body;  // decoded (no transfer or content encoding)
  // False when the source saw an answer but kept none of its body: a HAR entry whose
  // content has no text (a browser may not wait for a body the page never read). The
  // body is then unknown, not empty, and is not judged.
  bool body_captured = true;
};

struct Exchange {
  ExchangeRequest request;
  ExchangeResponse response;
};

}  // namespace pbxmock::contracts
