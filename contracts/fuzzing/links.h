#pragma once
// The document's OpenAPI links (a response's `links`: operationId or operationRef, with
// `parameters` and `requestBody` given as values or runtime expressions), read from the
// document as written, and the stateful cases built by following them: a positive request
// of the operation, then the linked operation's positive request with the link's values
// filled in from the first request and its answer, and so on for a few links, as Schemathesis
// builds its stateful sequences. A link's value replaces the generated one; the rest of the
// linked request is generated, so a body the link fills only in part is still complete.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/fuzzing/case_builder.h"
#include "contracts/fuzzing/fuzz_case.h"
#include "contracts/fuzzing/random.h"
#include "spec/openapi.h"

namespace pbxmock::contracts::fuzzing {

struct Link {
  std::string name;     // its key under `links`
  std::string status;   // the response it is declared under: "200", "2XX", "default"
  std::string pointer;  // JSON Pointer of the link object (the $ref target when it was a $ref)
  const spec::Operation* target = nullptr;
  std::vector<std::pair<std::string, nlohmann::json>> parameters;  // as written: "path.id", "header.X" or a bare name
  std::optional<nlohmann::json> request_body;
};

struct DocumentLinks {
  std::vector<std::vector<Link>> by_operation;  // parallel to document.operations()
  std::vector<std::string> problems;             // links that cannot be followed, with why
  std::size_t count() const;
};

// Every link of every operation; a link whose target or expressions are wrong is left out and
// named in `problems` (pointer and reason).
DocumentLinks read_links(const spec::OpenApiDocument& document);

// A sequence that starts with a positive request of `source` and follows up to `max_links`
// links chosen at random; nullopt when the operation has no link or no valid request could be
// generated. Secured steps without a link-given Authorization sign in first when the run can.
std::optional<FuzzCase> build_link_case(const CaseBuilder& builder, const spec::OpenApiDocument& document,
                                        const DocumentLinks& links, const SessionPlan& session,
                                        const spec::Operation& source, std::size_t example, Random& random,
                                        std::size_t max_links = 3);

}  // namespace pbxmock::contracts::fuzzing
