#include "sim/simulate.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <thread>

#include "fmt/format.h"
#include "sim/generator.h"
#include "sim/json_out.h"
#include "sim/spread.h"
#include "sim/world.h"
#include "sim/writer_jetstream.h"
#include "sim/writer_v1.h"

namespace reach::sim {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

// Where lines go. A writer appends one line to Begin() and then calls End().
class LineOutput {
 public:
  virtual ~LineOutput() = default;
  Buffer& Begin() {
    line_start_ = buf_.size();
    return buf_;
  }
  [[nodiscard]] size_t LineSize() const { return buf_.size() - line_start_; }
  virtual absl::Status End() = 0;
  virtual absl::Status Flush() = 0;

 protected:
  Buffer buf_;
  size_t line_start_ = 0;
};

// Lines accumulate in one buffer that is written out a megabyte at a time.
class FileOutput final : public LineOutput {
 public:
  explicit FileOutput(std::FILE* file) : file_(file) {}
  absl::Status End() override {
    buf_.push_back('\n');
    return buf_.size() >= kFlushBytes ? Write() : absl::OkStatus();
  }
  absl::Status Flush() override {
    REACH_RETURN_IF_ERROR(Write());
    if (std::fflush(file_) != 0) {
      return absl::InternalError(fmt::format("output: flush failed: {}", std::strerror(errno)));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Write() {
    if (buf_.size() > 0 && std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) {
      return absl::InternalError(fmt::format("output: write failed: {}", std::strerror(errno)));
    }
    buf_.clear();
    return absl::OkStatus();
  }

  std::FILE* file_;
};

class SinkOutput final : public LineOutput {
 public:
  explicit SinkOutput(const std::function<void(std::string_view)>& sink) : sink_(sink) {}
  absl::Status End() override {
    sink_(std::string_view(buf_.data(), buf_.size()));
    buf_.clear();
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }

 private:
  const std::function<void(std::string_view)>& sink_;
};

// Holds line k back until start + k / rate on the clock.
class Pacer {
 public:
  Pacer(double rate, const Clock* clock, const std::function<void(Duration)>& sleep)
      : rate_(rate), clock_(clock != nullptr ? clock : &SystemClock::Get()), sleep_(sleep) {}

  absl::Status Wait(uint64_t line, LineOutput& out) {
    if (rate_ <= 0) return absl::OkStatus();
    const EventTime now = clock_->Now();
    if (line == 0) start_ = now;
    const EventTime due =
        start_ + Duration::Micros(static_cast<int64_t>(static_cast<double>(line) * 1e6 / rate_));
    if (now >= due) return absl::OkStatus();
    REACH_RETURN_IF_ERROR(out.Flush());  // what is due now must not wait in a buffer
    if (sleep_) {
      sleep_(due - now);
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds((due - now).micros));
    }
    return absl::OkStatus();
  }

 private:
  double rate_;
  const Clock* clock_;
  const std::function<void(Duration)>& sleep_;
  EventTime start_;
};

absl::Status Bad(std::string_view option, std::string_view rule, double got) {
  return absl::InvalidArgumentError(fmt::format("{}: must be {} (got {})", option, rule, got));
}

bool InUnit(double v) { return v >= 0 && v <= 1; }  // false for NaN

WorldOptions WorldOptionsOf(const SimOptions& o) {
  WorldOptions wo;
  wo.seed = o.seed;
  wo.users = o.users;
  wo.follow_degree = o.follow_degree;
  wo.popularity_exponent = o.popularity_exponent;
  wo.geo_affinity = o.geo_affinity;
  wo.topic_affinity = o.topic_affinity;
  wo.start_time_s = o.start_time_s;
  return wo;
}

absl::Status Run(const SimOptions& o, LineOutput& out, std::FILE* truth_file,
                 const std::atomic<bool>* stop, SimStats* stats_out) {
  REACH_RETURN_IF_ERROR(ValidateSimOptions(o));
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<World> world, World::Build(WorldOptionsOf(o)));

  StreamOptions so;
  so.seed = o.seed;
  so.posts = o.posts;
  so.model.reshare_prob = o.reshare_prob;
  so.model.appeal_sigma = o.appeal_sigma;
  so.model.max_appeal = o.max_appeal;
  so.quote_share = o.quote_share;
  so.reply_prob = o.reply_prob;
  so.like_prob = o.like_prob;
  so.root_rate = o.root_rate;
  so.reaction_delay_s = o.reaction_delay_s;
  so.start_time_s = o.start_time_s;
  Generator generator(*world, so);

