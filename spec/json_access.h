#pragma once
// Member lookup on nlohmann::json through the underlying std::map. Besides reading well,
// it keeps GCC 12's -Wnull-dereference quiet: through nlohmann's iterators, inlined deep
// enough, GCC can no longer prove the element pointer non-null and warns (an error here).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pbxmock::spec {

// The member `key` of `object`; nullptr when `object` is not an object or has no such key.
inline const nlohmann::json* find_member(const nlohmann::json& object, std::string_view key) {
  const auto* map = object.get_ptr<const nlohmann::json::object_t*>();
  if (map == nullptr) return nullptr;
  const auto it = map->find(key);
  return it == map->end() ? nullptr : &it->second;
}

// The members of an object, for range-for; nullptr for any other type.
inline const nlohmann::json::object_t* object_of(const nlohmann::json& value) {
  return value.get_ptr<const nlohmann::json::object_t*>();
}

// The text of a string value; nullptr for any other type.
inline const std::string* string_of(const nlohmann::json& value) { return value.get_ptr<const std::string*>(); }

}  // namespace pbxmock::spec
