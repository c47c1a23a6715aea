// MinimalV1Tweet: the smallest Twitter v1.1 tweet the decoder accepts (id, time, text, a user),
// for tests of the ingest path around the decoder.
#ifndef REACH_TESTS_SUPPORT_V1_TWEET_H_
#define REACH_TESTS_SUPPORT_V1_TWEET_H_

#include <cstdint>
#include <string>

namespace reach {

// Tweet `id` by user 7, with `timestamp_ms` as its event time.
inline std::string MinimalV1Tweet(int64_t id, int64_t timestamp_ms) {
  return R"({"created_at":"Mon Jan 02 03:04:05 +0000 2017","id_str":")" + std::to_string(id) +
         R"(","text":"hi","timestamp_ms":")" + std::to_string(timestamp_ms) +
         R"(","user":{"id_str":"7","screen_name":"u"}})";
}

}  // namespace reach

#endif  // REACH_TESTS_SUPPORT_V1_TWEET_H_
