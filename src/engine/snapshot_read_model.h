// SnapshotReadModel: answers API queries from the live engine's newest published snapshot, and the
// questions a snapshot cannot answer (a ranking for any topic) through the engine's QueryChannel.
//
// Thread safety: any thread; each call takes the current snapshot once and answers from it, so one
// answer is always consistent. Cascade trees are not in the snapshot: they are asked of the engine
// on its writer thread through the QueryChannel (Unavailable without one, or when the engine is
// busy or stopped). Holds references to the engine and the channel, which must outlive it.
#ifndef REACH_ENGINE_SNAPSHOT_READ_MODEL_H_
#define REACH_ENGINE_SNAPSHOT_READ_MODEL_H_

#include "engine/engine.h"
#include "engine/query_channel.h"
#include "engine/read_model.h"

namespace reach::engine {

class SnapshotReadModel final : public ReadModel {
 public:
  explicit SnapshotReadModel(const Engine& engine, QueryChannel* queries = nullptr)
      : engine_(engine), queries_(queries) {}

  [[nodiscard]] absl::StatusOr<Leaderboard> GetLeaderboard(
      const LeaderboardQuery& q) const override;
  [[nodiscard]] absl::StatusOr<UserProfile> GetUser(UserId id) const override;
  [[nodiscard]] EngineStats GetStats() const override;
  [[nodiscard]] absl::StatusOr<Conversation> GetConversation(Window w, int limit) const override;
  [[nodiscard]] absl::StatusOr<TopicDetail> GetTopic(const TopicQuery& q) const override;
  [[nodiscard]] absl::StatusOr<Leaderboard> GetTopicLeaderboard(
      const TopicLeaderboardQuery& q) const override;
  [[nodiscard]] absl::StatusOr<Audience> GetAudience(UserId id, Window w) const override;
  [[nodiscard]] absl::StatusOr<Series> GetSeries(const SeriesQuery& q) const override;
  [[nodiscard]] absl::StatusOr<GraphAnswer> GetGraph() const override;
  [[nodiscard]] absl::StatusOr<std::vector<TopicAlert>> GetAlerts(int limit) const override;
  [[nodiscard]] absl::StatusOr<CascadeReport> GetCascade(PostId post,
                                                         int node_limit) const override;
  [[nodiscard]] absl::StatusOr<UserCascades> GetUserCascades(UserId user, Window w,
                                                             int limit) const override;

 private:
  const Engine& engine_;
  QueryChannel* queries_;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_SNAPSHOT_READ_MODEL_H_
