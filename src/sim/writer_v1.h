// TwitterV1Writer: renders simulated posts as Twitter API v1.1 streaming JSON, one object per
// line, shaped as the real API shapes it: created_at ("Thu Nov 08 02:31:41 +0000 2012"), id and
// id_str, text, source, in_reply_to_*, user{id, id_str, screen_name, name, location,
// followers_count, friends_count, statuses_count, verified, created_at, ...},
// entities{hashtags, urls, user_mentions, symbols} with code-point indices, lang, counters,
// timestamp_ms, and place (with country_code) / coordinates on some posts. A reshare is a retweet
// ("RT @author: text") embedding the original as retweeted_status (a retweet of a retweet embeds
// the original, as the platform does, so the true parent is not visible); a quote embeds
// quoted_status; a reply sets in_reply_to_status_id. v1.1 has no like events: likes show as the
// favorite_count of embedded originals, growing over time.
//
// Not thread-safe (reuses scratch buffers; no allocation per post once warm). The World must
// outlive the writer.
#ifndef REACH_SIM_WRITER_V1_H_
#define REACH_SIM_WRITER_V1_H_

#include <cstdint>
#include <vector>

#include "sim/generator.h"
#include "sim/json_out.h"
#include "sim/text.h"
#include "sim/world.h"

namespace reach::sim {

struct GeoOptions {
  double place_share = 0.05;        // posts by users with a real location that carry a place
  double coordinates_share = 0.01;  // posts that also carry exact coordinates
};

class TwitterV1Writer {
 public:
  TwitterV1Writer(const World& world, const GeoOptions& geo);

  // Appends the post as one JSON object, without a trailing newline.
  void Write(const SimPost& post, Buffer* out);

 private:
  void WriteStatus(const PostRef& self, const PostRef* shown, const PostRef* shown_quoted,
                   bool top_level, int nesting, Buffer& b);
  void WriteUser(uint32_t u, Buffer& b);
  // The displayed text of an original, quote (with its permalink) or reply, into *c.
  void BuildText(const PostRef& ref, const PostRef* reply_to, Content* c);
  // entities{...}; `shift` moves every index, prefix_mention_user (if not UINT32_MAX) is a
  // mention at [3, 4 + its length) as in "RT @name: ".
  void WriteEntities(const Content& content, uint32_t shift, uint32_t prefix_mention_user,
                     Buffer& b);
  void WritePlace(const PostRef& ref, Buffer& b);

  const World& world_;
  GeoOptions geo_;
  std::vector<uint32_t> posts_made_;  // per user, during the simulation
  Content content_[3];                // one per nesting level
  std::string scratch_;
};

}  // namespace reach::sim

#endif  // REACH_SIM_WRITER_V1_H_
