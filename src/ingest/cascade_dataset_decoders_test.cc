// Cascade datasets: Weibo retweet paths (weibo-cascades) and SEISMIC retweet times (seismic).
#include <gtest/gtest.h>

#include "ingest/decoder.h"
#include "ingest/seismic_decoder.h"
#include "ingest/weibo_cascade_decoder.h"

namespace reach::ingest {
namespace {

const model::Post& PostAt(const std::vector<model::Event>& ev, size_t i) {
  return std::get<model::Post>(ev[i]);
}

TEST(WeiboCascadeDecoderTest, PathsGiveExactParents) {
  WeiboCascadeDecoder d;
  std::vector<model::Event> ev;
  // Positions: 0 root, 1 via 7 (whose path is at 4), 2 direct, 3 duplicate path of 4 (later),
  // 4 "1/7", 5 via a node the data skipped (1/8), 6 by the root user of the root.
  const std::string line =
      "5\t1\t1464739200\t7\t1:0 1/7/9:300 1/2:10 1/7:250 1/7:200 1/8/3:50 1/1:5";
  DecodeResult r = d.Decode(line, &ev);
  ASSERT_TRUE(r.accepted) << r.detail;
  ASSERT_EQ(ev.size(), 7u);
  const model::Post& root = PostAt(ev, 0);
  EXPECT_EQ(root.id, WeiboCascadeDecoder::NodeId(5, 0));
  EXPECT_EQ(root.kind, model::PostKind::kOriginal);
  EXPECT_EQ(root.author, UserId{1});
  EXPECT_EQ(root.time, EventTime::FromSeconds(1464739200));
  auto find = [&](uint64_t pos) -> const model::Post& {
    for (const auto& e : ev) {
      if (std::get<model::Post>(e).id == WeiboCascadeDecoder::NodeId(5, pos)) {
        return std::get<model::Post>(e);
      }
    }
    ADD_FAILURE() << "no post at " << pos;
    return root;
  };
  EXPECT_EQ(find(1).parent, WeiboCascadeDecoder::NodeId(5, 4));  // earliest "1/7" (200 s)
  EXPECT_EQ(find(1).author, UserId{9});
  EXPECT_EQ(find(1).parent_author, UserId{7});
  EXPECT_TRUE(find(1).parent_exact);
  EXPECT_EQ(find(1).kind, model::PostKind::kReshare);
  EXPECT_EQ(find(1).time, EventTime::FromSeconds(1464739200 + 300));
  EXPECT_EQ(find(2).parent, root.id);
  EXPECT_EQ(find(3).parent, root.id);
  EXPECT_EQ(find(5).parent, root.id);  // "1/8" is not listed: the longest listed ancestor
  EXPECT_EQ(find(6).parent, root.id);
  EXPECT_EQ(find(6).author, UserId{1});
}

TEST(WeiboCascadeDecoderTest, BadLinesAreRejectedWithAReason) {
  WeiboCascadeDecoder d;
  std::vector<model::Event> ev;
  EXPECT_EQ(d.Decode("1\t2\t3", &ev).reason, RejectReason::kMissingField);
  EXPECT_EQ(d.Decode("x\t1\t3\t1\t1:0", &ev).reason, RejectReason::kWrongType);
  EXPECT_EQ(d.Decode("1\t0\t3\t1\t1:0", &ev).reason, RejectReason::kWrongType);
  EXPECT_EQ(d.Decode("1\t1\t-3\t1\t1:0", &ev).reason, RejectReason::kBadTimestamp);
  EXPECT_EQ(d.Decode("1\t1\t3\t1\t1:0 1/2", &ev).reason, RejectReason::kBadTimestamp);
  EXPECT_EQ(d.Decode("1\t1\t3\t1\t1:0 1/a:4", &ev).reason, RejectReason::kWrongType);
  EXPECT_EQ(d.Decode("1\t1\t3\t1\t", &ev).reason, RejectReason::kMissingField);
  EXPECT_TRUE(ev.empty());
  EXPECT_TRUE(MakeDecoder("weibo-cascades").ok());
}

TEST(SeismicDecoderTest, HeaderCountsTheRowsOfEachCascade) {
  SeismicDecoder d;
  std::vector<model::Event> ev;
  EXPECT_EQ(d.Decode("2 1.5", &ev).control, "header");
  ASSERT_TRUE(d.Decode("0 600", &ev).accepted);
  ASSERT_TRUE(d.Decode("8 151 ", &ev).accepted);
  ASSERT_TRUE(d.Decode("9 411", &ev).accepted);
  EXPECT_EQ(d.Decode("0 2.25", &ev).control, "header");  // the next file
  ASSERT_TRUE(d.Decode("4 7", &ev).accepted);
  ASSERT_EQ(ev.size(), 8u);
  const auto& u0 = std::get<model::UserSnapshot>(ev[0]);
  EXPECT_EQ(u0.followers, 600);
  const model::Post& root = PostAt(ev, 1);
  EXPECT_EQ(root.kind, model::PostKind::kOriginal);
  EXPECT_EQ(root.id.value, SeismicDecoder::NodeId(1, 0));
  const EventTime start = EventTime::FromSeconds(SeismicDecoder::kEpochSeconds + 129600);
  EXPECT_EQ(root.time, start);
  const model::Post& second = PostAt(ev, 3);
  EXPECT_EQ(second.kind, model::PostKind::kReshare);
  EXPECT_EQ(second.parent, root.id);
  EXPECT_FALSE(second.parent_exact);
  EXPECT_EQ(second.time, start + Duration::Seconds(8));
  EXPECT_EQ(PostAt(ev, 7).id.value, SeismicDecoder::NodeId(2, 0));
  EXPECT_EQ(PostAt(ev, 7).kind, model::PostKind::kOriginal);
  EXPECT_EQ(d.Decode("1 2 3", &ev).reason, RejectReason::kMissingField);
  EXPECT_EQ(d.Decode("x 2.5", &ev).reason, RejectReason::kWrongType);
}

}  // namespace
}  // namespace reach::ingest
