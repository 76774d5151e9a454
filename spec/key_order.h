#pragma once
// The order in which an object's members were written. nlohmann::json keeps members sorted
// by key, but `pbxmock spec` lists operations in document order and "the first example" is
// the first one written. YAML input already has every key's position; for JSON input, one
// extra pass over the text records the order of the few objects where order matters.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/structured_document.h"

namespace pbxmock::spec {

class KeyOrder {
 public:
  // `text` is what `doc` was parsed from. For JSON text, records the member order of
  // /paths, of each path item, and of every object under a key named "examples".
  KeyOrder(std::string_view text, const StructuredDocument& doc);

  // The keys of `object` (found at `pointer`) in document order; sorted by key for a JSON
  // object whose order was not recorded.
  std::vector<std::string> keys(const nlohmann::json& object, std::string_view pointer) const;

 private:
  const StructuredDocument& doc_;
  bool json_ = false;
  std::unordered_map<std::string, std::vector<std::string>> recorded_;
};

}  // namespace pbxmock::spec
