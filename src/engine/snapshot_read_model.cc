#include "engine/snapshot_read_model.h"

#include <algorithm>

namespace reach::engine {
namespace {

// The platform withholds the account in the country.
bool HiddenIn(const Snapshot& snap, UserId user, std::string_view country) {
  auto u = snap.users.find(user);
  return u != snap.users.end() && u->second && WithheldIn(*u->second, country);
}

}  // namespace

absl::StatusOr<Leaderboard> SnapshotReadModel::GetLeaderboard(const LeaderboardQuery& q) const {
  if (q.limit < 1 || q.limit > 1000) return absl::InvalidArgumentError("limit must be 1..1000");
  if (q.offset < 0) return absl::InvalidArgumentError("offset must be >= 0");
  std::shared_ptr<const Snapshot> snap = engine_.current();
  const WindowBoard& board = snap->board(q.window);
  Leaderboard out;
  out.window = q.window;
  out.as_of = snap->as_of;
  out.sequence = snap->sequence;
  out.weights = snap->weights;
  if (!q.country.empty()) {
    // Accounts located in the country and not withheld there, in board order (rank stays the
    // rank on the whole board).
    int64_t seen = 0;
    for (const InfluencerRow& row : board.rows) {
      if (row.country != q.country || HiddenIn(*snap, row.user, q.country)) continue;
      if (seen >= q.offset && out.items.size() < static_cast<size_t>(q.limit)) {
        out.items.push_back(row);
      }
      ++seen;
    }
    out.total = seen;
    return out;
  }
  out.total = static_cast<int64_t>(board.rows.size());
  size_t begin = std::min(board.rows.size(), static_cast<size_t>(q.offset));
  size_t end = std::min(board.rows.size(), begin + static_cast<size_t>(q.limit));
  out.items.assign(board.rows.begin() + static_cast<std::ptrdiff_t>(begin),
                   board.rows.begin() + static_cast<std::ptrdiff_t>(end));
  return out;
}

absl::StatusOr<Leaderboard> SnapshotReadModel::GetTopicLeaderboard(
    const TopicLeaderboardQuery& q) const {
  if (q.limit < 1 || q.limit > 1000) return absl::InvalidArgumentError("limit must be 1..1000");
  if (q.offset < 0) return absl::InvalidArgumentError("offset must be >= 0");
  if (queries_ == nullptr) return absl::UnavailableError("topic rankings need the live engine");
  using Counts = std::vector<std::pair<UserId, int64_t>>;
  // Asked on the writer thread: the engagement counts of every author for this topic (exact, any
  // topic); the rows are then joined with the newest snapshot here.
  const std::string topic = q.topic;
  const Window window = q.window;
  absl::StatusOr<Counts> counts =
      queries_->Ask<Counts>([topic, window](const Engine& engine) -> absl::StatusOr<Counts> {
        auto c = engine.TopicEngagement(topic, window);
        if (!c) return absl::NotFoundError("no engagement with this topic has been seen");
        return std::move(*c);
      });
  if (!counts.ok()) return counts.status();
  std::shared_ptr<const Snapshot> snap = engine_.current();
  const WindowBoard& board = snap->board(q.window);
  std::vector<InfluencerRow> rows;
  rows.reserve(counts->size());
  for (const auto& [user, n] : *counts) {
    InfluencerRow row;
    if (auto pos = board.index.find(user); pos != board.index.end()) {
      row = board.rows[pos->second];
    } else {
      row.user = user;
      row.followers = -1;
      if (auto u = snap->users.find(user); u != snap->users.end()) {
        row.handle = u->second->handle;
        row.name = u->second->name;
        row.country = u->second->country;
        row.followers = u->second->followers;
      }
    }
    if (!q.country.empty() && (row.country != q.country || HiddenIn(*snap, user, q.country))) {
      continue;
    }
    row.topic_engagements = n;
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const InfluencerRow& a, const InfluencerRow& b) {
    if (a.topic_engagements != b.topic_engagements) {
      return a.topic_engagements > b.topic_engagements;
    }
    if (a.score != b.score) return a.score > b.score;
    return a.user < b.user;
  });
  Leaderboard out;
  out.window = q.window;
  out.as_of = snap->as_of;
  out.weights = snap->weights;
  out.topic = q.topic;
  out.total = static_cast<int64_t>(rows.size());
  const size_t begin = std::min(rows.size(), static_cast<size_t>(q.offset));
  const size_t end = std::min(rows.size(), begin + static_cast<size_t>(q.limit));
  for (size_t i = begin; i < end; ++i) {
    rows[i].rank = static_cast<int64_t>(i) + 1;
    out.items.push_back(std::move(rows[i]));
  }
  return out;
}

