// Metric and Contribution: the unit of change of every per-user counter.
//
// Each event the engine applies becomes a few contributions (user, metric, event time, delta): a
// reshare of Bob's post by Ann is {Ann, posts, t, +1} and {Bob, reshares, t, +1}. The engine keeps
// the contributions an event caused so that a delete can reverse exactly them. Depth is not a sum
// but a maximum: a depth contribution adds (delta = +1) or removes (delta = -1) one observation of
// the level `value`.
#ifndef REACH_ENGINE_METRIC_H_
#define REACH_ENGINE_METRIC_H_

#include <cstdint>

#include "common/ids.h"
#include "common/time.h"

namespace reach::engine {

enum class Metric : uint8_t { kPosts, kReshares, kQuotes, kReplies, kLikes, kMentions, kDepth };

struct Contribution {
  UserId user;
  Metric metric = Metric::kPosts;
  EventTime time;
  int64_t delta = 0;  // for kDepth: +1 adds an observation of `value`, -1 removes one
  int32_t value = 0;  // for kDepth: the level reached
  // For engagement credit (reshares, quotes, replies, mentions, likes): who engaged. It is also an
  // edge engager -> user of the engagement graph. 0 for a user's own counts.
  UserId from;
  // For reshares: the post reshared (its author is `user`), so that reshares per post can be
  // counted for the h-index. Invalid otherwise.
  PostId post;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_METRIC_H_
