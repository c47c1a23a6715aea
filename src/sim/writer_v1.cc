#include "sim/writer_v1.h"

#include "sim/random.h"

namespace reach::sim {
namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

constexpr std::string_view kSources[] = {
    R"(<a href=\"http://twitter.com/download/iphone\" rel=\"nofollow\">Twitter for iPhone</a>)",
    R"(<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>)",
    R"(<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>)",
};

// Per-post decisions that are not part of the text: geo, source.
uint64_t PostHash(const PostRef& ref) { return SplitMix64(ref.text_seed ^ 0x91ace5eedULL); }

void PutIdPair(Buffer& b, std::string_view key, uint64_t id) {
  PutChar(b, '"');
  Put(b, key);
  Put(b, "\":");
  PutUint(b, id);
  Put(b, ",\"");
  Put(b, key);
  Put(b, "_str\":");
  PutUintString(b, id);
}

void PutIndices(Buffer& b, uint32_t begin, uint32_t end) {
  Put(b, "\"indices\":[");
  PutUint(b, begin);
  PutChar(b, ',');
  PutUint(b, end);
  PutChar(b, ']');
}

}  // namespace

TwitterV1Writer::TwitterV1Writer(const World& world, const GeoOptions& geo)
    : world_(world), geo_(geo), posts_made_(world.size(), 0) {}

void TwitterV1Writer::Write(const SimPost& post, Buffer* out) {
  ++posts_made_[post.post.author];
  const PostRef* shown = post.post.kind == model::PostKind::kOriginal ? nullptr : &post.subject;
  const PostRef* shown_quoted = post.has_subject_quoted ? &post.subject_quoted : nullptr;
  WriteStatus(post.post, shown, shown_quoted, /*top_level=*/true, 0, *out);
}

void TwitterV1Writer::BuildText(const PostRef& ref, const PostRef* reply_to, Content* c) {
  TextSpec spec;
  spec.seed = ref.text_seed;
  spec.author = ref.author;
  spec.topic = ref.topic;
  spec.sentiment = ref.sentiment;
  spec.kind = ref.kind;
  spec.style = MentionStyle::kTwitter;
  if (reply_to != nullptr) spec.reply_to_user = reply_to->author;
  ComposeText(world_, spec, c);
  if (ref.kind != model::PostKind::kQuote || !ref.has_quoted) return;
  // The permalink of the quoted post, shortened, ends a quote's text.
  TextEntity e;
  e.kind = TextEntity::Kind::kUrl;
  e.url_begin = static_cast<uint32_t>(c->expanded.size());
  NameBuffer name;
  c->expanded.append("https://twitter.com/");
  c->expanded.append(world_.ScreenName(ref.quoted_author, name));
  c->expanded.append("/status/");
  const fmt::format_int id(TwitterPostId(ref.quoted_seq, ref.quoted_time_us));
  c->expanded.append(id.data(), id.size());
  e.url_end = static_cast<uint32_t>(c->expanded.size());
  c->text.push_back(' ');
  e.begin = static_cast<uint32_t>(c->text.size());
  c->text.append("https://t.co/");
  uint64_t h = SplitMix64(ref.text_seed ^ 0x7c0ULL);
  for (int i = 0; i < 10; ++i, h /= 62) c->text.push_back(kBase62[h % 62]);
  e.end = static_cast<uint32_t>(c->text.size());
  c->entities.push_back(e);
}

