#include "archive/segment_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>

#include "archive/crc32c.h"

namespace reach::archive {
namespace {

namespace fs = std::filesystem;

template <typename T>
void Put(std::string* out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out->append(bytes, sizeof(T));
}

template <typename T>
T Get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Parses "<20 digits><suffix>" exactly; nullopt otherwise.
std::optional<uint64_t> ParseSequencePrefix(std::string_view name, std::string_view suffix) {
  if (name.size() != 20 + suffix.size() || !name.ends_with(suffix)) return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + 20, v);
  if (ec != std::errc() || ptr != name.data() + 20) return std::nullopt;
  return v;
}

}  // namespace

std::string SegmentFileName(uint64_t first_sequence, bool compressed) {
  return fmt::format("{:020d}{}", first_sequence, compressed ? kCompressedSuffix : kPlainSuffix);
}

absl::StatusOr<std::vector<SegmentEntry>> ListSegments(const std::string& dir,
                                                       std::vector<std::string>* temp_files) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(fmt::format("archive directory {} does not exist", dir));
  }
  std::map<uint64_t, SegmentEntry> by_sequence;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        fmt::format("cannot list archive directory {}: {}", dir, ec.message()));
  }
  for (const fs::directory_entry& entry : it) {
    std::error_code size_ec;
    if (!entry.is_regular_file(size_ec)) continue;
    const std::string name = entry.path().filename().string();
    if (auto seq = ParseSequencePrefix(name, kPlainSuffix)) {
      SegmentEntry& e = by_sequence[*seq];
      e.first_sequence = *seq;
      e.has_plain = true;
      e.plain_bytes = entry.file_size(size_ec);
    } else if (auto zseq = ParseSequencePrefix(name, kCompressedSuffix)) {
      SegmentEntry& e = by_sequence[*zseq];
      e.first_sequence = *zseq;
      e.has_compressed = true;
      e.compressed_bytes = entry.file_size(size_ec);
    } else if (temp_files != nullptr && ParseSequencePrefix(name, kTempSuffix)) {
      temp_files->push_back(entry.path().string());
    }
  }
  std::vector<SegmentEntry> out;
  out.reserve(by_sequence.size());
  for (auto& [seq, e] : by_sequence) out.push_back(e);
  return out;
}

std::string EncodeSegmentHeader(const SegmentHeader& header) {
  std::string out;
  out.reserve(kSegmentHeaderBytes);
  out.append(kSegmentMagic);
  Put<uint32_t>(&out, kFormatVersion);
  Put<uint64_t>(&out, header.first_sequence);
  Put<int64_t>(&out, header.created.micros);
  Put<uint32_t>(&out, crc32c::Mask(crc32c::Value(out.data(), out.size())));
  return out;
}

absl::StatusOr<SegmentHeader> DecodeSegmentHeader(std::string_view bytes) {
  if (bytes.size() < kSegmentHeaderBytes) {
    return absl::DataLossError(
        fmt::format("segment header is {} bytes, expected {}", bytes.size(), kSegmentHeaderBytes));
  }
  if (bytes.substr(0, kSegmentMagic.size()) != kSegmentMagic) {
    return absl::DataLossError("not an archive segment (bad magic)");
  }
  const uint32_t stored = Get<uint32_t>(bytes.data() + 28);
  if (crc32c::Unmask(stored) != crc32c::Value(bytes.data(), 28)) {
    return absl::DataLossError("segment header checksum mismatch");
  }
  const uint32_t version = Get<uint32_t>(bytes.data() + 8);
  if (version != kFormatVersion) {
    return absl::DataLossError(fmt::format("unsupported segment format version {}", version));
  }
  SegmentHeader header;
  header.first_sequence = Get<uint64_t>(bytes.data() + 12);
  header.created = EventTime{Get<int64_t>(bytes.data() + 20)};
  return header;
}

void AppendRecord(std::string* out, uint64_t sequence, EventTime arrival,
                  std::string_view payload) {
  const size_t start = out->size();
  Put<uint32_t>(out, 0);  // checksum, filled below
  Put<uint32_t>(out, static_cast<uint32_t>(payload.size()));
  Put<uint64_t>(out, sequence);
  Put<int64_t>(out, arrival.micros);
  out->append(payload);
  const char* covered = out->data() + start + 4;
  const uint32_t crc = crc32c::Value(covered, kRecordHeaderBytes - 4 + payload.size());
  const uint32_t masked = crc32c::Mask(crc);
  std::memcpy(out->data() + start, &masked, 4);
}

RecordHeader DecodeRecordHeader(const char* bytes) {
  RecordHeader h;
  h.masked_crc = Get<uint32_t>(bytes);
  h.length = Get<uint32_t>(bytes + 4);
  h.sequence = Get<uint64_t>(bytes + 8);
  h.arrival = EventTime{Get<int64_t>(bytes + 16)};
  return h;
}

bool RecordChecksumMatches(const char* header_bytes, std::string_view payload) {
  uint32_t crc = crc32c::Value(header_bytes + 4, kRecordHeaderBytes - 4);
  crc = crc32c::Extend(crc, payload.data(), payload.size());
  return crc32c::Unmask(Get<uint32_t>(header_bytes)) == crc;
}

}  // namespace reach::archive
