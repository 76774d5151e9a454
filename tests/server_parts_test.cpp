// The server's parts that need no socket: the request journal, the loopback check behind
// the admin key, the access log's lines, the --spec fallback's answers, the worker pool.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "mock/http/access_log.h"
#include "mock/http/task_queue.h"
#include "mock/admin/request_journal.h"
#include "mock/http/admin_key.h"
#include "mock/spec_fallback.h"
#include "spec/openapi.h"

namespace pbxmock::mock {
namespace {

using nlohmann::json;

JournalEntry entry(const std::string& path, int status = 200) {
  JournalEntry e;
  e.method = "GET";
  e.text.append(JournalText::path, path);
  e.status = status;
  return e;
}

TEST(request_journal, keeps_the_newest_entries_newest_first) {
  RequestJournal journal(3);
  for (int i = 1; i <= 5; ++i) journal.record(entry("/p" + std::to_string(i)));
  const auto newest = journal.newest(10);
  ASSERT_EQ(3u, newest.size());
  EXPECT_EQ("/p5", newest[0].path());
  EXPECT_EQ("/p3", newest[2].path());
  EXPECT_EQ(5u, newest[0].id);
  EXPECT_EQ(1u, journal.newest(1).size());
  const json j = journal.to_json(2);
  EXPECT_EQ(3, j["total"]);
  EXPECT_EQ(3, j["capacity"]);
  EXPECT_EQ(2u, j["requests"].size());
  EXPECT_TRUE(j["requests"][0]["operation_id"].is_null());
}

TEST(journal_text, parts_read_back_in_order_and_unwritten_ones_are_empty) {
  JournalText text;
  text.append(JournalText::path, "/api/info");
  text.append_header(JournalText::request_headers, "Host", "127.0.0.1:8887");
  text.append_header(JournalText::request_headers, "X-Odd", "a\nb:c");
  text.append(JournalText::response_body, "{}");
  EXPECT_EQ("/api/info", text.part(JournalText::path));
  EXPECT_EQ("", text.part(JournalText::query));  // skipped over
  EXPECT_EQ("", text.part(JournalText::request_body));
  EXPECT_EQ("{}", text.part(JournalText::response_body));
  const auto headers = text.headers(JournalText::request_headers);
  ASSERT_EQ(2u, headers.size());
  EXPECT_EQ("Host", headers[0].first);
  EXPECT_EQ("127.0.0.1:8887", headers[0].second);
  EXPECT_EQ("X-Odd", headers[1].first);
  EXPECT_EQ("a b:c", headers[1].second);  // a newline would split the list; the colon stays in the value
  EXPECT_TRUE(text.headers(JournalText::response_headers).empty());
  EXPECT_EQ("", JournalText().part(JournalText::path));
}

TEST(request_journal, a_body_over_the_kept_size_is_not_kept_and_never_shown_unmasked) {
  JournalEntry big = entry("/api/account/extension/sign_in", 400);
  std::string body = R"({"username":"alice","password":"hunter2","pad":")";
  body.append(JournalEntry::kKeptBodyBytes, 'x');
  body += "\"}";
  big.keep_body(JournalText::request_body, body);
  big.keep_body(JournalText::response_body, R"({"code":"VALIDATE_FAILED"})");
  EXPECT_EQ("", big.request_body());
  const json shown = big.to_json();
  EXPECT_EQ(body.size(), shown["request"]["body_bytes"].get<std::size_t>());
  const std::string text = shown["request"]["body"];
  EXPECT_NE(std::string::npos, text.find(std::to_string(body.size()) + " bytes, not kept"));
  EXPECT_EQ(std::string::npos, shown.dump().find("hunter2"));
  EXPECT_EQ(R"({"code":"VALIDATE_FAILED"})", big.response_body());
  EXPECT_EQ("/api/account/extension/sign_in", shown["path"]);
}

TEST(request_journal, clears_and_keeps_counting_ids) {
  RequestJournal journal(4);
  journal.record(entry("/a"));
  journal.clear();
  EXPECT_EQ(0u, journal.size());
  journal.record(entry("/b"));
  EXPECT_EQ(2u, journal.newest(1)[0].id);
}

TEST(request_journal, capacity_zero_records_nothing) {
  RequestJournal journal(0);
  journal.record(entry("/a"));
  EXPECT_EQ(0u, journal.size());
  EXPECT_TRUE(journal.to_json(10)["requests"].empty());
}

TEST(admin_key, loopback_hosts_are_open_and_every_other_host_is_not) {
  for (const char* host : {"127.0.0.1", "127.10.0.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_host(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "128.0.0.1", "example.com", "", "::2"}) {
    EXPECT_FALSE(is_loopback_host(host)) << host;
  }
}

TEST(admin_key, generated_keys_are_32_hex_characters_and_differ) {
  const std::string a = generate_admin_key();
  const std::string b = generate_admin_key();
  EXPECT_EQ(32u, a.size());
  EXPECT_EQ(std::string::npos, a.find_first_not_of("0123456789abcdef"));
  EXPECT_NE(a, b);
}

TEST(admin_key, gate_accepts_the_key_in_either_header) {
  const AdminGate gate("k3y");
  const auto request = [](spec::NameValuePairs headers) {
    return spec::RequestView("GET", "/__admin/requests", std::move(headers), "");
  };
  EXPECT_FALSE(gate.allows(request({})));
  EXPECT_FALSE(gate.allows(request({{"X-Admin-Key", "wrong"}})));
  EXPECT_TRUE(gate.allows(request({{"x-admin-key", "k3y"}})));
  EXPECT_TRUE(gate.allows(request({{"Authorization", "Bearer k3y"}})));
  EXPECT_FALSE(gate.allows(request({{"Authorization", "Bearer k3"}})));
  EXPECT_TRUE(AdminGate("").allows(request({})));
}

TEST(access_log, text_line_has_method_path_status_and_time_and_escapes_control_characters) {
  const std::string line = format_access_line({"127.0.0.1", "GET", "/api/in\nfo", 200, 1.234, "retrieveMetadata", ""},
                                              LogFormat::text);
  EXPECT_NE(std::string::npos, line.find(" 127.0.0.1 GET /api/in\\x0afo 200 1.23ms retrieveMetadata")) << line;
  EXPECT_EQ(std::string::npos, line.find('\n'));
}

TEST(access_log, json_line_is_valid_json) {
  const std::string line = format_access_line({"::1", "POST", "/api/\"x\"\xff", 404, 0.5, "", "rule \"one\""}, LogFormat::json);
  const json parsed = json::parse(line, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << line;
  EXPECT_EQ("POST", parsed["method"]);
  EXPECT_EQ(404, parsed["status"]);
  EXPECT_EQ("rule \"one\"", parsed["rule"]);
  EXPECT_FALSE(parsed.contains("operation_id"));
}

spec::OpenApiDocument document(const std::string& text) {
  auto loaded = spec::load_openapi(text, "test.json");
  if (!loaded) throw std::runtime_error(pbxmock::spec::to_string(loaded.error()));
  return std::move(loaded).value();
}

TEST(spec_fallback, samples_follow_refs_formats_bounds_and_examples) {
  const auto doc = document(R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{},
    "components":{"schemas":{
      "Item":{"type":"object","properties":{"id":{"type":"string","example":"ID1"},"at":{"type":"string","format":"date-time"},
              "n":{"type":"integer","minimum":3},"secret":{"type":"string","writeOnly":true},
              "kind":{"type":"string","enum":["a","b"]},"tags":{"type":"array","items":{"type":"string"}}}},
      "Loop":{"type":"object","properties":{"next":{"$ref":"#/components/schemas/Loop"}}}}}})");
  const json item = sample_from_schema(doc, json{{"$ref", "#/components/schemas/Item"}});
  EXPECT_EQ("ID1", item["id"]);
  EXPECT_EQ("2025-01-01T00:00:00Z", item["at"]);
  EXPECT_EQ(3, item["n"]);
  EXPECT_EQ("a", item["kind"]);
  EXPECT_EQ(json::array({"string"}), item["tags"]);
  EXPECT_FALSE(item.contains("secret"));
  // A recursive schema ends (in null) instead of recursing forever.
  const json loop = sample_from_schema(doc, json{{"$ref", "#/components/schemas/Loop"}});
  EXPECT_TRUE(loop.is_object());
}

TEST(spec_fallback, answer_uses_the_lowest_success_status_and_its_example) {
  const auto doc = document(R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{
    "/things":{"post":{"operationId":"make","responses":{
      "400":{"description":"bad"},
      "201":{"description":"made","content":{"application/json":{"example":{"id":7}}}},
      "202":{"description":"later"}}}},
    "/gone":{"delete":{"operationId":"drop","responses":{"204":{"description":"gone"}}}}}})");
  const ApiResponse made = answer_from_spec(doc, *doc.find_operation("make"));
  EXPECT_EQ(201, made.status);
  EXPECT_EQ(json({{"id", 7}}), made.body);
  const ApiResponse dropped = answer_from_spec(doc, *doc.find_operation("drop"));
  EXPECT_EQ(204, dropped.status);
  EXPECT_FALSE(dropped.has_body());
}

TEST(elastic_task_queue, grows_past_busy_workers_and_joins_on_shutdown) {
  ElasticTaskQueue queue(ElasticPoolOptions{64, 256 * 1024, std::chrono::milliseconds(30'000)});
  constexpr int kTasks = 40;
  std::mutex mutex;
  std::condition_variable all_started;
  int started = 0;
  bool release = false;
  std::atomic<int> finished{0};
  for (int i = 0; i < kTasks; ++i) {
    // Each task holds its worker until every task has started: only a pool that grows to
    // 40 workers gets there.
    queue.enqueue([&] {
      std::unique_lock<std::mutex> lock(mutex);
      ++started;
      all_started.notify_all();
      all_started.wait(lock, [&] { return release; });
      ++finished;
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(all_started.wait_for(lock, std::chrono::seconds(20), [&] { return started == kTasks; })) << started;
    release = true;
  }
  all_started.notify_all();
  queue.shutdown();
  EXPECT_EQ(kTasks, finished.load());
  EXPECT_EQ(0u, queue.thread_count());
}

TEST(elastic_task_queue, idle_workers_are_reused_and_leave_after_the_idle_time) {
  ElasticTaskQueue queue(ElasticPoolOptions{8, 256 * 1024, std::chrono::milliseconds(100)});
  std::atomic<int> ran{0};
  for (int i = 0; i < 20; ++i) {
    // Wait until the last task ran and every worker is idle again: then the pool must reuse
    // one, not start another.
    for (int spin = 0; spin < 5000 && (ran.load() < i || queue.idle_count() != queue.thread_count()); ++spin) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    queue.enqueue([&] { ++ran; });
  }
  for (int spin = 0; spin < 5000 && ran.load() < 20; ++spin) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(20, ran.load());
  EXPECT_EQ(1u, queue.thread_count());
  for (int spin = 0; spin < 5000 && queue.thread_count() > 0; ++spin) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(0u, queue.thread_count());
  queue.enqueue([&] { ++ran; });  // a new worker starts (and the idle one is joined)
  queue.shutdown();
  EXPECT_EQ(21, ran.load());
}

}  // namespace
}  // namespace pbxmock::mock
