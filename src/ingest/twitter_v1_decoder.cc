#include "ingest/twitter_v1_decoder.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>

#include "ingest/decode_util.h"

namespace reach::ingest {
namespace {

namespace od = simdjson::ondemand;
using model::Event;

constexpr int kMaxJsonDepth = 1024;    // deepest nesting of arrays and objects accepted
constexpr int kMaxStatusNesting = 32;  // statuses embedded in statuses (quote of a quote ...)

// FNV-1a, to switch on field names.
constexpr uint64_t KeyHash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// The raw text of a field name. Names holding an escape never equal a known name, so they come back
// as "\\", which matches nothing.
std::string_view KeyOf(od::field& field) {
  const char* begin = field.key().raw();
  const char* p = begin;
  while (*p != '"') {
    if (*p == '\\') return "\\";
    ++p;
  }
  return std::string_view(begin, p - begin);
}

// Number of '{' and '[' bytes in data[0, n), 8 bytes at a time. data must be readable (and zero, or
// at least not '{' / '[') up to n rounded up to a multiple of 8: the decoder's padded buffer is.
size_t CountOpenBrackets(const char* data, size_t n) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  size_t count = 0;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    // '{' (0x7B) and '[' (0x5B) differ only in bit 0x20: set it, then find bytes equal to 0x7B.
    uint64_t x = (word | (0x20 * kOnes)) ^ (0x7B * kOnes);
    // High bit of each byte of `zero` is set exactly when that byte of x is 0.
    uint64_t zero = ~(((x & kLow7) + kLow7) | x | kLow7);
    // Sum the 0/1 flags with one multiply (no popcnt instruction in baseline x86-64).
    count += static_cast<size_t>(((zero >> 7) * kOnes) >> 56);
  }
  return count;
}

// True when the nesting of arrays and objects in `json` exceeds `limit`. `json` lies in a buffer
// with SIMDJSON_PADDING zero bytes after it. Counting brackets first keeps the common case (a few
// dozen brackets) to one cheap pass.
bool DeeperThan(std::string_view json, int limit) {
  if (CountOpenBrackets(json.data(), json.size()) <= static_cast<size_t>(limit)) return false;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// Where an embedded status was decoded, for its parent's cascade fields.
struct StatusRef {
  PostId id;
  UserId author;
};

// Control-message state of the top-level object.
struct TopLevel {
  std::string_view control;    // the control key seen, if any
  bool tweet_field = false;    // a tweet field (id, user, created_at, text) was seen
  std::string_view first_key;  // for the detail of an unknown object
  // The event a control message carries (delete, scrub_geo, status_withheld, user_withheld).
  std::optional<model::Event> event;
  uint64_t undelivered = 0;  // limit: posts the stream has not delivered since it connected
  std::string notice;        // disconnect, warning: code and text
};

}  // namespace

std::optional<int64_t> ParseTwitterTime(std::string_view s) {
  // "Thu Nov 08 02:31:41 +0000 2012"
  if (s.size() != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' ||
      s[16] != ':' || s[19] != ' ' || s[25] != ' ' || (s[20] != '+' && s[20] != '-')) {
    return std::nullopt;
  }
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  size_t m = kMonths.find(s.substr(4, 3));
  if (m == std::string_view::npos || m % 3 != 0) return std::nullopt;
  unsigned month = static_cast<unsigned>(m / 3 + 1);
  int day, hour, minute, second, off_h, off_m, year;
  if (!Digits(s, 8, 2, &day) || !Digits(s, 11, 2, &hour) || !Digits(s, 14, 2, &minute) ||
      !Digits(s, 17, 2, &second) || !Digits(s, 21, 2, &off_h) || !Digits(s, 23, 2, &off_m) ||
      !Digits(s, 26, 4, &year)) {
    return std::nullopt;
  }
  static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max_day = month == 2 && !leap ? 28 : kDaysIn[month - 1];
  if (day < 1 || day > max_day || hour > 23 || minute > 59 || second > 60 || off_m > 59) {
    return std::nullopt;
  }
  int64_t offset = (off_h * 3600 + off_m * 60) * (s[20] == '-' ? -1 : 1);
  int64_t secs = DaysFromCivil(year, month, static_cast<unsigned>(day)) * 86400 + hour * 3600 +
                 minute * 60 + second - offset;
  return secs * 1000000;
}

class TwitterV1Decoder::Impl {
 public:
  DecodeResult Decode(std::string_view record, std::vector<Event>* out) {
    size_t mark = out->size();
    if (!DecodeDocument(record, out)) {
      out->erase(out->begin() + static_cast<std::ptrdiff_t>(mark), out->end());
      return DecodeResult::Reject(reason_, std::move(detail_));
    }
    return result_;
  }

 private:
  bool Fail(RejectReason reason, std::string detail) {
    reason_ = reason;
    detail_ = std::move(detail);
    return false;
  }

  // Turns a simdjson error met while reading `field` into a rejection.
  bool Check(simdjson::error_code e, std::string_view field) {
    if (e == simdjson::SUCCESS) return true;
    std::string detail(field);
    if (!detail.empty()) detail += ": ";
    detail += simdjson::error_message(e);
    return Fail(ReasonFor(e), std::move(detail));
  }

