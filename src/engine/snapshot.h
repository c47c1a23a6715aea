// The read side of the engine: immutable views that readers (HTTP handlers, the store writer) hold
// while the single writer goes on. A Snapshot is built by the writer at each publish and never
// changed afterwards, so any thread may read it without locks as long as it holds the shared_ptr.
#ifndef REACH_ENGINE_SNAPSHOT_H_
#define REACH_ENGINE_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/ids.h"
#include "common/time.h"
#include "engine/window.h"

namespace reach::engine {

// Counts observed in the stream for one user over one window (see docs/metrics.md).
struct UserMetrics {
  int64_t posts = 0;     // posts authored (all kinds)
  int64_t reshares = 0;  // reshares of the user's posts
  int64_t quotes = 0;    // quotes of the user's posts
  int64_t replies = 0;   // replies to the user's posts
  int64_t likes = 0;     // likes: observed like events + growth of platform like counters
  int64_t mentions = 0;  // mentions of the user in others' posts
  int32_t depth = 0;     // deepest reshare/quote level reached in the user's cascades
  // Reshares and quotes in the user's cascades (the nodes below the roots) made in the window:
  // how many, how many of them at depth >= 2 (made from another resharer's copy: second-level
  // amplification), and their mean depth (0 when none).
  int64_t cascade_nodes = 0;
  int64_t second_level = 0;
  double depth_mean = 0;
  // The largest h such that h of the user's posts have >= h reshares each in the window.
  int32_t h_index = 0;
  // Unique engaged audience: distinct accounts that reshared, quoted, replied to or liked the
  // user's posts in the window (a HyperLogLog estimate, analytics/sliding_hyperloglog.h).
  int64_t audience = 0;
};

// Engagements received: reshares + quotes + replies + likes.
inline int64_t Engagements(const UserMetrics& m) {
  return m.reshares + m.quotes + m.replies + m.likes;
}

// Each factor of the influence score, normalised to [0, 1] within the window (docs/metrics.md).
// Each is the account's percentile among the window's active accounts (ties averaged; 0 for a raw
// value of 0), see engine/score.h.
struct ScoreComponents {
  double reshares = 0;
  double likes = 0;
  double followers = 0;
  double depth = 0;
  double pagerank = 0;
  double audience = 0;
};

struct ScoreWeights {
  double reshares = 0.25;
  double likes = 0.15;
  double followers = 0.15;
  double depth = 0.15;
  double pagerank = 0.15;
  double audience = 0.15;
};

// A country as two upper-case ASCII letters packed in 16 bits (0 = unknown).
using CountryKey = uint16_t;
CountryKey MakeCountryKey(std::string_view iso2);
std::string CountryName(CountryKey key);

// One user's row in a window's leaderboard.
struct InfluencerRow {
  UserId user;
  std::string handle;
  std::string name;
  std::string country;    // ISO 3166-1 alpha-2 from the profile location; empty when unknown
  int64_t followers = 0;  // latest platform-reported follower count (-1 unknown)
  UserMetrics metrics;
  ScoreComponents components;
  double score = 0;  // 0..100
  int64_t rank = 0;  // 1-based within the window
  // Mean VADER compound of the user's own posts, and of the quotes and replies addressed to the
  // user, in the window; the counts say how many posts each mean is over.
  double sentiment_of = 0;
  int64_t sentiment_of_posts = 0;
  double sentiment_toward = 0;
  int64_t sentiment_toward_posts = 0;
  // PageRank of the user in the all-time engagement graph (engager -> author), scaled so that the
  // average account scores 1; 0 until the graph has been ranked. The same in every window.
  double pagerank = 0;
  int64_t community = -1;  // Louvain community id in the all-time graph, -1 when none yet
  // In a topic ranking only: engagements in the window on the user's posts carrying the topic.
  int64_t topic_engagements = 0;
};

// A community of the engagement graph (Louvain).
struct CommunityView {
  uint32_t id = 0;
  uint32_t size = 0;
  double density = 0;  // internal weight / possible member pairs
  uint64_t internal_edges = 0;
  std::vector<UserId> leading;  // highest PageRank first
};

struct NetworkEdge {
  UserId from;
  UserId to;
  double weight = 0;
};

// The engagement graph as last analysed (refreshed every few seconds).
struct GraphView {
  uint64_t nodes = 0;
  uint64_t edges = 0;
  double modularity = 0;
  EventTime ranked_at;                                 // wall clock of the last PageRank refresh
  std::vector<CommunityView> communities;              // largest first, at most 200
  std::vector<UserId> top;                             // highest PageRank first, at most 500
  std::vector<NetworkEdge> top_edges;                  // edges among `top`
  absl::flat_hash_map<UserId, uint32_t> community_of;  // for the users in `top` and the boards
};

// A country's share of something: posts, engagements or an audience.
struct CountryCount {
  std::string country;  // ISO 3166-1 alpha-2
  int64_t count = 0;
};

// Conversation analytics of one window (docs/metrics.md, "Conversation").
struct TopicRow {
  std::string topic;            // hashtag, case-folded, without '#'
  int64_t posts = 0;            // posts (reshares included) carrying it
  int64_t sentiment_posts = 0;  // of which have a sentiment score
  double sentiment = 0;         // mean VADER compound over those
  bool spiking = false;         // an alert is active for it
};

struct CountryRow {
  std::string country;
  int64_t posts = 0;        // posts made from the country
  int64_t engagements = 0;  // reshares, quotes and replies made from the country
  int64_t sentiment_posts = 0;
  double sentiment = 0;
};

struct TopicDetail {
  TopicRow summary;
  ScoreWeights weights;                    // the weights of the influencers' scores
  std::vector<InfluencerRow> influencers;  // authors whose posts with the topic were engaged most;
                                           // metrics.reshares = engagements on those posts
  std::vector<std::pair<PostId, int64_t>> top_posts;  // post, engagements received
};

// One point of a volume/sentiment series.
struct SeriesPoint {
  EventTime start;  // bucket start
  int64_t posts = 0;
  int64_t sentiment_posts = 0;
  double sentiment = 0;  // mean VADER compound of the posts with a score
};

// Base resolution of the series kept per window: 15m and 1h by minute, 24h by 15 minutes, all
// time by day (the last 365 days). A query may ask for any multiple of it.
Duration SeriesResolution(Window w);

struct ConversationBoard {
  std::vector<TopicRow> topics;       // by posts, descending; at most kTopicsPerWindow
  std::vector<TopicRow> terms;        // trending words of post texts, kept the same way
  std::vector<CountryRow> countries;  // by posts, descending
  absl::flat_hash_map<std::string, TopicDetail> details;  // for the leading topics
  // Volume and sentiment over time at SeriesResolution(window): of all posts (key "") and of each
  // topic in `details` (sliding windows only).
  absl::flat_hash_map<std::string, std::vector<SeriesPoint>> series;
  int64_t posts = 0;
  int64_t sentiment_posts = 0;
  double sentiment = 0;
};

// A topic whose rate jumped above its own baseline (analytics::SpikeDetector).
struct TopicAlert {
  std::string topic;
  EventTime at;
  double current = 0;   // posts in the last hour
  double baseline = 0;  // mean posts per hour over the previous 12 hours
  double ratio = 0;
  double z = 0;
};

struct UserInfo {
  UserId user;
  std::string handle;
  std::string name;
  std::string location;
  int64_t followers = -1;
  int64_t following = -1;
  int64_t posts_reported = -1;  // platform-reported post count
  bool verified = false;
  EventTime created;
  EventTime observed;   // when the newest snapshot of the account was taken
  std::string country;  // resolved from the profile location, empty if unknown
  // Countries where the platform withholds the account (ISO codes; "XX" = everywhere): it is not
  // shown there, so its audience there does not count for a campaign (docs/metrics.md).
  std::vector<std::string> withheld_in;
};

// Whether the platform withholds the account in the country (ISO alpha-2, upper case): the country
// is among its withheld_in, or "XX" (everywhere) is.
bool WithheldIn(const UserInfo& user, std::string_view country);

// How a cascade edge's parent was chosen (docs/metrics.md, "Cascades").
enum class ParentMethod : uint8_t {
  kNone,            // a root
  kExact,           // the data names the very post: quote, Bluesky repost `via`, dataset paths
  kInferredFollow,  // the most recent earlier adopter whom the resharer follows
  kRoot,            // fallback: the post the platform names (the original)
};
// "none", "exact", "inferred_follow", "root".
std::string_view ParentMethodName(ParentMethod m);

struct CascadeSummary {
  PostId root;
  UserId author;
  int64_t size = 0;  // nodes including the root
  int32_t depth = 0;
  int64_t max_breadth = 0;
  EventTime started;
  EventTime last_activity;
};

// Counters about the engine itself, for /metrics and the pipeline view.
struct EngineStats {
  int64_t events_applied = 0;
  int64_t posts = 0;            // live posts
  int64_t users = 0;            // known users
  int64_t duplicates = 0;       // events ignored because their id was seen
  int64_t deletes_applied = 0;  // deletes that removed a known post
  int64_t deletes_pending = 0;  // deletes for posts not (yet) seen: kept as tombstones
  int64_t cascades = 0;
  int64_t alerts = 0;              // topic spike alerts raised
  int64_t withheld_posts = 0;      // posts the platform withholds in some countries
  int64_t withheld_users = 0;      // accounts the platform withholds in some countries
  int64_t geo_scrubbed_posts = 0;  // posts whose place and coordinates a scrub_geo removed
  EventTime watermark;             // the engine's event-time "now"
};

struct WindowBoard {
  Window window = Window::kAll;
  std::vector<InfluencerRow> rows;              // sorted by score descending, then user id
  absl::flat_hash_map<UserId, uint32_t> index;  // user -> position in rows
  // Audience geography: countries of the people who engaged with the user in the window, for the
  // leading rows (kAudienceRows), by count descending.
  absl::flat_hash_map<UserId, std::vector<CountryCount>> audience;
  ConversationBoard conversation;
};

inline constexpr size_t kTopicsPerWindow = 100;
inline constexpr size_t kTopicDetails = 30;
inline constexpr size_t kAudienceRows = 1000;

struct Snapshot {
  uint64_t sequence = 0;  // increases by one per publish
  EventTime as_of;        // engine watermark at publish
  EventTime published;    // wall-clock time of publish
  ScoreWeights weights;
  std::array<WindowBoard, kWindowCount> boards;
  // Every user in any board; shared with the engine (an entry is replaced, never changed).
  absl::flat_hash_map<UserId, std::shared_ptr<const UserInfo>> users;
  std::vector<TopicAlert> alerts;          // newest first, at most 100
  std::shared_ptr<const GraphView> graph;  // null until the first refresh
  EngineStats stats;

  [[nodiscard]] const WindowBoard& board(Window w) const { return boards[static_cast<int>(w)]; }
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_SNAPSHOT_H_
