// The normalized event model. Every decoder (Twitter v1.1 and v2, Bluesky Jetstream, Mastodon,
// datasets) turns its format into these types; everything downstream sees only these.
//
// Value types, movable, no behaviour. A decoded line may yield several events (a v1.1 retweet
// carries the retweeter, the original author, the original post and the retweet itself).
#ifndef REACH_MODEL_EVENT_H_
#define REACH_MODEL_EVENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/ids.h"
#include "common/time.h"

namespace reach::model {

enum class Platform : uint8_t { kUnknown, kTwitter, kBluesky, kMastodon, kDataset };
std::string_view PlatformName(Platform p);

enum class PostKind : uint8_t {
  kOriginal,  // a post of its own
  kReshare,   // retweet / repost / boost: no content of its own
  kQuote,     // a post that embeds another post
  kReply,     // an answer in a conversation thread
};
std::string_view PostKindName(PostKind k);

struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

// Where a resolved country came from.
enum class GeoSource : uint8_t { kNone, kPlace, kCoordinates, kProfile };
std::string_view GeoSourceName(GeoSource s);

struct Place {
  std::string country_code;  // ISO 3166-1 alpha-2, upper case, may be empty
  std::string full_name;     // "Manhattan, NY"
};

// Counters the platform reports on a post at observation time (-1 when not reported). They are
// snapshots of the platform's own totals, not events observed in the stream.
struct PlatformCounters {
  int64_t reshares = -1;
  int64_t likes = -1;
  int64_t replies = -1;
  int64_t quotes = -1;
};

struct Mention {
  UserId user;         // may be unknown (0) when the format gives only a handle
  std::string handle;  // without the leading '@'
};

// What an account looked like when observed. Fields the format does not carry are -1 / empty.
struct UserSnapshot {
  UserId id;
  Platform platform = Platform::kUnknown;
  std::string handle;  // screen name, without '@'
  std::string name;
  std::string location;  // free-text profile location
  int64_t followers = -1;
  int64_t following = -1;
  int64_t posts = -1;
  bool verified = false;
  EventTime created;   // account creation
  EventTime observed;  // event time of the post or message that carried this snapshot
  // Derived on ingest (ingest::Enricher): ISO country of the profile location, empty if unknown.
  std::string country;
};

struct Post {
  PostId id;
  Platform platform = Platform::kUnknown;
  PostKind kind = PostKind::kOriginal;
  UserId author;
  EventTime time;
  std::string text;
  std::string lang;                   // BCP 47 as reported, may be empty
  std::vector<std::string> hashtags;  // without '#', as written
  std::vector<Mention> mentions;
  std::vector<std::string> urls;  // expanded where the format gives it
  // Cascade parent: the reshared or quoted post (kReshare, kQuote). For a v1.1 retweet this is the
  // retweeted status, for a quote the quoted status.
  PostId parent;
  UserId parent_author;
  // True when `parent` is the very post reshared (Bluesky repost `via`, a dataset's full path);
  // false when the platform names only the original (a v1.1 retweet), so the engine may infer
  // the resharer's real parent from follow edges. Quotes are always exact.
  bool parent_exact = false;
  // Conversation parent (kReply, and quotes that also reply).
  PostId in_reply_to;
  UserId in_reply_to_user;
  std::optional<Place> place;
  std::optional<GeoPoint> coordinates;
  PlatformCounters counters;
  // When the counters (and this copy of the post) were observed: the time of the event that carried
  // it. For a post embedded in a reshare or quote that is the outer post's time; 0 means `time`.
  EventTime observed;

  // Derived on ingest (ingest::Enricher), not by the platform:
  // VADER compound sentiment of the text in [-1, 1]; meaningful when has_sentiment.
  float sentiment = 0;
  bool has_sentiment = false;
  // ISO country of the post: from its place, else its coordinates, else the author's profile.
  std::string country;
  GeoSource country_source = GeoSource::kNone;
  // Words of the text for trending terms: case-folded, stop words, URLs, mentions, numbers and
  // short tokens removed, distinct (analytics::TermExtractor).
  std::vector<std::string> terms;
};

// A like / favourite of a post.
struct Like {
  UserId user;
  PostId post;
  UserId post_author;  // may be unknown (0)
  EventTime time;
  Platform platform = Platform::kUnknown;
};

// A follow (follow = true) or unfollow (follow = false) edge change.
struct Follow {
  UserId follower;
  UserId followee;
  bool follow = true;
  EventTime time;
  Platform platform = Platform::kUnknown;
};

// The platform says a post was deleted: it must leave every metric and table.
struct Delete {
  PostId post;
  UserId author;  // may be unknown (0)
  EventTime time;
  Platform platform = Platform::kUnknown;
};

// The platform withholds a post, or a whole account, in some countries: it is not shown there.
// Twitter v1.1 `status_withheld` / `user_withheld` messages and X API v2 `withheld` objects.
struct Withheld {
  PostId post;  // the withheld post; 0 when the account itself is withheld
  UserId user;  // the post's author, or the withheld account
  // ISO 3166-1 alpha-2 codes, upper case, distinct. "XX" means every country; "XY" a copyright
  // (DMCA) withholding.
  std::vector<std::string> countries;
  EventTime time;
  Platform platform = Platform::kUnknown;
};

// The platform asks for location data to be removed from an account's posts up to a given post:
// their place and coordinates no longer locate them (Twitter v1.1 `scrub_geo`).
struct ScrubGeo {
  UserId user;
  PostId up_to;  // inclusive; the account's posts with ids up to this one
  EventTime time;
  Platform platform = Platform::kUnknown;
};

using Event = std::variant<Post, UserSnapshot, Like, Follow, Delete, Withheld, ScrubGeo>;

// The event time of any event (UserSnapshot: its observation time).
EventTime TimeOf(const Event& e);

}  // namespace reach::model

#endif  // REACH_MODEL_EVENT_H_
