#include "ingest/mastodon_decoder.h"

#include <simdjson.h>

#include <cstring>
#include <string>

#include "common/stable_hash.h"
#include "ingest/decode_util.h"

namespace reach::ingest {
namespace {

namespace dom = simdjson::dom;
using model::Event;

constexpr int kMaxStatusNesting = 32;  // statuses embedded in statuses (reblog of a quote ...)

// The host of an http(s) URL, lower-cased: "https://Mastodon.social/@a/1" -> "mastodon.social".
std::string UrlHost(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (size_t at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  std::string host(url);
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return host;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the character reference at s[i] == '&'; returns the bytes consumed (0: not one).
size_t DecodeEntity(std::string_view s, size_t i, std::string* out) {
  size_t semi = s.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  std::string_view name = s.substr(i + 1, semi - i - 1);
  if (name.size() >= 2 && name[0] == '#') {
    uint32_t cp = 0;
    bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      uint32_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (hex && c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return 0;
      }
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF) return 0;
    }
    AppendUtf8(cp, out);
    return semi - i + 1;
  }
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
  for (const auto& [entity, text] : kNamed) {
    if (name == entity) {
      *out += text;
      return semi - i + 1;
    }
  }
  return 0;
}

void AppendDecoded(std::string_view s, std::string* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      if (size_t n = DecodeEntity(s, i, out); n > 0) {
        i += n - 1;
        continue;
      }
    }
    out->push_back(s[i]);
  }
}

// The value of attribute `name` in the inside of a tag ("a href=\"x\" class=\"y\""), raw.
std::string_view Attribute(std::string_view tag, std::string_view name) {
  size_t i = 0;
  while (i < tag.size()) {
    // Attribute name.
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n' || tag[i] == '/')) {
      ++i;
    }
    size_t start = i;
    while (i < tag.size() && tag[i] != '=' && tag[i] != ' ' && tag[i] != '\t' && tag[i] != '\n') {
      ++i;
    }
    std::string_view attr = tag.substr(start, i - start);
    std::string_view value;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
        char quote = tag[i++];
        size_t end = tag.find(quote, i);
        if (end == std::string_view::npos) end = tag.size();
        value = tag.substr(i, end - i);
        i = end + 1;
      } else {
        size_t end = tag.find_first_of(" \t\n", i);
        if (end == std::string_view::npos) end = tag.size();
        value = tag.substr(i, end - i);
        i = end;
      }
    }
    if (attr.size() == name.size()) {
      bool same = true;
      for (size_t k = 0; k < attr.size() && same; ++k) {
        char c = attr[k];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        same = c == name[k];
      }
      if (same) return value;
    }
    if (i == start) ++i;  // no progress: skip a stray byte
  }
  return {};
}

}  // namespace

uint64_t MastodonId(std::string_view instance, std::string_view local_id) {
  std::string key;
  key.reserve(instance.size() + 1 + local_id.size());
  key += instance;
  key += '/';
  key += local_id;
  return StableHash64(key);
}

std::optional<int64_t> ParseMastodonTime(std::string_view s) {
  // YYYY-MM-DD[(T|t| )HH:MM[:SS[.fraction]]][Z|z|(+|-)HH[:]MM]
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!Digits(s, 0, 4, &year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day)) {
    return std::nullopt;
  }
  size_t i = 10;
  int64_t micros = 0;
  int64_t offset = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return std::nullopt;
    if (!Digits(s, i + 1, 2, &hour) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !Digits(s, i + 4, 2, &minute)) {
      return std::nullopt;
    }
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!Digits(s, i + 1, 2, &second)) return std::nullopt;
      i += 3;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        size_t start = i;
        int64_t scale = 100000;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          micros += (s[i] - '0') * scale;
          scale /= 10;
          ++i;
        }
        if (i == start) return std::nullopt;
      }
    }
    if (i < s.size()) {
      if (s[i] == 'Z' || s[i] == 'z') {
        ++i;
      } else if (s[i] == '+' || s[i] == '-') {
        int off_h = 0, off_m = 0;
        int sign = s[i] == '-' ? -1 : 1;
        if (!Digits(s, i + 1, 2, &off_h)) return std::nullopt;
        i += 3;
        if (i < s.size() && s[i] == ':') ++i;
        if (i < s.size()) {
          if (!Digits(s, i, 2, &off_m)) return std::nullopt;
          i += 2;
        }
        if (off_h > 23 || off_m > 59) return std::nullopt;
        offset = sign * (off_h * 3600 + off_m * 60);
      } else {
        return std::nullopt;
      }
    }
    if (i != s.size()) return std::nullopt;
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

