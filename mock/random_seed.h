#pragma once
// A seed for the pseudo-random generators that need no secrecy (the rules' delay samplers'
// std::mt19937_64), from OpenSSL's generator. A leaf of its own, so mock/rules does not
// depend on mock/auth for it.
#include <cstdint>

namespace pbxmock::mock {

std::uint64_t random_seed();

}  // namespace pbxmock::mock
