// SeismicDecoder ("seismic"): retweet cascades in the SEISMIC format (Zhao et al., KDD 2015) as
// shipped by TiDeH, one cascade per file:
//
//   <retweets N> <start time of the tweet in days>      header
//   <seconds after the tweet> <followers of the (re)tweeting account>   N + 1 rows, the tweet first
//
// The data names neither accounts nor paths, so every row is its own synthetic account and post:
// the first row a kOriginal, the others kReshare of it (parent_exact = false: with follow edges
// unknown the engine hangs them under the original, method "root"). Each row also yields a
// UserSnapshot carrying the follower count. Platform::kDataset.
//
// Stateful: the header says how many rows follow, and the next line after them is the next
// cascade's header (a directory of such files reads as one stream, files in name order). A line
// whose second field is not an integer while rows are expected is taken as the next header (the
// previous file was shorter than its header said).
//
// Ids: cascade k (1-based, in input order) row r gets post and user id 2^62 + k·2^24 + r + 1.
// Times: 2011-10-07T00:00:00Z (the start of the SEISMIC collection) + days·86400 + seconds.
//
// Rejections (*out unchanged): kMissingField (not two fields), kWrongType (a count, follower
// number or time that is not a non-negative decimal), kTooLarge (N of 2^24 − 2 or more).
// Times in hours (TiDeH's example/sample_file.txt) are not recognised: pass seconds.
#ifndef REACH_INGEST_SEISMIC_DECODER_H_
#define REACH_INGEST_SEISMIC_DECODER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"

namespace reach::ingest {

class SeismicDecoder final : public Decoder {
 public:
  static constexpr std::string_view kFormat = "seismic";
  static constexpr int64_t kEpochSeconds = 1'317'945'600;  // 2011-10-07T00:00:00Z

  [[nodiscard]] std::string_view format() const override { return kFormat; }
  DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) override;

  static uint64_t NodeId(uint64_t cascade, uint64_t row) {
    return (uint64_t{1} << 62) + (cascade << 24) + row + 1;
  }

 private:
  uint64_t cascade_ = 0;    // cascades begun so far
  uint64_t remaining_ = 0;  // rows still expected in the current cascade
  uint64_t row_ = 0;        // rows read in the current cascade
  EventTime start_;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_SEISMIC_DECODER_H_