absl::StatusOr<UserProfile> SnapshotReadModel::GetUser(UserId id) const {
  std::shared_ptr<const Snapshot> snap = engine_.current();
  UserProfile profile;
  profile.as_of = snap->as_of;
  profile.weights = snap->weights;
  bool found = false;
  if (auto it = snap->users.find(id); it != snap->users.end()) {
    profile.info = *it->second;
    found = true;
  }
  for (Window w : kAllWindows) {
    const WindowBoard& board = snap->board(w);
    if (auto it = board.index.find(id); it != board.index.end()) {
      profile.windows[static_cast<int>(w)] = board.rows[it->second];
      found = true;
    }
  }
  if (!found) return absl::NotFoundError("no such user");
  profile.info.user = id;
  return profile;
}

EngineStats SnapshotReadModel::GetStats() const { return engine_.current()->stats; }

absl::StatusOr<Conversation> SnapshotReadModel::GetConversation(Window w, int limit) const {
  if (limit < 0 || limit > static_cast<int>(kTopicsPerWindow)) {
    return absl::InvalidArgumentError("limit must be 0..100");
  }
  std::shared_ptr<const Snapshot> snap = engine_.current();
  const ConversationBoard& board = snap->board(w).conversation;
  Conversation out;
  out.window = w;
  out.as_of = snap->as_of;
  out.board.topics.assign(
      board.topics.begin(),
      board.topics.begin() +
          std::min<std::ptrdiff_t>(limit, static_cast<std::ptrdiff_t>(board.topics.size())));
  out.board.countries = board.countries;
  out.board.terms.assign(
      board.terms.begin(),
      board.terms.begin() +
          std::min<std::ptrdiff_t>(limit, static_cast<std::ptrdiff_t>(board.terms.size())));
  out.board.posts = board.posts;
  out.board.sentiment_posts = board.sentiment_posts;
  out.board.sentiment = board.sentiment;
  return out;
}

absl::StatusOr<TopicDetail> SnapshotReadModel::GetTopic(const TopicQuery& q) const {
  std::shared_ptr<const Snapshot> snap = engine_.current();
  const ConversationBoard& board = snap->board(q.window).conversation;
  if (auto it = board.details.find(q.topic); it != board.details.end()) {
    TopicDetail d = it->second;
    d.weights = snap->weights;
    return d;
  }
  for (const TopicRow& row : board.topics) {
    if (row.topic == q.topic) {
      TopicDetail d;
      d.summary = row;
      return d;
    }
  }
  return absl::NotFoundError("topic not among the window's trending topics");
}

absl::StatusOr<Audience> SnapshotReadModel::GetAudience(UserId id, Window w) const {
  std::shared_ptr<const Snapshot> snap = engine_.current();
  const WindowBoard& board = snap->board(w);
  Audience out;
  out.user = id;
  out.window = w;
  out.as_of = snap->as_of;
  if (auto it = board.audience.find(id); it != board.audience.end()) {
    out.countries = it->second;
    for (const CountryCount& c : out.countries) out.total += c.count;
    return out;
  }
  if (board.index.contains(id) || snap->users.contains(id)) return out;  // no located engagers
  return absl::NotFoundError("no such user");
}

