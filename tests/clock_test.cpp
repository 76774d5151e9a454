// The mock's clock: real time plus an offset that only moves forward.
#include <gtest/gtest.h>

#include <cstdint>

#include "mock/clock.h"

namespace {

using namespace std::chrono_literals;
using pbxmock::mock::Clock;
using pbxmock::mock::seconds_until;
using pbxmock::mock::to_rfc3339;

TEST(clock, advance_moves_now_forward_by_that_much) {
  Clock clock;
  const auto before = clock.now();
  ASSERT_TRUE(clock.advance(3600s));
  const auto after = clock.now();
  EXPECT_GE(after - before, 3600s);
  EXPECT_LT(after - before, 3660s);  // real time passed too, but not a minute of it
  EXPECT_EQ(3600s, clock.offset());
}

TEST(clock, refuses_to_go_backwards) {
  Clock clock;
  ASSERT_TRUE(clock.advance(10s));
  EXPECT_FALSE(clock.advance(-5s));
  EXPECT_EQ(10s, clock.offset());
}

// Issue 9 finding 11a: unbounded advances overflowed the time arithmetic.
TEST(clock, stops_at_the_maximum_offset) {
  Clock clock;
  EXPECT_FALSE(clock.advance(Clock::kMaxOffset + 1s));
  EXPECT_EQ(0s, clock.offset());
  ASSERT_TRUE(clock.advance(Clock::kMaxOffset - 10s));
  EXPECT_EQ(10s, clock.headroom());
  EXPECT_FALSE(clock.advance(11s));
  EXPECT_FALSE(clock.advance(std::chrono::seconds(INT64_MAX)));
  ASSERT_TRUE(clock.advance(10s));
  EXPECT_EQ(Clock::kMaxOffset, clock.offset());
  EXPECT_EQ(0s, clock.headroom());
  clock.reset();
  EXPECT_EQ(Clock::kMaxOffset, clock.headroom());
}

TEST(clock, reset_returns_to_real_time) {
  Clock clock;
  clock.advance(86400s);
  clock.reset();
  EXPECT_EQ(0s, clock.offset());
  EXPECT_LT(clock.now() - std::chrono::system_clock::now(), 60s);
}

TEST(clock, now_never_runs_backwards) {
  Clock clock;
  auto last = clock.now();
  for (int i = 0; i < 1000; ++i) {
    const auto now = clock.now();
    ASSERT_GE(now, last);
    last = now;
  }
}

TEST(clock, formats_rfc3339_in_utc_whole_seconds) {
  EXPECT_EQ("1970-01-01T00:00:00Z", to_rfc3339(Clock::time_point{}));
  const auto t = std::chrono::system_clock::from_time_t(1764282600) + 999ms;
  EXPECT_EQ("2025-11-27T22:30:00Z", to_rfc3339(t));
}

TEST(clock, seconds_until_rounds_up_and_never_goes_negative) {
  const Clock::time_point now{std::chrono::seconds(1000)};
  EXPECT_EQ(0, seconds_until(now, now));
  EXPECT_EQ(0, seconds_until(now - 5s, now));
  EXPECT_EQ(1, seconds_until(now + 1ms, now));
  EXPECT_EQ(3600, seconds_until(now + 3600s, now));
  EXPECT_EQ(3601, seconds_until(now + 3600s + 1ms, now));
}

TEST(clock, json_shows_offset) {
  Clock clock;
  clock.advance(90s);
  const auto json = clock.to_json();
  EXPECT_EQ(90, json["offset_seconds"]);
  EXPECT_EQ(20u, json["now"].get<std::string>().size());  // YYYY-MM-DDTHH:MM:SSZ
}

}  // namespace
