#include "ingest/live/jetstream_resume.h"

#include <string>

#include <simdjson.h>

#include "common/stable_hash.h"

namespace reach::ingest {

struct JetstreamResume::Parser {
  simdjson::ondemand::parser parser;
  std::string buffer;

  // Reads the top-level "time_us" and "did"; false when the message has no integer time_us.
  bool Read(std::string_view message, int64_t* time_us, uint64_t* did_hash) {
    buffer.assign(message);
    buffer.resize(message.size() + simdjson::SIMDJSON_PADDING);
    simdjson::padded_string_view view(buffer.data(), message.size(), buffer.size());
    simdjson::ondemand::document doc;
    if (parser.iterate(view).get(doc) != simdjson::SUCCESS) return false;
    simdjson::ondemand::object root;
    if (doc.get_object().get(root) != simdjson::SUCCESS) return false;
    bool have_time = false;
    *did_hash = 0;
    for (auto field : root) {
      std::string_view key;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
      if (key == "time_us") {
        if (field.value().get_int64().get(*time_us) != simdjson::SUCCESS) return false;
        have_time = true;
      } else if (key == "did") {
        std::string_view did;
        if (field.value().get_string().get(did) != simdjson::SUCCESS) return false;
        *did_hash = StableHash64(did);
      }
      if (have_time && *did_hash != 0) break;
    }
    return have_time;
  }
};

JetstreamResume::JetstreamResume(int64_t initial_cursor, int64_t rewind_us)
    : newest_(initial_cursor), rewind_us_(rewind_us), parser_(std::make_unique<Parser>()) {}

JetstreamResume::~JetstreamResume() = default;

int64_t JetstreamResume::ResumeCursor() const {
  if (newest_ <= 0) return 0;
  return std::max<int64_t>(newest_ - rewind_us_, 1);
}

bool JetstreamResume::Accept(std::string_view message) {
  int64_t t = 0;
  uint64_t did = 0;
  if (!parser_->Read(message, &t, &did)) return true;
  const int64_t horizon = newest_ - rewind_us_;
  if (t < horizon) return true;  // older than any replay can reach: a late event
  if (!recent_.emplace(t, did).second) return false;
  if (t > newest_) {
    newest_ = t;
    const int64_t keep_from = newest_ - rewind_us_;
    while (!recent_.empty() && recent_.begin()->first < keep_from) recent_.erase(recent_.begin());
  }
  return true;
}

}  // namespace reach::ingest
