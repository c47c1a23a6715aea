#include "ingest/live/sse_parser.h"

#include <algorithm>
#include <charconv>

namespace reach::ingest {

void SseParser::Reset() {
  line_.clear();
  type_.clear();
  data_.clear();
  has_data_ = false;
  truncated_ = false;
  discard_line_ = false;
  data_bytes_ = 0;
  after_cr_ = false;
}

void SseParser::AppendData(std::string_view value) {
  data_bytes_ += value.size() + 1;
  has_data_ = true;
  const size_t room = max_event_bytes_ > data_.size() ? max_event_bytes_ - data_.size() : 0;
  if (value.size() + 1 > room) truncated_ = true;
  data_.append(value.substr(0, std::min(value.size(), room)));
  if (room > value.size()) data_.push_back('\n');
}

void SseParser::Feed(std::string_view bytes, const Handler& on_event) {
  size_t i = 0;
  if (after_cr_ && !bytes.empty() && bytes[0] == '\n') i = 1;  // the LF of a split CRLF
  after_cr_ = false;
  while (i < bytes.size()) {
    const size_t end = bytes.find_first_of("\r\n", i);
    std::string_view piece = bytes.substr(i, end == std::string_view::npos ? end : end - i);
    if (discard_line_) {
      data_bytes_ += piece.size();
    } else if (line_.size() + piece.size() > max_event_bytes_) {
      // A line too long to keep: keep what fits of a data: line, count the rest.
      line_.append(piece);
      if (line_.rfind("data:", 0) == 0) {
        std::string_view value = std::string_view(line_).substr(5);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        AppendData(value);
        data_bytes_ -= 1;  // the line has not ended yet; its '\n' is counted when it does
      }
      truncated_ = true;
      discard_line_ = true;
      line_.clear();
      line_.shrink_to_fit();
    } else {
      line_.append(piece);
    }
    if (end == std::string_view::npos) return;
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
      data_bytes_ += 1;
      continue;
    }
    std::string whole = std::move(line_);
    line_.clear();
    Line(whole, on_event);
  }
}

void SseParser::Line(std::string_view line, const Handler& on_event) {
  if (line.empty()) {
    if (has_data_) {
      if (!truncated_ && !data_.empty() && data_.back() == '\n') data_.pop_back();
      if (truncated_) ++oversized_;
      SseEvent e{type_.empty() ? std::string_view("message") : std::string_view(type_), data_,
                 last_id_, truncated_, truncated_ ? data_bytes_ - 1 : data_.size()};
      on_event(e);
    }
    type_.clear();
    data_.clear();
    has_data_ = false;
    truncated_ = false;
    data_bytes_ = 0;
    return;
  }
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
    AppendData(value);
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
