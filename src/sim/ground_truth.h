// GroundTruthWriter: what really happened in a simulated stream, for accuracy checks — one record
// per post with its true parent (the adopter whose exposure fired), the parent the data shows, its
// cascade root and depth, topic and sentiment; then one record per user with follower and
// following counts, home country, topic and (when computed) the expected spread of a post by that
// user under the same cascade model (sim/spread.h).
//
// Ids are those the ingest side derives from the chosen wire format: Twitter ids for v1.1,
// StableHash64 of the at:// URI / DID for Jetstream (with the URI / DID alongside). Formats:
//   NDJSON: {"type":"post","post_id":..,"kind":"reshare","author_id":..,"time_us":..,
//            "true_parent_id":..|null,"shown_parent_id":..|null,"root_id":..,"depth":..,
//            "topic":"tech","sentiment":1[,"uri":"at://.."]}
//           {"type":"user","user_id":..,"handle":"..","followers":..,"following":..,
//            "country":"GB","topic":"tech","verified":false[,"did":".."][,"expected_spread":1.25]}
//   TSV:    "#post" / "#user" header lines naming the columns, then rows starting "post" / "user";
//           a missing parent is 0, a missing expected spread is empty.
//
// Output is buffered; errors writing the FILE are returned. Not thread-safe. The World must
// outlive the writer; the FILE is not owned.
#ifndef REACH_SIM_GROUND_TRUTH_H_
#define REACH_SIM_GROUND_TRUTH_H_

#include <cstdio>
#include <span>

#include "common/status.h"
#include "sim/generator.h"
#include "sim/json_out.h"
#include "sim/world.h"

namespace reach::sim {

enum class Format : uint8_t { kTwitterV1, kJetstream };
enum class TruthFormat : uint8_t { kNdjson, kTsv };

class GroundTruthWriter {
 public:
  GroundTruthWriter(const World& world, Format ids, TruthFormat format, std::FILE* out);

  absl::Status Post(const SimPost& post);
  // expected_spread is empty, or holds one value per user.
  absl::Status Users(std::span<const double> expected_spread);
  absl::Status Flush();

 private:
  uint64_t PostIdOf(const PostRef& ref) const;
  uint64_t UserIdOf(uint32_t user) const;
  absl::Status MaybeFlush();

  const World& world_;
  Format ids_;
  TruthFormat format_;
  std::FILE* out_;
  Buffer buf_;
  bool post_header_ = false;
};

}  // namespace reach::sim

#endif  // REACH_SIM_GROUND_TRUTH_H_