std::string MastodonHtmlToText(std::string_view html, std::vector<std::string>* links) {
  std::string text;
  text.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '&') {
      if (size_t n = DecodeEntity(html, i, &text); n > 0) {
        i += n;
        continue;
      }
      text.push_back(c);
      ++i;
      continue;
    }
    if (c != '<') {
      text.push_back(c);
      ++i;
      continue;
    }
    // A tag: find its end outside quoted attribute values.
    size_t j = i + 1;
    char quote = 0;
    while (j < html.size() && (quote != 0 || html[j] != '>')) {
      if (quote != 0) {
        if (html[j] == quote) quote = 0;
      } else if (html[j] == '"' || html[j] == '\'') {
        quote = html[j];
      }
      ++j;
    }
    std::string_view tag = html.substr(i + 1, j - i - 1);
    i = j < html.size() ? j + 1 : j;
    bool closing = !tag.empty() && tag[0] == '/';
    if (closing) tag.remove_prefix(1);
    size_t name_end = tag.find_first_of(" \t\n/");
    std::string name(tag.substr(0, name_end));
    for (char& ch : name) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    std::string_view attrs = name_end == std::string_view::npos ? "" : tag.substr(name_end);
    if (name == "br") {
      text.push_back('\n');
    } else if (name == "p" && !closing) {
      if (!text.empty()) text += "\n\n";
    } else if (name == "a" && !closing && links != nullptr) {
      std::string_view cls = Attribute(attrs, "class");
      std::string_view href = Attribute(attrs, "href");
      if (!href.empty() && cls.find("mention") == std::string_view::npos &&
          cls.find("hashtag") == std::string_view::npos) {
        std::string decoded;
        AppendDecoded(href, &decoded);
        links->push_back(std::move(decoded));
      }
    }
  }
  return text;
}

class MastodonDecoder::Impl {
 public:
  explicit Impl(MastodonOptions options) : options_(std::move(options)) {}

  DecodeResult Decode(std::string_view record, std::vector<Event>* out) {
    size_t mark = out->size();
    result_ = DecodeResult::Accept();
    if (!DecodeDocument(record, out)) {
      out->erase(out->begin() + static_cast<std::ptrdiff_t>(mark), out->end());
      return DecodeResult::Reject(reason_, std::move(detail_));
    }
    return result_;
  }

 private:
  struct StatusRef {
    PostId id;
    UserId author;
  };

  bool Fail(RejectReason reason, std::string detail) {
    reason_ = reason;
    detail_ = std::move(detail);
    return false;
  }
  bool WrongType(std::string_view path, std::string_view expected) {
    return Fail(RejectReason::kWrongType,
                std::string(path) + ": expected " + std::string(expected));
  }
  bool Missing(std::string_view path) {
    return Fail(RejectReason::kMissingField, std::string(path));
  }

  // A field of `obj`; false when absent or null.
  static bool Get(dom::object obj, std::string_view key, dom::element* out) {
    if (obj.at_key(key).get(*out) != simdjson::SUCCESS) return false;
    return !out->is_null();
  }
  static bool Has(dom::object obj, std::string_view key) {
    dom::element e;
    return obj.at_key(key).get(e) == simdjson::SUCCESS;
  }

