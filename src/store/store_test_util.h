// Test helpers for the store tests: a temporary directory removed at the end of the test, and
// builders for batches and score snapshots. Test-only; not part of the library.
#ifndef REACH_STORE_STORE_TEST_UTIL_H_
#define REACH_STORE_STORE_TEST_UTIL_H_

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "engine/snapshot.h"
#include "engine/store_batch.h"
#include "store/sqlite_util.h"

namespace reach::store::testing {

// A fresh directory under the system temp dir, named after the running test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("reach_store_") + info->test_suite_name() + "_" + info->name() +
                       "_" + std::to_string(::getpid());
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string File(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline engine::InfluencerRow Row(uint64_t user, int64_t rank, double score,
                                 std::string handle = "") {
  engine::InfluencerRow r;
  r.user = UserId{user};
  r.rank = rank;
  r.score = score;
  r.handle = handle.empty() ? "user" + std::to_string(user) : std::move(handle);
  r.name = "Name " + std::to_string(user);
  r.followers = static_cast<int64_t>(user) * 10;
  r.metrics.posts = rank;
  r.metrics.reshares = 100 - rank;
  r.metrics.likes = 2 * rank;
  r.metrics.depth = static_cast<int32_t>(rank % 5);
  r.components.reshares = score / 100.0;
  return r;
}

// A snapshot whose window `w` holds users first..first+n-1, ranked in that order.
inline void FillBoard(engine::Snapshot* snap, engine::Window w, uint64_t first, int n) {
  engine::WindowBoard& board = snap->boards[static_cast<int>(w)];
  board.window = w;
  board.rows.clear();
  for (int i = 0; i < n; ++i) {
    board.rows.push_back(Row(first + static_cast<uint64_t>(i), i + 1, 100.0 - i));
  }
}

inline std::shared_ptr<engine::Snapshot> MakeSnapshot(int64_t as_of_us) {
  auto snap = std::make_shared<engine::Snapshot>();
  snap->as_of = EventTime::FromMicros(as_of_us);
  snap->published = EventTime::FromMicros(as_of_us + 7);
  snap->sequence = 3;
  for (engine::Window w : engine::kAllWindows) snap->boards[static_cast<int>(w)].window = w;
  return snap;
}

inline engine::UserInfo User(uint64_t id, std::string handle) {
  engine::UserInfo u;
  u.user = UserId{id};
  u.handle = std::move(handle);
  u.name = "Name of " + u.handle;
  u.location = "Paris";
  u.followers = 1000 + static_cast<int64_t>(id);
  u.following = 5;
  u.posts_reported = 42;
  u.verified = (id % 2) == 0;
  u.created = EventTime::FromSeconds(1'300'000'000);
  u.observed = EventTime::FromSeconds(1'352'000'000);
  return u;
}

inline engine::PostRecord Post(uint64_t id, uint64_t author, uint64_t root) {
  engine::PostRecord p;
  p.id = PostId{id};
  p.platform = model::Platform::kTwitter;
  p.kind = id == root ? model::PostKind::kOriginal : model::PostKind::kReshare;
  p.author = UserId{author};
  p.time = EventTime::FromSeconds(1'352'000'000 + static_cast<int64_t>(id));
  p.text = "post " + std::to_string(id);
  p.lang = "en";
  p.root = PostId{root};
  p.parent = id == root ? PostId{} : PostId{root};
  p.depth = id == root ? 0 : 1;
  return p;
}

inline engine::CascadeSummary Cascade(uint64_t root, uint64_t author, int64_t size) {
  engine::CascadeSummary c;
  c.root = PostId{root};
  c.author = UserId{author};
  c.size = size;
  c.depth = 1;
  c.max_breadth = size - 1;
  c.started = EventTime::FromSeconds(1'352'000'000);
  c.last_activity = EventTime::FromSeconds(1'352'000'100);
  return c;
}

// Runs a query that returns one integer on a separate connection to `path`.
inline int64_t QueryInt(const std::string& path, const std::string& sql) {
  auto db = SqliteDb::Open(path, SQLITE_OPEN_READONLY);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return -1;
  auto v = db->QueryInt64(sql, -1);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : -1;
}

}  // namespace reach::store::testing

#endif  // REACH_STORE_STORE_TEST_UTIL_H_
