#pragma once
// The workers behind the connection loop, for answers that wait (a rule's delay holds its
// worker for the delay): a fixed pool would be starved by a few slow rules. This pool reuses
// an idle worker when there is one and otherwise starts a new one, up to a high cap; workers
// idle for a while exit again. Each worker gets a modest stack, so a thousand of them cost
// address space, not memory.
#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace pbxmock::mock {

struct ElasticPoolOptions {
  std::size_t max_threads = 1024;  // past this, tasks wait in the queue for a free worker
  std::size_t stack_bytes = 1 << 20;
  std::chrono::milliseconds idle_exit{30'000};  // a worker idle this long ends
};

class ElasticTaskQueue final {
 public:
  explicit ElasticTaskQueue(ElasticPoolOptions options = {});
  ~ElasticTaskQueue();
  ElasticTaskQueue(const ElasticTaskQueue&) = delete;
  ElasticTaskQueue& operator=(const ElasticTaskQueue&) = delete;

  void enqueue(std::function<void()> fn);
  // Runs every queued task, then joins every worker. Tasks enqueued afterwards are dropped.
  void shutdown();

  std::size_t thread_count() const;
  std::size_t idle_count() const;  // workers waiting for a task

 private:
  static void* worker_main(void* self);
  void work();
  bool start_worker_locked();  // false when pthread_create failed
  void reap(std::vector<pthread_t>& finished);

  const ElasticPoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<pthread_t> running_;   // started and not yet joined
  std::vector<pthread_t> finished_;  // exited on their own (idle), waiting to be joined
  std::size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace pbxmock::mock