  bool WrongType(std::string_view field, std::string_view expected) {
    return Fail(RejectReason::kWrongType,
                std::string(field) + ": expected " + std::string(expected));
  }

  bool TypeOf(od::value& v, std::string_view field, od::json_type* type) {
    return Check(v.type().get(*type), field);
  }

  // A string field; null leaves *out as it was.
  bool GetString(od::value& v, std::string_view field, std::string* out) {
    od::json_type type{};
    if (!TypeOf(v, field, &type)) return false;
    if (type == od::json_type::null) return true;
    if (type != od::json_type::string) return WrongType(field, "a string");
    std::string_view s;
    if (!Check(v.get_string().get(s), field)) return false;
    out->assign(s.data(), s.size());
    return true;
  }

  // A string field as a view valid for this document; null gives *present = false.
  bool GetStringView(od::value& v, std::string_view field, std::string_view* out, bool* present) {
    od::json_type type{};
    if (!TypeOf(v, field, &type)) return false;
    *present = type != od::json_type::null;
    if (!*present) return true;
    if (type != od::json_type::string) return WrongType(field, "a string");
    return Check(v.get_string().get(*out), field);
  }

  // A numeric id given as a JSON number; null leaves *out as it was.
  bool GetIdNumber(od::value& v, std::string_view field, uint64_t* out) {
    od::json_type type{};
    if (!TypeOf(v, field, &type)) return false;
    if (type == od::json_type::null) return true;
    if (type != od::json_type::number) return WrongType(field, "a number");
    return Check(v.get_uint64().get(*out), field);
  }

  // A numeric id given as a string of digits ("id_str"); null leaves *out as it was.
  bool GetIdString(od::value& v, std::string_view field, uint64_t* out) {
    std::string_view s;
    bool present = false;
    if (!GetStringView(v, field, &s, &present)) return false;
    if (!present) return true;
    if (!ParseUint(s, out)) return WrongType(field, "a numeric id string");
    return true;
  }

  // A count; null leaves *out as it was.
  bool GetCount(od::value& v, std::string_view field, int64_t* out) {
    od::json_type type{};
    if (!TypeOf(v, field, &type)) return false;
    if (type == od::json_type::null) return true;
    if (type != od::json_type::number) return WrongType(field, "a number");
    return Check(v.get_int64().get(*out), field);
  }

  bool GetBool(od::value& v, std::string_view field, bool* out) {
    od::json_type type{};
    if (!TypeOf(v, field, &type)) return false;
    if (type == od::json_type::null) return true;
    if (type != od::json_type::boolean) return WrongType(field, "a boolean");
    return Check(v.get_bool().get(*out), field);
  }

  // "timestamp_ms": a string or number of milliseconds; null leaves *micros as it was.
  bool GetTimestampMs(od::value& v, std::string_view field, int64_t* micros) {
    od::json_type type{};
    if (!TypeOf(v, field, &type)) return false;
    uint64_t ms = 0;
    if (type == od::json_type::null) return true;
    if (type == od::json_type::number) {
      if (v.get_uint64().get(ms) != simdjson::SUCCESS) {
        return Fail(RejectReason::kBadTimestamp, std::string(field) + ": not milliseconds");
      }
    } else if (type == od::json_type::string) {
      std::string_view s;
      if (!Check(v.get_string().get(s), field)) return false;
      if (!ParseUint(s, &ms)) {
        return Fail(RejectReason::kBadTimestamp,
                    std::string(field) + ": not milliseconds: \"" + std::string(s) + "\"");
      }
    } else {
      return WrongType(field, "a string or number");
    }
    if (ms > static_cast<uint64_t>(INT64_MAX / 1000)) {
      return Fail(RejectReason::kBadTimestamp, std::string(field) + ": out of range");
    }
    *micros = static_cast<int64_t>(ms) * 1000;
    return true;
  }

  bool GetTime(od::value& v, std::string_view field, int64_t* micros, bool* present) {
    std::string_view s;
    if (!GetStringView(v, field, &s, present)) return false;
    if (!*present) return true;
    std::optional<int64_t> t = ParseTwitterTime(s);
    if (!t) {
      return Fail(RejectReason::kBadTimestamp,
                  std::string(field) + ": cannot parse \"" + std::string(s.substr(0, 64)) + "\"");
    }
    *micros = *t;
    return true;
  }

  bool GetObject(od::value& v, std::string_view field, od::object* obj, bool* present) {
    od::json_type type{};
    if (!TypeOf(v, field, &type)) return false;
    *present = type != od::json_type::null;
    if (!*present) return true;
    if (type != od::json_type::object) return WrongType(field, "an object");
    return Check(v.get_object().get(*obj), field);
  }

  bool GetArray(od::value& v, std::string_view field, od::array* arr, bool* present) {
    od::json_type type{};
    if (!TypeOf(v, field, &type)) return false;
    *present = type != od::json_type::null;
    if (!*present) return true;
    if (type != od::json_type::array) return WrongType(field, "an array");
    return Check(v.get_array().get(*arr), field);
  }

