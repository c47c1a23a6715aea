// ReadModel: the questions the API asks, answered either from the live engine's published snapshot
// (reach run) or from the store (reach serve). HTTP handlers depend only on this interface.
//
// Thread safety: implementations must allow concurrent calls from any thread.
// Errors: NotFound for an unknown user; InvalidArgument for a bad query; Unavailable when the
// backing store cannot be read.
#ifndef REACH_ENGINE_READ_MODEL_H_
#define REACH_ENGINE_READ_MODEL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/cascade_tree.h"
#include "engine/snapshot.h"

namespace reach::engine {

struct LeaderboardQuery {
  Window window = Window::kAll;
  int limit = 50;       // 1..1000
  int offset = 0;       // >= 0
  std::string country;  // ISO 3166-1 alpha-2 (upper case): only accounts located there; "" = all
};

struct Leaderboard {
  Window window = Window::kAll;
  EventTime as_of;
  int64_t total = 0;  // rows in the whole window, before limit/offset
  std::vector<InfluencerRow> items;
  // The published snapshot the rows come from (Snapshot::sequence); the same sequence and query
  // give the same rows, so the HTTP layer may reuse their JSON. 0 = not from a snapshot.
  uint64_t sequence = 0;
  ScoreWeights weights;  // the weights the scores were computed with
  std::string topic;     // a topic ranking's topic; empty for the overall board
};

// A topic ranking: the accounts whose posts carrying `topic` were engaged with most in the window
// (topic_engagements), ties by score, then user id.
struct TopicLeaderboardQuery {
  std::string topic;  // case-folded hashtag without '#'
  Window window = Window::kAll;
  int limit = 50;       // 1..1000
  int offset = 0;       // >= 0
  std::string country;  // as in LeaderboardQuery
};

struct UserProfile {
  ScoreWeights weights;  // the weights the scores were computed with
  UserInfo info;
  // Per window (indexed by Window): the user's row, or nullopt when the user has no activity there.
  std::array<std::optional<InfluencerRow>, kWindowCount> windows;
  EventTime as_of;
};

struct Conversation {
  Window window = Window::kAll;
  EventTime as_of;
  ConversationBoard board;  // topics cut to the query's limit; details left empty
};

struct TopicQuery {
  std::string topic;  // case-folded hashtag without '#'
  Window window = Window::kAll;
};

// The engagement graph as last analysed, with the names of the accounts it mentions.
struct GraphAnswer {
  std::shared_ptr<const GraphView> graph;                             // never null in an answer
  absl::flat_hash_map<UserId, std::pair<std::string, double>> names;  // handle, pagerank
};

struct SeriesQuery {
  std::string topic;  // empty: all posts
  Window window = Window::k24h;
  Duration bucket;  // 0: the window's base resolution; else a multiple of it
};

struct Series {
  std::string topic;
  Window window = Window::k24h;
  Duration bucket;
  EventTime as_of;
  std::vector<SeriesPoint> points;  // oldest first; empty buckets included as zeros
};

struct Audience {
  UserId user;
  Window window = Window::kAll;
  EventTime as_of;
  int64_t total = 0;                    // engagements from people with a known country
  std::vector<CountryCount> countries;  // by count, descending
};

// Answers beyond the leaderboard default to Unimplemented, so a model that cannot answer them (the
// store's, for now) says so instead of answering wrongly.
class ReadModel {
 public:
  virtual ~ReadModel() = default;
  [[nodiscard]] virtual absl::StatusOr<Conversation> GetConversation(Window w, int limit) const {
    (void)w, (void)limit;
    return absl::UnimplementedError("conversation analytics are served by `reach run`");
  }
  [[nodiscard]] virtual absl::StatusOr<TopicDetail> GetTopic(const TopicQuery& q) const {
    (void)q;
    return absl::UnimplementedError("topic analytics are served by `reach run`");
  }
  // NotFound for a topic never engaged with.
  [[nodiscard]] virtual absl::StatusOr<Leaderboard> GetTopicLeaderboard(
      const TopicLeaderboardQuery& q) const {
    (void)q;
    return absl::UnimplementedError("topic rankings are served by `reach run`");
  }
  [[nodiscard]] virtual absl::StatusOr<Audience> GetAudience(UserId id, Window w) const {
    (void)id, (void)w;
    return absl::UnimplementedError("audience geography is served by `reach run`");
  }
  [[nodiscard]] virtual absl::StatusOr<GraphAnswer> GetGraph() const {
    return absl::UnimplementedError("the engagement graph is served by `reach run`");
  }
  [[nodiscard]] virtual absl::StatusOr<Series> GetSeries(const SeriesQuery& q) const {
    (void)q;
    return absl::UnimplementedError("series are served by `reach run`");
  }
  [[nodiscard]] virtual absl::StatusOr<std::vector<TopicAlert>> GetAlerts(int limit) const {
    (void)limit;
    return absl::UnimplementedError("alerts are served by `reach run`");
  }
  // The cascade `post` belongs to (its root's, when `post` is a reshare or quote in it), with at
  // most node_limit nodes. NotFound for an unknown post or one in no cascade.
  [[nodiscard]] virtual absl::StatusOr<CascadeReport> GetCascade(PostId post,
                                                                 int node_limit) const {
    (void)post, (void)node_limit;
    return absl::UnimplementedError("cascade trees are served by `reach run`");
  }
  // The user's `limit` largest and deepest cascades among those started in the window.
  // NotFound for an unknown user.
  [[nodiscard]] virtual absl::StatusOr<UserCascades> GetUserCascades(UserId user, Window w,
                                                                     int limit) const {
    (void)user, (void)w, (void)limit;
    return absl::UnimplementedError("cascades are served by `reach run`");
  }
  [[nodiscard]] virtual absl::StatusOr<Leaderboard> GetLeaderboard(
      const LeaderboardQuery& q) const = 0;
  [[nodiscard]] virtual absl::StatusOr<UserProfile> GetUser(UserId id) const = 0;
  // Engine counters as of the newest data this model has.
  [[nodiscard]] virtual EngineStats GetStats() const = 0;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_READ_MODEL_H_
