// The simulator's built-in vocabulary: profile locations of real places (with country, coordinates
// and a relative weight), joke and empty locations, topics with their words and hashtags,
// sentiment words taken from the VADER lexicon (Hutto and Gilbert, ICWSM 2014), neutral filler
// words that are not in that lexicon, names and link domains.
//
// Positive posts carry only positive lexicon words and negative posts only negative ones, and
// topic and filler words carry no valence, so a VADER-style scorer recovers each post's sentiment
// sign and a keyword matcher recovers its topic. The lists are constant data with static storage;
// every function here is thread-safe and returns views into that storage.
#ifndef REACH_SIM_VOCABULARY_H_
#define REACH_SIM_VOCABULARY_H_

#include <span>
#include <string_view>

namespace reach::sim {

struct Location {
  std::string_view text;          // as a user writes it in a profile: "London, England"
  std::string_view place_name;    // the place's short name: "London"
  std::string_view country_code;  // ISO 3166-1 alpha-2
  std::string_view country;       // "United Kingdom"
  double lat;
  double lon;
  double weight;          // relative share of users
  std::string_view lang;  // main language tag of the place's users
};

struct Topic {
  std::string_view name;  // "tech"
  std::span<const std::string_view> words;
  std::span<const std::string_view> hashtags;  // without '#'
};

std::span<const Location> Locations();
// Profile locations that name no place ("the moon", "she/her").
std::span<const std::string_view> JokeLocations();
std::span<const Topic> Topics();
std::span<const std::string_view> PositiveWords();
std::span<const std::string_view> NegativeWords();
// Neutral words that glue a post together; none is in the VADER lexicon.
std::span<const std::string_view> FillerWords();
std::span<const std::string_view> FirstNames();
std::span<const std::string_view> LastNames();
std::span<const std::string_view> LinkDomains();

}  // namespace reach::sim

#endif  // REACH_SIM_VOCABULARY_H_
