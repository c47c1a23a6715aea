#include "cli/sim_source.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <limits>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/bounded_queue.h"

namespace reach::cli {
namespace {

// At most kQueuedChunks x kMaxChunkLines lines (about 2 KB each) wait for the decoder: ~8 MB.
constexpr size_t kQueuedChunks = 16;
constexpr size_t kMaxChunkLines = 256;

// Lines of the simulator, concatenated; ends[i] is one past line i.
struct Chunk {
  std::string text;
  std::vector<uint32_t> ends;
};

absl::Status BadKey(std::string_view key, std::string_view value, std::string_view rule) {
  return absl::InvalidArgumentError(
      fmt::format("--source sim: {}={} is not valid: {}", key, value, rule));
}

template <class T>
bool ParseNumber(std::string_view text, T* out) {
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && p == end && !text.empty();
}

class SimLineReader final : public ingest::LineReader {
 public:
  SimLineReader(sim::SimOptions options, std::FILE* truth)
      : options_(std::move(options)), truth_(truth), queue_(kQueuedChunks) {
    const double rate = options_.rate;
    // Paced: a chunk spans about a millisecond of lines, so batching adds no visible delay.
    chunk_lines_ = rate > 0
                       ? std::clamp<size_t>(static_cast<size_t>(rate / 1000), 1, kMaxChunkLines)
                       : kMaxChunkLines;
    thread_ = std::thread([this] { Produce(); });
  }

  ~SimLineReader() override {
    stop_.store(true);
    queue_.Close();
    thread_.join();
  }

  absl::StatusOr<bool> Next(ingest::Line* line) override {
    while (!current_ || next_ >= current_->ends.size()) {
      current_.reset();
      next_ = 0;
      if (std::optional<Chunk> c = queue_.PopFor(std::chrono::milliseconds(100))) {
        current_ = std::move(*c);
      } else if (queue_.drained()) {
        if (!status_.ok()) return status_;
        return false;
      }
    }
    const uint32_t begin = next_ == 0 ? 0 : current_->ends[next_ - 1];
    const uint32_t end = current_->ends[next_];
    ++next_;
    line->text = std::string_view(current_->text).substr(begin, end - begin);
    line->position.source = "sim";
    line->position.line = ++lines_;
    line->position.offset = bytes_;
    line->too_long = false;
    line->length = end - begin;
    bytes_ += line->length + 1;
    return true;
  }

  [[nodiscard]] uint64_t bytes_read() const override { return bytes_; }
  [[nodiscard]] uint64_t bytes_total() const override { return 0; }
  [[nodiscard]] bool HasBufferedLine() const override {
    return current_ && next_ < current_->ends.size();
  }

 private:
  void Produce() {
    Chunk chunk;
    auto push = [this, &chunk] {
      if (chunk.ends.empty()) return;
      if (!queue_.Push(chunk)) stop_.store(true);  // the reader is gone
      chunk = Chunk();
    };
    const std::function<void(std::string_view)> sink = [&](std::string_view text) {
      chunk.text.append(text);
      chunk.ends.push_back(static_cast<uint32_t>(chunk.text.size()));
      if (chunk.ends.size() >= chunk_lines_) push();
    };
    absl::Status st = sim::Simulate(options_, sink, truth_, &stop_);
    push();
    if (truth_ != nullptr && std::fclose(truth_) != 0 && st.ok()) {
      st = absl::InternalError("--source sim: cannot write the ground-truth file");
    }
    status_ = std::move(st);  // published to the reader by Close (the queue's mutex)
    queue_.Close();
  }

