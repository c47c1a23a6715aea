// ComposeText: the text of a simulated post, built from the vocabulary so that its topic and
// sentiment can be recovered: topic words and hashtags of the post's topic, lexicon words of the
// post's sentiment sign only (none for neutral posts), neutral filler, and sometimes a mention of a
// popular account and a link. The same TextSpec always gives the same text, so a post's text is
// regenerated wherever it is shown (an original embedded in a retweet) instead of being stored.
//
// The text is pure ASCII, so byte offsets equal code-point offsets, as Twitter's
// entity indices and Bluesky's facet byte ranges both require.
//
// Thread-compatible: a Content is reused across calls (no allocation once its buffers have grown).
#ifndef REACH_SIM_TEXT_H_
#define REACH_SIM_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/event.h"
#include "sim/world.h"

namespace reach::sim {

enum class MentionStyle : uint8_t {
  kTwitter,  // "@screen_name", links shortened to https://t.co/...
  kBluesky,  // "@handle.bsky.social", links written out
};

struct TextSpec {
  uint64_t seed = 0;  // per post
  uint32_t author = 0;
  uint8_t topic = 0;
  int8_t sentiment = 0;  // -1, 0, +1
  model::PostKind kind = model::PostKind::kOriginal;
  // For replies in Twitter style: the replied-to author, mentioned first.
  uint32_t reply_to_user = UINT32_MAX;
  MentionStyle style = MentionStyle::kTwitter;
};

struct TextEntity {
  enum class Kind : uint8_t { kHashtag, kMention, kUrl };
  Kind kind = Kind::kHashtag;
  uint32_t begin = 0;  // byte range in Content::text: "#tag", "@name" or the link
  uint32_t end = 0;
  std::string_view tag;    // kHashtag: without '#' (static storage)
  uint32_t user = 0;       // kMention
  uint32_t url_begin = 0;  // kUrl: the full link is Content::expanded[url_begin, url_end)
  uint32_t url_end = 0;
};

struct Content {
  std::string text;
  std::string expanded;              // storage for the full links
  std::vector<TextEntity> entities;  // in text order

  [[nodiscard]] std::string_view Url(const TextEntity& e) const {
    return std::string_view(expanded).substr(e.url_begin, e.url_end - e.url_begin);
  }
};

// Writes the text of the post described by spec into *out (replacing its contents).
void ComposeText(const World& world, const TextSpec& spec, Content* out);

}  // namespace reach::sim

#endif  // REACH_SIM_TEXT_H_
