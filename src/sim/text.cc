#include "sim/text.h"

#include <algorithm>
#include <array>

#include "sim/random.h"
#include "sim/vocabulary.h"

namespace reach::sim {
namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void AppendMention(const World& world, uint32_t user, MentionStyle style, Content* out) {
  NameBuffer buf;
  const auto begin = static_cast<uint32_t>(out->text.size());
  out->text.push_back('@');
  out->text.append(world.ScreenName(user, buf));
  if (style == MentionStyle::kBluesky) out->text.append(".bsky.social");
  TextEntity e;
  e.kind = TextEntity::Kind::kMention;
  e.begin = begin;
  e.end = static_cast<uint32_t>(out->text.size());
  e.user = user;
  out->entities.push_back(e);
}

}  // namespace

void ComposeText(const World& world, const TextSpec& spec, Content* out) {
  out->text.clear();
  out->expanded.clear();
  out->entities.clear();
  Rng rng(spec.seed);
  const Topic& topic = Topics()[spec.topic % Topics().size()];
  const bool is_reply = spec.kind == model::PostKind::kReply;
  const bool is_short = is_reply || spec.kind == model::PostKind::kQuote;

  if (is_reply && spec.reply_to_user != UINT32_MAX && spec.style == MentionStyle::kTwitter) {
    AppendMention(world, spec.reply_to_user, spec.style, out);
    out->text.push_back(' ');
  }
  const bool mention_first = !is_short && rng.Bernoulli(0.08);
  if (mention_first) {
    AppendMention(world, world.SamplePopular(rng), spec.style, out);
    out->text.push_back(' ');
  }

  // The words, then a shuffle: topic words, sentiment words of one sign, filler.
  std::array<std::string_view, 16> words;
  size_t n = 0;
  const size_t topic_words = is_short ? 1 + rng.Below(2) : 2 + rng.Below(2);
  for (size_t i = 0; i < topic_words; ++i) words[n++] = topic.words[rng.Below(topic.words.size())];
  if (spec.sentiment != 0) {
    const auto lexicon = spec.sentiment > 0 ? PositiveWords() : NegativeWords();
    const size_t k = 1 + rng.Below(2);
    for (size_t i = 0; i < k; ++i) words[n++] = lexicon[rng.Below(lexicon.size())];
  }
  const size_t filler = is_short ? 2 + rng.Below(3) : 3 + rng.Below(5);
  for (size_t i = 0; i < filler; ++i) {
    words[n++] = FillerWords()[rng.Below(FillerWords().size())];
  }
  for (size_t i = n - 1; i > 0; --i) std::swap(words[i], words[rng.Below(i + 1)]);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out->text.push_back(' ');
    const size_t at = out->text.size();
    out->text.append(words[i]);
    if (i == 0 && out->text[at] >= 'a' && out->text[at] <= 'z') out->text[at] -= 'a' - 'A';
  }
  if (spec.sentiment > 0 && rng.Bernoulli(0.3)) out->text.push_back('!');

  if (!is_short && !mention_first && rng.Bernoulli(0.07)) {
    out->text.append(" with ");
    AppendMention(world, world.SamplePopular(rng), spec.style, out);
  }

  if (!is_reply && rng.Bernoulli(0.18)) {
    TextEntity e;
    e.kind = TextEntity::Kind::kUrl;
    e.url_begin = static_cast<uint32_t>(out->expanded.size());
    out->expanded.append("https://");
    out->expanded.append(LinkDomains()[rng.Below(LinkDomains().size())]);
    out->expanded.push_back('/');
    out->expanded.append(topic.name);
    out->expanded.push_back('/');
    uint64_t x = rng.Next() % 100'000'000;
    char digits[12];
    int k = 0;
    do {
      digits[k++] = static_cast<char>('0' + x % 10);
      x /= 10;
    } while (x != 0);
    while (k > 0) out->expanded.push_back(digits[--k]);
    e.url_end = static_cast<uint32_t>(out->expanded.size());
    out->text.push_back(' ');
    e.begin = static_cast<uint32_t>(out->text.size());
    if (spec.style == MentionStyle::kTwitter) {
      out->text.append("https://t.co/");
      for (int i = 0; i < 10; ++i) out->text.push_back(kBase62[rng.Below(62)]);
    } else {
      out->text.append(out->expanded, e.url_begin, e.url_end - e.url_begin);
    }
    e.end = static_cast<uint32_t>(out->text.size());
    out->entities.push_back(e);
  }

  const double r = rng.Uniform();
  const size_t tags = is_reply ? 0 : r < 0.35 ? 1 : r < 0.5 ? 2 : 0;
  size_t first_tag = topic.hashtags.size();
  for (size_t i = 0; i < tags; ++i) {
    size_t t = rng.Below(topic.hashtags.size());
    if (t == first_tag) t = (t + 1) % topic.hashtags.size();
    first_tag = t;
    out->text.push_back(' ');
    TextEntity e;
    e.kind = TextEntity::Kind::kHashtag;
    e.begin = static_cast<uint32_t>(out->text.size());
    out->text.push_back('#');
    out->text.append(topic.hashtags[t]);
    e.end = static_cast<uint32_t>(out->text.size());
    e.tag = topic.hashtags[t];
    out->entities.push_back(e);
  }
}

}  // namespace reach::sim
