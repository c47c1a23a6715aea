#include "archive/segment_reader.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "archive/segment_scanner.h"
#include "common/status.h"

namespace reach::archive {

ArchiveReader::ArchiveReader(std::string dir, ReaderOptions options)
    : dir_(std::move(dir)), options_(options) {}

ArchiveReader::~ArchiveReader() = default;

absl::StatusOr<std::unique_ptr<ArchiveReader>> ArchiveReader::Open(std::string dir,
                                                                   ReaderOptions options) {
  REACH_ASSIGN_OR_RETURN(std::vector<SegmentEntry> entries, ListSegments(dir));
  std::unique_ptr<ArchiveReader> reader(new ArchiveReader(std::move(dir), options));
  for (const SegmentEntry& e : entries) {
    // A .zst is complete once it has its name, so it wins over a plain file not yet removed.
    Segment s;
    s.first_sequence = e.first_sequence;
    s.compressed = e.has_compressed;
    s.file_bytes = e.has_compressed ? e.compressed_bytes : e.plain_bytes;
    reader->segments_.push_back(s);
  }
  auto& segments = reader->segments_;
  if (segments.empty()) {
    reader->expected_ = options.start_sequence == 0 ? 1 : options.start_sequence;
    return reader;
  }
  size_t start = 0;
  if (options.start_sequence == 0) {
    reader->expected_ = segments.front().first_sequence;
  } else if (options.start_sequence < segments.front().first_sequence) {
    reader->expected_ = options.start_sequence;  // a gap, reported when the first segment opens
  } else {
    while (start + 1 < segments.size() &&
           segments[start + 1].first_sequence <= options.start_sequence) {
      ++start;
    }
    reader->expected_ = segments[start].first_sequence;
  }
  reader->index_ = start;
  for (size_t i = start; i < segments.size(); ++i) reader->total_bytes_ += segments[i].file_bytes;
  return reader;
}

std::string ArchiveReader::PathOf(const Segment& segment) const {
  return (std::filesystem::path(dir_) / SegmentFileName(segment.first_sequence, segment.compressed))
      .string();
}

uint64_t ArchiveReader::bytes_consumed() const {
  return consumed_before_ + (scanner_ != nullptr ? scanner_->file_bytes_read() : 0);
}

absl::Status ArchiveReader::Damage(absl::Status status) {
  if (options_.on_corruption == CorruptionPolicy::kFail) failed_ = status;
  return status;
}

absl::Status ArchiveReader::OpenNextSegment() {
  Segment& s = segments_[index_];
  const bool newest = (index_ + 1 == segments_.size());
  current_path_ = PathOf(s);
  absl::StatusOr<std::unique_ptr<SegmentScanner>> scanner =
      SegmentScanner::Open(current_path_, s.compressed);
  if (absl::IsNotFound(scanner.status()) && !s.compressed) {
    // Compressed and removed since Open listed it.
    s.compressed = true;
    current_path_ = PathOf(s);
    scanner = SegmentScanner::Open(current_path_, true);
  }
  if (!scanner.ok()) {
    if (!absl::IsDataLoss(scanner.status())) return scanner.status();
    if (newest && !s.compressed && s.file_bytes < kSegmentHeaderBytes) {
      // Created by the writer, header not yet (or never) written: an empty torn tail.
      stats_.torn_tail_bytes += s.file_bytes;
      ++index_;
      return absl::OkStatus();
    }
    if (options_.on_corruption == CorruptionPolicy::kFail) return Damage(scanner.status());
    ++stats_.corrupt_regions;  // the whole segment; its records show up as a gap after it
    consumed_before_ += s.file_bytes;
    ++index_;
    return absl::OkStatus();
  }
  const uint64_t first = (*scanner)->header().first_sequence;
  if (first != s.first_sequence) {
    return Damage(absl::DataLossError(
        fmt::format("archive segment {} says it starts at sequence {}", current_path_, first)));
  }
  if (first < expected_ && started_) {
    return Damage(absl::DataLossError(
        fmt::format("archive segment {} overlaps the one before it (sequence {} again)",
                    current_path_, first)));
  }
  if (first > expected_) {
    if (options_.on_corruption == CorruptionPolicy::kFail) {
      return Damage(absl::DataLossError(
          fmt::format("archive records {} to {} are missing (segment {} starts at {})", expected_,
                      first - 1, current_path_, first)));
    }
    stats_.records_skipped += first - expected_;
  }
  expected_ = first;
  started_ = true;
  ++stats_.segments_read;
  current_is_tail_ = newest && !s.compressed;
  scanner_ = std::move(*scanner);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ArchiveRecord>> ArchiveReader::Next() {
  REACH_RETURN_IF_ERROR(failed_);
  auto finish_segment = [this] {
    consumed_before_ += scanner_->file_bytes_read();
    scanner_.reset();
    ++index_;
  };
  while (true) {
    if (scanner_ == nullptr) {
      if (index_ >= segments_.size()) return std::nullopt;
      REACH_RETURN_IF_ERROR(OpenNextSegment());
      continue;
    }
    absl::StatusOr<SegmentScanner::Result> result = scanner_->Next();
    if (!result.ok()) {
      // I/O errors are returned as they are; a corrupt zstd stream loses the rest of the segment.
      if (!absl::IsDataLoss(result.status())) return result.status();
      if (options_.on_corruption == CorruptionPolicy::kFail) return Damage(result.status());
      ++stats_.corrupt_regions;
      finish_segment();
      continue;
    }
    switch (result->step) {
      case SegmentScanner::Step::kRecord:
        expected_ = result->sequence + 1;
        if (result->sequence < options_.start_sequence) {
          ++stats_.records_before_start;
          continue;
        }
        ++stats_.records_read;
        return ArchiveRecord{result->sequence, result->arrival, result->data};
      case SegmentScanner::Step::kEnd:
        finish_segment();
        continue;
      case SegmentScanner::Step::kCorrupt:
        break;
    }
    if (current_is_tail_) {
      std::error_code ec;
      const uint64_t size = std::filesystem::file_size(current_path_, ec);
      if (!ec && size > result->offset) stats_.torn_tail_bytes += size - result->offset;
      finish_segment();
      continue;
    }
    if (options_.on_corruption == CorruptionPolicy::kFail) {
      return Damage(
          absl::DataLossError(fmt::format("archive segment {} is corrupt at offset {}: {}",
                                          current_path_, result->offset, result->what)));
    }
    ++stats_.corrupt_regions;
    const uint64_t skipped_before = scanner_->bytes_skipped();
    REACH_ASSIGN_OR_RETURN(bool found, scanner_->Resync(expected_));
    stats_.corrupt_bytes_skipped += scanner_->bytes_skipped() - skipped_before;
    if (found) {
      stats_.records_skipped += scanner_->expected_sequence() - expected_;
      expected_ = scanner_->expected_sequence();
    }
    // Not found: the segment ends here; the records lost show up as a gap before the next one.
  }
}

}  // namespace reach::archive