  bool DecodeDocument(std::string_view record, std::vector<Event>* out) {
    result_ = DecodeResult::Accept();
    size_t need = record.size() + simdjson::SIMDJSON_PADDING;
    if (capacity_ < need) {
      capacity_ = std::max(need, capacity_ * 2);
      buffer_ = std::make_unique<char[]>(capacity_);
    }
    std::memcpy(buffer_.get(), record.data(), record.size());
    std::memset(buffer_.get() + record.size(), 0, simdjson::SIMDJSON_PADDING);

    od::document doc;
    if (!Check(parser_.iterate(buffer_.get(), record.size(), capacity_).get(doc), "")) {
      return false;
    }
    if (DeeperThan(std::string_view(buffer_.get(), record.size()), kMaxJsonDepth)) {
      return Fail(RejectReason::kTooDeep,
                  "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    od::json_type type{};
    if (!Check(doc.type().get(type), "")) return false;
    if (type != od::json_type::object) {
      if (type == od::json_type::array) {
        od::array arr;
        if (!Check(doc.get_array().get(arr), "")) return false;
        for (auto element : arr) {
          if (!Check(element.error(), "")) return false;
        }
      }
      if (!AtEnd(doc)) return false;
      return Fail(RejectReason::kUnknownFormat, "top-level JSON value is not an object");
    }
    od::object obj;
    if (!Check(doc.get_object().get(obj), "")) return false;
    TopLevel top;
    StatusRef ref;
    size_t mark = out->size();
    if (!DecodeStatus(obj, 0, &top, out, &ref)) return false;
    if (!AtEnd(doc)) return false;
    if (top.tweet_field) {
      StampObservation(out, mark);
      return true;
    }
    // Not a tweet: a control message or something unknown; drop anything embedded in it.
    out->erase(out->begin() + static_cast<std::ptrdiff_t>(mark), out->end());
    if (top.control.empty()) {
      return Fail(RejectReason::kUnknownFormat,
                  top.first_key.empty() ? std::string("empty object")
                                        : "not a tweet or control message (first key \"" +
                                              std::string(top.first_key.substr(0, 64)) + "\")");
    }
    result_ = DecodeResult::Control(top.control);
    result_.undelivered = top.undelivered;
    result_.detail = std::move(top.notice);
    if (top.event) out->push_back(std::move(*top.event));
    return true;
  }

  // Accounts and posts embedded in a tweet (the retweeted or quoted status) were observed when the
  // outer tweet was made: their follower and like counts are as of that moment. The outer post is
  // the last event of the record.
  static void StampObservation(std::vector<Event>* out, size_t first) {
    if (out->size() <= first) return;
    auto* outer = std::get_if<model::Post>(&out->back());
    if (outer == nullptr) return;
    const EventTime observed = outer->time;
    for (size_t i = first; i < out->size(); ++i) {
      if (auto* user = std::get_if<model::UserSnapshot>(&(*out)[i])) {
        user->observed = observed;
      } else if (auto* post = std::get_if<model::Post>(&(*out)[i])) {
        post->observed = observed;
      }
    }
  }

  // After the top-level value: nothing but whitespace may follow.
  bool AtEnd(od::document& doc) {
    auto location = doc.current_location();
    if (location.error() == simdjson::OUT_OF_BOUNDS) return true;
    if (location.error() != simdjson::SUCCESS) return Check(location.error(), "");
    return Fail(RejectReason::kMalformedJson, "trailing content after the JSON value");
  }

  // {"delete":{"status":{"id":..,"id_str":"..","user_id":..,"user_id_str":".."},"timestamp_ms":".."}}
  bool DecodeDelete(od::value& v, TopLevel* top) {
    od::object obj;
    bool present = false;
    if (!GetObject(v, "delete", &obj, &present)) return false;
    if (!present) return Fail(RejectReason::kMissingField, "delete: null");
    uint64_t id_num = 0, id_str = 0, user_num = 0, user_str = 0;
    int64_t time = 0;
    for (auto field_result : obj) {
      od::field field;
      if (!Check(std::move(field_result).get(field), "delete")) return false;
      std::string_view key = KeyOf(field);
      od::value value = field.value();
      if (key == "timestamp_ms") {
        if (!GetTimestampMs(value, "delete.timestamp_ms", &time)) return false;
      } else if (key == "status") {
        od::object status;
        bool status_present = false;
        if (!GetObject(value, "delete.status", &status, &status_present)) return false;
        if (!status_present) continue;
        for (auto status_field_result : status) {
          od::field status_field;
          if (!Check(std::move(status_field_result).get(status_field), "delete.status")) {
            return false;
          }
          std::string_view status_key = KeyOf(status_field);
          od::value sv = status_field.value();
          bool ok = true;
          if (status_key == "id") {
            ok = GetIdNumber(sv, "delete.status.id", &id_num);
          } else if (status_key == "id_str") {
            ok = GetIdString(sv, "delete.status.id_str", &id_str);
          } else if (status_key == "user_id") {
            ok = GetIdNumber(sv, "delete.status.user_id", &user_num);
          } else if (status_key == "user_id_str") {
            ok = GetIdString(sv, "delete.status.user_id_str", &user_str);
          }
          if (!ok) return false;
        }
      }
    }
    uint64_t id = id_str != 0 ? id_str : id_num;
    if (id == 0) return Fail(RejectReason::kMissingField, "delete.status.id");
    model::Delete del;
    del.post = PostId(id);
    del.author = UserId(user_str != 0 ? user_str : user_num);
    del.time = EventTime::FromMicros(time);
    del.platform = model::Platform::kTwitter;
    top->event = std::move(del);
    return true;
  }

  // Calls on_field(key, value) for each field of the object `v` (the value of top-level key
  // `name`); a null object is a missing field.
  template <typename OnField>
  bool ForEachField(od::value& v, std::string_view name, OnField on_field) {
    od::object obj;
    bool present = false;
    if (!GetObject(v, name, &obj, &present)) return false;
    if (!present) return Fail(RejectReason::kMissingField, std::string(name) + ": null");
    for (auto field_result : obj) {
      od::field field;
      if (!Check(std::move(field_result).get(field), name)) return false;
      od::value value = field.value();
      if (!on_field(KeyOf(field), value)) return false;
    }
    return true;
  }

  // ["DE","AR"]: distinct upper-case two-letter codes into *out.
  bool GetCountries(od::value& v, std::string_view field, std::vector<std::string>* out) {
    od::array arr;
    bool present = false;
    if (!GetArray(v, field, &arr, &present)) return false;
    if (!present) return true;
    for (auto item : arr) {
      od::value code_value;
      if (!Check(std::move(item).get(code_value), field)) return false;
      std::string code;
      if (!GetString(code_value, field, &code)) return false;
      if (!AddCountryCode(code, out)) return WrongType(field, "two-letter country codes");
    }
    return true;
  }

  // {"scrub_geo":{"user_id":..,"user_id_str":"..","up_to_status_id":..,"up_to_status_id_str":".."}}
  bool DecodeScrubGeo(od::value& v, TopLevel* top) {
    uint64_t user_num = 0, user_str = 0, up_num = 0, up_str = 0;
    int64_t time = 0;
    bool ok = ForEachField(v, "scrub_geo", [&](std::string_view key, od::value& value) {
      if (key == "user_id") return GetIdNumber(value, "scrub_geo.user_id", &user_num);
      if (key == "user_id_str") return GetIdString(value, "scrub_geo.user_id_str", &user_str);
      if (key == "up_to_status_id") {
        return GetIdNumber(value, "scrub_geo.up_to_status_id", &up_num);
      }
      if (key == "up_to_status_id_str") {
        return GetIdString(value, "scrub_geo.up_to_status_id_str", &up_str);
      }
      if (key == "timestamp_ms") return GetTimestampMs(value, "scrub_geo.timestamp_ms", &time);
      return true;
    });
    if (!ok) return false;
    model::ScrubGeo scrub;
    scrub.user = UserId(user_str != 0 ? user_str : user_num);
    scrub.up_to = PostId(up_str != 0 ? up_str : up_num);
    if (!scrub.user.valid()) return Fail(RejectReason::kMissingField, "scrub_geo.user_id");
    if (!scrub.up_to.valid()) return Fail(RejectReason::kMissingField, "scrub_geo.up_to_status_id");
    scrub.time = EventTime::FromMicros(time);
    scrub.platform = model::Platform::kTwitter;
    top->event = std::move(scrub);
    return true;
  }

  // {"status_withheld":{"id":..,"user_id":..,"withheld_in_countries":[..],"timestamp_ms":".."}}
  // {"user_withheld":{"id":..,"withheld_in_countries":[..],"timestamp_ms":".."}}
  bool DecodeWithheld(od::value& v, std::string_view name, bool status, TopLevel* top) {
    const std::string prefix = std::string(name) + ".";
    uint64_t id_num = 0, id_str = 0, user_num = 0, user_str = 0;
    int64_t time = 0;
    model::Withheld w;
    bool ok = ForEachField(v, name, [&](std::string_view key, od::value& value) {
      if (key == "id") return GetIdNumber(value, prefix + "id", &id_num);
      if (key == "id_str") return GetIdString(value, prefix + "id_str", &id_str);
      if (key == "user_id") return GetIdNumber(value, prefix + "user_id", &user_num);
      if (key == "user_id_str") return GetIdString(value, prefix + "user_id_str", &user_str);
      if (key == "withheld_in_countries") {
        return GetCountries(value, prefix + "withheld_in_countries", &w.countries);
      }
      if (key == "timestamp_ms") return GetTimestampMs(value, prefix + "timestamp_ms", &time);
      return true;
    });
    if (!ok) return false;
    const uint64_t id = id_str != 0 ? id_str : id_num;
    if (id == 0) return Fail(RejectReason::kMissingField, prefix + "id");
    if (w.countries.empty()) {
      return Fail(RejectReason::kMissingField, prefix + "withheld_in_countries");
    }
    if (status) {
      w.post = PostId(id);
      w.user = UserId(user_str != 0 ? user_str : user_num);
    } else {
      w.user = UserId(id);
    }
    w.time = EventTime::FromMicros(time);
    w.platform = model::Platform::kTwitter;
    top->event = std::move(w);
    return true;
  }

  // {"disconnect":{"code":4,"stream_name":"..","reason":".."}},
  // {"warning":{"code":"FALLING_BEHIND", "message":"..","percent_full":60}}: "code: text" (at most
  // 200 bytes of text) for the log.
  bool DecodeNotice(od::value& v, std::string_view name, std::string_view text_key, TopLevel* top) {
    std::string code, text;
    bool ok = ForEachField(v, name, [&](std::string_view key, od::value& value) {
      if (key == "code") {
        od::json_type type{};
        if (!TypeOf(value, "code", &type)) return false;
        if (type == od::json_type::number) {
          int64_t n = 0;
          if (!GetCount(value, std::string(name) + ".code", &n)) return false;
          code = std::to_string(n);
          return true;
        }
        return GetString(value, std::string(name) + ".code", &code);
      }
      if (key == text_key)
        return GetString(value, std::string(name) + "." + std::string(key), &text);
      return true;
    });
    if (!ok) return false;
    if (text.size() > 200) text.resize(200);
    top->notice = code.empty() ? text : code + ": " + text;
    return true;
  }

  // {"limit":{"track":1234,"timestamp_ms":".."}}: `track` counts the matching posts the stream has
  // not delivered since the connection opened.
  bool DecodeLimit(od::value& v, TopLevel* top) {
    int64_t track = 0;
    bool ok = ForEachField(v, "limit", [&](std::string_view key, od::value& value) {
      if (key == "track") return GetCount(value, "limit.track", &track);
      return true;
    });
    if (!ok) return false;
    if (track < 0) return WrongType("limit.track", "a count of at least 0");
    top->undelivered = static_cast<uint64_t>(track);
    return true;
  }

  bool DecodeUser(od::value& v, model::UserSnapshot* user, bool* present) {
    od::object obj;
    if (!GetObject(v, "user", &obj, present)) return false;
    if (!*present) return true;
    uint64_t id_num = 0, id_str = 0;
    for (auto field_result : obj) {
      od::field field;
      if (!Check(std::move(field_result).get(field), "user")) return false;
      std::string_view key = KeyOf(field);
      od::value value = field.value();
      bool ok = true;
      switch (KeyHash(key)) {
        case KeyHash("id"):
          if (key == "id") ok = GetIdNumber(value, "user.id", &id_num);
          break;
        case KeyHash("id_str"):
          if (key == "id_str") ok = GetIdString(value, "user.id_str", &id_str);
          break;
        case KeyHash("screen_name"):
          if (key == "screen_name") ok = GetString(value, "user.screen_name", &user->handle);
          break;
        case KeyHash("name"):
          if (key == "name") ok = GetString(value, "user.name", &user->name);
          break;
        case KeyHash("location"):
          if (key == "location") ok = GetString(value, "user.location", &user->location);
          break;
        case KeyHash("followers_count"):
          if (key == "followers_count") {
            ok = GetCount(value, "user.followers_count", &user->followers);
          }
          break;
        case KeyHash("friends_count"):
          if (key == "friends_count") ok = GetCount(value, "user.friends_count", &user->following);
          break;
        case KeyHash("statuses_count"):
          if (key == "statuses_count") ok = GetCount(value, "user.statuses_count", &user->posts);
          break;
        case KeyHash("verified"):
          if (key == "verified") ok = GetBool(value, "user.verified", &user->verified);
          break;
        case KeyHash("created_at"):
          if (key == "created_at") {
            bool has_time = false;
            int64_t micros = 0;
            ok = GetTime(value, "user.created_at", &micros, &has_time);
            if (ok && has_time) user->created = EventTime::FromMicros(micros);
          }
          break;
        default:
          break;
      }
      if (!ok) return false;
    }
    uint64_t id = id_str != 0 ? id_str : id_num;
    if (id == 0) return Fail(RejectReason::kMissingField, "user.id");
    user->id = UserId(id);
    user->platform = model::Platform::kTwitter;
    return true;
  }

  // entities: hashtags[].text, user_mentions[].{id_str,id,screen_name}, urls[].{expanded_url,url}.
  bool DecodeEntities(od::value& v, std::string_view where, model::Post* post) {
    od::object obj;
    bool present = false;
    if (!GetObject(v, where, &obj, &present)) return false;
    if (!present) return true;
    post->hashtags.clear();
    post->mentions.clear();
    post->urls.clear();
    for (auto field_result : obj) {
      od::field field;
      if (!Check(std::move(field_result).get(field), where)) return false;
      std::string_view key = KeyOf(field);
      int which = key == "hashtags" ? 0 : key == "user_mentions" ? 1 : key == "urls" ? 2 : -1;
      if (which < 0) continue;
      od::value value = field.value();
      od::array arr;
      bool arr_present = false;
      if (!GetArray(value, key, &arr, &arr_present)) return false;
      if (!arr_present) continue;
      for (auto element_result : arr) {
        od::value element;
        if (!Check(std::move(element_result).get(element), key)) return false;
        od::object item;
        bool item_present = false;
        if (!GetObject(element, key, &item, &item_present)) return false;
        if (!item_present) continue;
        if (!DecodeEntity(item, which, key, post)) return false;
      }
    }
    return true;
  }

  bool DecodeEntity(od::object& item, int which, std::string_view where, model::Post* post) {
    std::string_view text, url, expanded;
    bool has_text = false, has_url = false, has_expanded = false;
    uint64_t id_num = 0, id_str = 0;
    for (auto field_result : item) {
      od::field field;
      if (!Check(std::move(field_result).get(field), where)) return false;
      std::string_view key = KeyOf(field);
      od::value value = field.value();
      bool ok = true;
      if (which == 0) {
        if (key == "text") ok = GetStringView(value, "hashtags.text", &text, &has_text);
      } else if (which == 1) {
        if (key == "screen_name") {
          ok = GetStringView(value, "user_mentions.screen_name", &text, &has_text);
        } else if (key == "id_str") {
          ok = GetIdString(value, "user_mentions.id_str", &id_str);
        } else if (key == "id") {
          ok = GetIdNumber(value, "user_mentions.id", &id_num);
        }
      } else {
        if (key == "url") {
          ok = GetStringView(value, "urls.url", &url, &has_url);
        } else if (key == "expanded_url") {
          ok = GetStringView(value, "urls.expanded_url", &expanded, &has_expanded);
        }
      }
      if (!ok) return false;
    }
    if (which == 0) {
      if (has_text) post->hashtags.emplace_back(text);
    } else if (which == 1) {
      if (has_text || id_str != 0 || id_num != 0) {
        post->mentions.push_back(
            model::Mention{UserId(id_str != 0 ? id_str : id_num), std::string(text)});
      }
    } else if (has_expanded && !expanded.empty()) {
      post->urls.emplace_back(expanded);
    } else if (has_url && !url.empty()) {
      post->urls.emplace_back(url);
    }
    return true;
  }

  // extended_tweet: {"full_text":..,"entities":{..},..}
  bool DecodeExtended(od::value& v, model::Post* post, int* text_rank, bool* has_entities) {
    od::object obj;
    bool present = false;
    if (!GetObject(v, "extended_tweet", &obj, &present)) return false;
    if (!present) return true;
    for (auto field_result : obj) {
      od::field field;
      if (!Check(std::move(field_result).get(field), "extended_tweet")) return false;
      std::string_view key = KeyOf(field);
      od::value value = field.value();
      if (key == "full_text") {
        if (!GetString(value, "extended_tweet.full_text", &post->text)) return false;
        *text_rank = 3;
      } else if (key == "entities") {
        if (!DecodeEntities(value, "extended_tweet.entities", post)) return false;
        *has_entities = true;
      }
    }
    return true;
  }

  bool DecodePlace(od::value& v, model::Post* post) {
    od::object obj;
    bool present = false;
    if (!GetObject(v, "place", &obj, &present)) return false;
    if (!present) return true;
    model::Place place;
    for (auto field_result : obj) {
      od::field field;
      if (!Check(std::move(field_result).get(field), "place")) return false;
      std::string_view key = KeyOf(field);
      od::value value = field.value();
      if (key == "country_code") {
        if (!GetString(value, "place.country_code", &place.country_code)) return false;
        for (char& c : place.country_code) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
      } else if (key == "full_name") {
        if (!GetString(value, "place.full_name", &place.full_name)) return false;
      }
    }
    post->place = std::move(place);
    return true;
  }

  // coordinates: {"type":"Point","coordinates":[lon, lat]} (GeoJSON order).
  bool DecodeCoordinates(od::value& v, model::Post* post) {
    od::object obj;
    bool present = false;
    if (!GetObject(v, "coordinates", &obj, &present)) return false;
    if (!present) return true;
    for (auto field_result : obj) {
      od::field field;
      if (!Check(std::move(field_result).get(field), "coordinates")) return false;
      if (KeyOf(field) != "coordinates") continue;
      od::value value = field.value();
      od::array arr;
      bool arr_present = false;
      if (!GetArray(value, "coordinates.coordinates", &arr, &arr_present)) return false;
      if (!arr_present) continue;
      double lonlat[2] = {0, 0};
      int n = 0;
      for (auto element_result : arr) {
        od::value element;
        if (!Check(std::move(element_result).get(element), "coordinates.coordinates")) {
          return false;
        }
        double d = 0;
        if (element.get_double().get(d) != simdjson::SUCCESS) {
          return WrongType("coordinates.coordinates", "[longitude, latitude] numbers");
        }
        if (n < 2) lonlat[n] = d;
        ++n;
      }
      if (n != 2) return WrongType("coordinates.coordinates", "[longitude, latitude]");
      post->coordinates = model::GeoPoint{lonlat[1], lonlat[0]};
    }
    return true;
  }

  // An embedded status (retweeted_status, quoted_status): its events go to *out now.
  bool DecodeEmbedded(od::value& v, std::string_view field, int nesting, std::vector<Event>* out,
                      StatusRef* ref, bool* present) {
    od::object obj;
    if (!GetObject(v, field, &obj, present)) return false;
    if (!*present) return true;
    if (nesting + 1 > kMaxStatusNesting) {
      return Fail(RejectReason::kTooDeep, std::string(field) + ": statuses embedded more than " +
                                              std::to_string(kMaxStatusNesting) + " deep");
    }
    if (!DecodeStatus(obj, nesting + 1, nullptr, out, ref)) {
      detail_ = std::string(field) + "." + detail_;
      return false;
    }
    return true;
  }

  // One tweet object. `top` is set for the top-level object only (control messages live there).
  bool DecodeStatus(od::object& obj, int nesting, TopLevel* top, std::vector<Event>* out,
                    StatusRef* ref) {
    model::Post post;
    model::UserSnapshot user;
    bool has_user = false;
    uint64_t id_num = 0, id_str = 0;
    int64_t created = 0, timestamp = -1;
    bool has_created = false;
    int text_rank = 0;  // 1 text, 2 full_text, 3 extended_tweet.full_text
    bool extended_entities = false;
    bool is_retweet = false;
    StatusRef retweeted;
    bool has_quote = false, has_quoted_status = false;
    uint64_t quoted_id_str = 0, quoted_id_num = 0;
    StatusRef quoted;
    size_t quoted_begin = 0, quoted_end = 0;
    uint64_t reply_str = 0, reply_num = 0, reply_user_str = 0, reply_user_num = 0;
    const size_t first_event = out->size();

    for (auto field_result : obj) {
      od::field field;
      if (!Check(std::move(field_result).get(field), "")) return false;
      std::string_view key = KeyOf(field);
      od::value value = field.value();
      if (top != nullptr && top->first_key.empty()) top->first_key = key;
      bool ok = true;
      bool tweet_field = false;
      switch (KeyHash(key)) {
        case KeyHash("created_at"):
          if (key == "created_at") {
            ok = GetTime(value, "created_at", &created, &has_created);
            tweet_field = true;
          }
          break;
        case KeyHash("id"):
          if (key == "id") {
            ok = GetIdNumber(value, "id", &id_num);
            tweet_field = true;
          }
          break;
        case KeyHash("id_str"):
          if (key == "id_str") {
            ok = GetIdString(value, "id_str", &id_str);
            tweet_field = true;
          }
          break;
        case KeyHash("text"):
          if (key == "text" && text_rank < 1) {
            ok = GetString(value, "text", &post.text);
            text_rank = 1;
            tweet_field = true;
          }
          break;
        case KeyHash("full_text"):
          if (key == "full_text" && text_rank < 2) {
            ok = GetString(value, "full_text", &post.text);
            text_rank = 2;
            tweet_field = true;
          }
          break;
        case KeyHash("extended_tweet"):
          if (key == "extended_tweet") {
            ok = DecodeExtended(value, &post, &text_rank, &extended_entities);
          }
          break;
        case KeyHash("entities"):
          if (key == "entities" && !extended_entities) {
            ok = DecodeEntities(value, "entities", &post);
          }
          break;
        case KeyHash("lang"):
          if (key == "lang") ok = GetString(value, "lang", &post.lang);
          break;
        case KeyHash("user"):
          if (key == "user") {
            ok = DecodeUser(value, &user, &has_user);
            tweet_field = true;
          }
          break;
        case KeyHash("retweeted_status"):
          if (key == "retweeted_status") {
            ok = DecodeEmbedded(value, key, nesting, out, &retweeted, &is_retweet);
          }
          break;
        case KeyHash("quoted_status"):
          // A retweet's top-level quoted_status repeats its retweeted status's: skip it.
          if (key == "quoted_status" && !is_retweet) {
            quoted_begin = out->size();
            ok = DecodeEmbedded(value, key, nesting, out, &quoted, &has_quoted_status);
            quoted_end = out->size();
          }
          break;
        case KeyHash("quoted_status_id_str"):
          if (key == "quoted_status_id_str") {
            ok = GetIdString(value, key, &quoted_id_str);
          }
          break;
        case KeyHash("quoted_status_id"):
          if (key == "quoted_status_id") ok = GetIdNumber(value, key, &quoted_id_num);
          break;
        case KeyHash("in_reply_to_status_id_str"):
          if (key == "in_reply_to_status_id_str") ok = GetIdString(value, key, &reply_str);
          break;
        case KeyHash("in_reply_to_status_id"):
          if (key == "in_reply_to_status_id") ok = GetIdNumber(value, key, &reply_num);
          break;
        case KeyHash("in_reply_to_user_id_str"):
          if (key == "in_reply_to_user_id_str") ok = GetIdString(value, key, &reply_user_str);
          break;
        case KeyHash("in_reply_to_user_id"):
          if (key == "in_reply_to_user_id") ok = GetIdNumber(value, key, &reply_user_num);
          break;
        case KeyHash("place"):
          if (key == "place") ok = DecodePlace(value, &post);
          break;
        case KeyHash("coordinates"):
          if (key == "coordinates") ok = DecodeCoordinates(value, &post);
          break;
        case KeyHash("retweet_count"):
          if (key == "retweet_count") ok = GetCount(value, key, &post.counters.reshares);
          break;
        case KeyHash("favorite_count"):
          if (key == "favorite_count") ok = GetCount(value, key, &post.counters.likes);
          break;
        case KeyHash("reply_count"):
          if (key == "reply_count") ok = GetCount(value, key, &post.counters.replies);
          break;
        case KeyHash("quote_count"):
          if (key == "quote_count") ok = GetCount(value, key, &post.counters.quotes);
          break;
        case KeyHash("timestamp_ms"):
          if (key == "timestamp_ms") ok = GetTimestampMs(value, key, &timestamp);
          break;
        case KeyHash("delete"):
          if (key == "delete" && top != nullptr) {
            top->control = "delete";
            ok = DecodeDelete(value, top);
          }
          break;
        case KeyHash("limit"):
          if (key == "limit" && top != nullptr) {
            top->control = "limit";
            ok = DecodeLimit(value, top);
          }
          break;
        case KeyHash("scrub_geo"):
          if (key == "scrub_geo" && top != nullptr) {
            top->control = "scrub_geo";
            ok = DecodeScrubGeo(value, top);
          }
          break;
        case KeyHash("status_withheld"):
          if (key == "status_withheld" && top != nullptr) {
            top->control = "status_withheld";
            ok = DecodeWithheld(value, key, /*status=*/true, top);
          }
          break;
        case KeyHash("user_withheld"):
          if (key == "user_withheld" && top != nullptr) {
            top->control = "user_withheld";
            ok = DecodeWithheld(value, key, /*status=*/false, top);
          }
          break;
        case KeyHash("disconnect"):
          if (key == "disconnect" && top != nullptr) {
            top->control = "disconnect";
            ok = DecodeNotice(value, key, "reason", top);
          }
          break;
        case KeyHash("warning"):
          if (key == "warning" && top != nullptr) {
            top->control = "warning";
            ok = DecodeNotice(value, key, "message", top);
          }
          break;
        default:
          break;
      }
      if (!ok) return false;
      if (tweet_field && top != nullptr) top->tweet_field = true;
    }

    // A control message or unknown object: the caller decides.
    if (top != nullptr && !top->tweet_field) return true;

    uint64_t id = id_str != 0 ? id_str : id_num;
    if (id == 0) return Fail(RejectReason::kMissingField, "id");
    if (top == nullptr && (!has_user || !has_created)) {
      // An embedded status trimmed by the API (search results embed quoted statuses without their
      // user): it still names the parent, but yields no events of its own.
      out->erase(out->begin() + static_cast<std::ptrdiff_t>(first_event), out->end());
      ref->id = PostId(id);
      ref->author = has_user ? user.id : UserId();
      return true;
    }
    if (!has_user) return Fail(RejectReason::kMissingField, "user");
    if (!has_created) return Fail(RejectReason::kMissingField, "created_at");

    post.id = PostId(id);
    post.platform = model::Platform::kTwitter;
    post.author = user.id;
    post.time = EventTime::FromMicros(timestamp >= 0 ? timestamp : created);
    uint64_t reply_to = reply_str != 0 ? reply_str : reply_num;
    if (reply_to != 0) {
      post.in_reply_to = PostId(reply_to);
      post.in_reply_to_user = UserId(reply_user_str != 0 ? reply_user_str : reply_user_num);
    }
    uint64_t quoted_id = quoted_id_str != 0  ? quoted_id_str
                         : has_quoted_status ? quoted.id.value
                                             : quoted_id_num;
    has_quote = quoted_id != 0;
    if (is_retweet) {
      post.kind = model::PostKind::kReshare;
      post.parent = retweeted.id;
      post.parent_author = retweeted.author;
      if (quoted_end > quoted_begin) {  // quoted_status came before retweeted_status
        out->erase(out->begin() + static_cast<std::ptrdiff_t>(quoted_begin),
                   out->begin() + static_cast<std::ptrdiff_t>(quoted_end));
      }
    } else if (has_quote) {
      post.kind = model::PostKind::kQuote;
      post.parent = PostId(quoted_id);
      if (has_quoted_status && quoted.id.value == quoted_id) post.parent_author = quoted.author;
    } else if (reply_to != 0) {
      post.kind = model::PostKind::kReply;
    }
    user.observed = post.time;
    ref->id = post.id;
    ref->author = user.id;
    out->emplace_back(std::move(user));
    out->emplace_back(std::move(post));
    return true;
  }

  od::parser parser_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  DecodeResult result_;
  RejectReason reason_ = RejectReason::kMalformedJson;
  std::string detail_;
};

TwitterV1Decoder::TwitterV1Decoder() : impl_(std::make_unique<Impl>()) {}
TwitterV1Decoder::~TwitterV1Decoder() = default;

DecodeResult TwitterV1Decoder::Decode(std::string_view record, std::vector<model::Event>* out) {
  return impl_->Decode(record, out);
}

}  // namespace reach::ingest
