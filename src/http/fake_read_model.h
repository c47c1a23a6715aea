// FakeReadModel: an in-memory engine::ReadModel for HTTP tests. Data is set directly by the test.
// Like the live model, GetLeaderboard applies limit/offset, GetConversation cuts topics to the
// limit (and leaves details empty), GetAlerts cuts to the limit, and GetSeries refuses a bucket
// that is not a multiple of engine::SeriesResolution(window); unknown users, topics and series are
// NotFound. Each call records its query. FailWith makes every call fail. Thread-safe (a mutex), so
// server threads may call it while the test thread sets data. Test-only.
#ifndef REACH_HTTP_FAKE_READ_MODEL_H_
#define REACH_HTTP_FAKE_READ_MODEL_H_

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/read_model.h"

namespace reach::http {

class FakeReadModel : public engine::ReadModel {
 public:
  void SetRows(engine::Window w, std::vector<engine::InfluencerRow> rows) {
    std::lock_guard lock(mu_);
    rows_[static_cast<size_t>(w)] = std::move(rows);
  }
  void SetUser(engine::UserProfile profile) {
    std::lock_guard lock(mu_);
    users_[profile.info.user] = std::move(profile);
  }
  void SetAsOf(EventTime t) {
    std::lock_guard lock(mu_);
    as_of_ = t;
  }
  // The snapshot sequence leaderboards report (0, the default, = not from a snapshot).
  void SetSequence(uint64_t sequence) {
    std::lock_guard lock(mu_);
    sequence_ = sequence;
  }
  void FailWith(absl::Status st) {
    std::lock_guard lock(mu_);
    fail_ = std::move(st);
  }
  std::optional<engine::LeaderboardQuery> last_query() const {
    std::lock_guard lock(mu_);
    return last_query_;
  }
  void SetConversation(engine::Window w, engine::ConversationBoard board) {
    std::lock_guard lock(mu_);
    boards_[static_cast<size_t>(w)] = std::move(board);
  }
  void SetTopic(engine::Window w, engine::TopicDetail detail) {
    std::lock_guard lock(mu_);
    topics_[{static_cast<int>(w), detail.summary.topic}] = std::move(detail);
  }
  // The ranking of `topic` in window `w` (rows already in order, topic_engagements set).
  void SetTopicBoard(engine::Window w, std::string topic, std::vector<engine::InfluencerRow> rows) {
    std::lock_guard lock(mu_);
    topic_boards_[{static_cast<int>(w), std::move(topic)}] = std::move(rows);
  }
  std::optional<engine::TopicLeaderboardQuery> last_topic_board_query() const {
    std::lock_guard lock(mu_);
    return last_topic_board_query_;
  }
  void SetAudience(engine::Audience audience) {
    std::lock_guard lock(mu_);
    audiences_[{audience.user, static_cast<int>(audience.window)}] = std::move(audience);
  }
  // The series of `topic` ("" = all posts) in window `w`, returned as is for any valid bucket.
  void SetSeries(engine::Window w, std::string topic, std::vector<engine::SeriesPoint> points) {
    std::lock_guard lock(mu_);
    series_[{static_cast<int>(w), std::move(topic)}] = std::move(points);
  }
  // A cascade, answered for its root and for every post among its nodes (nodes cut to the limit).
  void SetCascade(engine::CascadeReport report) {
    std::lock_guard lock(mu_);
    cascades_.push_back(std::move(report));
  }
  void SetUserCascades(engine::UserCascades c) {
    std::lock_guard lock(mu_);
    user_cascades_[c.user] = std::move(c);
  }
  std::optional<std::pair<PostId, int>> last_cascade_query() const {
    std::lock_guard lock(mu_);
    return last_cascade_query_;
  }
  std::optional<std::tuple<UserId, engine::Window, int>> last_user_cascades_query() const {
    std::lock_guard lock(mu_);
    return last_user_cascades_query_;
  }
  void SetAlerts(std::vector<engine::TopicAlert> alerts) {
    std::lock_guard lock(mu_);
    alerts_ = std::move(alerts);
  }
  // (window, limit) of the last GetConversation.
  std::optional<std::pair<engine::Window, int>> last_conversation() const {
    std::lock_guard lock(mu_);
    return last_conversation_;
  }
  std::optional<engine::TopicQuery> last_topic_query() const {
    std::lock_guard lock(mu_);
    return last_topic_query_;
  }
  std::optional<engine::SeriesQuery> last_series_query() const {
    std::lock_guard lock(mu_);
    return last_series_query_;
  }
  std::optional<std::pair<UserId, engine::Window>> last_audience_query() const {
    std::lock_guard lock(mu_);
    return last_audience_query_;
  }
  std::optional<int> last_alerts_limit() const {
    std::lock_guard lock(mu_);
    return last_alerts_limit_;
  }

