#include "ingest/live/sse_parser.h"

#include <charconv>

namespace reach::ingest {

void SseParser::Reset() {
  line_.clear();
  type_.clear();
  data_.clear();
  has_data_ = false;
  skipping_ = false;
  discard_line_ = false;
  after_cr_ = false;
}

void SseParser::Feed(std::string_view bytes, const Handler& on_event) {
  size_t i = 0;
  if (after_cr_ && !bytes.empty() && bytes[0] == '\n') i = 1;  // the LF of a split CRLF
  after_cr_ = false;
  while (i < bytes.size()) {
    const size_t end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      if (skipping_) {
        discard_line_ = true;  // a non-blank line inside an event being dropped
      } else if (!discard_line_) {
        line_.append(bytes.substr(i));
        if (line_.size() + data_.size() > max_event_bytes_) {
          ++oversized_;
          skipping_ = true;
          discard_line_ = true;
          line_.clear();
          data_.clear();
          type_.clear();
          has_data_ = false;
        }
      }
      return;
    }
    std::string_view piece = bytes.substr(i, end - i);
    size_t next = end + 1;
    if (bytes[end] == '\r') {
      if (next < bytes.size()) {
        if (bytes[next] == '\n') ++next;
      } else {
        after_cr_ = true;
      }
    }
    i = next;
    if (discard_line_) {  // the end of a line too long to keep
      discard_line_ = false;
      continue;
    }
    if (!line_.empty()) {
      line_.append(piece);
      std::string whole = std::move(line_);
      line_.clear();
      Line(whole, on_event);
    } else {
      Line(piece, on_event);
    }
  }
}

void SseParser::Line(std::string_view line, const Handler& on_event) {
  if (line.empty()) {
    if (skipping_) {
      skipping_ = false;
    } else if (has_data_) {
      if (!data_.empty() && data_.back() == '\n') data_.pop_back();
      SseEvent e{type_.empty() ? std::string_view("message") : std::string_view(type_), data_,
                 last_id_};
      on_event(e);
    }
    type_.clear();
    data_.clear();
    has_data_ = false;
    return;
  }
  if (skipping_) return;
  if (line.front() == ':') {
    ++comments_;
    return;
  }
  const size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (data_.size() + value.size() + 1 > max_event_bytes_) {
      ++oversized_;
      skipping_ = true;
      data_.clear();
      type_.clear();
      has_data_ = false;
      return;
    }
    data_.append(value);
    data_.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    type_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  } else if (field == "retry") {
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec == std::errc() && end == value.data() + value.size() && !value.empty()) retry_ms_ = ms;
  }
}

}  // namespace reach::ingest
