#include "http/json_views.h"

namespace reach::http {
namespace {

void WriteTime(JsonWriter& w, EventTime t) {
  if (t.known()) {
    w.String(FormatIso8601(t));
  } else {
    w.Null();
  }
}

}  // namespace

void WriteInfluencerRow(JsonWriter& w, const engine::InfluencerRow& row) {
  w.BeginObject();
  w.Key("rank");
  w.Int(row.rank);
  w.Key("user_id");
  w.String(std::to_string(row.user.value));
  w.Key("handle");
  w.String(row.handle);
  w.Key("name");
  w.String(row.name);
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
  w.Key("reshares");
  w.Double(row.components.reshares);
  w.Key("likes");
  w.Double(row.components.likes);
  w.Key("followers");
  w.Double(row.components.followers);
  w.Key("depth");
  w.Double(row.components.depth);
  w.EndObject();
  w.EndObject();
}

std::string LeaderboardJson(const engine::Leaderboard& board) {
  JsonWriter w;
  w.BeginObject();
  w.Key("window");
  w.String(engine::WindowName(board.window));
  w.Key("as_of");
  WriteTime(w, board.as_of);
  w.Key("total");
  w.Int(board.total);
  w.Key("items");
  w.BeginArray();
  for (const engine::InfluencerRow& row : board.items) WriteInfluencerRow(w, row);
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
      WriteInfluencerRow(w, *row);
    } else {
      w.Null();
    }
  }
  w.EndObject();
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