  absl::StatusOr<engine::Conversation> GetConversation(engine::Window w, int limit) const override {
    std::lock_guard lock(mu_);
    last_conversation_ = {w, limit};
    if (!fail_.ok()) return fail_;
    if (limit < 0 || limit > 100) return absl::InvalidArgumentError("limit must be 0..100");
    engine::Conversation c;
    c.window = w;
    c.as_of = as_of_;
    c.board = boards_[static_cast<size_t>(w)];
    c.board.details.clear();
    if (c.board.topics.size() > static_cast<size_t>(limit))
      c.board.topics.resize(static_cast<size_t>(limit));
    return c;
  }

  absl::StatusOr<engine::TopicDetail> GetTopic(const engine::TopicQuery& q) const override {
    std::lock_guard lock(mu_);
    last_topic_query_ = q;
    if (!fail_.ok()) return fail_;
    auto it = topics_.find({static_cast<int>(q.window), q.topic});
    if (it == topics_.end()) return absl::NotFoundError("topic not among the window's topics");
    return it->second;
  }

  absl::StatusOr<engine::Leaderboard> GetTopicLeaderboard(
      const engine::TopicLeaderboardQuery& q) const override {
    std::lock_guard lock(mu_);
    last_topic_board_query_ = q;
    if (!fail_.ok()) return fail_;
    auto it = topic_boards_.find({static_cast<int>(q.window), q.topic});
    if (it == topic_boards_.end()) return absl::NotFoundError("no engagement with this topic");
    const auto& rows = it->second;
    engine::Leaderboard board;
    board.window = q.window;
    board.as_of = as_of_;
    board.topic = q.topic;
    board.total = static_cast<int64_t>(rows.size());
    size_t begin = std::min(rows.size(), static_cast<size_t>(q.offset));
    size_t end = std::min(rows.size(), begin + static_cast<size_t>(q.limit));
    board.items.assign(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                       rows.begin() + static_cast<std::ptrdiff_t>(end));
    return board;
  }

  absl::StatusOr<engine::Audience> GetAudience(UserId id, engine::Window w) const override {
    std::lock_guard lock(mu_);
    last_audience_query_ = {id, w};
    if (!fail_.ok()) return fail_;
    auto it = audiences_.find({id, static_cast<int>(w)});
    if (it == audiences_.end()) return absl::NotFoundError("no such user");
    engine::Audience a = it->second;
    a.as_of = as_of_;
    return a;
  }

  absl::StatusOr<engine::CascadeReport> GetCascade(PostId post, int node_limit) const override {
    std::lock_guard lock(mu_);
    last_cascade_query_ = {post, node_limit};
    if (!fail_.ok()) return fail_;
    for (const engine::CascadeReport& c : cascades_) {
      bool in = c.root == post;
      for (const engine::CascadeNode& n : c.nodes) in = in || n.post == post;
      if (!in) continue;
      engine::CascadeReport out = c;
      out.requested = post;
      if (out.nodes.size() > static_cast<size_t>(node_limit)) {
        out.nodes.resize(static_cast<size_t>(node_limit));
        out.truncated = true;
      }
      return out;
    }
    return absl::NotFoundError("no such post");
  }

  absl::StatusOr<engine::UserCascades> GetUserCascades(UserId user, engine::Window w,
                                                       int limit) const override {
    std::lock_guard lock(mu_);
    last_user_cascades_query_ = {user, w, limit};
    if (!fail_.ok()) return fail_;
    auto it = user_cascades_.find(user);
    if (it == user_cascades_.end()) return absl::NotFoundError("no such user");
    engine::UserCascades out = it->second;
    out.window = w;
    if (out.largest.size() > static_cast<size_t>(limit)) out.largest.resize(limit);
    if (out.deepest.size() > static_cast<size_t>(limit)) out.deepest.resize(limit);
    return out;
  }

  absl::StatusOr<engine::Series> GetSeries(const engine::SeriesQuery& q) const override {
    std::lock_guard lock(mu_);
    last_series_query_ = q;
    if (!fail_.ok()) return fail_;
    const Duration base = engine::SeriesResolution(q.window);
    const Duration bucket = q.bucket.micros == 0 ? base : q.bucket;
    if (bucket.micros <= 0 || bucket.micros % base.micros != 0) {
      return absl::InvalidArgumentError("bucket must be a multiple of the window's resolution");
    }
    auto it = series_.find({static_cast<int>(q.window), q.topic});
    if (it == series_.end()) return absl::NotFoundError("no series for this topic in this window");
    engine::Series s;
    s.topic = q.topic;
    s.window = q.window;
    s.bucket = bucket;
    s.as_of = as_of_;
    s.points = it->second;
    return s;
  }

