#include "ingest/posted_lines.h"

#include <chrono>
#include <utility>

#include "common/status.h"
#include "ingest/archive_log.h"

namespace reach::ingest {
namespace {

PostResult Counters(const IngestStats& stats) {
  PostResult r;
  r.records = stats.records.load(std::memory_order_relaxed);
  r.accepted = stats.accepted.load(std::memory_order_relaxed);
  r.already_archived = stats.already_logged.load(std::memory_order_relaxed);
  for (int i = 0; i < kRejectReasonCount; ++i) {
    r.rejected_by_reason[i] = stats.rejected[i].load(std::memory_order_relaxed);
  }
  return r;
}

}  // namespace

PostedLines::PostedLines(size_t max_pending_bytes) : max_pending_bytes_(max_pending_bytes) {}

PostedLines::~PostedLines() { Close(); }

absl::StatusOr<std::future<PostResult>> PostedLines::Post(std::string body) {
  auto item = std::make_unique<Body>();
  std::future<PostResult> done = item->done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return absl::UnavailableError("ingest is shutting down");
    if (pending_bytes_ + body.size() > max_pending_bytes_ && !queue_.empty()) {
      return absl::ResourceExhaustedError("too many posted bodies are waiting; retry later");
    }
    pending_bytes_ += body.size();
    item->text = std::move(body);
    queue_.push_back(std::move(item));
  }
  cv_.notify_all();
  return done;
}

void PostedLines::Close() {
  std::deque<std::unique_ptr<Body>> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    left.swap(queue_);
    pending_bytes_ = 0;
  }
  for (auto& body : left) {
    PostResult r;
    r.status = absl::UnavailableError("ingest stopped before the body was read");
    body->done.set_value(r);
  }
  cv_.notify_all();
}

size_t PostedLines::pending_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_bytes_;
}

std::unique_ptr<PostedLines::Body> PostedLines::Take(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (queue_.empty() && wait.count() > 0) {
    cv_.wait_for(lock, wait, [this] { return !queue_.empty() || closed_; });
  }
  if (queue_.empty()) return nullptr;
  std::unique_ptr<Body> body = std::move(queue_.front());
  queue_.pop_front();
  pending_bytes_ -= body->text.size();
  return body;
}

MergedLineReader::MergedLineReader(std::unique_ptr<LineReader> source, PostedLines& posted,
                                   const IngestStats& stats, const std::atomic<bool>& stop)
    : source_(std::move(source)),
      posted_(posted),
      stats_(stats),
      stop_(stop),
      source_done_(source_ == nullptr) {}

MergedLineReader::~MergedLineReader() {
  if (body_) {
    PostResult r;
    r.status = absl::UnavailableError("ingest stopped while reading the body");
    body_->done.set_value(r);
  }
}

void MergedLineReader::StartBody(std::unique_ptr<PostedLines::Body> body) {
  body_ = std::move(body);
  pos_ = 0;
  line_no_ = 0;
  before_ = Counters(stats_);
  posted_bytes_ += body_->text.size();
}

void MergedLineReader::FinishBody() {
  PostResult now = Counters(stats_);
  PostResult r;
  r.records = now.records - before_.records;
  r.accepted = now.accepted - before_.accepted;
  r.already_archived = now.already_archived - before_.already_archived;
  for (int i = 0; i < kRejectReasonCount; ++i) {
    r.rejected_by_reason[i] = now.rejected_by_reason[i] - before_.rejected_by_reason[i];
    r.rejected += r.rejected_by_reason[i];
  }
  body_->done.set_value(r);
  body_.reset();
}

absl::StatusOr<bool> MergedLineReader::Next(Line* line) {
  while (true) {
    if (body_) {
      const std::string& text = body_->text;
      while (pos_ < text.size()) {
        size_t end = text.find('\n', pos_);
        if (end == std::string::npos) end = text.size();
        size_t start = pos_;
        pos_ = end + 1;
        ++line_no_;
        size_t len = end - start;
        if (len > 0 && text[start + len - 1] == '\r') --len;
        if (len == 0) continue;
        line->text = std::string_view(text.data() + start, len);
        line->length = len;
        line->too_long = false;
        line->position.source = std::string(kPostedSource);
        line->position.line = line_no_;
        line->position.offset = start;
        return true;
      }
      FinishBody();
    }
    if (auto body = posted_.Take(std::chrono::milliseconds(0))) {
      StartBody(std::move(body));
      continue;
    }
    if (!source_done_) {
      REACH_ASSIGN_OR_RETURN(bool got, source_->Next(line));
      if (got) return true;
      source_done_ = true;
      continue;
    }
    if (stop_.load(std::memory_order_relaxed)) return false;
    if (auto body = posted_.Take(std::chrono::milliseconds(100))) StartBody(std::move(body));
  }
}

bool MergedLineReader::HasBufferedLine() const {
  if (body_) {
    // False at the end of a body, so the pipeline commits it before its result is announced.
    return body_->text.find_first_not_of("\r\n", pos_) != std::string::npos;
  }
  if (!source_done_) return source_->HasBufferedLine();
  return false;
}

uint64_t MergedLineReader::bytes_read() const {
  return (source_ ? source_->bytes_read() : 0) + posted_bytes_;
}

uint64_t MergedLineReader::bytes_total() const { return source_ ? source_->bytes_total() : 0; }

}  // namespace reach::ingest
