#include "engine/audience_sets.h"

#include <algorithm>

namespace reach::engine {

void AudienceSets::Add(const PostFacts& engager, const PostFacts& target, int sign) {
  if (!engager.author.valid() || !target.author.valid() || engager.author == target.author) return;
  if (sign < 0) {
    auto it = by_author_.find(target.author);
    if (it == by_author_.end()) return;
    auto& list = it->second;
    auto pos = std::find_if(list.begin(), list.end(), [&](const Entry& e) {
      return e.engager == engager.author && e.target == target.id && e.time == engager.time;
    });
    if (pos == list.end()) return;
    list.erase(pos);
    --entries_;
    if (list.empty()) by_author_.erase(it);
    return;
  }
  Entry e;
  e.engager = engager.author;
  e.time = engager.time;
  e.target = target.id;
  e.country = engager.country;
  e.has_sentiment = target.has_sentiment;
  e.sentiment = target.sentiment;
  if (target.topics != nullptr) {
    size_t n = 0;
    for (const std::string& t : *target.topics) {
      if (n == kTopicsPerEntry) break;
      auto [it, inserted] = topic_ids_.try_emplace(t, static_cast<uint32_t>(topic_ids_.size() + 1));
      e.topics[n++] = it->second;
    }
  }
  auto& list = by_author_[target.author];
  if (list.size() >= per_author_ && !list.empty() && e.time < list.front().time) return;  // too old
  auto pos = std::upper_bound(list.begin(), list.end(), e.time,
                              [](EventTime t, const Entry& x) { return t < x.time; });
  list.insert(pos, e);
  ++entries_;
  if (list.size() > per_author_) {
    list.pop_front();
    --entries_;
  }
}

const std::deque<AudienceSets::Entry>* AudienceSets::Of(UserId author) const {
  auto it = by_author_.find(author);
  return it == by_author_.end() ? nullptr : &it->second;
}

std::optional<uint32_t> AudienceSets::Topic(std::string_view topic) const {
  auto it = topic_ids_.find(std::string(topic));
  if (it == topic_ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace reach::engine
