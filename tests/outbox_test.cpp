// The outbox: bounded, newest first, read back by kind and user.
#include <gtest/gtest.h>

#include "mock/auth/outbox.h"

namespace {

using pbxmock::mock::Outbox;
using pbxmock::mock::OutboxMessage;

OutboxMessage message(std::string kind, std::string username, std::string secret) {
  OutboxMessage m;
  m.kind = std::move(kind);
  m.username = std::move(username);
  m.to = m.username + "@example.com";
  m.tenant_domain = "pbx.example.com";
  if (m.kind == "otp") {
    m.code = std::move(secret);
  } else {
    m.token = secret;
    m.link = "https://app.example.com/reset?token=" + secret;
  }
  return m;
}

TEST(outbox, ids_count_up_and_list_is_newest_first) {
  Outbox outbox;
  EXPECT_EQ(1u, outbox.add(message("otp", "carol", "111111")));
  EXPECT_EQ(2u, outbox.add(message("otp", "carol", "222222")));
  const auto list = outbox.list();
  ASSERT_EQ(2u, list.size());
  EXPECT_EQ(2u, list[0].id);
  EXPECT_EQ("222222", list[0].code);
  EXPECT_EQ(1u, list[1].id);
}

TEST(outbox, drops_the_oldest_past_capacity) {
  Outbox outbox(3);
  for (int i = 1; i <= 5; ++i) outbox.add(message("otp", "carol", std::to_string(i)));
  const auto list = outbox.list();
  ASSERT_EQ(3u, list.size());
  EXPECT_EQ(5u, list[0].id);
  EXPECT_EQ(3u, list[2].id);
  EXPECT_EQ(3u, outbox.size());
}

TEST(outbox, default_capacity_is_one_thousand) {
  Outbox outbox;
  EXPECT_EQ(1000u, outbox.capacity());
  for (int i = 0; i < 1005; ++i) outbox.add(message("otp", "carol", "000000"));
  EXPECT_EQ(1000u, outbox.size());
  EXPECT_EQ(6u, outbox.list().back().id);
}

TEST(outbox, latest_finds_by_kind_and_username_ignoring_case) {
  Outbox outbox;
  outbox.add(message("otp", "carol", "111111"));
  outbox.add(message("password_reset", "carol", "TOKEN1"));
  outbox.add(message("otp", "bob", "333333"));
  const auto otp = outbox.latest("otp", "Carol");
  ASSERT_TRUE(otp.has_value());
  EXPECT_EQ("111111", otp->code);
  const auto reset = outbox.latest("password_reset", "carol");
  ASSERT_TRUE(reset.has_value());
  EXPECT_EQ("TOKEN1", reset->token);
  EXPECT_FALSE(outbox.latest("password_reset", "bob").has_value());
}

TEST(outbox, clear_empties_it_but_ids_keep_counting) {
  Outbox outbox;
  outbox.add(message("otp", "carol", "1"));
  outbox.clear();
  EXPECT_EQ(0u, outbox.size());
  EXPECT_EQ(2u, outbox.add(message("otp", "carol", "2")));
}

TEST(outbox, json_has_only_the_fields_that_apply) {
  Outbox outbox(10);
  outbox.add(message("password_reset", "bob", "TOKEN"));
  outbox.add(message("otp", "carol", "123456"));
  const auto json = outbox.to_json();
  EXPECT_EQ(10, json["capacity"]);
  ASSERT_EQ(2u, json["messages"].size());
  const auto& otp = json["messages"][0];
  EXPECT_EQ("otp", otp["kind"]);
  EXPECT_EQ("123456", otp["code"]);
  EXPECT_FALSE(otp.contains("link"));
  EXPECT_FALSE(otp.contains("token"));
  const auto& reset = json["messages"][1];
  EXPECT_EQ("https://app.example.com/reset?token=TOKEN", reset["link"]);
  EXPECT_EQ("TOKEN", reset["token"]);
  EXPECT_FALSE(reset.contains("code"));
  EXPECT_EQ("bob@example.com", reset["to"]);
  EXPECT_EQ("pbx.example.com", reset["tenant_domain"]);
  EXPECT_TRUE(reset["created_at"].is_string());
}

}  // namespace