void TwitterV1Writer::WriteStatus(const PostRef& self, const PostRef* shown,
                                  const PostRef* shown_quoted, bool top_level, int nesting,
                                  Buffer& b) {
  const bool reshare = self.kind == model::PostKind::kReshare;
  const bool reply = self.kind == model::PostKind::kReply;
  Content& c = content_[nesting];
  NameBuffer name;
  uint32_t shift = 0;
  uint32_t prefix_mention = UINT32_MAX;
  scratch_.clear();
  if (reshare && shown != nullptr) {
    BuildText(*shown, nullptr, &c);
    scratch_.append("RT @");
    scratch_.append(world_.ScreenName(shown->author, name));
    scratch_.append(": ");
    shift = static_cast<uint32_t>(scratch_.size());
    prefix_mention = shown->author;
  } else {
    BuildText(self, reply ? shown : nullptr, &c);
  }
  scratch_.append(c.text);
  const uint64_t id = TwitterPostId(self);
  const uint64_t h = PostHash(self);

  Put(b, "{\"created_at\":\"");
  PutTwitterDate(b, self.time_us / 1'000'000);
  Put(b, "\",");
  PutIdPair(b, "id", id);
  Put(b, ",\"text\":");
  PutString(b, scratch_);
  Put(b, ",\"source\":\"");
  Put(b, kSources[h % std::size(kSources)]);
  Put(b, "\",\"truncated\":false,");
  if (reply && shown != nullptr) {
    PutIdPair(b, "in_reply_to_status_id", TwitterPostId(*shown));
    Put(b, ",");
    PutIdPair(b, "in_reply_to_user_id", world_.TwitterId(shown->author).value);
    Put(b, ",\"in_reply_to_screen_name\":");
    PutString(b, world_.ScreenName(shown->author, name));
  } else {
    Put(b,
        "\"in_reply_to_status_id\":null,\"in_reply_to_status_id_str\":null,"
        "\"in_reply_to_user_id\":null,\"in_reply_to_user_id_str\":null,"
        "\"in_reply_to_screen_name\":null");
  }
  Put(b, ",\"user\":");
  WriteUser(self.author, b);
  PutChar(b, ',');
  if (reshare) {
    Put(b, "\"geo\":null,\"coordinates\":null,\"place\":null");
  } else {
    WritePlace(self, b);
  }
  Put(b, ",\"contributors\":null");
  if (reshare && shown != nullptr) {
    Put(b, ",\"retweeted_status\":");
    WriteStatus(*shown, shown_quoted, nullptr, false, nesting + 1, b);
  }
  const bool quote = self.kind == model::PostKind::kQuote && self.has_quoted;
  if (quote) {
    Put(b, ",");
    PutIdPair(b, "quoted_status_id", TwitterPostId(self.quoted_seq, self.quoted_time_us));
    if (shown != nullptr) {
      Put(b, ",\"quoted_status\":");
      WriteStatus(*shown, nullptr, nullptr, false, nesting + 1, b);
    }
  }
  Put(b, ",\"is_quote_status\":");
  Put(b, quote ? "true" : "false");
  // New posts in the stream have zero counts; a retweet repeats its original's retweet count;
  // embedded posts show their counts at this moment.
  const bool live = !top_level;
  Put(b, ",\"quote_count\":");
  PutUint(b, live ? self.quotes : 0);
  Put(b, ",\"reply_count\":");
  PutUint(b, live ? self.replies : 0);
  Put(b, ",\"retweet_count\":");
  PutUint(b, live ? self.reshares : (reshare && shown != nullptr ? shown->reshares : 0));
  Put(b, ",\"favorite_count\":");
  PutUint(b, live ? self.likes : 0);
  Put(b, ",\"entities\":");
  WriteEntities(c, shift, prefix_mention, b);
  Put(b, ",\"favorited\":false,\"retweeted\":false");
  if (!reshare && c.entities.size() > 0) {
    for (const TextEntity& e : c.entities) {
      if (e.kind == TextEntity::Kind::kUrl) {
        Put(b, ",\"possibly_sensitive\":false");
        break;
      }
    }
  }
  Put(b, ",\"filter_level\":\"low\",\"lang\":");
  PutString(b, world_.Lang(reshare && shown != nullptr ? shown->author : self.author));
  if (top_level) {
    Put(b, ",\"timestamp_ms\":\"");
    PutInt(b, self.time_us / 1000);
    PutChar(b, '"');
  }
  PutChar(b, '}');
}

void TwitterV1Writer::WriteUser(uint32_t u, Buffer& b) {
  NameBuffer name;
  const uint64_t id = world_.TwitterId(u).value;
  PutChar(b, '{');
  PutIdPair(b, "id", id);
  Put(b, ",\"name\":");
  PutString(b, world_.DisplayName(u, name));
  Put(b, ",\"screen_name\":");
  PutString(b, world_.ScreenName(u, name));
  Put(b, ",\"location\":");
  PutString(b, world_.ProfileLocation(u));
  Put(b, ",\"url\":null,\"description\":\"All about ");
  Put(b, Topics()[world_.Topic(u) % Topics().size()].name);
  Put(b, "\",\"protected\":false,\"verified\":");
  Put(b, world_.Verified(u) ? "true" : "false");
  Put(b, ",\"followers_count\":");
  PutUint(b, world_.FollowerCount(u));
  Put(b, ",\"friends_count\":");
  PutUint(b, world_.FollowingCount(u));
  Put(b, ",\"listed_count\":");
  PutUint(b, world_.FollowerCount(u) / 50);
  const uint32_t prior = world_.PriorPosts(u);
  Put(b, ",\"favourites_count\":");
  PutUint(b, prior * 2ULL);
  Put(b, ",\"statuses_count\":");
  PutUint(b, static_cast<uint64_t>(prior) + posts_made_[u]);
  Put(b, ",\"created_at\":\"");
  PutTwitterDate(b, world_.Created(u).seconds());
  Put(b, "\",\"utc_offset\":null,\"time_zone\":null,\"geo_enabled\":");
  Put(b, world_.LocatesHome(u) ? "true" : "false");
  Put(b, ",\"lang\":null,\"default_profile\":true,\"default_profile_image\":false}");
}

