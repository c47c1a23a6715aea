#include "ingest/twitter_v2_decoder.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "ingest/decode_util.h"

namespace reach::ingest {
namespace {

namespace dom = simdjson::dom;
using model::Event;

// The DOM parser's default nesting limit (simdjson::DEFAULT_MAX_DEPTH).
constexpr size_t kMaxJsonDepth = simdjson::DEFAULT_MAX_DEPTH;

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return r;
}

std::string Join(std::string_view where, std::string_view key) {
  if (where.empty()) return std::string(key);
  std::string r(where);
  r += '.';
  r += key;
  return r;
}

std::string Index(std::string_view where, size_t i) {
  return std::string(where) + "[" + std::to_string(i) + "]";
}

bool Has(dom::object o, std::string_view key) { return o.at_key(key).error() == simdjson::SUCCESS; }

// A tweet object of the record and where it was found (for rejection details).
struct TweetEntry {
  dom::object obj;
  std::string where;
};

struct UserEntry {
  uint64_t id = 0;
  dom::object obj;
  std::string where;
  bool emitted = false;
};

struct Reference {
  std::string_view type;
  uint64_t id = 0;
};

}  // namespace

std::optional<int64_t> ParseTwitterV2Time(std::string_view s) {
  // 2021-04-01T15:52:31.000Z | 2021-10-23T19:36:18+00:00
  int year, month, day, hour, minute, second;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':' || !Digits(s, 0, 4, &year) || !Digits(s, 5, 2, &month) ||
      !Digits(s, 8, 2, &day) || !Digits(s, 11, 2, &hour) || !Digits(s, 14, 2, &minute) ||
      !Digits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t micros = 0;
  if (s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && s[pos] == 'Z' && pos + 1 == s.size()) {
    // UTC
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int off_h, off_m;
    if (!Digits(s, pos + 1, 2, &off_h) || !Digits(s, pos + 4, 2, &off_m) || off_h > 23 ||
        off_m > 59) {
      return std::nullopt;
    }
    offset = (off_h * 3600 + off_m * 60) * (s[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return std::nullopt;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max_day = month == 2 && !leap ? 28 : kDaysIn[month - 1];
  if (day < 1 || day > max_day || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t secs =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
      hour * 3600 + minute * 60 + second - offset;
  return secs * 1000000 + micros;
}

class TwitterV2Decoder::Impl {
 public:
  DecodeResult Decode(std::string_view record, std::vector<Event>* out) {
    size_t mark = out->size();
    Reset();
    if (!DecodeDocument(record, out)) {
      out->erase(out->begin() + static_cast<std::ptrdiff_t>(mark), out->end());
      Reset();
      return DecodeResult::Reject(reason_, std::move(detail_));
    }
    notes_.withheld_posts += pending_.withheld_posts;
    notes_.edited_posts += pending_.edited_posts;
    notes_.error_entries += pending_.error_entries;
    Reset();
    return result_;
  }

  const Notes& notes() const { return notes_; }

 private:
  void Reset() {
    data_.clear();
    tweets_.clear();
    users_.clear();
    user_index_.clear();
    user_by_handle_.clear();
    places_.clear();
    canonical_.clear();
    newest_.clear();
    emitted_posts_.clear();
    pending_ = Notes{};
    newest_time_ = 0;
  }

  bool Fail(RejectReason reason, std::string detail) {
    reason_ = reason;
    detail_ = std::move(detail);
    return false;
  }

  bool WrongType(std::string_view field, std::string_view expected) {
    return Fail(RejectReason::kWrongType,
                std::string(field) + ": expected " + std::string(expected));
  }

  // The value of `key` in `o`; *present is false when it is absent or null.
  static dom::element Lookup(dom::object o, std::string_view key, bool* present) {
    dom::element e;
    *present = o.at_key(key).get(e) == simdjson::SUCCESS && !e.is_null();
    return e;
  }

  bool GetStringView(dom::object o, std::string_view key, std::string_view where,
                     std::string_view* out, bool* present) {
    dom::element e = Lookup(o, key, present);
    if (!*present) return true;
    if (e.get_string().get(*out) != simdjson::SUCCESS)
      return WrongType(Join(where, key), "a string");
    return true;
  }

  bool GetString(dom::object o, std::string_view key, std::string_view where, std::string* out) {
    std::string_view s;
    bool present = false;
    if (!GetStringView(o, key, where, &s, &present)) return false;
    if (present) out->assign(s.data(), s.size());
    return true;
  }

  // An id: a string of digits (as v2 sends them) or a JSON number. Absent or null leaves *out.
  bool GetIdValue(dom::element e, std::string_view field, uint64_t* out) {
    std::string_view s;
    if (e.get_string().get(s) == simdjson::SUCCESS) {
      if (!ParseUint(s, out)) return WrongType(field, "a numeric id string");
      return true;
    }
    if (e.get_uint64().get(*out) == simdjson::SUCCESS) return true;
    return WrongType(field, "a numeric id string");
  }

  bool GetId(dom::object o, std::string_view key, std::string_view where, uint64_t* out) {
    bool present = false;
    dom::element e = Lookup(o, key, &present);
    if (!present) return true;
    return GetIdValue(e, Join(where, key), out);
  }

  bool GetCount(dom::object o, std::string_view key, std::string_view where, int64_t* out) {
    bool present = false;
    dom::element e = Lookup(o, key, &present);
    if (!present) return true;
    if (e.get_int64().get(*out) != simdjson::SUCCESS)
      return WrongType(Join(where, key), "a number");
    return true;
  }

  bool GetBool(dom::object o, std::string_view key, std::string_view where, bool* out) {
    bool present = false;
    dom::element e = Lookup(o, key, &present);
    if (!present) return true;
    if (e.get_bool().get(*out) != simdjson::SUCCESS)
      return WrongType(Join(where, key), "a boolean");
    return true;
  }

  bool GetObject(dom::object o, std::string_view key, std::string_view where, dom::object* out,
                 bool* present) {
    dom::element e = Lookup(o, key, present);
    if (!*present) return true;
    if (e.get_object().get(*out) != simdjson::SUCCESS) {
      return WrongType(Join(where, key), "an object");
    }
    return true;
  }

  bool GetArray(dom::object o, std::string_view key, std::string_view where, dom::array* out,
                bool* present) {
    dom::element e = Lookup(o, key, present);
    if (!*present) return true;
    if (e.get_array().get(*out) != simdjson::SUCCESS)
      return WrongType(Join(where, key), "an array");
    return true;
  }

  bool GetTime(dom::object o, std::string_view key, std::string_view where, int64_t* micros,
               bool* present) {
    std::string_view s;
    if (!GetStringView(o, key, where, &s, present)) return false;
    if (!*present) return true;
    std::optional<int64_t> t = ParseTwitterV2Time(s);
    if (!t) {
      return Fail(RejectReason::kBadTimestamp,
                  Join(where, key) + ": cannot parse \"" + std::string(s.substr(0, 64)) + "\"");
    }
    *micros = *t;
    return true;
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
    dom::element root;
    simdjson::error_code e =
        parser_.parse(reinterpret_cast<const uint8_t*>(buffer_.get()), record.size(), false)
            .get(root);
    if (e != simdjson::SUCCESS) {
      if (e == simdjson::DEPTH_ERROR) {
        return Fail(RejectReason::kTooDeep,
                    "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      }
      return Fail(ReasonFor(e), simdjson::error_message(e));
    }
    dom::object top;
    if (root.get_object().get(top) != simdjson::SUCCESS) {
      return Fail(RejectReason::kUnknownFormat, "top-level JSON value is not an object");
    }
    if (Has(top, "data")) return DecodePage(top, out);
    if (Has(top, "errors")) {
      result_ = DecodeResult::Control("v2_error");
      return true;
    }
    if (Has(top, "id") && (Has(top, "text") || Has(top, "author_id"))) {
      return DecodeFlatTweet(top, out);
    }
    if (Has(top, "id") && Has(top, "username")) {
      int64_t observed = 0;
      if (!RetrievedAt(top, &observed)) return false;
      if (!AddUser(top, "", nullptr)) return false;
      return EmitRemainingUsers(observed, out);
    }
    if (Has(top, "meta")) {
      result_ = DecodeResult::Control("v2_empty");
      return true;
    }
    if (Has(top, "id") && Has(top, "action")) {
      return Fail(RejectReason::kUnknownFormat, "a compliance record (\"action\") is not decoded");
    }
    std::string_view first_key;
    for (dom::key_value_pair kv : top) {
      first_key = kv.key;
      break;
    }
    return Fail(RejectReason::kUnknownFormat,
                first_key.empty() ? std::string("empty object")
                                  : "not a v2 page, tweet or user (first key \"" +
                                        std::string(first_key.substr(0, 64)) + "\")");
  }

  // twarc's "__twarc": {"retrieved_at": ...}; *micros stays 0 when absent.
  bool RetrievedAt(dom::object top, int64_t* micros) {
    dom::object meta;
    bool present = false;
    if (!GetObject(top, "__twarc", "", &meta, &present)) return false;
    if (!present) return true;
    return GetTime(meta, "retrieved_at", "__twarc", micros, &present);
  }

  enum class ItemKind { kTweet, kUser, kCount, kOther };

  static ItemKind KindOf(dom::element e) {
    dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) return ItemKind::kOther;
    if (Has(o, "text") || Has(o, "author_id")) return ItemKind::kTweet;
    if (Has(o, "username")) return ItemKind::kUser;
    if (Has(o, "tweet_count") && Has(o, "start")) return ItemKind::kCount;
    return ItemKind::kOther;
  }

  bool DecodePage(dom::object top, std::vector<Event>* out) {
    bool present = false;
    dom::element data = Lookup(top, "data", &present);
    std::vector<dom::element> items;
    dom::array arr;
    if (!present) {
      // "data": null
    } else if (data.get_array().get(arr) == simdjson::SUCCESS) {
      for (dom::element item : arr) items.push_back(item);
    } else if (data.is_object()) {
      items.push_back(data);
    } else {
      return WrongType("data", "an array or object");
    }
    dom::array errors;
    bool has_errors = false;
    if (!GetArray(top, "errors", "", &errors, &has_errors)) return false;
    if (items.empty()) {
      result_ = DecodeResult::Control(has_errors ? "v2_error" : "v2_empty");
      return true;
    }
    if (has_errors) pending_.error_entries += errors.size();
    const ItemKind kind = KindOf(items[0]);
    for (size_t i = 0; i < items.size(); ++i) {
      if (KindOf(items[i]) != kind || kind == ItemKind::kOther) {
        return Fail(RejectReason::kUnknownFormat,
                    Index("data", i) + ": not a tweet, user or tweet count" +
                        (kind == ItemKind::kOther ? "" : " like data[0]"));
      }
    }
    if (kind == ItemKind::kCount) {
      result_ = DecodeResult::Control("v2_counts");
      return true;
    }
    if (kind == ItemKind::kUser) {
      int64_t observed = 0;
      if (!RetrievedAt(top, &observed)) return false;
      for (size_t i = 0; i < items.size(); ++i) {
        if (!AddUser(items[i].get_object().value_unsafe(), Index("data", i), nullptr)) {
          return false;
        }
      }
      return EmitRemainingUsers(observed, out);
    }

    // Tweets: index data first (its copies are the fullest), then includes.
    for (size_t i = 0; i < items.size(); ++i) {
      dom::object t = items[i].get_object().value_unsafe();
      uint64_t id = 0;
      if (!AddTweet(t, Index("data", i), &id)) return false;
      data_.push_back(id);
    }
    dom::object includes;
    bool has_includes = false;
    if (!GetObject(top, "includes", "", &includes, &has_includes)) return false;
    if (has_includes) {
      dom::array list;
      bool has_list = false;
      if (!GetArray(includes, "users", "includes", &list, &has_list)) return false;
      if (has_list) {
        size_t i = 0;
        for (dom::element u : list) {
          std::string where = Index("includes.users", i++);
          dom::object uo;
          if (u.get_object().get(uo) != simdjson::SUCCESS) return WrongType(where, "an object");
          if (!AddUser(uo, where, nullptr)) return false;
        }
      }
      if (!GetArray(includes, "tweets", "includes", &list, &has_list)) return false;
      if (has_list) {
        size_t i = 0;
        for (dom::element t : list) {
          std::string where = Index("includes.tweets", i++);
          dom::object to;
          if (t.get_object().get(to) != simdjson::SUCCESS) return WrongType(where, "an object");
          uint64_t id = 0;
          if (!AddTweet(to, where, &id)) return false;
        }
      }
      if (!GetArray(includes, "places", "includes", &list, &has_list)) return false;
      if (has_list) {
        for (dom::element p : list) {
          dom::object po;
          std::string_view place_id;
          if (p.get_object().get(po) == simdjson::SUCCESS &&
              po["id"].get_string().get(place_id) == simdjson::SUCCESS) {
            places_.emplace(place_id, po);
          }
        }
      }
    }
    return EmitData(out);
  }

  // A flattened (or bare) tweet: the same as a page holding it, with what twarc inlines indexed.
  bool DecodeFlatTweet(dom::object top, std::vector<Event>* out) {
    uint64_t id = 0;
    if (!AddFlatTweet(top, "", 0, &id)) return false;
    data_.push_back(id);
    return EmitData(out);
  }

  bool AddFlatTweet(dom::object t, const std::string& where, int depth, uint64_t* id) {
    if (!AddTweet(t, where, id)) return false;
    dom::object user;
    bool present = false;
    if (!GetObject(t, "author", where, &user, &present)) return false;
    if (present && !AddUser(user, Join(where, "author"), nullptr)) return false;
    if (!GetObject(t, "in_reply_to_user", where, &user, &present)) return false;
    if (present && !AddUser(user, Join(where, "in_reply_to_user"), nullptr)) return false;
    dom::object entities;
    if (!GetObject(t, "entities", where, &entities, &present)) return false;
    if (present) {
      dom::array mentions;
      if (!GetArray(entities, "mentions", Join(where, "entities"), &mentions, &present)) {
        return false;
      }
      if (present) {
        size_t i = 0;
        for (dom::element m : mentions) {
          std::string mwhere = Index(Join(where, "entities.mentions"), i++);
          dom::object mo;
          if (m.get_object().get(mo) != simdjson::SUCCESS) return WrongType(mwhere, "an object");
          // An inlined user carries its profile ("name"); a plain mention only the handle.
          if (Has(mo, "id") && Has(mo, "name") && !AddUser(mo, mwhere, nullptr)) return false;
        }
      }
    }
    if (depth >= kMaxReferenceDepth) return true;
    dom::array refs;
    if (!GetArray(t, "referenced_tweets", where, &refs, &present)) return false;
    if (!present) return true;
    size_t i = 0;
    for (dom::element r : refs) {
      std::string rwhere = Index(Join(where, "referenced_tweets"), i++);
      dom::object ro;
      if (r.get_object().get(ro) != simdjson::SUCCESS) return WrongType(rwhere, "an object");
      // Inlined when it carries more than {"type","id"}.
      if (!Has(ro, "created_at") && !Has(ro, "text") && !Has(ro, "author_id")) continue;
      uint64_t ref_id = 0;
      if (!AddFlatTweet(ro, rwhere, depth + 1, &ref_id)) return false;
    }
    return true;
  }

  // Indexes a tweet object by id (the first copy of an id wins) and its edit chain.
  bool AddTweet(dom::object t, const std::string& where, uint64_t* id) {
    *id = 0;
    if (!GetId(t, "id", where, id)) return false;
    if (*id == 0) return Fail(RejectReason::kMissingField, Join(where, "id"));
    tweets_.try_emplace(*id, TweetEntry{t, where});
    dom::array history;
    bool present = false;
    if (!GetArray(t, "edit_history_tweet_ids", where, &history, &present)) return false;
    if (!present || history.size() < 2) return true;
    std::vector<uint64_t> chain;
    for (dom::element e : history) {
      uint64_t v = 0;
      if (!GetIdValue(e, Join(where, "edit_history_tweet_ids"), &v)) return false;
      if (v != 0) chain.push_back(v);
    }
    if (chain.size() < 2) return true;
    for (uint64_t v : chain) canonical_.try_emplace(v, chain.front());
    uint64_t& newest = newest_[chain.front()];
    newest = std::max(newest, chain.back());
    return true;
  }

  // Indexes a user object by id (the first copy wins).
  bool AddUser(dom::object u, const std::string& where, uint64_t* id_out) {
    uint64_t id = 0;
    if (!GetId(u, "id", where, &id)) return false;
    if (id == 0) return Fail(RejectReason::kMissingField, Join(where, "id"));
    if (id_out != nullptr) *id_out = id;
    if (user_index_.contains(id)) return true;
    user_index_.emplace(id, users_.size());
    users_.push_back(UserEntry{id, u, where});
    std::string_view handle;
    if (u["username"].get_string().get(handle) == simdjson::SUCCESS) {
      user_by_handle_.try_emplace(Lower(handle), id);
    }
    return true;
  }

  uint64_t Canonical(uint64_t id) const {
    auto it = canonical_.find(id);
    return it == canonical_.end() ? id : it->second;
  }

  // The entry of the newest version of tweet `id` the record carries, or nullptr.
  const TweetEntry* Find(uint64_t id) const {
    auto canon = canonical_.find(id);
    if (canon != canonical_.end()) {
      auto newest = newest_.find(canon->second);
      if (newest != newest_.end()) {
        auto it = tweets_.find(newest->second);
        if (it != tweets_.end()) return &it->second;
      }
    }
    auto it = tweets_.find(id);
    return it == tweets_.end() ? nullptr : &it->second;
  }

  // author_id of a tweet the record carries; 0 if unknown or not a valid id.
  uint64_t AuthorOf(uint64_t tweet_id) const {
    const TweetEntry* entry = Find(tweet_id);
    if (entry == nullptr) return 0;
    std::string_view s;
    uint64_t id = 0;
    if (entry->obj["author_id"].get_string().get(s) == simdjson::SUCCESS && ParseUint(s, &id)) {
      return id;
    }
    return 0;
  }

  bool EmitData(std::vector<Event>* out) {
    for (uint64_t id : data_) {
      if (!EmitTweet(*Find(id), true, 0, 0, out)) return false;
    }
    return EmitRemainingUsers(newest_time_, out);
  }

  bool EmitRemainingUsers(int64_t observed, std::vector<Event>* out) {
    for (UserEntry& u : users_) {
      if (u.emitted) continue;
      if (!EmitUser(u, observed, out)) return false;
    }
    return true;
  }

  bool EmitUser(UserEntry& u, int64_t observed, std::vector<Event>* out) {
    u.emitted = true;
    model::UserSnapshot user;
    user.id = UserId(u.id);
    user.platform = model::Platform::kTwitter;
    const std::string& w = u.where;
    if (!GetString(u.obj, "username", w, &user.handle) ||
        !GetString(u.obj, "name", w, &user.name) ||
        !GetString(u.obj, "location", w, &user.location) ||
        !GetBool(u.obj, "verified", w, &user.verified)) {
      return false;
    }
    dom::object metrics;
    bool present = false;
    if (!GetObject(u.obj, "public_metrics", w, &metrics, &present)) return false;
    if (present) {
      std::string mw = Join(w, "public_metrics");
      if (!GetCount(metrics, "followers_count", mw, &user.followers) ||
          !GetCount(metrics, "following_count", mw, &user.following) ||
          !GetCount(metrics, "tweet_count", mw, &user.posts)) {
        return false;
      }
    }
    int64_t created = 0;
    if (!GetTime(u.obj, "created_at", w, &created, &present)) return false;
    user.created = EventTime::FromMicros(created);
    user.observed = EventTime::FromMicros(observed);
    model::Withheld withheld;
    if (!DecodeWithheld(u.obj, w, &withheld.countries)) return false;
    out->emplace_back(std::move(user));
    if (!withheld.countries.empty()) {
      withheld.user = UserId(u.id);
      withheld.time = EventTime::FromMicros(observed);
      withheld.platform = model::Platform::kTwitter;
      out->emplace_back(std::move(withheld));
    }
    return true;
  }

  // Emits the tweet of `entry` (unless its post was emitted already in this record): the tweets it
  // references that the record carries, its author's snapshot, then the post. `observed` is the
  // time of the data tweet that led here (unused for a data tweet: its own time).
  bool EmitTweet(const TweetEntry& entry, bool is_data, int64_t observed, int depth,
                 std::vector<Event>* out) {
    const std::string& w = entry.where;
    dom::object t = entry.obj;
    uint64_t raw_id = 0;
    if (!GetId(t, "id", w, &raw_id)) return false;
    const uint64_t id = Canonical(raw_id);
    if (!emitted_posts_.insert(id).second) return true;

    model::Post post;
    post.id = PostId(id);
    post.platform = model::Platform::kTwitter;
    uint64_t author = 0;
    if (!GetId(t, "author_id", w, &author)) return false;
    int64_t created = 0;
    bool has_created = false;
    if (!GetTime(t, "created_at", w, &created, &has_created)) return false;
    if (author == 0 || !has_created) {
      if (!is_data) return true;  // trimmed by the request's fields: only its id is known
      return Fail(RejectReason::kMissingField, Join(w, author == 0 ? "author_id" : "created_at"));
    }
    post.author = UserId(author);
    post.time = EventTime::FromMicros(created);
    if (is_data) newest_time_ = std::max(newest_time_, created);
    const int64_t seen = is_data ? created : observed;
    if (!is_data) post.observed = EventTime::FromMicros(observed);

    if (!GetString(t, "text", w, &post.text) || !GetString(t, "lang", w, &post.lang)) return false;
    std::vector<Reference> refs;
    if (!DecodeReferences(t, w, &refs)) return false;
    uint64_t reply_user = 0;
    if (!GetId(t, "in_reply_to_user_id", w, &reply_user)) return false;
    if (!DecodeMetrics(t, w, &post.counters) || !DecodeEntities(t, w, &post) ||
        !DecodeGeo(t, w, &post)) {
      return false;
    }
    model::Withheld withheld;
    if (!DecodeWithheld(t, w, &withheld.countries)) return false;
    if (!withheld.countries.empty()) ++pending_.withheld_posts;
    if (canonical_.contains(raw_id)) ++pending_.edited_posts;

    uint64_t reshared = 0, quoted = 0, replied = 0;
    for (const Reference& r : refs) {
      if (r.type == "retweeted" && reshared == 0) reshared = r.id;
      if (r.type == "quoted" && quoted == 0) quoted = r.id;
      if (r.type == "replied_to" && replied == 0) replied = r.id;
    }
    if (replied != 0) {
      post.in_reply_to = PostId(Canonical(replied));
      post.in_reply_to_user = UserId(reply_user != 0 ? reply_user : AuthorOf(replied));
    }
    if (reshared != 0) {
      post.kind = model::PostKind::kReshare;
      post.parent = PostId(Canonical(reshared));
      post.parent_author = UserId(AuthorOf(reshared));
    } else if (quoted != 0) {
      post.kind = model::PostKind::kQuote;
      post.parent = PostId(Canonical(quoted));
      post.parent_author = UserId(AuthorOf(quoted));
    } else if (replied != 0) {
      post.kind = model::PostKind::kReply;
    }

    if (depth < kMaxReferenceDepth) {
      for (const Reference& r : refs) {
        const TweetEntry* ref = Find(r.id);
        if (ref != nullptr && !EmitTweet(*ref, false, seen, depth + 1, out)) return false;
      }
    }
    auto user = user_index_.find(author);
    if (user != user_index_.end() && !users_[user->second].emitted) {
      if (!EmitUser(users_[user->second], seen, out)) return false;
    }
    if (!withheld.countries.empty()) {
      withheld.post = post.id;
      withheld.user = post.author;
      withheld.time = post.time;
      withheld.platform = model::Platform::kTwitter;
      out->emplace_back(std::move(post));
      out->emplace_back(std::move(withheld));
      return true;
    }
    out->emplace_back(std::move(post));
    return true;
  }

  // "withheld": {"copyright": false, "country_codes": ["IN"], "scope": "user"} on a tweet or a
  // user: the country codes, upper-cased and distinct, into *countries (left empty when absent).
  bool DecodeWithheld(dom::object o, const std::string& w, std::vector<std::string>* countries) {
    dom::object withheld;
    bool present = false;
    if (!GetObject(o, "withheld", w, &withheld, &present)) return false;
    if (!present) return true;
    const std::string ww = Join(w, "withheld");
    dom::array codes;
    if (!GetArray(withheld, "country_codes", ww, &codes, &present)) return false;
    if (!present) return true;
    for (dom::element e : codes) {
      std::string_view code;
      if (e.get_string().get(code) != simdjson::SUCCESS || !AddCountryCode(code, countries)) {
        return WrongType(Join(ww, "country_codes"), "two-letter country codes");
      }
    }
    return true;
  }

  bool DecodeReferences(dom::object t, const std::string& w, std::vector<Reference>* refs) {
    dom::array arr;
    bool present = false;
    if (!GetArray(t, "referenced_tweets", w, &arr, &present)) return false;
    if (!present) return true;
    size_t i = 0;
    for (dom::element e : arr) {
      std::string rw = Index(Join(w, "referenced_tweets"), i++);
      dom::object ro;
      if (e.get_object().get(ro) != simdjson::SUCCESS) return WrongType(rw, "an object");
      Reference r;
      bool has_type = false;
      if (!GetStringView(ro, "type", rw, &r.type, &has_type)) return false;
      if (!GetId(ro, "id", rw, &r.id)) return false;
      if (!has_type) return Fail(RejectReason::kMissingField, Join(rw, "type"));
      if (r.id == 0) return Fail(RejectReason::kMissingField, Join(rw, "id"));
      refs->push_back(r);
    }
    return true;
  }

  bool DecodeMetrics(dom::object t, const std::string& w, model::PlatformCounters* counters) {
    dom::object m;
    bool present = false;
    if (!GetObject(t, "public_metrics", w, &m, &present)) return false;
    if (!present) return true;
    std::string mw = Join(w, "public_metrics");
    return GetCount(m, "retweet_count", mw, &counters->reshares) &&
           GetCount(m, "like_count", mw, &counters->likes) &&
           GetCount(m, "reply_count", mw, &counters->replies) &&
           GetCount(m, "quote_count", mw, &counters->quotes);
  }

  // Calls fn(object, where) for each object of entities.<key>[].
  template <class Fn>
  bool ForEachEntity(dom::object entities, std::string_view key, const std::string& ew, Fn fn) {
    dom::array arr;
    bool present = false;
    if (!GetArray(entities, key, ew, &arr, &present)) return false;
    if (!present) return true;
    size_t i = 0;
    for (dom::element e : arr) {
      std::string where = Index(Join(ew, key), i++);
      dom::object o;
      if (e.get_object().get(o) != simdjson::SUCCESS) return WrongType(where, "an object");
      if (!fn(o, where)) return false;
    }
    return true;
  }

  bool DecodeEntities(dom::object t, const std::string& w, model::Post* post) {
    dom::object entities;
    bool present = false;
    if (!GetObject(t, "entities", w, &entities, &present)) return false;
    if (!present) return true;
    const std::string ew = Join(w, "entities");
    auto hashtag = [&](dom::object o, const std::string& where) {
      return DecodeHashtag(o, where, post);
    };
    auto mention = [&](dom::object o, const std::string& where) {
      return DecodeMention(o, where, post);
    };
    auto url = [&](dom::object o, const std::string& where) { return DecodeUrl(o, where, post); };
    return ForEachEntity(entities, "hashtags", ew, hashtag) &&
           ForEachEntity(entities, "mentions", ew, mention) &&
           ForEachEntity(entities, "urls", ew, url);
  }

  // {"tag": "BlackLivesMatter", "start": .., "end": ..}
  bool DecodeHashtag(dom::object o, const std::string& where, model::Post* post) {
    std::string_view tag;
    bool has = false;
    if (!GetStringView(o, "tag", where, &tag, &has)) return false;
    if (has && !tag.empty()) post->hashtags.emplace_back(tag);
    return true;
  }

  // {"username": "..", "id": ".."}; the id is absent unless the request expanded mentions, then
  // the includes.users entry with that username gives it.
  bool DecodeMention(dom::object o, const std::string& where, model::Post* post) {
    model::Mention m;
    uint64_t id = 0;
    if (!GetString(o, "username", where, &m.handle) || !GetId(o, "id", where, &id)) return false;
    if (id == 0 && !m.handle.empty()) {
      auto it = user_by_handle_.find(Lower(m.handle));
      if (it != user_by_handle_.end()) id = it->second;
    }
    m.user = UserId(id);
    if (id != 0 || !m.handle.empty()) post->mentions.push_back(std::move(m));
    return true;
  }

  // {"url": "https://t.co/..", "expanded_url": ".."}: the expanded form when given.
  bool DecodeUrl(dom::object o, const std::string& where, model::Post* post) {
    std::string_view url, expanded;
    bool has_url = false, has_expanded = false;
    if (!GetStringView(o, "expanded_url", where, &expanded, &has_expanded) ||
        !GetStringView(o, "url", where, &url, &has_url)) {
      return false;
    }
    if (has_expanded && !expanded.empty()) {
      post->urls.emplace_back(expanded);
    } else if (has_url && !url.empty()) {
      post->urls.emplace_back(url);
    }
    return true;
  }

  bool ReadPlace(dom::object o, const std::string& where, model::Place* place) {
    if (!GetString(o, "country_code", where, &place->country_code) ||
        !GetString(o, "full_name", where, &place->full_name)) {
      return false;
    }
    for (char& c : place->country_code) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return true;
  }

  bool DecodeGeo(dom::object t, const std::string& w, model::Post* post) {
    dom::object geo;
    bool present = false;
    if (!GetObject(t, "geo", w, &geo, &present)) return false;
    if (!present) return true;
    const std::string gw = Join(w, "geo");
    std::string_view place_id;
    bool has_place = false;
    if (!GetStringView(geo, "place_id", gw, &place_id, &has_place)) return false;
    if (Has(geo, "country_code") || Has(geo, "full_name")) {  // twarc inlines the place here
      model::Place place;
      if (!ReadPlace(geo, gw, &place)) return false;
      post->place = std::move(place);
    } else if (has_place) {
      auto it = places_.find(place_id);
      if (it != places_.end()) {
        model::Place place;
        if (!ReadPlace(it->second, "includes.places", &place)) return false;
        post->place = std::move(place);
      }
    }
    dom::object point;
    if (!GetObject(geo, "coordinates", gw, &point, &present)) return false;
    if (!present) return true;
    dom::array lonlat;
    const std::string cw = Join(gw, "coordinates");
    if (!GetArray(point, "coordinates", cw, &lonlat, &present)) return false;
    if (!present) return true;
    double v[2] = {0, 0};
    size_t n = 0;
    for (dom::element e : lonlat) {
      if (n < 2 && e.get_double().get(v[n]) != simdjson::SUCCESS) {
        return WrongType(Join(cw, "coordinates"), "[longitude, latitude] numbers");
      }
      ++n;
    }
    if (n != 2) return WrongType(Join(cw, "coordinates"), "[longitude, latitude]");
    post->coordinates = model::GeoPoint{v[1], v[0]};
    return true;
  }

  dom::parser parser_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  DecodeResult result_;
  RejectReason reason_ = RejectReason::kMalformedJson;
  std::string detail_;
  Notes notes_;
  Notes pending_;  // notes of the record being decoded, kept only if it is accepted

  // Index of the record being decoded.
  std::vector<uint64_t> data_;                                // ids of the data tweets, in order
  std::unordered_map<uint64_t, TweetEntry> tweets_;           // every tweet object by id
  std::vector<UserEntry> users_;                              // every user object, first seen first
  std::unordered_map<uint64_t, size_t> user_index_;           // user id -> users_ index
  std::unordered_map<std::string, uint64_t> user_by_handle_;  // lower-case username -> id
  std::unordered_map<std::string_view, dom::object> places_;  // includes.places by id
  std::unordered_map<uint64_t, uint64_t> canonical_;  // edited version id -> first id of its chain
  std::unordered_map<uint64_t, uint64_t> newest_;     // first id of a chain -> newest id
  std::unordered_set<uint64_t> emitted_posts_;        // canonical ids emitted in this record
  int64_t newest_time_ = 0;                           // newest data tweet time
};

TwitterV2Decoder::TwitterV2Decoder() : impl_(std::make_unique<Impl>()) {}
TwitterV2Decoder::~TwitterV2Decoder() = default;

DecodeResult TwitterV2Decoder::Decode(std::string_view record, std::vector<model::Event>* out) {
  return impl_->Decode(record, out);
}

const TwitterV2Decoder::Notes& TwitterV2Decoder::notes() const { return impl_->notes(); }

}  // namespace reach::ingest