  absl::StatusOr<std::vector<engine::TopicAlert>> GetAlerts(int limit) const override {
    std::lock_guard lock(mu_);
    last_alerts_limit_ = limit;
    if (!fail_.ok()) return fail_;
    std::vector<engine::TopicAlert> out = alerts_;
    if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
    return out;
  }

  absl::StatusOr<engine::Leaderboard> GetLeaderboard(
      const engine::LeaderboardQuery& q) const override {
    std::lock_guard lock(mu_);
    last_query_ = q;
    if (!fail_.ok()) return fail_;
    const auto& rows = rows_[static_cast<size_t>(q.window)];
    engine::Leaderboard board;
    board.window = q.window;
    board.as_of = as_of_;
    board.sequence = sequence_;
    board.total = static_cast<int64_t>(rows.size());
    size_t begin = std::min(rows.size(), static_cast<size_t>(q.offset));
    size_t end = std::min(rows.size(), begin + static_cast<size_t>(q.limit));
    board.items.assign(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                       rows.begin() + static_cast<std::ptrdiff_t>(end));
    return board;
  }

  absl::StatusOr<engine::UserProfile> GetUser(UserId id) const override {
    std::lock_guard lock(mu_);
    if (!fail_.ok()) return fail_;
    auto it = users_.find(id);
    if (it == users_.end()) return absl::NotFoundError("unknown user");
    return it->second;
  }

  engine::EngineStats GetStats() const override { return {}; }

 private:
  mutable std::mutex mu_;
  std::array<std::vector<engine::InfluencerRow>, engine::kWindowCount> rows_;
  absl::flat_hash_map<UserId, engine::UserProfile> users_;
  EventTime as_of_;
  uint64_t sequence_ = 0;
  absl::Status fail_;
  mutable std::optional<engine::LeaderboardQuery> last_query_;
  std::array<engine::ConversationBoard, engine::kWindowCount> boards_;
  absl::flat_hash_map<std::pair<int, std::string>, engine::TopicDetail> topics_;
  absl::flat_hash_map<std::pair<UserId, int>, engine::Audience> audiences_;
  absl::flat_hash_map<std::pair<int, std::string>, std::vector<engine::InfluencerRow>>
      topic_boards_;
  mutable std::optional<engine::TopicLeaderboardQuery> last_topic_board_query_;
  absl::flat_hash_map<std::pair<int, std::string>, std::vector<engine::SeriesPoint>> series_;
  std::vector<engine::TopicAlert> alerts_;
  std::vector<engine::CascadeReport> cascades_;
  absl::flat_hash_map<UserId, engine::UserCascades> user_cascades_;
  mutable std::optional<std::pair<PostId, int>> last_cascade_query_;
  mutable std::optional<std::tuple<UserId, engine::Window, int>> last_user_cascades_query_;
  mutable std::optional<std::pair<engine::Window, int>> last_conversation_;
  mutable std::optional<engine::TopicQuery> last_topic_query_;
  mutable std::optional<engine::SeriesQuery> last_series_query_;
  mutable std::optional<std::pair<UserId, engine::Window>> last_audience_query_;
  mutable std::optional<int> last_alerts_limit_;
};

// A row with distinct, recognisable values derived from `n`.
inline engine::InfluencerRow MakeRow(uint64_t user, int64_t rank, int64_t n) {
  engine::InfluencerRow r;
  r.user = UserId{user};
  r.handle = "user" + std::to_string(n);
  r.name = "User \"" + std::to_string(n) + "\"";
  r.followers = 1000 * n;
  r.metrics.posts = n;
  r.metrics.reshares = 2 * n;
  r.metrics.quotes = 3 * n;
  r.metrics.replies = 4 * n;
  r.metrics.likes = 5 * n;
  r.metrics.mentions = 6 * n;
  r.metrics.depth = static_cast<int32_t>(7 * n);
  r.metrics.audience = 8 * n;
  r.metrics.h_index = static_cast<int32_t>(n);
  r.metrics.second_level = n;
  r.metrics.cascade_nodes = 4 * n;
  r.metrics.depth_mean = 1.5;
  r.pagerank = 2.0;
  r.components = {0.5, 0.25, 0.125, 1.0, 0.75, 0.375};
  r.score = 87.5;
  r.rank = rank;
  return r;
}

}  // namespace reach::http

#endif  // REACH_HTTP_FAKE_READ_MODEL_H_
