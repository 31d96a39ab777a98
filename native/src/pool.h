// A tiny persistent thread pool. parallel_for cuts [0, n) into a few chunks
// per thread that the caller and the workers claim dynamically, so a worker
// the OS has descheduled (a loaded 2-core machine) delays at most one chunk:
// the caller simply takes the rest. Workers spin briefly before sleeping
// because a training step issues hundreds of short parallel regions.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace figs {

// fn(thread, begin, end): `thread` indexes per-thread scratch (0 = caller).
using RangeFn = std::function<void(int thread, long begin, long end)>;

class Pool {
 public:
  explicit Pool(int threads);
  ~Pool();
  int threads() const { return threads_; }
  void resize(int threads);
  void parallel_for(long n, const RangeFn& fn);

 private:
  void start(int threads);
  void stop();
  void worker(int index);
  bool wait_for_generation(uint32_t seen);
  void drain(int thread);

  int threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  // Held by the thread running a parallel region; a second JS thread (worker
  // threads share the addon) runs its region alone instead of corrupting ours.
  std::mutex region_;
  std::condition_variable wake_;
  // The task of the current generation; stored before the ticket publishes it.
  std::atomic<const RangeFn*> fn_{nullptr};
  std::atomic<long> n_{0};
  std::atomic<uint32_t> chunks_{0};
  // (generation << 32) | next unclaimed chunk.
  std::atomic<uint64_t> ticket_{0};
  std::atomic<uint32_t> done_{0};
  std::atomic<bool> quit_{false};
};

Pool& pool();

}  // namespace figs
