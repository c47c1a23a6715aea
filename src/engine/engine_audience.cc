// Engine::RefreshAudience: HyperLogLog sketches cannot forget an engager, so when a delete (or a
// cascade re-placement) withdraws engagements, the affected users' audience sketches are rebuilt
// from the engagements that are still live: every post's engagement journal, reply credit and the
// likes received. One pass over the posts, made only when some audience is stale and at most every
// 2 s (or 4 times the last pass's duration, so it takes at most a fifth of the writer's time).
#include <algorithm>

#include "engine/engine.h"

namespace reach::engine {

bool Engine::AudienceRebuildDue(EventTime now) const {
  return counters_.audience_stale() &&
         (!audience_rebuilt_.known() ||
          now - audience_rebuilt_ >= std::max(Duration::Seconds(2), audience_rebuild_cost_ * 4));
}

void Engine::RefreshAudience(EventTime now) {
  if (!counters_.audience_stale()) return;
  if (!force_refresh_ && !AudienceRebuildDue(now)) return;
  const EventTime started = wall_clock_.Now();
  const absl::flat_hash_set<UserId> stale = counters_.TakeStaleAudience();
  for (UserId user : stale) counters_.ClearAudience(user);
  auto offer = [&](const Contribution& c) {
    if (stale.contains(c.user)) counters_.AddAudience(c);
  };
  for (const auto& [id, post] : posts_) {
    for (const Contribution& c : post.engagement) offer(c);
    if (post.reply_credit) offer(*post.reply_credit);
  }
  for (const auto& [id, journal] : received_likes_) {
    for (const Contribution& c : journal) offer(c);
  }
  counters_.FinishAudienceRebuild(stale);
  audience_rebuilt_ = now;
  audience_rebuild_cost_ = wall_clock_.Now() - started;
}

}  // namespace reach::engine