  bool String(dom::object obj, std::string_view key, std::string_view path, std::string_view* out,
              bool* present) {
    dom::element e;
    *present = Get(obj, key, &e);
    if (!*present) return true;
    if (e.get_string().get(*out) != simdjson::SUCCESS) return WrongType(path, "a string");
    return true;
  }

  bool Object(dom::object obj, std::string_view key, std::string_view path, dom::object* out,
              bool* present) {
    dom::element e;
    *present = Get(obj, key, &e);
    if (!*present) return true;
    if (e.get_object().get(*out) != simdjson::SUCCESS) return WrongType(path, "an object");
    return true;
  }

  bool Array(dom::object obj, std::string_view key, std::string_view path, dom::array* out,
             bool* present) {
    dom::element e;
    *present = Get(obj, key, &e);
    if (!*present) return true;
    if (e.get_array().get(*out) != simdjson::SUCCESS) return WrongType(path, "an array");
    return true;
  }

  // An id: a non-empty string (Mastodon) or a non-negative integer; *out holds its text.
  bool Id(dom::element e, std::string_view path, std::string* out) {
    std::string_view s;
    uint64_t n = 0;
    if (e.get_string().get(s) == simdjson::SUCCESS) {
      out->assign(s);
    } else if (e.get_uint64().get(n) == simdjson::SUCCESS) {
      *out = std::to_string(n);
    } else {
      return WrongType(path, "a string or integer id");
    }
    return true;
  }

  bool OptionalId(dom::object obj, std::string_view key, std::string_view path, std::string* out) {
    dom::element e;
    if (!Get(obj, key, &e)) return true;
    return Id(e, path, out);
  }

  bool Count(dom::object obj, std::string_view key, std::string_view path, int64_t* out) {
    dom::element e;
    if (!Get(obj, key, &e)) return true;
    if (e.get_int64().get(*out) != simdjson::SUCCESS) return WrongType(path, "an integer");
    return true;
  }

  bool Time(dom::object obj, std::string_view key, std::string_view path, EventTime* out,
            bool required) {
    std::string_view s;
    bool present = false;
    if (!String(obj, key, path, &s, &present)) return false;
    if (!present) return !required || Missing(path);
    std::optional<int64_t> t = ParseMastodonTime(s);
    if (!t) {
      return Fail(RejectReason::kBadTimestamp,
                  std::string(path) + ": cannot parse \"" + std::string(s.substr(0, 64)) + "\"");
    }
    *out = EventTime::FromMicros(*t);
    return true;
  }

  // Parses `json` with `parser` over `buffer` (padded copy).
  bool Parse(dom::parser& parser, std::unique_ptr<char[]>& buffer, size_t& capacity,
             std::string_view json, std::string_view what, dom::element* doc) {
    if (json.size() + simdjson::SIMDJSON_PADDING > capacity) {
      capacity = json.size() + simdjson::SIMDJSON_PADDING;
      buffer = std::make_unique<char[]>(capacity);
    }
    std::memcpy(buffer.get(), json.data(), json.size());
    std::memset(buffer.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);
    simdjson::error_code e = parser.parse(buffer.get(), json.size(), false).get(*doc);
    if (e != simdjson::SUCCESS) {
      std::string detail(what);
      if (!detail.empty()) detail += ": ";
      detail += simdjson::error_message(e);
      return Fail(ReasonFor(e), std::move(detail));
    }
    return true;
  }

