#include "pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
static inline void cpu_relax() { _mm_pause(); }
#else
static inline void cpu_relax() {}
#endif

namespace figs {

namespace {
// How long an idle worker spins before blocking; short, so a loaded
// machine does not lose a core to an idle spinner.
constexpr auto kSpin = std::chrono::microseconds(300);
constexpr long kChunksPerThread = 4;

inline uint32_t generation_of(uint64_t ticket) { return static_cast<uint32_t>(ticket >> 32); }
}  // namespace

Pool::Pool(int threads) { start(threads); }
Pool::~Pool() { stop(); }

void Pool::start(int threads) {
  threads_ = threads < 1 ? 1 : threads;
  quit_ = false;
  for (int i = 1; i < threads_; i++) workers_.emplace_back([this, i] { worker(i); });
}

void Pool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void Pool::resize(int threads) {
  if (threads == threads_) return;
  stop();
  start(threads);
}

// True when a generation other than `seen` is published, false when quitting.
bool Pool::wait_for_generation(uint32_t seen) {
  auto until = std::chrono::steady_clock::now() + kSpin;
  for (int i = 0;; i++) {
    if (quit_.load(std::memory_order_acquire)) return false;
    if (generation_of(ticket_.load(std::memory_order_acquire)) != seen) return true;
    cpu_relax();
    if ((i & 255) == 255 && std::chrono::steady_clock::now() > until) break;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait(lock, [&] { return quit_.load() || generation_of(ticket_.load()) != seen; });
  return !quit_.load();
}

// Claims and runs chunks until none is left. A claim succeeds only while its
// generation is current, and a generation stays current until every chunk is
// done, so the task fields read before a successful claim are that
// generation's.
void Pool::drain(int thread) {
  for (;;) {
    uint64_t t = ticket_.load(std::memory_order_acquire);
    const RangeFn* fn = fn_.load(std::memory_order_acquire);
    long n = n_.load(std::memory_order_acquire);
    uint32_t chunks = chunks_.load(std::memory_order_acquire);
    uint32_t c = static_cast<uint32_t>(t);
    if (c >= chunks) return;
    if (!ticket_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel)) continue;
    long b = n * c / chunks, e = n * (c + 1) / chunks;
    if (b < e) (*fn)(thread, b, e);
    done_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void Pool::worker(int index) {
  uint32_t seen = 0;
  for (;;) {
    if (!wait_for_generation(seen)) return;
    seen = generation_of(ticket_.load(std::memory_order_acquire));
    drain(index);
  }
}

void Pool::parallel_for(long n, const RangeFn& fn) {
  if (n <= 0) return;
  long chunks = threads_ * kChunksPerThread;
  if (chunks > n) chunks = n;
  std::unique_lock<std::mutex> region(region_, std::try_to_lock);
  if (threads_ == 1 || chunks == 1 || !region.owns_lock()) {
    fn(0, 0, n);
    return;
  }
  // Close the previous generation before touching the task fields: a worker
  // still in drain() for it may read the fields stored below, and its claim
  // (a compare-exchange on the old ticket) must then fail. Without this, such
  // a worker claimed a chunk of this call with a stale index and counted it in
  // done_, so parallel_for could return before every chunk had run.
  uint32_t closed = generation_of(ticket_.load(std::memory_order_relaxed)) + 1;
  ticket_.store((static_cast<uint64_t>(closed) << 32) | 0xFFFFFFFFull, std::memory_order_release);
  uint32_t gen = closed + 1;
  fn_.store(&fn, std::memory_order_release);
  n_.store(n, std::memory_order_release);
  chunks_.store(static_cast<uint32_t>(chunks), std::memory_order_release);
  done_.store(0, std::memory_order_release);
  {
    // Publishing under the mutex pairs with workers blocked in wake_.wait.
    std::lock_guard<std::mutex> lock(mutex_);
    ticket_.store(static_cast<uint64_t>(gen) << 32, std::memory_order_release);
  }
  wake_.notify_all();
  drain(0);
  // Spin briefly, then yield: a worker finishing its last chunk may need this core.
  for (int i = 0; done_.load(std::memory_order_acquire) != chunks; i++) {
    if (i < 4096)
      cpu_relax();
    else
      std::this_thread::yield();
  }
}

Pool& pool() {
  static Pool p(static_cast<int>(std::thread::hardware_concurrency()));
  return p;
}

}  // namespace figs
