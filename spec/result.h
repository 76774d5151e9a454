#pragma once
// A value or a reason, returned across module boundaries instead of throwing.
#include <utility>
#include <variant>

namespace pbxmock {

template <typename E>
struct Err {
  E error;
};
template <typename E>
Err(E) -> Err<E>;

template <typename T, typename E>
class Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <typename F>
  Result(Err<F> err) : data_(std::in_place_index<1>, E(std::move(err.error))) {}  // NOLINT

  bool ok() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  const T& value() const& { return std::get<0>(data_); }
  T& value() & { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const E& error() const& { return std::get<1>(data_); }
  E& error() & { return std::get<1>(data_); }

 private:
  std::variant<T, E> data_;
};

}  // namespace pbxmock
