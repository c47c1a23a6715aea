#include "store/migrations.h"

#include <fmt/format.h>

namespace reach::store {
namespace {

// Version 1: the initial schema. See the header for the conventions.
constexpr std::string_view kV1Users =
    "CREATE TABLE users ("
    "user_id BIGINT PRIMARY KEY,"
    "handle TEXT NOT NULL,"
    "name TEXT NOT NULL,"
    "location TEXT NOT NULL,"
    "followers BIGINT NOT NULL,"       // -1 unknown
    "following BIGINT NOT NULL,"       // -1 unknown
    "posts_reported BIGINT NOT NULL,"  // -1 unknown
    "verified INTEGER NOT NULL,"       // 0 or 1
    "created_at_us BIGINT NOT NULL,"   // 0 unknown
    "observed_us BIGINT NOT NULL)";

constexpr std::string_view kV1Posts =
    "CREATE TABLE posts ("
    "post_id BIGINT PRIMARY KEY,"
    "platform TEXT NOT NULL,"  // twitter, bluesky, mastodon, dataset, unknown
    "kind TEXT NOT NULL,"      // original, reshare, quote, reply
    "author_id BIGINT NOT NULL,"
    "time_us BIGINT NOT NULL,"
    "text TEXT NOT NULL,"
    "lang TEXT NOT NULL,"
    "parent_id BIGINT NOT NULL,"       // 0 for roots and replies
    "root_id BIGINT NOT NULL,"         // the post itself for an original
    "in_reply_to_id BIGINT NOT NULL,"  // 0 when not a reply
    "depth INTEGER NOT NULL,"
    "country_code TEXT NOT NULL,"
    "reported_likes BIGINT NOT NULL,"      // -1 not reported
    "reported_reshares BIGINT NOT NULL)";  // -1 not reported

constexpr std::string_view kV1PostsByAuthor =
    "CREATE INDEX posts_by_author ON posts (author_id, time_us)";
constexpr std::string_view kV1PostsByRoot = "CREATE INDEX posts_by_root ON posts (root_id)";

constexpr std::string_view kV1Cascades =
    "CREATE TABLE cascades ("
    "root_id BIGINT PRIMARY KEY,"
    "author_id BIGINT NOT NULL,"
    "size BIGINT NOT NULL,"
    "depth INTEGER NOT NULL,"
    "max_breadth BIGINT NOT NULL,"
    "started_us BIGINT NOT NULL,"
    "last_activity_us BIGINT NOT NULL)";

constexpr std::string_view kV1CascadesByAuthor =
    "CREATE INDEX cascades_by_author ON cascades (author_id)";

constexpr std::string_view kV1Scores =
    "CREATE TABLE scores ("
    "win TEXT NOT NULL,"
    "user_id BIGINT NOT NULL,"
    "rank BIGINT NOT NULL,"
    "score DOUBLE PRECISION NOT NULL,"
    "c_reshares DOUBLE PRECISION NOT NULL,"
    "c_likes DOUBLE PRECISION NOT NULL,"
    "c_followers DOUBLE PRECISION NOT NULL,"
    "c_depth DOUBLE PRECISION NOT NULL,"
    "posts BIGINT NOT NULL,"
    "reshares BIGINT NOT NULL,"
    "quotes BIGINT NOT NULL,"
    "replies BIGINT NOT NULL,"
    "likes BIGINT NOT NULL,"
    "mentions BIGINT NOT NULL,"
    "depth INTEGER NOT NULL,"
    "followers BIGINT NOT NULL,"
    "handle TEXT NOT NULL,"
    "name TEXT NOT NULL,"
    "PRIMARY KEY (win, user_id))";

constexpr std::string_view kV1ScoresByRank = "CREATE INDEX scores_by_rank ON scores (win, rank)";

// The primary key doubles as the (user_id, win, as_of_us) index of a user's time series, and makes
// rewriting the same flush (after a restart) idempotent.
constexpr std::string_view kV1ScoreHistory =
    "CREATE TABLE score_history ("
    "as_of_us BIGINT NOT NULL,"
    "win TEXT NOT NULL,"
    "user_id BIGINT NOT NULL,"
    "rank BIGINT NOT NULL,"
    "score DOUBLE PRECISION NOT NULL,"
    "reshares BIGINT NOT NULL,"
    "likes BIGINT NOT NULL,"
    "followers BIGINT NOT NULL,"
    "depth INTEGER NOT NULL,"
    "PRIMARY KEY (user_id, win, as_of_us))";

constexpr std::string_view kV1EngineState =
    "CREATE TABLE engine_state ("
    "key TEXT PRIMARY KEY,"
    "value TEXT NOT NULL)";

// Version 2: the topics table (filled by the conversation analytics) and the read-only views BI
// tools query (docs/operations.md documents their columns). The views only join and rename, so they
// stay portable and always show the current tables.
constexpr std::string_view kV2Topics =
    "CREATE TABLE topics ("
    "win TEXT NOT NULL,"
    "topic TEXT NOT NULL,"
    "count BIGINT NOT NULL,"
    "sentiment DOUBLE PRECISION NOT NULL,"  // mean sentiment in [-1, 1]
    "as_of_us BIGINT NOT NULL,"
    "PRIMARY KEY (win, topic, as_of_us))";

constexpr std::string_view kV2TopicsByTime = "CREATE INDEX topics_by_time ON topics (as_of_us)";

constexpr std::string_view kV2Influencers =
    "CREATE VIEW v_influencers AS "
    "SELECT s.win, s.rank, s.user_id, s.handle, s.name, s.followers, s.score, "
    "s.c_reshares, s.c_likes, s.c_followers, s.c_depth, s.posts, s.reshares, s.quotes, "
    "s.replies, s.likes, s.mentions, s.depth, "
    "COALESCE(u.verified, 0) AS verified, COALESCE(u.location, '') AS location, "
    "(SELECT CAST(e.value AS BIGINT) FROM engine_state e WHERE e.key = 'scores.as_of_us') "
    "AS as_of_us "
    "FROM scores s LEFT JOIN users u ON u.user_id = s.user_id";

constexpr std::string_view kV2ScoreHistory =
    "CREATE VIEW v_score_history AS "
    "SELECT h.as_of_us, h.win, h.user_id, COALESCE(u.handle, '') AS handle, h.rank, h.score, "
    "h.reshares, h.likes, h.followers, h.depth "
    "FROM score_history h LEFT JOIN users u ON u.user_id = h.user_id";

constexpr std::string_view kV2Cascades =
    "CREATE VIEW v_cascades AS "
    "SELECT c.root_id, c.author_id, COALESCE(u.handle, '') AS author_handle, c.size, c.depth, "
    "c.max_breadth, c.started_us, c.last_activity_us, "
    "c.last_activity_us - c.started_us AS duration_us, COALESCE(p.text, '') AS root_text "
    "FROM cascades c LEFT JOIN users u ON u.user_id = c.author_id "
    "LEFT JOIN posts p ON p.post_id = c.root_id";

constexpr std::string_view kV2TopicTrends =
    "CREATE VIEW v_topic_trends AS "
    "SELECT t.as_of_us, t.win, t.topic, t.count, t.sentiment, "
    "t.count - COALESCE((SELECT p.count FROM topics p WHERE p.win = t.win AND "
    "p.topic = t.topic AND p.as_of_us < t.as_of_us ORDER BY p.as_of_us DESC LIMIT 1), 0) "
    "AS count_change "
    "FROM topics t";

// Version 3: score v2 (docs/metrics.md): the PageRank and audience components and the per-user
// metrics beside the seed's. Existing rows get zeros until the next scored flush rewrites them.
constexpr std::string_view kV3Columns[] = {
    "ALTER TABLE scores ADD COLUMN c_pagerank DOUBLE PRECISION NOT NULL DEFAULT 0",
    "ALTER TABLE scores ADD COLUMN c_audience DOUBLE PRECISION NOT NULL DEFAULT 0",
    "ALTER TABLE scores ADD COLUMN pagerank DOUBLE PRECISION NOT NULL DEFAULT 0",
    "ALTER TABLE scores ADD COLUMN audience BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE scores ADD COLUMN h_index INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE scores ADD COLUMN second_level BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE scores ADD COLUMN cascade_nodes BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE scores ADD COLUMN depth_mean DOUBLE PRECISION NOT NULL DEFAULT 0",
};

constexpr std::string_view kV3DropInfluencers = "DROP VIEW v_influencers";

constexpr std::string_view kV3Influencers =
    "CREATE VIEW v_influencers AS "
    "SELECT s.win, s.rank, s.user_id, s.handle, s.name, s.followers, s.score, "
    "s.c_reshares, s.c_likes, s.c_followers, s.c_depth, s.posts, s.reshares, s.quotes, "
    "s.replies, s.likes, s.mentions, s.depth, "
    "COALESCE(u.verified, 0) AS verified, COALESCE(u.location, '') AS location, "
    "(SELECT CAST(e.value AS BIGINT) FROM engine_state e WHERE e.key = 'scores.as_of_us') "
    "AS as_of_us, "
    "s.c_pagerank, s.c_audience, s.pagerank, s.audience, s.h_index, s.second_level, "
    "s.cascade_nodes, s.depth_mean "
    "FROM scores s LEFT JOIN users u ON u.user_id = s.user_id";

}  // namespace

std::span<const Migration> AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "initial schema: users, posts, cascades, scores, score_history, engine_state",
       {kV1Users, kV1Posts, kV1PostsByAuthor, kV1PostsByRoot, kV1Cascades, kV1CascadesByAuthor,
        kV1Scores, kV1ScoresByRank, kV1ScoreHistory, kV1EngineState}},
      {2,
       "topics table and BI views: v_influencers, v_score_history, v_cascades, v_topic_trends",
       {kV2Topics, kV2TopicsByTime, kV2Influencers, kV2ScoreHistory, kV2Cascades, kV2TopicTrends}},
      {3,
       "score v2: PageRank and audience components, audience, h-index, second-level, depth mean",
       {kV3Columns[0], kV3Columns[1], kV3Columns[2], kV3Columns[3], kV3Columns[4], kV3Columns[5],
        kV3Columns[6], kV3Columns[7], kV3DropInfluencers, kV3Influencers}},
  };
  return kMigrations;
}

int LatestSchemaVersion() { return AllMigrations().back().version; }

absl::Status CheckSchemaVersion(int64_t db_version) {
  if (db_version < 0) {
    return absl::InvalidArgumentError(fmt::format("invalid schema version {}", db_version));
  }
  if (db_version > LatestSchemaVersion()) {
    return absl::FailedPreconditionError(fmt::format(
        "the database has schema version {} but this program knows only up to {}; use a newer "
        "version of reach",
        db_version, LatestSchemaVersion()));
  }
  return absl::OkStatus();
}

}  // namespace reach::store
