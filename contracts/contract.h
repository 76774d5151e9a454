#pragma once
// The contract model: what a contract file says, after loading and with the file's
// defaults applied. Values that may hold `${...}` placeholders are kept as written;
// the runner substitutes them step by step (contracts/variables.h), because saved values
// only exist once earlier steps have run.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/structured_document.h"

namespace pbxmock::contracts {

using NameValue = std::pair<std::string, std::string>;

enum class BodyKind { none, json, form, raw };

struct RequestTemplate {
  std::string method;              // upper case
  std::string path;                // "/api/auth/sign_in", or an absolute URL on the target's host
  std::vector<NameValue> query;    // in the order written; appended to the path's own query
  std::vector<NameValue> headers;  // defaults first, then the step's (a step's header replaces a default's)
  BodyKind body_kind = BodyKind::none;
  nlohmann::json json;             // BodyKind::json
  std::vector<NameValue> form;     // BodyKind::form, sent application/x-www-form-urlencoded
  std::string body;                // BodyKind::raw
  std::size_t repeat = 1;          // BodyKind::raw: the body is sent this many times over (size limits)
  std::string content_type;        // BodyKind::raw; "" sends text/plain
};

// One condition on a value (a header or a body member). Several may apply to one value.
struct Matcher {
  enum class Kind { equals, not_equals, regex, type, present, absent, length, contains };
  Kind kind = Kind::equals;
  nlohmann::json expected;  // equals / not_equals: the value; regex / contains: a string;
                            // type: a JSON type name; length: a non-negative integer
};

struct StatusExpectation {
  std::vector<int> codes;    // exact statuses
  std::vector<int> classes;  // 4 for "4xx"
};

struct HeaderExpectation {
  std::string name;  // compared without regard to case
  std::vector<Matcher> matchers;
};

struct BodyExpectation {
  std::string pointer;  // JSON Pointer into the response body ("" is the whole body)
  std::vector<Matcher> matchers;
};

struct Expectations {
  std::optional<StatusExpectation> status;
  std::vector<HeaderExpectation> headers;
  std::vector<BodyExpectation> body;
  std::vector<Matcher> text;  // on the raw body as a string (an HTML page, an empty body)
  std::optional<std::string> error_code;  // errors[0].code of a vendor error body
  bool schema = true;                     // run the spec checks (contracts/spec_checks.h)
};

// A spec check the contract expects to differ, and why (shown in the report).
struct AllowedCheck {
  std::string check;
  std::string reason;
};

struct SaveRule {
  std::string name;
  enum class Source { body, header } source = Source::body;
  std::string where;  // body: JSON Pointer; header: header name
  std::optional<std::string> regex;  // the first capture group is saved (the whole match without one)
};

struct Step {
  std::string name;
  std::string pointer;  // JSON Pointer of the step in its file, for positions in lint messages
  std::vector<std::string> tags;  // the step's own tags; its contract's apply as well
  std::optional<int> timeout_ms;  // the step's, else the file default's
  RequestTemplate request;
  Expectations expect;
  std::vector<AllowedCheck> allow;
  std::vector<SaveRule> save;
};

struct Contract {
  std::string name;
  std::string pointer;
  std::vector<std::string> tags;  // the file's default tags, then the contract's own
  std::vector<Step> steps;
};

struct ContractFile {
  std::string file;  // as given (for messages and the report)
  // The file's variables in the order written; values may hold placeholders that refer to the
  // environment or to variables above them.
  std::vector<std::pair<std::string, nlohmann::json>> variables;
  std::vector<Contract> contracts;
  // What the file was loaded from: positions for `pbxmock lint`.
  std::shared_ptr<const spec::StructuredDocument> source;
};

}  // namespace pbxmock::contracts