  const sim::SimOptions options_;
  std::FILE* truth_;
  size_t chunk_lines_ = kMaxChunkLines;
  std::atomic<bool> stop_{false};
  BoundedQueue<Chunk> queue_;
  absl::Status status_;
  std::thread thread_;
  // Reader side.
  std::optional<Chunk> current_;
  size_t next_ = 0;
  uint64_t lines_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace

bool IsSimSource(std::string_view source) { return source == "sim" || source.starts_with("sim:"); }

absl::StatusOr<SimSourceSpec> ParseSimSource(std::string_view source, int64_t now_s) {
  if (!IsSimSource(source)) {
    return absl::InvalidArgumentError(fmt::format("not a simulated source: {}", source));
  }
  SimSourceSpec spec;
  sim::SimOptions& o = spec.options;
  o.users = 50'000;
  o.posts = std::numeric_limits<uint64_t>::max();
  o.rate = 2000;
  bool start_now = true;
  bool root_rate_set = false;
  std::string_view rest = source.size() > 3 ? source.substr(4) : std::string_view();
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return absl::InvalidArgumentError(
          fmt::format("--source sim: expected key=value, got '{}'", item));
    }
    const std::string_view key = item.substr(0, eq);
    std::string_view value = item.substr(eq + 1);
    if (key == "seed") {
      if (!ParseNumber(value, &o.seed)) return BadKey(key, value, "an unsigned integer");
    } else if (key == "users") {
      if (!ParseNumber(value, &o.users)) return BadKey(key, value, "an unsigned integer");
    } else if (key == "posts") {
      if (!ParseNumber(value, &o.posts)) return BadKey(key, value, "an unsigned integer");
      if (o.posts == 0) o.posts = std::numeric_limits<uint64_t>::max();
    } else if (key == "rate") {
      if (value.ends_with("/s")) value.remove_suffix(2);
      if (!ParseNumber(value, &o.rate) || !(o.rate >= 0)) {
        return BadKey(key, value, "lines per second, e.g. 2000/s (0 = as fast as possible)");
      }
    } else if (key == "follow_degree") {
      if (!ParseNumber(value, &o.follow_degree)) return BadKey(key, value, "a number");
    } else if (key == "root_rate") {
      if (!ParseNumber(value, &o.root_rate)) return BadKey(key, value, "a number");
      root_rate_set = true;
    } else if (key == "start") {
      if (value == "now") {
        start_now = true;
      } else if (ParseNumber(value, &o.start_time_s)) {
        start_now = false;
      } else {
        return BadKey(key, value, "now or Unix seconds");
      }
    } else if (key == "format") {
      if (value == "twitter-v1" || value == "v1") {
        o.format = sim::Format::kTwitterV1;
      } else if (value == "jetstream" || value == "bluesky-jetstream") {
        o.format = sim::Format::kJetstream;
      } else {
        return BadKey(key, value, "twitter-v1 or jetstream");
      }
    } else if (key == "truth") {
      spec.truth_path = std::string(value);
    } else if (key == "monte_carlo") {
      if (!ParseNumber(value, &o.monte_carlo_runs)) return BadKey(key, value, "an integer");
    } else {
      return absl::InvalidArgumentError(fmt::format(
          "--source sim: unknown key '{}' (seed, users, posts, rate, follow_degree, root_rate, "
          "start, format, truth, monte_carlo)",
          key));
    }
  }
  if (start_now) {
    o.start_time_s = now_s;
    // Simulated time at about wall-clock speed: ~1.7 lines per original in the default model.
    if (!root_rate_set && o.rate > 0) o.root_rate = o.rate / 1.7;
  }
  REACH_RETURN_IF_ERROR(sim::ValidateSimOptions(o));
  return spec;
}

absl::StatusOr<std::unique_ptr<ingest::LineReader>> OpenSimSource(const SimSourceSpec& spec) {
  REACH_RETURN_IF_ERROR(sim::ValidateSimOptions(spec.options));
  std::FILE* truth = nullptr;
  if (!spec.truth_path.empty()) {
    truth = std::fopen(spec.truth_path.c_str(), "w");
    if (truth == nullptr) {
      return absl::NotFoundError(fmt::format("--source sim: cannot write {}", spec.truth_path));
    }
  }
  return std::unique_ptr<ingest::LineReader>(std::make_unique<SimLineReader>(spec.options, truth));
}

}  // namespace reach::cli