  bool DecodeDocument(std::string_view record, std::vector<Event>* out) {
    dom::element doc;
    if (!Parse(parser_, buffer_, capacity_, record, "", &doc)) return false;
    dom::object root;
    if (doc.get_object().get(root) != simdjson::SUCCESS) {
      return Fail(RejectReason::kUnknownFormat, "not a JSON object");
    }
    std::string_view source_host;
    bool has_host = false;
    if (!String(root, "_source_host", "_source_host", &source_host, &has_host)) return false;
    std::string instance = has_host ? std::string(source_host) : options_.instance;

    if (Has(root, "event")) return DecodeStreamingEvent(root, instance, out);
    dom::object status;
    if (Has(root, "account") && (Has(root, "content") || Has(root, "uri"))) {
      status = root;
    } else if (Has(root, "status") && !Has(root, "account")) {
      bool present = false;
      if (!Object(root, "status", "status", &status, &present)) return false;
      if (!present) return Missing("status");
    } else {
      return Fail(RejectReason::kUnknownFormat, "not a Mastodon status or streaming event");
    }
    return DecodeTopStatus(status, instance, /*edit=*/false, out);
  }

  bool DecodeStreamingEvent(dom::object root, const std::string& instance,
                            std::vector<Event>* out) {
    std::string_view event;
    bool present = false;
    if (!String(root, "event", "event", &event, &present)) return false;
    if (!present) return Missing("event");
    const bool update = event == "update";
    const bool edit = event == "status.update";
    const bool del = event == "delete";
    if (!update && !edit && !del) {
      result_ = DecodeResult::Control("other_event");
      return true;
    }
    dom::element payload;
    if (!Get(root, "payload", &payload)) return Missing("payload");
    if (del) {
      std::string id;
      if (!Id(payload, "payload", &id)) return false;
      if (id.empty()) return Missing("payload");
      result_ = DecodeResult::Control("delete");
      if (instance.empty()) return true;  // the id cannot be mapped without its instance
      model::Delete d;
      d.post = PostId(MastodonId(instance, id));
      d.platform = model::Platform::kMastodon;
      out->emplace_back(d);
      return true;
    }
    dom::object status;
    std::string_view text;
    if (payload.get_string().get(text) == simdjson::SUCCESS) {
      dom::element inner;
      if (!Parse(payload_parser_, payload_buffer_, payload_capacity_, text, "payload", &inner)) {
        return false;
      }
      if (inner.get_object().get(status) != simdjson::SUCCESS) {
        return WrongType("payload", "a status object");
      }
    } else if (payload.get_object().get(status) != simdjson::SUCCESS) {
      return WrongType("payload", "a JSON string or object");
    }
    if (!DecodeTopStatus(status, instance, edit, out)) {
      detail_ = "payload." + detail_;
      return false;
    }
    if (edit) result_ = DecodeResult::Control("status_update");
    return true;
  }

  bool DecodeTopStatus(dom::object status, std::string instance, bool edit,
                       std::vector<Event>* out) {
    if (instance.empty()) {
      std::string_view uri;
      bool present = false;
      if (!String(status, "uri", "uri", &uri, &present)) return false;
      if (!present || UrlHost(uri).empty()) {
        if (!String(status, "url", "url", &uri, &present)) return false;
      }
      if (present) instance = UrlHost(uri);
      if (instance.empty()) return Missing("uri (the instance of the status ids)");
    }
    StatusRef ref;
    return DecodeStatus(status, instance, 0, edit, out, &ref);
  }

  bool DecodeAccount(dom::object account, const std::string& instance, model::UserSnapshot* user) {
    dom::element e;
    std::string id;
    if (!Get(account, "id", &e)) return Missing("account.id");
    if (!Id(e, "account.id", &id)) return false;
    if (id.empty()) return Missing("account.id");
    user->id = UserId(MastodonId(instance, id));
    user->platform = model::Platform::kMastodon;
    std::string_view s;
    bool present = false;
    if (!String(account, "acct", "account.acct", &s, &present)) return false;
    if (present) user->handle.assign(s);
    if (!String(account, "display_name", "account.display_name", &s, &present)) return false;
    if (present) user->name.assign(s);
    if (!Count(account, "followers_count", "account.followers_count", &user->followers) ||
        !Count(account, "following_count", "account.following_count", &user->following) ||
        !Count(account, "statuses_count", "account.statuses_count", &user->posts) ||
        !Time(account, "created_at", "account.created_at", &user->created, false)) {
      return false;
    }
    return true;
  }

