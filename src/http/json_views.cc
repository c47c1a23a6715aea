#include "http/json_views.h"

#include "engine/score.h"

namespace reach::http {
namespace {

void WriteTime(JsonWriter& w, EventTime t) {
  if (t.known()) {
    w.String(FormatIso8601(t));
  } else {
    w.Null();
  }
}

// A mean over `count` values; null when there are none.
void WriteStrings(JsonWriter& w, const std::vector<std::string>& strings) {
  w.BeginArray();
  for (const std::string& s : strings) w.String(s);
  w.EndArray();
}

void WriteMean(JsonWriter& w, double mean, int64_t count) {
  if (count > 0) {
    w.Double(mean);
  } else {
    w.Null();
  }
}

void WriteCountries(JsonWriter& w, const std::vector<engine::CountryRow>& countries) {
  w.Key("countries");
  w.BeginArray();
  for (const engine::CountryRow& c : countries) {
    w.BeginObject();
    w.Key("country");
    w.String(c.country);
    w.Key("posts");
    w.Int(c.posts);
    w.Key("engagements");
    w.Int(c.engagements);
    w.Key("sentiment");
    WriteMean(w, c.sentiment, c.sentiment_posts);
    w.Key("sentiment_posts");
    w.Int(c.sentiment_posts);
    w.EndObject();
  }
  w.EndArray();
}

// The fields of a topic row, inside an object the caller opened.
void WriteTopicFields(JsonWriter& w, const engine::TopicRow& t) {
  w.Key("posts");
  w.Int(t.posts);
  w.Key("sentiment");
  WriteMean(w, t.sentiment, t.sentiment_posts);
  w.Key("sentiment_posts");
  w.Int(t.sentiment_posts);
  w.Key("spiking");
  w.Bool(t.spiking);
}

}  // namespace

void WriteInfluencerRow(JsonWriter& w, const engine::InfluencerRow& row, const RowContext& ctx) {
  w.BeginObject();
  w.Key("rank");
  w.Int(row.rank);
  w.Key("user_id");
  w.String(std::to_string(row.user.value));
  w.Key("handle");
  w.String(row.handle);
  w.Key("name");
  w.String(row.name);
  w.Key("country");
  if (row.country.empty()) {
    w.Null();
  } else {
    w.String(row.country);
  }
  w.Key("followers");
  w.Int(row.followers);
  w.Key("posts");
  w.Int(row.metrics.posts);
  w.Key("reshares");
  w.Int(row.metrics.reshares);
  w.Key("quotes");
  w.Int(row.metrics.quotes);
  w.Key("replies");
  w.Int(row.metrics.replies);
  w.Key("likes");
  w.Int(row.metrics.likes);
  w.Key("mentions");
  w.Int(row.metrics.mentions);
  w.Key("depth");
  w.Int(row.metrics.depth);
  w.Key("score");
  w.Double(row.score);
  w.Key("components");
  w.BeginObject();
  for (const engine::ScoreFactor& f : engine::ScoreFactors(row, ctx.weights)) {
    w.Key(f.name);
    w.BeginObject();
    w.Key("value");
    w.Double(f.value);
    w.Key("raw");
    w.Double(f.raw);
    w.Key("weight");
    w.Double(f.weight);
    w.Key("why");
    w.String(engine::ExplainFactor(f, ctx.window));
    w.EndObject();
  }
  w.EndObject();
  const engine::UserMetrics& m = row.metrics;
  const int64_t engagements = engine::Engagements(m);
  w.Key("metrics");
  w.BeginObject();
  w.Key("posts");
  w.Int(m.posts);
  w.Key("reshares");
  w.Int(m.reshares);
  w.Key("quotes");
  w.Int(m.quotes);
  w.Key("replies");
  w.Int(m.replies);
  w.Key("likes");
  w.Int(m.likes);
  w.Key("mentions");
  w.Int(m.mentions);
  w.Key("engagements");
  w.Int(engagements);
  // Engagements per 1,000 followers; null when the follower count is unknown or zero.
  w.Key("engagement_rate");
  if (row.followers > 0) {
    w.Double(1000.0 * static_cast<double>(engagements) / static_cast<double>(row.followers));
  } else {
    w.Null();
  }
  // Engagements per post made in the window; null without posts in the window.
  w.Key("engagements_per_post");
  if (m.posts > 0) {
    w.Double(static_cast<double>(engagements) / static_cast<double>(m.posts));
  } else {
    w.Null();
  }
  w.Key("depth_max");
  w.Int(m.depth);
  w.Key("depth_mean");
  w.Double(m.depth_mean);
  w.Key("cascade_nodes");
  w.Int(m.cascade_nodes);
  w.Key("second_level");
  w.Int(m.second_level);
  w.Key("audience");
  w.Int(m.audience);
  w.Key("h_index");
  w.Int(m.h_index);
  w.EndObject();
  if (ctx.topic) {
    w.Key("topic_engagements");
    w.Int(row.topic_engagements);
  }
  w.Key("sentiment_of");
  WriteMean(w, row.sentiment_of, row.sentiment_of_posts);
  w.Key("sentiment_of_posts");
  w.Int(row.sentiment_of_posts);
  w.Key("sentiment_toward");
  WriteMean(w, row.sentiment_toward, row.sentiment_toward_posts);
  w.Key("sentiment_toward_posts");
  w.Int(row.sentiment_toward_posts);
  w.Key("pagerank");
  w.Double(row.pagerank);
  w.Key("community");
  w.Int(row.community);
  w.EndObject();
}

std::string LeaderboardJson(const engine::Leaderboard& board) {
  JsonWriter w;
  w.BeginObject();
  w.Key("window");
  w.String(engine::WindowName(board.window));
  w.Key("as_of");
  WriteTime(w, board.as_of);
  w.Key("topic");
  if (board.topic.empty()) {
    w.Null();
  } else {
    w.String(board.topic);
  }
  w.Key("total");
  w.Int(board.total);
  w.Key("weights");
  w.BeginObject();
  for (const engine::ScoreFactor& f :
       engine::ScoreFactors(engine::InfluencerRow{}, board.weights)) {
    w.Key(f.name);
    w.Double(f.weight);
  }
  w.EndObject();
  w.Key("items");
  w.BeginArray();
  const RowContext ctx{board.window, board.weights, !board.topic.empty()};
  for (const engine::InfluencerRow& row : board.items) WriteInfluencerRow(w, row, ctx);
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

std::string UserProfileJson(const engine::UserProfile& profile) {
  const engine::UserInfo& info = profile.info;
  JsonWriter w;
  w.BeginObject();
  w.Key("user_id");
  w.String(std::to_string(info.user.value));
  w.Key("handle");
  w.String(info.handle);
  w.Key("name");
  w.String(info.name);
  w.Key("location");
  w.String(info.location);
  w.Key("followers");
  w.Int(info.followers);
  w.Key("following");
  w.Int(info.following);
  w.Key("posts_reported");
  w.Int(info.posts_reported);
  w.Key("verified");
  w.Bool(info.verified);
  w.Key("withheld_in");
  WriteStrings(w, info.withheld_in);
  w.Key("created");
  WriteTime(w, info.created);
  w.Key("observed");
  WriteTime(w, info.observed);
  w.Key("as_of");
  WriteTime(w, profile.as_of);
  w.Key("windows");
  w.BeginObject();
  for (engine::Window win : engine::kAllWindows) {
    w.Key(engine::WindowName(win));
    const auto& row = profile.windows[static_cast<size_t>(win)];
    if (row) {
      WriteInfluencerRow(w, *row, RowContext{win, profile.weights, false});
    } else {
      w.Null();
    }
  }
  w.EndObject();
  w.EndObject();
  return std::move(w).Take();
}

std::string ConversationJson(const engine::Conversation& conversation) {
  const engine::ConversationBoard& board = conversation.board;
  JsonWriter w;
  w.BeginObject();
  w.Key("window");
  w.String(engine::WindowName(conversation.window));
  w.Key("as_of");
  WriteTime(w, conversation.as_of);
  w.Key("posts");
  w.Int(board.posts);
  w.Key("sentiment");
  w.BeginObject();
  w.Key("mean");
  WriteMean(w, board.sentiment, board.sentiment_posts);
  w.Key("posts");
  w.Int(board.sentiment_posts);
  w.EndObject();
  w.Key("topics");
  w.BeginArray();
  for (const engine::TopicRow& t : board.topics) {
    w.BeginObject();
    w.Key("topic");
    w.String(t.topic);
    WriteTopicFields(w, t);
    w.EndObject();
  }
  w.EndArray();
  w.Key("terms");
  w.BeginArray();
  for (const engine::TopicRow& t : board.terms) {
    w.BeginObject();
    w.Key("term");
    w.String(t.topic);
    w.Key("posts");
    w.Int(t.posts);
    w.EndObject();
  }
  w.EndArray();
  WriteCountries(w, board.countries);
  w.EndObject();
  return std::move(w).Take();
}

std::string GeoJson(const engine::Conversation& conversation) {
  JsonWriter w;
  w.BeginObject();
  w.Key("window");
  w.String(engine::WindowName(conversation.window));
  w.Key("as_of");
  WriteTime(w, conversation.as_of);
  WriteCountries(w, conversation.board.countries);
  w.EndObject();
  return std::move(w).Take();
}

std::string TopicJson(const engine::TopicDetail& detail, engine::Window window) {
  JsonWriter w;
  w.BeginObject();
  w.Key("topic");
  w.String(detail.summary.topic);
  w.Key("window");
  w.String(engine::WindowName(window));
  WriteTopicFields(w, detail.summary);
  w.Key("influencers");
  w.BeginArray();
  for (const engine::InfluencerRow& row : detail.influencers) {
    WriteInfluencerRow(w, row, RowContext{window, detail.weights, false});
  }
  w.EndArray();
  w.Key("top_posts");
  w.BeginArray();
  for (const auto& [post, engagements] : detail.top_posts) {
    w.BeginObject();
    w.Key("post_id");
    w.String(std::to_string(post.value));
    w.Key("engagements");
    w.Int(engagements);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

std::string SeriesJson(const engine::Series& series) {
  JsonWriter w;
  w.BeginObject();
  w.Key("topic");
  if (series.topic.empty()) {
    w.Null();
  } else {
    w.String(series.topic);
  }
  w.Key("window");
  w.String(engine::WindowName(series.window));
  w.Key("bucket_seconds");
  w.Int(series.bucket.micros / 1'000'000);
  w.Key("as_of");
  WriteTime(w, series.as_of);
  w.Key("points");
  w.BeginArray();
  for (const engine::SeriesPoint& p : series.points) {
    w.BeginObject();
    w.Key("start");
    WriteTime(w, p.start);
    w.Key("posts");
    w.Int(p.posts);
    w.Key("sentiment");
    WriteMean(w, p.sentiment, p.sentiment_posts);
    w.Key("sentiment_posts");
    w.Int(p.sentiment_posts);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

std::string AlertsJson(const std::vector<engine::TopicAlert>& alerts) {
  JsonWriter w;
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
  for (const engine::TopicAlert& a : alerts) {
    w.BeginObject();
    w.Key("topic");
    w.String(a.topic);
    w.Key("at");
    WriteTime(w, a.at);
    w.Key("current");
    w.Double(a.current);
    w.Key("baseline");
    w.Double(a.baseline);
    w.Key("ratio");
    w.Double(a.ratio);
    w.Key("z");
    w.Double(a.z);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

std::string AudienceJson(const engine::Audience& audience) {
  JsonWriter w;
  w.BeginObject();
  w.Key("user_id");
  w.String(std::to_string(audience.user.value));
  w.Key("window");
  w.String(engine::WindowName(audience.window));
  w.Key("as_of");
  WriteTime(w, audience.as_of);
  w.Key("total");
  w.Int(audience.total);
  w.Key("countries");
  w.BeginArray();
  for (const engine::CountryCount& c : audience.countries) {
    w.BeginObject();
    w.Key("country");
    w.String(c.country);
    w.Key("count");
    w.Int(c.count);
    w.Key("share");
    w.Double(audience.total > 0 ? static_cast<double>(c.count) / static_cast<double>(audience.total)
                                : 0.0);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

std::string ErrorJson(const HttpError& error) {
  JsonWriter w;
  w.BeginObject();
  w.Key("error");
  w.BeginObject();
  w.Key("code");
  w.String(error.code);
  w.Key("message");
  w.String(error.message);
  if (!error.parameter.empty()) {
    w.Key("parameter");
    w.String(error.parameter);
  }
  w.EndObject();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace reach::http

namespace reach::http {
namespace {

void WriteAccount(JsonWriter& w, const engine::GraphAnswer& g, UserId id) {
  w.Key("user_id");
  w.String(std::to_string(id.value));
  auto it = g.names.find(id);
  w.Key("handle");
  w.String(it == g.names.end() ? std::string() : it->second.first);
  w.Key("pagerank");
  w.Double(it == g.names.end() ? 0.0 : it->second.second);
}

}  // namespace

std::string CommunitiesJson(const engine::GraphAnswer& g, size_t limit) {
  JsonWriter w;
  w.BeginObject();
  w.Key("nodes");
  w.Uint(g.graph->nodes);
  w.Key("edges");
  w.Uint(g.graph->edges);
  w.Key("modularity");
  w.Double(g.graph->modularity);
  w.Key("communities");
  w.BeginArray();
  for (size_t i = 0; i < g.graph->communities.size() && i < limit; ++i) {
    const engine::CommunityView& c = g.graph->communities[i];
    w.BeginObject();
    w.Key("id");
    w.Uint(c.id);
    w.Key("size");
    w.Uint(c.size);
    w.Key("density");
    w.Double(c.density);
    w.Key("internal_edges");
    w.Uint(c.internal_edges);
    w.Key("leading");
    w.BeginArray();
    for (UserId id : c.leading) {
      w.BeginObject();
      WriteAccount(w, g, id);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

std::string NetworkJson(const engine::GraphAnswer& g, size_t limit) {
  const size_t n = std::min(limit, g.graph->top.size());
  absl::flat_hash_map<UserId, size_t> kept;
  for (size_t i = 0; i < n; ++i) kept.emplace(g.graph->top[i], i);
  JsonWriter w;
  w.BeginObject();
  w.Key("nodes");
  w.BeginArray();
  for (size_t i = 0; i < n; ++i) {
    const UserId id = g.graph->top[i];
    w.BeginObject();
    WriteAccount(w, g, id);
    w.Key("community");
    auto c = g.graph->community_of.find(id);
    if (c == g.graph->community_of.end()) {
      w.Null();
    } else {
      w.Uint(c->second);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("edges");
  w.BeginArray();
  for (const engine::NetworkEdge& e : g.graph->top_edges) {
    if (!kept.contains(e.from) || !kept.contains(e.to)) continue;
    w.BeginObject();
    w.Key("from");
    w.String(std::to_string(e.from.value));
    w.Key("to");
    w.String(std::to_string(e.to.value));
    w.Key("weight");
    w.Double(e.weight);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace reach::http

namespace reach::http {
namespace {

void WriteOptionalCount(JsonWriter& w, int64_t v) {
  if (v < 0) {
    w.Null();
  } else {
    w.Int(v);
  }
}

void WriteOptionalString(JsonWriter& w, const std::string& s) {
  if (s.empty()) {
    w.Null();
  } else {
    w.String(s);
  }
}

// The metric fields shared by a cascade and its summary.
void WriteCascadeFields(JsonWriter& w, const engine::CascadeReport& r) {
  w.Key("root");
  w.String(std::to_string(r.root.value));
  w.Key("root_known");
  w.Bool(r.root_known);
  w.Key("author");
  w.BeginObject();
  w.Key("id");
  if (r.author.valid()) {
    w.String(std::to_string(r.author.value));
  } else {
    w.Null();
  }
  w.Key("handle");
  WriteOptionalString(w, r.handle);
  w.Key("followers");
  WriteOptionalCount(w, r.followers);
  w.EndObject();
  w.Key("size");
  w.Int(r.size);
  w.Key("depth");
  w.Int(r.depth);
  w.Key("max_breadth");
  w.Int(r.max_breadth);
  w.Key("structural_virality");
  w.Double(r.structural_virality);
  w.Key("t50_seconds");
  w.Double(r.t50_seconds);
  w.Key("t90_seconds");
  w.Double(r.t90_seconds);
  w.Key("started");
  WriteTime(w, r.started);
  w.Key("last_activity");
  WriteTime(w, r.last_activity);
  w.Key("methods");
  w.BeginObject();
  w.Key("exact");
  w.Int(r.methods[0]);
  w.Key("inferred_follow");
  w.Int(r.methods[1]);
  w.Key("root");
  w.Int(r.methods[2]);
  w.EndObject();
}

}  // namespace

std::string CascadeJson(const engine::CascadeReport& r) {
  JsonWriter w;
  w.BeginObject();
  WriteCascadeFields(w, r);
  w.Key("requested");
  w.String(std::to_string(r.requested.value));
  w.Key("requested_is_root");
  w.Bool(r.requested == r.root);
  w.Key("nodes");
  w.BeginArray();
  for (const engine::CascadeNode& n : r.nodes) {
    w.BeginObject();
    w.Key("post");
    w.String(std::to_string(n.post.value));
    w.Key("user");
    if (n.user.valid()) {
      w.String(std::to_string(n.user.value));
    } else {
      w.Null();
    }
    w.Key("handle");
    WriteOptionalString(w, n.handle);
    w.Key("followers");
    WriteOptionalCount(w, n.followers);
    w.Key("time");
    WriteTime(w, n.time);
    w.Key("parent");
    if (n.parent.valid()) {
      w.String(std::to_string(n.parent.value));
    } else {
      w.Null();
    }
    w.Key("method");
    if (n.method == engine::ParentMethod::kNone) {
      w.Null();
    } else {
      w.String(engine::ParentMethodName(n.method));
    }
    w.Key("depth");
    w.Int(n.depth);
    if (!n.withheld_in.empty()) {  // rare: written only for withheld posts
      w.Key("withheld_in");
      WriteStrings(w, n.withheld_in);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("truncated");
  w.Bool(r.truncated);
  w.EndObject();
  return std::move(w).Take();
}

std::string UserCascadesJson(const engine::UserCascades& c) {
  JsonWriter w;
  w.BeginObject();
  w.Key("user");
  w.String(std::to_string(c.user.value));
  w.Key("window");
  w.String(engine::WindowName(c.window));
  w.Key("as_of");
  WriteTime(w, c.as_of);
  for (const auto& [key, list] : {std::pair{"largest", &c.largest}, {"deepest", &c.deepest}}) {
    w.Key(key);
    w.BeginArray();
    for (const engine::CascadeReport& r : *list) {
      w.BeginObject();
      WriteCascadeFields(w, r);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace reach::http