  TwitterV1Writer v1(*world, GeoOptions{o.place_share, o.coordinates_share});
  JetstreamWriter jetstream(*world);
  std::unique_ptr<GroundTruthWriter> truth;
  if (truth_file != nullptr) {
    truth = std::make_unique<GroundTruthWriter>(*world, o.format, o.truth_format, truth_file);
  }
  Pacer pacer(o.rate, o.clock, o.sleep);
  SimStats stats;
  stats.follow_edges = world->edge_count();
  // Each line: wait for its time, append it, end it.
  auto begin = [&]() -> absl::StatusOr<Buffer*> {
    REACH_RETURN_IF_ERROR(pacer.Wait(stats.lines, out));
    return &out.Begin();
  };
  auto end = [&]() -> absl::Status {
    ++stats.lines;
    stats.bytes += out.LineSize() + 1;
    return out.End();
  };
  auto stopped = [&] {
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) stats.stopped = true;
    return stats.stopped;
  };

  if (o.format == Format::kJetstream && o.follows) {
    // The graph as it stands when the stream starts: one event per edge, a microsecond apart.
    const int64_t first_us =
        o.start_time_s * 1'000'000 - static_cast<int64_t>(world->edge_count()) - 1;
    uint64_t k = 0;
    for (uint32_t v = 0; v < world->size() && !stopped(); ++v) {
      for (uint32_t u : world->Followers(v)) {
        REACH_ASSIGN_OR_RETURN(Buffer * line, begin());
        jetstream.WriteFollow(u, v, first_us + static_cast<int64_t>(k), k, line);
        ++k;
        ++stats.follows;
        REACH_RETURN_IF_ERROR(end());
      }
    }
  }

  SimEvent event;
  while (!stopped() && generator.Next(&event)) {
    if (event.type == SimEvent::Type::kPost) {
      REACH_ASSIGN_OR_RETURN(Buffer * line, begin());
      if (o.format == Format::kTwitterV1) {
        v1.Write(event.post, line);
      } else {
        jetstream.WritePost(event.post, line);
      }
      REACH_RETURN_IF_ERROR(end());
      if (truth) REACH_RETURN_IF_ERROR(truth->Post(event.post));
    } else if (o.format == Format::kJetstream && o.likes) {
      REACH_ASSIGN_OR_RETURN(Buffer * line, begin());
      jetstream.WriteLike(event.like, line);
      REACH_RETURN_IF_ERROR(end());
    }
  }
  REACH_RETURN_IF_ERROR(out.Flush());

  if (truth) {
    std::vector<double> spread;
    if (o.monte_carlo_runs > 0 && !stats.stopped) {
      spread = ExpectedSpread(*world, so.model, o.monte_carlo_runs, o.seed, stop);
    }
    REACH_RETURN_IF_ERROR(truth->Users(spread));
    REACH_RETURN_IF_ERROR(truth->Flush());
  }

