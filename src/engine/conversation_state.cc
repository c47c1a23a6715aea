#include "engine/conversation_state.h"

#include <algorithm>

#include "common/log.h"

namespace reach::engine {
namespace {

constexpr int64_t kMinuteUs = 60'000'000;
constexpr int64_t kDayUs = 86'400'000'000;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::optional<double> SentimentOf(const PostFacts& p) {
  if (!p.has_sentiment) return std::nullopt;
  return static_cast<double>(p.sentiment);
}

}  // namespace

ConversationState::ConversationState() {
  const analytics::SlidingTopKOptions options[3] = {analytics::SlidingTopKOptions::FifteenMinutes(),
                                                    analytics::SlidingTopKOptions::OneHour(),
                                                    analytics::SlidingTopKOptions::OneDay()};
  for (int i = 0; i < 3; ++i) {
    auto t = analytics::SlidingTopK::Create(options[i]);
    if (t.ok()) topics_[i].emplace(std::move(*t));
    auto w = analytics::SlidingTopK::Create(options[i]);
    if (w.ok()) terms_[i].emplace(std::move(*w));
  }
  if (auto s = analytics::SpaceSaving::Create(20'000); s.ok()) topics_all_.emplace(std::move(*s));
  if (auto s = analytics::SpaceSaving::Create(20'000); s.ok()) terms_all_.emplace(std::move(*s));
  if (auto d = analytics::SpikeDetector::Create(analytics::SpikeOptions{}); d.ok()) {
    spikes_.emplace(std::move(*d));
  }
}

uint32_t ConversationState::TopicId(const std::string& topic) {
  auto [it, inserted] = topic_ids_.try_emplace(topic, static_cast<uint32_t>(topic_names_.size()));
  if (inserted) topic_names_.push_back(topic);
  return it->second;
}

void ConversationState::AdvanceTo(EventTime t) {
  if (t <= end_) return;
  end_ = t;
  for (auto& top : topics_) {
    if (top) top->AdvanceTo(t);
  }
  for (auto& top : terms_) {
    if (top) top->AdvanceTo(t);
  }
  overall_.AdvanceTo(t);
  geo_.AdvanceTo(t);
  audience_.AdvanceTo(t);
  sentiment_of_.AdvanceTo(t);
  sentiment_toward_.AdvanceTo(t);
  topic_users_.AdvanceTo(t);
  topic_posts_.AdvanceTo(t);
  const int64_t first_minute = FloorDiv(t.micros, kMinuteUs) - 24 * 60 + 1;
  while (!minutes_.empty() && minutes_.begin()->first < first_minute)
    minutes_.erase(minutes_.begin());
}

void ConversationState::AddSeries(EventTime t, const PostFacts& post, int sign) {
  for (auto* m : {&minutes_, &days_}) {
    const int64_t width = m == &minutes_ ? kMinuteUs : kDayUs;
    const int64_t key = FloorDiv(t.micros, width);
    if (m == &minutes_ && key < FloorDiv(end_.micros, kMinuteUs) - 24 * 60 + 1) continue;
    SeriesAcc& acc = (*m)[key];
    acc.posts += sign;
    if (post.has_sentiment)
      acc.sentiment += CountSum{sign, sign * static_cast<double>(post.sentiment)};
    if (acc.posts == 0 && acc.sentiment.empty()) m->erase(key);
  }
}

void ConversationState::AddPost(const PostFacts& post, int sign) {
  if (!post.time.known()) return;
  if (sign > 0) AdvanceTo(post.time);
  const std::optional<double> sentiment = SentimentOf(post);
  GeoAgg agg;
  agg.posts = 1;
  if (sentiment) agg.sentiment = CountSum{1, *sentiment};
  overall_.Add(0, post.time, agg, sign);
  if (post.country != 0) geo_.Add(post.country, post.time, agg, sign);
  if (sentiment) sentiment_of_.Add(post.author, post.time, CountSum{1, *sentiment}, sign);
  AddSeries(post.time, post, sign);
  if (post.terms != nullptr) {
    for (const std::string& term : *post.terms) {
      for (auto& top : terms_) {
        if (!top) continue;
        if (sign > 0) {
          (void)top->Add(term, post.time, 1, sentiment);
        } else {
          (void)top->Remove(term, post.time, 1, sentiment);
        }
      }
      if (terms_all_) {
        if (sign > 0) {
          terms_all_->Offer(term, 1, sentiment);
        } else {
          (void)terms_all_->Remove(term, 1, sentiment);
        }
      }
    }
  }
  if (post.topics == nullptr) return;
  for (const std::string& topic : *post.topics) {
    for (auto& top : topics_) {
      if (!top) continue;
      // Events older than a window are not in it; nothing to report.
      if (sign > 0) {
        (void)top->Add(topic, post.time, 1, sentiment);
      } else {
        (void)top->Remove(topic, post.time, 1, sentiment);
      }
    }
    if (topics_all_) {
      if (sign > 0) {
        topics_all_->Offer(topic, 1, sentiment);
      } else {
        (void)topics_all_->Remove(topic, 1, sentiment);
      }
    }
    if (spikes_) {
      if (sign > 0) {
        auto alert = spikes_->Observe(topic, post.time, 1);
        if (alert.ok() && alert->has_value()) {
          const analytics::Alert& a = **alert;
          alerts_.push_front(
              TopicAlert{a.topic, a.at, static_cast<double>(a.current), a.baseline, a.ratio, a.z});
          if (alerts_.size() > 100) alerts_.pop_back();
          ++alerts_total_;
        }
      } else {
        (void)spikes_->Remove(topic, post.time, 1);
      }
    }
  }
}

void ConversationState::AddEngagement(const PostFacts& engager, const PostFacts& target,
                                      bool with_sentiment, int sign) {
  if (!engager.time.known() || !target.author.valid()) return;
  if (sign > 0) AdvanceTo(engager.time);
  if (engager.country != 0) {
    audience_.Add(AudienceKey{target.author, engager.country}, engager.time, Count{1}, sign);
    GeoAgg agg;
    agg.engagements = 1;
    geo_.Add(engager.country, engager.time, agg, sign);
  }
  if (with_sentiment && engager.has_sentiment) {
    sentiment_toward_.Add(target.author, engager.time,
                          CountSum{1, static_cast<double>(engager.sentiment)}, sign);
  }
  if (target.topics == nullptr) return;
  for (const std::string& topic : *target.topics) {
    const uint32_t id = TopicId(topic);
    topic_users_.Add(TopicUserKey{id, target.author.value}, engager.time, Count{1}, sign);
    topic_posts_.Add(TopicUserKey{id, target.id.value}, engager.time, Count{1}, sign);
  }
}

std::optional<std::vector<std::pair<UserId, int64_t>>> ConversationState::TopicEngagement(
    std::string_view topic, Window w) const {
  auto id = topic_ids_.find(std::string(topic));
  if (id == topic_ids_.end()) return std::nullopt;
  std::vector<std::pair<UserId, int64_t>> out;
  for (const auto& [key, count] : topic_users_.totals(w)) {
    if (key.topic == id->second && count.n > 0) out.emplace_back(UserId{key.id}, count.n);
  }
  return out;
}

void ConversationState::Fill(Snapshot& snapshot) const {
  for (Window w : kAllWindows) {
    WindowBoard& board = snapshot.boards[static_cast<int>(w)];
    FillConversation(w, board, snapshot);
    // Sentiment of and toward each account.
    for (InfluencerRow& row : board.rows) {
      CountSum of = sentiment_of_.Get(row.user, w);
      CountSum toward = sentiment_toward_.Get(row.user, w);
      row.sentiment_of = of.mean();
      row.sentiment_of_posts = of.count;
      row.sentiment_toward = toward.mean();
      row.sentiment_toward_posts = toward.count;
    }
    // Audience geography of the leading rows.
    for (const auto& [key, count] : audience_.totals(w)) {
      auto it = board.index.find(key.user);
      if (it == board.index.end() || it->second >= kAudienceRows) continue;
      board.audience[key.user].push_back(CountryCount{CountryName(key.country), count.n});
    }
    for (auto& [user, countries] : board.audience) {
      std::sort(countries.begin(), countries.end(),
                [](const CountryCount& a, const CountryCount& b) {
                  return a.count != b.count ? a.count > b.count : a.country < b.country;
                });
    }
  }
  snapshot.alerts.assign(alerts_.begin(), alerts_.end());
}

void ConversationState::FillConversation(Window w, WindowBoard& board,
                                         const Snapshot& snapshot) const {
  ConversationBoard& conv = board.conversation;
  const GeoAgg all = overall_.Get(0, w);
  conv.posts = all.posts;
  conv.sentiment_posts = all.sentiment.count;
  conv.sentiment = all.sentiment.mean();

  // Topics.
  if (w == Window::kAll) {
    if (topics_all_) {
      for (const auto& e : topics_all_->Top(kTopicsPerWindow)) {
        TopicRow row;
        row.topic = e.key;
        row.posts = e.count;
        row.sentiment_posts = e.value_weight;
        row.sentiment = e.value_mean().value_or(0.0);
        conv.topics.push_back(std::move(row));
      }
    }
  } else if (const auto& top = topics_[static_cast<int>(w)]) {
    for (const auto& t : top->Top(kTopicsPerWindow)) {
      TopicRow row;
      row.topic = t.topic;
      row.posts = t.count;
      row.sentiment_posts = t.sentiment_mean ? t.count : 0;
      row.sentiment = t.sentiment_mean.value_or(0.0);
      conv.topics.push_back(std::move(row));
    }
  }
  if (spikes_) {
    for (TopicRow& row : conv.topics) row.spiking = spikes_->Stats(row.topic).spiking;
  }
  // Terms.
  constexpr size_t kTerms = 50;
  if (w == Window::kAll) {
    if (terms_all_) {
      for (const auto& e : terms_all_->Top(kTerms)) {
        conv.terms.push_back(
            TopicRow{e.key, e.count, e.value_weight, e.value_mean().value_or(0.0)});
      }
    }
  } else if (const auto& terms = terms_[static_cast<int>(w)]) {
    for (const auto& t : terms->Top(kTerms)) {
      conv.terms.push_back(TopicRow{t.topic, t.count, t.sentiment_mean ? t.count : 0,
                                    t.sentiment_mean.value_or(0.0)});
    }
  }

  // Countries.
  for (const auto& [country, agg] : geo_.totals(w)) {
    CountryRow row;
    row.country = CountryName(country);
    row.posts = agg.posts;
    row.engagements = agg.engagements;
    row.sentiment_posts = agg.sentiment.count;
    row.sentiment = agg.sentiment.mean();
    conv.countries.push_back(std::move(row));
  }
  std::sort(conv.countries.begin(), conv.countries.end(),
            [](const CountryRow& a, const CountryRow& b) {
              if (a.posts != b.posts) return a.posts > b.posts;
              if (a.engagements != b.engagements) return a.engagements > b.engagements;
              return a.country < b.country;
            });

  // Details of the leading topics: who drives them, which posts carry them.
  const size_t detailed = std::min(conv.topics.size(), kTopicDetails);
  conv.details.reserve(detailed);
  for (size_t i = 0; i < detailed; ++i) conv.details[conv.topics[i].topic].summary = conv.topics[i];
  // Pointers into `details` are taken only once it stops growing.
  absl::flat_hash_map<uint32_t, TopicDetail*> wanted;
  for (auto& [topic, d] : conv.details) {
    if (auto id = topic_ids_.find(topic); id != topic_ids_.end()) wanted[id->second] = &d;
  }
  for (const auto& [key, count] : topic_users_.totals(w)) {
    auto it = wanted.find(key.topic);
    if (it == wanted.end()) continue;
    InfluencerRow row;
    row.user = UserId{key.id};
    if (auto pos = board.index.find(row.user); pos != board.index.end()) {
      row = board.rows[pos->second];
    } else if (auto u = snapshot.users.find(row.user); u != snapshot.users.end()) {
      row.handle = u->second->handle;
      row.name = u->second->name;
      row.country = u->second->country;
      row.followers = u->second->followers;
    }
    row.metrics.reshares = count.n;
    it->second->influencers.push_back(std::move(row));
  }
  for (const auto& [key, count] : topic_posts_.totals(w)) {
    auto it = wanted.find(key.topic);
    if (it != wanted.end()) it->second->top_posts.emplace_back(PostId{key.id}, count.n);
  }
  for (auto& [topic, d] : conv.details) {
    std::sort(d.influencers.begin(), d.influencers.end(),
              [](const InfluencerRow& a, const InfluencerRow& b) {
                if (a.metrics.reshares != b.metrics.reshares)
                  return a.metrics.reshares > b.metrics.reshares;
                return a.user < b.user;
              });
    if (d.influencers.size() > 20) d.influencers.resize(20);
    for (size_t i = 0; i < d.influencers.size(); ++i)
      d.influencers[i].rank = static_cast<int64_t>(i) + 1;
    std::sort(d.top_posts.begin(), d.top_posts.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (d.top_posts.size() > 20) d.top_posts.resize(20);
  }

  // Series: of all posts, and of each detailed topic in the sliding windows.
  std::vector<SeriesPoint>& all_series = conv.series[""];
  if (end_.known()) {
    if (w == Window::kAll) {
      if (!days_.empty()) {
        const int64_t last = FloorDiv(end_.micros, kDayUs);
        const int64_t first = std::max(days_.begin()->first, last - 364);
        for (int64_t d = first; d <= last; ++d) {
          SeriesPoint p;
          p.start = EventTime{d * kDayUs};
          if (auto it = days_.find(d); it != days_.end()) {
            p.posts = it->second.posts;
            p.sentiment_posts = it->second.sentiment.count;
            p.sentiment = it->second.sentiment.mean();
          }
          all_series.push_back(p);
        }
      }
    } else {
      const int64_t step = SeriesResolution(w).micros / kMinuteUs;
      const int64_t minutes = WindowLength(w).micros / kMinuteUs;
      const int64_t last = FloorDiv(FloorDiv(end_.micros, kMinuteUs), step) * step;
      for (int64_t start = last - minutes + step; start <= last; start += step) {
        SeriesPoint p;
        p.start = EventTime{start * kMinuteUs};
        CountSum s;
        for (auto it = minutes_.lower_bound(start);
             it != minutes_.end() && it->first < start + step; ++it) {
          p.posts += it->second.posts;
          s += it->second.sentiment;
        }
        p.sentiment_posts = s.count;
        p.sentiment = s.mean();
        all_series.push_back(p);
      }
    }
  }
  if (w == Window::kAll) return;
  const auto& top = topics_[static_cast<int>(w)];
  if (!top) return;
  for (const auto& [topic, d] : conv.details) {
    auto series = top->Series(topic, SeriesResolution(w));
    if (!series.ok()) continue;
    std::vector<SeriesPoint>& out = conv.series[topic];
    for (const auto& sp : *series) {
      SeriesPoint p;
      p.start = sp.start;
      p.posts = sp.count;
      p.sentiment_posts = sp.sentiment_mean ? sp.count : 0;
      p.sentiment = sp.sentiment_mean.value_or(0.0);
      out.push_back(p);
    }
  }
}

}  // namespace reach::engine