  bool DecodeStatus(dom::object status, const std::string& instance, int nesting, bool edit,
                    std::vector<Event>* out, StatusRef* ref) {
    model::Post post;
    model::UserSnapshot user;
    post.platform = model::Platform::kMastodon;
    const size_t first_event = out->size();

    dom::element e;
    std::string id;
    if (!Get(status, "id", &e)) return Missing("id");
    if (!Id(e, "id", &id)) return false;
    if (id.empty()) return Missing("id");
    post.id = PostId(MastodonId(instance, id));
    if (!Time(status, "created_at", "created_at", &post.time, true)) return false;

    dom::object account;
    bool present = false;
    if (!Object(status, "account", "account", &account, &present)) return false;
    if (!present) return Missing("account");
    if (!DecodeAccount(account, instance, &user)) return false;
    post.author = user.id;

    // Embedded statuses first: their events precede this one's.
    dom::object embedded;
    StatusRef reblogged;
    bool is_reblog = false;
    if (!Object(status, "reblog", "reblog", &embedded, &is_reblog)) return false;
    if (is_reblog && !Embedded(embedded, "reblog", instance, nesting, out, &reblogged)) {
      return false;
    }
    bool is_quote = false;
    StatusRef quoted;
    if (!is_reblog && !DecodeQuote(status, instance, nesting, out, &quoted, &is_quote)) {
      return false;
    }

    std::string_view s;
    if (!String(status, "content", "content", &s, &present)) return false;
    if (present) post.text = MastodonHtmlToText(s, &post.urls);
    if (!String(status, "language", "language", &s, &present)) return false;
    if (present) post.lang.assign(s);
    if (!DecodeTags(status, &post) || !DecodeMentions(status, instance, &post)) return false;

    std::string reply_to, reply_user;
    if (!OptionalId(status, "in_reply_to_id", "in_reply_to_id", &reply_to) ||
        !OptionalId(status, "in_reply_to_account_id", "in_reply_to_account_id", &reply_user)) {
      return false;
    }
    if (!reply_to.empty()) {
      post.in_reply_to = PostId(MastodonId(instance, reply_to));
      if (!reply_user.empty()) post.in_reply_to_user = UserId(MastodonId(instance, reply_user));
    }
    if (!Count(status, "replies_count", "replies_count", &post.counters.replies) ||
        !Count(status, "reblogs_count", "reblogs_count", &post.counters.reshares) ||
        !Count(status, "favourites_count", "favourites_count", &post.counters.likes) ||
        !Count(status, "quotes_count", "quotes_count", &post.counters.quotes)) {
      return false;
    }
    EventTime edited;
    if (edit && !Time(status, "edited_at", "edited_at", &edited, false)) return false;

    if (is_reblog) {
      post.kind = model::PostKind::kReshare;
      post.parent = reblogged.id;
      post.parent_author = reblogged.author;
    } else if (is_quote) {
      post.kind = model::PostKind::kQuote;
      post.parent = quoted.id;
      post.parent_author = quoted.author;
    } else if (post.in_reply_to.valid()) {
      post.kind = model::PostKind::kReply;
    }
    // Embedded copies were observed when this status was.
    for (size_t i = first_event; i < out->size(); ++i) {
      if (auto* u = std::get_if<model::UserSnapshot>(&(*out)[i])) {
        u->observed = post.time;
      } else if (auto* p = std::get_if<model::Post>(&(*out)[i])) {
        p->observed = post.time;
      }
    }
    if (edited.known()) post.observed = edited;
    user.observed = edited.known() ? edited : post.time;
    ref->id = post.id;
    ref->author = post.author;
    out->emplace_back(std::move(user));
    out->emplace_back(std::move(post));
    return true;
  }

