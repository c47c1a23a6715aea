#include "sim/ground_truth.h"

#include <cerrno>
#include <cstring>

#include "fmt/format.h"
#include "sim/vocabulary.h"
#include "sim/writer_jetstream.h"

namespace reach::sim {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

std::string_view KindName(model::PostKind k) {
  switch (k) {
    case model::PostKind::kOriginal:
      return "original";
    case model::PostKind::kReshare:
      return "reshare";
    case model::PostKind::kQuote:
      return "quote";
    case model::PostKind::kReply:
      return "reply";
  }
  return "original";
}

std::string_view TopicName(uint8_t t) { return Topics()[t % Topics().size()].name; }

}  // namespace

GroundTruthWriter::GroundTruthWriter(const World& world, Format ids, TruthFormat format,
                                     std::FILE* out)
    : world_(world), ids_(ids), format_(format), out_(out) {}

uint64_t GroundTruthWriter::PostIdOf(const PostRef& ref) const {
  return ids_ == Format::kTwitterV1 ? TwitterPostId(ref) : JetstreamPostId(world_, ref).value;
}

uint64_t GroundTruthWriter::UserIdOf(uint32_t user) const {
  return ids_ == Format::kTwitterV1 ? world_.TwitterId(user).value
                                    : JetstreamUserId(world_, user).value;
}

absl::Status GroundTruthWriter::Post(const SimPost& post) {
  Buffer& b = buf_;
  const PostRef& p = post.post;
  const uint64_t true_parent = post.has_parent ? PostIdOf(post.parent) : 0;
  const uint64_t shown_parent = post.has_parent ? PostIdOf(post.subject) : 0;
  if (format_ == TruthFormat::kTsv) {
    if (!post_header_) {
      Put(b,
          "#post\tpost_id\tkind\tauthor_id\ttime_us\ttrue_parent_id\tshown_parent_id\troot_id\t"
          "depth\ttopic\tsentiment\n");
      post_header_ = true;
    }
    Put(b, "post\t");
    PutUint(b, PostIdOf(p));
    PutChar(b, '\t');
    Put(b, KindName(p.kind));
    PutChar(b, '\t');
    PutUint(b, UserIdOf(p.author));
    PutChar(b, '\t');
    PutInt(b, p.time_us);
    PutChar(b, '\t');
    PutUint(b, true_parent);
    PutChar(b, '\t');
    PutUint(b, shown_parent);
    PutChar(b, '\t');
    PutUint(b, PostIdOf(post.root));
    PutChar(b, '\t');
    PutUint(b, p.depth);
    PutChar(b, '\t');
    Put(b, TopicName(p.topic));
    PutChar(b, '\t');
    PutInt(b, p.sentiment);
    PutChar(b, '\n');
    return MaybeFlush();
  }
  Put(b, "{\"type\":\"post\",\"post_id\":");
  PutUint(b, PostIdOf(p));
  Put(b, ",\"kind\":\"");
  Put(b, KindName(p.kind));
  Put(b, "\",\"author_id\":");
  PutUint(b, UserIdOf(p.author));
  Put(b, ",\"time_us\":");
  PutInt(b, p.time_us);
  Put(b, ",\"true_parent_id\":");
  if (post.has_parent) {
    PutUint(b, true_parent);
  } else {
    Put(b, "null");
  }
  Put(b, ",\"shown_parent_id\":");
  if (post.has_parent) {
    PutUint(b, shown_parent);
  } else {
    Put(b, "null");
  }
  Put(b, ",\"root_id\":");
  PutUint(b, PostIdOf(post.root));
  Put(b, ",\"depth\":");
  PutUint(b, p.depth);
  Put(b, ",\"topic\":\"");
  Put(b, TopicName(p.topic));
  Put(b, "\",\"sentiment\":");
  PutInt(b, p.sentiment);
  if (ids_ == Format::kJetstream) {
    UriBuffer uri;
    Put(b, ",\"uri\":");
    PutString(b, JetstreamPostUri(world_, p, uri));
  }
  Put(b, "}\n");
  return MaybeFlush();
}

absl::Status GroundTruthWriter::Users(std::span<const double> expected_spread) {
  Buffer& b = buf_;
  NameBuffer name;
  if (format_ == TruthFormat::kTsv) {
    Put(b,
        "#user\tuser_id\thandle\tfollowers\tfollowing\tcountry\ttopic\tverified\t"
        "expected_spread\n");
  }
  for (uint32_t u = 0; u < world_.size(); ++u) {
    const bool tsv = format_ == TruthFormat::kTsv;
    Put(b, tsv ? "user\t" : "{\"type\":\"user\",\"user_id\":");
    PutUint(b, UserIdOf(u));
    Put(b, tsv ? "\t" : ",\"handle\":\"");
    Put(b, world_.ScreenName(u, name));
    if (ids_ == Format::kJetstream) Put(b, ".bsky.social");
    Put(b, tsv ? "\t" : "\",\"followers\":");
    PutUint(b, world_.FollowerCount(u));
    Put(b, tsv ? "\t" : ",\"following\":");
    PutUint(b, world_.FollowingCount(u));
    Put(b, tsv ? "\t" : ",\"country\":\"");
    Put(b, world_.Home(u).country_code);
    Put(b, tsv ? "\t" : "\",\"topic\":\"");
    Put(b, TopicName(world_.Topic(u)));
    Put(b, tsv ? "\t" : "\",\"verified\":");
    Put(b, world_.Verified(u) ? "true" : "false");
    if (!tsv && ids_ == Format::kJetstream) {
      Put(b, ",\"did\":\"");
      Put(b, world_.Did(u, name));
      PutChar(b, '"');
    }
    if (tsv) PutChar(b, '\t');
    if (u < expected_spread.size()) {
      if (!tsv) Put(b, ",\"expected_spread\":");
      fmt::format_to(std::back_inserter(b), "{:.4f}", expected_spread[u]);
    }
    Put(b, tsv ? "\n" : "}\n");
    REACH_RETURN_IF_ERROR(MaybeFlush());
  }
  return absl::OkStatus();
}

absl::Status GroundTruthWriter::MaybeFlush() {
  return buf_.size() >= kFlushBytes ? Flush() : absl::OkStatus();
}

absl::Status GroundTruthWriter::Flush() {
  if (buf_.size() > 0 && std::fwrite(buf_.data(), 1, buf_.size(), out_) != buf_.size()) {
    return absl::InternalError(fmt::format("ground truth: write failed: {}", std::strerror(errno)));
  }
  buf_.clear();
  if (std::fflush(out_) != 0) {
    return absl::InternalError(fmt::format("ground truth: flush failed: {}", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace reach::sim
