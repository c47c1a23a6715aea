// store_bench: write throughput of a store backend, in rows per second.
//
//   store_bench LOCATION [BATCHES] [POSTS_PER_BATCH]
//   store_bench /tmp/bench.db 50 10000
//   store_bench postgres://postgres@127.0.0.1:5432/bench 50 10000
//
// Workload "ingest": BATCHES batches as the engine makes them during a replay, each with
// POSTS_PER_BATCH new posts, a quarter as many users (half of them new, half updated) and a quarter
// as many cascades (upserted again in later batches), plus the 10 engine_state keys; every tenth
// batch carries a score snapshot of 4 x 1,000 rows. The database must be empty (a new file, or a
// freshly created PostgreSQL database). The result is checked before it is reported: the rows the
// store says it wrote must equal the rows sent.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "engine/store_batch.h"
#include "store/store.h"

namespace {

using reach::EventTime;
using reach::PostId;
using reach::UserId;
namespace engine = reach::engine;

engine::StoreBatch MakeBatch(int b, int posts, int64_t* rows) {
  engine::StoreBatch batch;
  batch.as_of = EventTime::FromSeconds(1'600'000'000 + b);
  batch.flushed_at = batch.as_of;
  const int users = posts / 4;
  for (int i = 0; i < users; ++i) {
    engine::UserInfo u;
    u.user = UserId{static_cast<uint64_t>(b * users / 2 + i + 1)};
    u.handle = fmt::format("user{}", u.user.value);
    u.name = fmt::format("User number {}", u.user.value);
    u.location = "Somewhere";
    u.followers = static_cast<int64_t>(u.user.value) * 3;
    batch.users.push_back(std::move(u));
  }
  for (int i = 0; i < posts; ++i) {
    engine::PostRecord p;
    p.id = PostId{static_cast<uint64_t>(b) * posts + i + 1};
    p.author = UserId{static_cast<uint64_t>(i % users + 1)};
    p.time = batch.as_of;
    p.text = fmt::format("post {} with a text of a realistic length, #reach https://t.co/x{}",
                         p.id.value, i);
    p.lang = "en";
    p.root = PostId{p.id.value - p.id.value % 8 + 1};
    p.kind = p.root == p.id ? reach::model::PostKind::kOriginal : reach::model::PostKind::kReshare;
    batch.posts.push_back(std::move(p));
  }
  for (int i = 0; i < posts / 4; ++i) {
    engine::CascadeSummary c;
    c.root = PostId{static_cast<uint64_t>((b / 2) * posts + i * 8 + 1)};
    c.author = UserId{static_cast<uint64_t>(i + 1)};
    c.size = b + 2;
    batch.cascades.push_back(c);
  }
  *rows +=
      static_cast<int64_t>(batch.users.size() + batch.posts.size() + batch.cascades.size()) + 10;
  if (b % 10 == 9) {
    auto snap = std::make_shared<engine::Snapshot>();
    snap->as_of = batch.as_of;
    for (engine::Window w : engine::kAllWindows) {
      auto& board = snap->boards[static_cast<int>(w)];
      for (int i = 0; i < 1000; ++i) {
        engine::InfluencerRow r;
        r.user = UserId{static_cast<uint64_t>(i + 1)};
        r.rank = i + 1;
        r.score = 100.0 - i * 0.05;
        r.handle = fmt::format("user{}", i + 1);
        board.rows.push_back(std::move(r));
      }
    }
    batch.scores = snap;
    // scores + 100 history rows per window + 7 more engine_state keys (previous scores: cleared).
    *rows += 4000 + 400 + 7 + (b >= 19 ? 4000 : 0);
  }
  return batch;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: store_bench LOCATION [BATCHES] [POSTS_PER_BATCH]\n");
    return 2;
  }
  const std::string location = argv[1];
  const int batches = argc > 2 ? std::atoi(argv[2]) : 50;
  const int posts = argc > 3 ? std::atoi(argv[3]) : 10'000;
  auto store = reach::store::OpenStore(location);
  if (!store.ok()) {
    fmt::print(stderr, "store_bench: {}\n", store.status().ToString());
    return 1;
  }
  int64_t expected = 0;
  std::vector<engine::StoreBatch> work;
  for (int b = 0; b < batches; ++b) work.push_back(MakeBatch(b, posts, &expected));
  const auto start = std::chrono::steady_clock::now();
  for (const engine::StoreBatch& batch : work) {
    if (absl::Status st = (*store)->Write(batch); !st.ok()) {
      fmt::print(stderr, "store_bench: {}\n", st.ToString());
      return 1;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int64_t rows = (*store)->stats().rows_written;
  if (rows != expected) {
    fmt::print(stderr, "store_bench: wrote {} rows, expected {} (is the database empty?)\n", rows,
               expected);
    return 1;
  }
  fmt::print("{}: {} batches, {} rows in {:.2f} s: {:.0f} rows/s ({:.1f} ms per batch)\n",
             (*store)->description(), batches, rows, seconds, static_cast<double>(rows) / seconds,
             seconds * 1000 / batches);
  return 0;
}