void TwitterV1Writer::WriteEntities(const Content& content, uint32_t shift,
                                    uint32_t prefix_mention_user, Buffer& b) {
  NameBuffer name;
  Put(b, "{\"hashtags\":[");
  bool first = true;
  for (const TextEntity& e : content.entities) {
    if (e.kind != TextEntity::Kind::kHashtag) continue;
    if (!first) PutChar(b, ',');
    first = false;
    Put(b, "{\"text\":");
    PutString(b, e.tag);
    PutChar(b, ',');
    PutIndices(b, e.begin + shift, e.end + shift);
    PutChar(b, '}');
  }
  Put(b, "],\"symbols\":[],\"user_mentions\":[");
  first = true;
  auto mention = [&](uint32_t user, uint32_t begin, uint32_t end) {
    if (!first) PutChar(b, ',');
    first = false;
    Put(b, "{\"screen_name\":");
    PutString(b, world_.ScreenName(user, name));
    Put(b, ",\"name\":");
    PutString(b, world_.DisplayName(user, name));
    PutChar(b, ',');
    PutIdPair(b, "id", world_.TwitterId(user).value);
    PutChar(b, ',');
    PutIndices(b, begin, end);
    PutChar(b, '}');
  };
  if (prefix_mention_user != UINT32_MAX) {
    mention(prefix_mention_user, 3,
            4 + static_cast<uint32_t>(world_.ScreenName(prefix_mention_user, name).size()));
  }
  for (const TextEntity& e : content.entities) {
    if (e.kind == TextEntity::Kind::kMention) mention(e.user, e.begin + shift, e.end + shift);
  }
  Put(b, "],\"urls\":[");
  first = true;
  for (const TextEntity& e : content.entities) {
    if (e.kind != TextEntity::Kind::kUrl) continue;
    if (!first) PutChar(b, ',');
    first = false;
    const std::string_view text(content.text);
    const std::string_view expanded = content.Url(e);
    Put(b, "{\"url\":");
    PutString(b, text.substr(e.begin, e.end - e.begin));
    Put(b, ",\"expanded_url\":");
    PutString(b, expanded);
    Put(b, ",\"display_url\":");
    std::string_view display = expanded.substr(expanded.find("://") + 3);
    if (display.size() > 26) {
      Put(b, "\"");
      Put(b, display.substr(0, 25));
      Put(b, "\xe2\x80\xa6\"");  // U+2026 HORIZONTAL ELLIPSIS
    } else {
      PutString(b, display);
    }
    PutChar(b, ',');
    PutIndices(b, e.begin + shift, e.end + shift);
    PutChar(b, '}');
  }
  Put(b, "]}");
}

void TwitterV1Writer::WritePlace(const PostRef& ref, Buffer& b) {
  const uint64_t h = PostHash(ref);
  const bool has_place = world_.LocatesHome(ref.author) &&
                         static_cast<double>((h >> 8) % 1'000'000) < geo_.place_share * 1e6;
  if (!has_place) {
    Put(b, "\"geo\":null,\"coordinates\":null,\"place\":null");
    return;
  }
  const Location& l = world_.Home(ref.author);
  const bool exact =
      static_cast<double>((h >> 28) % 1'000'000) < geo_.coordinates_share / geo_.place_share * 1e6;
  if (exact) {
    // Within about 5 km of the place's centre.
    const double lat = l.lat + (static_cast<double>((h >> 48) & 0xff) / 255.0 - 0.5) * 0.1;
    const double lon = l.lon + (static_cast<double>((h >> 56) & 0xff) / 255.0 - 0.5) * 0.1;
    Put(b, "\"geo\":{\"type\":\"Point\",\"coordinates\":[");
    PutCoordinate(b, lat);
    PutChar(b, ',');
    PutCoordinate(b, lon);
    Put(b, "]},\"coordinates\":{\"type\":\"Point\",\"coordinates\":[");
    PutCoordinate(b, lon);
    PutChar(b, ',');
    PutCoordinate(b, lat);
    Put(b, "]},");
  } else {
    Put(b, "\"geo\":null,\"coordinates\":null,");
  }
  const uint64_t place_id = SplitMix64(world_.HomeIndex(ref.author) + 0x91ace0000ULL);
  char hex[17];
  for (int i = 0; i < 16; ++i) hex[i] = "0123456789abcdef"[(place_id >> (60 - 4 * i)) & 15];
  hex[16] = 0;
  Put(b, "\"place\":{\"id\":\"");
  Put(b, std::string_view(hex, 16));
  Put(b, "\",\"url\":\"https://api.twitter.com/1.1/geo/id/");
  Put(b, std::string_view(hex, 16));
  Put(b, ".json\",\"place_type\":\"city\",\"name\":");
  PutString(b, l.place_name);
  Put(b, ",\"full_name\":\"");
  Put(b, l.place_name);
  Put(b, ", ");
  Put(b, l.country);
  Put(b, "\",\"country_code\":\"");
  Put(b, l.country_code);
  Put(b, "\",\"country\":");
  PutString(b, l.country);
  Put(b, ",\"bounding_box\":{\"type\":\"Polygon\",\"coordinates\":[[");
  const double lats[] = {l.lat - 0.2, l.lat - 0.2, l.lat + 0.2, l.lat + 0.2};
  const double lons[] = {l.lon - 0.2, l.lon + 0.2, l.lon + 0.2, l.lon - 0.2};
  for (int i = 0; i < 4; ++i) {
    if (i > 0) PutChar(b, ',');
    PutChar(b, '[');
    PutCoordinate(b, lons[i]);
    PutChar(b, ',');
    PutCoordinate(b, lats[i]);
    PutChar(b, ']');
  }
  Put(b, "]]},\"attributes\":{}}");
}

}  // namespace reach::sim