  bool Embedded(dom::object obj, std::string_view field, const std::string& instance, int nesting,
                std::vector<Event>* out, StatusRef* ref) {
    if (nesting + 1 > kMaxStatusNesting) {
      return Fail(RejectReason::kTooDeep, std::string(field) + ": statuses embedded more than " +
                                              std::to_string(kMaxStatusNesting) + " deep");
    }
    if (!DecodeStatus(obj, instance, nesting + 1, /*edit=*/false, out, ref)) {
      detail_ = std::string(field) + "." + detail_;
      return false;
    }
    return true;
  }

  // quote: {"state": "accepted", "quoted_status": {..}} or {.., "quoted_status_id": ".."}.
  bool DecodeQuote(dom::object status, const std::string& instance, int nesting,
                   std::vector<Event>* out, StatusRef* ref, bool* is_quote) {
    dom::object quote;
    bool present = false;
    if (!Object(status, "quote", "quote", &quote, &present)) return false;
    if (!present) return true;
    std::string_view state;
    bool has_state = false;
    if (!String(quote, "state", "quote.state", &state, &has_state)) return false;
    if (has_state && state != "accepted") return true;  // pending, revoked, deleted ...
    dom::object quoted;
    if (!Object(quote, "quoted_status", "quote.quoted_status", &quoted, &present)) return false;
    if (present) {
      if (!Embedded(quoted, "quote.quoted_status", instance, nesting, out, ref)) return false;
      *is_quote = true;
      return true;
    }
    std::string id;
    if (!OptionalId(quote, "quoted_status_id", "quote.quoted_status_id", &id)) return false;
    if (id.empty()) return true;
    ref->id = PostId(MastodonId(instance, id));
    *is_quote = true;
    return true;
  }

  bool DecodeTags(dom::object status, model::Post* post) {
    dom::array tags;
    bool present = false;
    if (!Array(status, "tags", "tags", &tags, &present)) return false;
    if (!present) return true;
    for (dom::element tag_element : tags) {
      dom::object tag;
      if (tag_element.get_object().get(tag) != simdjson::SUCCESS) {
        return WrongType("tags", "objects");
      }
      std::string_view name;
      if (!String(tag, "name", "tags.name", &name, &present)) return false;
      if (present && !name.empty()) post->hashtags.emplace_back(name);
    }
    return true;
  }

  bool DecodeMentions(dom::object status, const std::string& instance, model::Post* post) {
    dom::array mentions;
    bool present = false;
    if (!Array(status, "mentions", "mentions", &mentions, &present)) return false;
    if (!present) return true;
    for (dom::element mention_element : mentions) {
      dom::object mention;
      if (mention_element.get_object().get(mention) != simdjson::SUCCESS) {
        return WrongType("mentions", "objects");
      }
      std::string id;
      if (!OptionalId(mention, "id", "mentions.id", &id)) return false;
      std::string_view acct;
      if (!String(mention, "acct", "mentions.acct", &acct, &present)) return false;
      if (!present && !String(mention, "username", "mentions.username", &acct, &present)) {
        return false;
      }
      if (id.empty() && acct.empty()) continue;
      post->mentions.push_back(model::Mention{
          id.empty() ? UserId() : UserId(MastodonId(instance, id)), std::string(acct)});
    }
    return true;
  }

  MastodonOptions options_;
  dom::parser parser_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  dom::parser payload_parser_;
  std::unique_ptr<char[]> payload_buffer_;
  size_t payload_capacity_ = 0;
  DecodeResult result_;
  RejectReason reason_ = RejectReason::kMalformedJson;
  std::string detail_;
};

MastodonDecoder::MastodonDecoder(MastodonOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
MastodonDecoder::~MastodonDecoder() = default;

DecodeResult MastodonDecoder::Decode(std::string_view record, std::vector<model::Event>* out) {
  return impl_->Decode(record, out);
}

}  // namespace reach::ingest
