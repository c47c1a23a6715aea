// EdgeListDecoder: decodes activity edge lists as SNAP publishes them ("snap-activity"), one
// interaction per line: `userA userB unix_time RT|MT|RE` (fields separated by spaces or tabs), e.g.
// the Higgs Twitter dataset's higgs-activity_time.txt. The data carries no post ids and no
// profiles, so each line becomes one synthetic post by userA (Platform::kDataset) and no
// UserSnapshot:
//
// - RT (A retweeted B): kReshare with parent = the synthetic root post of B for the UTC day of the
//   line (RootPostId), parent_author = B. One root per (B, day) groups a day's reshares of B into
//   one cascade of depth 1 (the data says who was reshared, not which post nor through whom), so
//   they credit B and cascades stay bounded by a day. The root itself is never emitted: the engine
//   holds it as a placeholder whose author is B.
// - MT (A mentioned B): kOriginal with one mention of B (no handle).
// - RE (A replied to B): kReply with in_reply_to_user = B (the replied-to post is unknown).
//
// Post ids are StableHash64("snap:A B time ACTION") over the parsed fields, so a replay yields the
// same ids and a duplicated line the same post. Time is the line's Unix time in seconds.
// Lines starting with '#' (SNAP header comments) are accepted as control "comment".
//
// Rejections (*out unchanged): kMissingField (fewer than 4 fields, or an empty line),
// kUnknownFormat (more than 4 fields, or an action other than RT, MT, RE), kWrongType (a user id
// that is not a positive decimal integer below 2^64), kBadTimestamp (a time that is not a positive
// decimal number of seconds before year 10000).
//
// Holds no state: Decode is a pure function of the line, O(line length), with a few small string
// allocations per line (the id key). One decoder per thread, as for every Decoder.
#ifndef REACH_INGEST_EDGE_LIST_DECODER_H_
#define REACH_INGEST_EDGE_LIST_DECODER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"

namespace reach::ingest {

class EdgeListDecoder final : public Decoder {
 public:
  static constexpr std::string_view kFormat = "snap-activity";
  static constexpr int64_t kSecondsPerCascade = 86400;  // one synthetic root per (B, UTC day)

  [[nodiscard]] std::string_view format() const override { return kFormat; }
  DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) override;

  // The synthetic post that reshares of `author` at `unix_seconds` hang under:
  // StableHash64("snap:root:<author>:<day>"), day = unix_seconds / kSecondsPerCascade.
  static PostId RootPostId(UserId author, int64_t unix_seconds);
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_EDGE_LIST_DECODER_H_
