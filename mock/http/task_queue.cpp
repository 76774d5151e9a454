#include "mock/http/task_queue.h"

#include <algorithm>
#include <utility>

namespace pbxmock::mock {

ElasticTaskQueue::ElasticTaskQueue(ElasticPoolOptions options) : options_(options) {}

ElasticTaskQueue::~ElasticTaskQueue() { shutdown(); }

void ElasticTaskQueue::enqueue(std::function<void()> fn) {
  std::vector<pthread_t> finished;
  bool run_here = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutdown_) return;  // the loop stops handing out work before it shuts the queue down
    finished.swap(finished_);
    jobs_.push_back(std::move(fn));
    // Every idle worker will take one queued job; start another only when they cannot
    // cover the queue. A failed pthread_create leaves the job to a running worker, or,
    // when there is none at all, to this thread (slow, but the connection is served).
    if (idle_ < jobs_.size() && running_.size() < options_.max_threads && !start_worker_locked() &&
        running_.empty()) {
      fn = std::move(jobs_.back());
      jobs_.pop_back();
      run_here = true;
    }
  }
  wake_.notify_one();
  reap(finished);
  if (run_here) fn();
}

void ElasticTaskQueue::shutdown() {
  std::vector<pthread_t> to_join;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutdown_ && running_.empty() && finished_.empty()) return;
    shutdown_ = true;
    // From here on no worker moves itself between the lists: this call joins them all.
    to_join.swap(running_);
    to_join.insert(to_join.end(), finished_.begin(), finished_.end());
    finished_.clear();
  }
  wake_.notify_all();
  reap(to_join);
}

std::size_t ElasticTaskQueue::thread_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_.size();
}

std::size_t ElasticTaskQueue::idle_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return idle_;
}

bool ElasticTaskQueue::start_worker_locked() {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return false;
  pthread_attr_setstacksize(&attr, options_.stack_bytes);
  pthread_t thread;
  const int rc = pthread_create(&thread, &attr, &ElasticTaskQueue::worker_main, this);
  pthread_attr_destroy(&attr);
  if (rc != 0) return false;
  running_.push_back(thread);
  return true;
}

void* ElasticTaskQueue::worker_main(void* self) {
  static_cast<ElasticTaskQueue*>(self)->work();
  return nullptr;
}

void ElasticTaskQueue::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    const bool woken = wake_.wait_for(lock, options_.idle_exit, [this] { return !jobs_.empty() || shutdown_; });
    --idle_;
    if (!jobs_.empty()) {
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      job = nullptr;  // destroy what the task captured before taking the lock again
      lock.lock();
      continue;
    }
    if (shutdown_) return;  // shutdown() joins this thread
    if (!woken) {
      // Idle for long enough: leave, and let the next enqueue() or shutdown() join us.
      const pthread_t me = pthread_self();
      const auto it = std::find_if(running_.begin(), running_.end(), [&](pthread_t t) { return pthread_equal(t, me); });
      if (it != running_.end()) running_.erase(it);
      finished_.push_back(me);
      return;
    }
  }
}

void ElasticTaskQueue::reap(std::vector<pthread_t>& finished) {
  for (pthread_t thread : finished) pthread_join(thread, nullptr);
  finished.clear();
}

}  // namespace pbxmock::mock