absl::StatusOr<Series> SnapshotReadModel::GetSeries(const SeriesQuery& q) const {
  const Duration base = SeriesResolution(q.window);
  const Duration bucket = q.bucket.micros == 0 ? base : q.bucket;
  if (bucket.micros <= 0 || bucket.micros % base.micros != 0) {
    return absl::InvalidArgumentError("bucket must be a multiple of " +
                                      std::to_string(base.micros / 1'000'000) +
                                      " s for this window");
  }
  std::shared_ptr<const Snapshot> snap = engine_.current();
  const ConversationBoard& board = snap->board(q.window).conversation;
  auto it = board.series.find(q.topic);
  if (it == board.series.end()) {
    return absl::NotFoundError(q.topic.empty() ? "no series"
                                               : "no series for this topic in this window");
  }
  Series out;
  out.topic = q.topic;
  out.window = q.window;
  out.bucket = bucket;
  out.as_of = snap->as_of;
  const int64_t per = bucket.micros / base.micros;
  for (size_t i = 0; i < it->second.size(); i += static_cast<size_t>(per)) {
    SeriesPoint p;
    p.start = it->second[i].start;
    double sum = 0;
    for (size_t j = i; j < it->second.size() && j < i + static_cast<size_t>(per); ++j) {
      p.posts += it->second[j].posts;
      p.sentiment_posts += it->second[j].sentiment_posts;
      sum += it->second[j].sentiment * static_cast<double>(it->second[j].sentiment_posts);
    }
    p.sentiment = p.sentiment_posts > 0 ? sum / static_cast<double>(p.sentiment_posts) : 0.0;
    out.points.push_back(p);
  }
  return out;
}

absl::StatusOr<std::vector<TopicAlert>> SnapshotReadModel::GetAlerts(int limit) const {
  if (limit < 1 || limit > 100) return absl::InvalidArgumentError("limit must be 1..100");
  std::shared_ptr<const Snapshot> snap = engine_.current();
  std::vector<TopicAlert> out(
      snap->alerts.begin(),
      snap->alerts.begin() +
          std::min<std::ptrdiff_t>(limit, static_cast<std::ptrdiff_t>(snap->alerts.size())));
  return out;
}

}  // namespace reach::engine

namespace reach::engine {

absl::StatusOr<GraphAnswer> SnapshotReadModel::GetGraph() const {
  std::shared_ptr<const Snapshot> snap = engine_.current();
  if (snap->graph == nullptr) {
    return absl::UnavailableError("the engagement graph has not been analysed yet");
  }
  GraphAnswer out;
  out.graph = snap->graph;
  const WindowBoard& all = snap->board(Window::kAll);
  auto name = [&](UserId id) {
    if (out.names.contains(id)) return;
    auto pos = all.index.find(id);
    if (pos == all.index.end()) return;
    const InfluencerRow& row = all.rows[pos->second];
    out.names.emplace(id, std::make_pair(row.handle, row.pagerank));
  };
  for (UserId id : snap->graph->top) name(id);
  for (const CommunityView& c : snap->graph->communities) {
    for (UserId id : c.leading) name(id);
  }
  return out;
}

}  // namespace reach::engine

namespace reach::engine {

absl::StatusOr<CascadeReport> SnapshotReadModel::GetCascade(PostId post, int node_limit) const {
  if (node_limit < 0) return absl::InvalidArgumentError("limit must be >= 0");
  if (queries_ == nullptr) return absl::UnavailableError("cascade trees need the live engine");
  return queries_->Ask<CascadeReport>([post, node_limit](const Engine& e) {
    return e.Cascade(post, static_cast<size_t>(node_limit));
  });
}

absl::StatusOr<UserCascades> SnapshotReadModel::GetUserCascades(UserId user, Window w,
                                                                int limit) const {
  if (limit < 1 || limit > 100) return absl::InvalidArgumentError("limit must be 1..100");
  if (queries_ == nullptr) return absl::UnavailableError("cascades need the live engine");
  return queries_->Ask<UserCascades>(
      [user, w, limit](const Engine& e) -> absl::StatusOr<UserCascades> {
        UserCascades out = e.UserCascadesOf(user, w, limit);
        if (out.largest.empty() && !e.KnowsUser(user)) return absl::NotFoundError("no such user");
        return out;
      });
}

}  // namespace reach::engine