  const GeneratorStats& g = generator.stats();
  stats.posts = g.posts();
  stats.originals = g.originals;
  stats.reshares = g.reshares;
  stats.quotes = g.quotes;
  stats.replies = g.replies;
  stats.likes = g.likes;
  stats.max_depth = g.max_depth;
  stats.peak_pending = g.peak_pending;
  if (stats_out != nullptr) *stats_out = stats;
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSimOptions(const SimOptions& o) {
  if (o.users < 2 || o.users > 2'147'483'647) {
    return Bad("users", "between 2 and 2147483647", static_cast<double>(o.users));
  }
  if (!(o.follow_degree >= 1 && o.follow_degree <= 100'000)) {
    return Bad("follow_degree", "between 1 and 100000", o.follow_degree);
  }
  if (!(o.popularity_exponent >= 0.5 && o.popularity_exponent <= 10)) {
    return Bad("popularity_exponent", "between 0.5 and 10", o.popularity_exponent);
  }
  if (!InUnit(o.geo_affinity)) return Bad("geo_affinity", "in [0, 1]", o.geo_affinity);
  if (!InUnit(o.topic_affinity)) return Bad("topic_affinity", "in [0, 1]", o.topic_affinity);
  if (o.geo_affinity + o.topic_affinity > 1) {
    return Bad("topic_affinity", "at most 1 - geo_affinity", o.topic_affinity);
  }
  if (!InUnit(o.reshare_prob)) return Bad("reshare_prob", "in [0, 1]", o.reshare_prob);
  if (!(o.appeal_sigma >= 0 && o.appeal_sigma <= 5)) {
    return Bad("appeal_sigma", "between 0 and 5", o.appeal_sigma);
  }
  if (!(o.max_appeal >= 1 && o.max_appeal <= 100)) {
    return Bad("max_appeal", "between 1 and 100", o.max_appeal);
  }
  if (!InUnit(o.quote_share)) return Bad("quote_share", "in [0, 1]", o.quote_share);
  if (!InUnit(o.reply_prob)) return Bad("reply_prob", "in [0, 1]", o.reply_prob);
  if (!InUnit(o.like_prob)) return Bad("like_prob", "in [0, 1]", o.like_prob);
  if (!(o.root_rate > 0 && o.root_rate <= 1e7)) {
    return Bad("root_rate", "above 0 and at most 1e7 per second", o.root_rate);
  }
  if (!(o.reaction_delay_s > 0 && o.reaction_delay_s <= 1e7)) {
    return Bad("reaction_delay_s", "above 0 and at most 1e7 seconds", o.reaction_delay_s);
  }
  // Twitter ids are snowflakes of milliseconds since 2010-11-04; keep them positive and sane.
  if (o.start_time_s < 1'288'834'975 || o.start_time_s > 4'102'444'800) {
    return Bad("start_time_s", "between 1288834975 (2010-11-04) and 4102444800 (2100-01-01)",
               static_cast<double>(o.start_time_s));
  }
  if (!InUnit(o.place_share)) return Bad("place_share", "in [0, 1]", o.place_share);
  if (!InUnit(o.coordinates_share) || o.coordinates_share > o.place_share) {
    return Bad("coordinates_share", "in [0, place_share]", o.coordinates_share);
  }
  if (!(o.rate >= 0 && std::isfinite(o.rate))) {
    return Bad("rate", "a finite number of lines per second >= 0 (0 = as fast as possible)",
               o.rate);
  }
  if (o.monte_carlo_runs > 1'000'000) {
    return Bad("monte_carlo_runs", "at most 1000000", static_cast<double>(o.monte_carlo_runs));
  }
  if (o.follows && o.format != Format::kJetstream) {
    return absl::InvalidArgumentError(
        "follows: only the Jetstream format has follow events (Twitter v1.1 has none)");
  }
  return absl::OkStatus();
}

absl::Status Simulate(const SimOptions& options, std::FILE* out, std::FILE* truth,
                      const std::atomic<bool>* stop, SimStats* stats) {
  if (out == nullptr) return absl::InvalidArgumentError("output: no file");
  FileOutput output(out);
  return Run(options, output, truth, stop, stats);
}

absl::Status Simulate(const SimOptions& options,
                      const std::function<void(std::string_view line)>& sink, std::FILE* truth,
                      const std::atomic<bool>* stop, SimStats* stats) {
  if (!sink) return absl::InvalidArgumentError("output: no sink");
  SinkOutput output(sink);
  return Run(options, output, truth, stop, stats);
}

absl::Status WriteFollowEdges(const SimOptions& options, std::FILE* out) {
  REACH_RETURN_IF_ERROR(ValidateSimOptions(options));
  if (out == nullptr) return absl::InvalidArgumentError("follow edges: no file");
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<World> world, World::Build(WorldOptionsOf(options)));
  const bool twitter = options.format == Format::kTwitterV1;
  auto id_of = [&](uint32_t u) {
    return twitter ? world->TwitterId(u).value : JetstreamUserId(*world, u).value;
  };
  FileOutput output(out);
  for (uint32_t v = 0; v < world->size(); ++v) {
    const uint64_t followee = id_of(v);
    for (uint32_t u : world->Followers(v)) {
      Buffer& b = output.Begin();
      PutUint(b, id_of(u));
      PutChar(b, ' ');
      PutUint(b, followee);
      REACH_RETURN_IF_ERROR(output.End());
    }
  }
  return output.Flush();
}

}  // namespace reach::sim
