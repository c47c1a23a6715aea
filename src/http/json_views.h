// JSON views: how the engine's read-side types appear in the HTTP API. Each function renders one
// response body; field names and shapes are the API contract (see the route list in router.h).
//
//   std::string body = LeaderboardJson(board);
//   // {"window":"1h","as_of":"2024-01-01T00:00:00.000Z","total":2,"items":[{"rank":1,...}]}
//
// User and post ids are written as decimal strings: 64-bit ids do not fit a JavaScript number.
// Unknown times (EventTime 0) are written as null, and so is a mean sentiment over zero posts (each
// mean sits beside the count of posts it is over). Pure functions; thread-safe; cost linear in the
// output size.
#ifndef REACH_HTTP_JSON_VIEWS_H_
#define REACH_HTTP_JSON_VIEWS_H_

#include <string>
#include <vector>

#include "common/json_writer.h"
#include "engine/read_model.h"
#include "http/status_mapping.h"

namespace reach::http {

// {"window","as_of","topic" (null for the overall board),"total","weights":{factor: weight},
//  "items":[row...]}; in a topic ranking each row also has "topic_engagements".
[[nodiscard]] std::string LeaderboardJson(const engine::Leaderboard& board);

// {"user_id","handle","name","location","followers","following","posts_reported","verified",
//  "created","observed","as_of","windows":{"15m":row|null,"1h":...,"24h":...,"all":...}}
[[nodiscard]] std::string UserProfileJson(const engine::UserProfile& profile);

// {"window","as_of","posts","sentiment":{"mean","posts"},
//  "topics":[{"topic","posts","sentiment","sentiment_posts","spiking"}],
//  "countries":[{"country","posts","engagements","sentiment","sentiment_posts"}]}
[[nodiscard]] std::string ConversationJson(const engine::Conversation& conversation);

// {"window","as_of","countries":[...as in ConversationJson]}
[[nodiscard]] std::string GeoJson(const engine::Conversation& conversation);

// {"topic","window","posts","sentiment","sentiment_posts","spiking","influencers":[row...],
//  "top_posts":[{"post_id","engagements"}]}
[[nodiscard]] std::string TopicJson(const engine::TopicDetail& detail, engine::Window window);

// {"topic" (null for all posts),"window","bucket_seconds","as_of",
//  "points":[{"start","posts","sentiment","sentiment_posts"}]}
[[nodiscard]] std::string SeriesJson(const engine::Series& series);

// {"items":[{"topic","at","current","baseline","ratio","z"}]}
[[nodiscard]] std::string AlertsJson(const std::vector<engine::TopicAlert>& alerts);

// {"user_id","window","as_of","total","countries":[{"country","count","share"}]}; share is
// count / total (0 when total is 0).
[[nodiscard]] std::string AudienceJson(const engine::Audience& audience);

// GET /api/cascades/{post}: {"root","root_known","author":{"id","handle","followers"},"size",
//  "depth","max_breadth","structural_virality","t50_seconds","t90_seconds","started",
//  "last_activity","methods":{"exact","inferred_follow","root"},"requested","requested_is_root",
//  "nodes":[{"post","user","handle","followers","time","parent","method","depth"}],"truncated"}.
// Unknown handles, follower counts and ids are null; the root's parent and method are null.
[[nodiscard]] std::string CascadeJson(const engine::CascadeReport& report);

// GET /api/users/{id}/cascades: {"user","window","as_of","largest":[summary],"deepest":[summary]},
// a summary being CascadeJson's fields from "root" to "methods".
[[nodiscard]] std::string UserCascadesJson(const engine::UserCascades& cascades);

// {"error":{"code","message"[,"parameter"]}}
[[nodiscard]] std::string ErrorJson(const HttpError& error);

// One leaderboard row object: {"rank","user_id","handle","name","followers","posts","reshares",
// "quotes","replies","likes","mentions","depth","score",
//  "components":{"reshares"|"likes"|"followers"|"depth"|"pagerank"|"audience":
//                {"value" (0..1),"raw","weight","why"}},
//  "metrics":{"posts","reshares","quotes","replies","likes","mentions","engagements",
//             "engagement_rate" (per 1,000 followers, null when unknown),"engagements_per_post"
//             (null without posts),"depth_max","depth_mean","cascade_nodes","second_level",
//             "audience","h_index"},
//  ["topic_engagements",] "sentiment_of","sentiment_of_posts","sentiment_toward",
//  "sentiment_toward_posts","pagerank","community"}.
// `ctx` says which window the row is of (for the explanations), the weights and whether the row is
// from a topic ranking.
struct RowContext {
  engine::Window window = engine::Window::kAll;
  engine::ScoreWeights weights;
  bool topic = false;
};
// GET /api/communities: the graph's size, modularity and its `limit` largest communities.
std::string CommunitiesJson(const engine::GraphAnswer& g, size_t limit);
// GET /api/network: the `limit` accounts of highest PageRank and the edges among them.
std::string NetworkJson(const engine::GraphAnswer& g, size_t limit);

void WriteInfluencerRow(JsonWriter& w, const engine::InfluencerRow& row, const RowContext& ctx);

}  // namespace reach::http

#endif  // REACH_HTTP_JSON_VIEWS_H_
