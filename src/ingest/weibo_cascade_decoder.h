// WeiboCascadeDecoder ("weibo-cascades"): retweet cascades with full paths, as in the Sina Weibo
// dataset of DeepHawkes (Cao et al., CIKM 2017) shipped by CasFlow. One cascade per line, fields
// separated by tabs:
//
//   cascade_id  root_user  publish_unix_time  participants  u0/u1/.../uk:seconds ...
//
// Each participant "u0/.../uk:s" is a retweet by uk, made s seconds after publication, of u(k-1)'s
// copy (the root entry is "u0:0"). Events, all Platform::kDataset and no UserSnapshot (the data
// has no profiles):
// - the root: kOriginal by root_user at publish time;
// - every other participant: kReshare with parent_exact = true, parent = the participant whose
//   path is this one's without the last user. When that path occurs more than once (a user who
//   retweeted twice by the same path) the earliest occurrence is the parent (then the first in
//   the line); when it does not occur (the data skipped a node) the longest listed ancestor path
//   is.
//
// Post ids: cascade_id · 2^24 + position in the line + 1 (the root entry is position 0), so every
// replay gives the same ids; a cascade id must be below 2^39 and a line at most 2^24 − 2
// participants. Times are publish time + seconds.
//
// Rejections (*out unchanged): kMissingField (fewer than 5 fields, an empty participant list),
// kWrongType (an id, count or path that is not decimal, an id of 0, a cascade id too large),
// kBadTimestamp (a time or offset that is not a non-negative decimal number), kTooLarge (too many
// participants). The participant count field is not checked against the list (the dataset counts
// differently in places). Stateless; O(line) plus a hash of the paths.
#ifndef REACH_INGEST_WEIBO_CASCADE_DECODER_H_
#define REACH_INGEST_WEIBO_CASCADE_DECODER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"

namespace reach::ingest {

class WeiboCascadeDecoder final : public Decoder {
 public:
  static constexpr std::string_view kFormat = "weibo-cascades";

  [[nodiscard]] std::string_view format() const override { return kFormat; }
  DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) override;

  // The id of the participant at `position` (0 = the root entry) of cascade `cascade_id`.
  static PostId NodeId(uint64_t cascade_id, uint64_t position) {
    return PostId{(cascade_id << 24) + position + 1};
  }
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_WEIBO_CASCADE_DECODER_H_
