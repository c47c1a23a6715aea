// Gazetteer: resolves where a post comes from, at country level (plus region and city when known).
//
// A post's country is taken, in order, from (1) its platform place (already a country code), (2)
// its coordinates: the nearest gazetteer city within kMaxCoordinateDistanceKm, (3) the author's
// free-text profile location ("NYC", "London, England", "SF Bay Area", "Los Angeles, CA",
// "Deutschland"). Ambiguous and joke locations ("Springfield", "Victoria", "everywhere", "in your
// heart") resolve to unknown (std::nullopt): a wrong country is worse than no country.
//
//   REACH_ASSIGN_OR_RETURN(Gazetteer gaz, Gazetteer::Load("data/gazetteer"));
//   std::optional<GeoMatch> m = gaz.ResolvePost(std::nullopt, std::nullopt, "Brooklyn, NY");
//   // m->country_code == "US", m->method == GeoMatch::Method::kProfile
//
// Data: data/gazetteer/{places,names}.tsv and non_places.txt, made by tools/build_gazetteer.py from
// GeoNames cities >= 15,000 people (CC BY 4.0) and Carmen's profile aliases (BSD-2); see SOURCE.md.
//
// Profile text rules (ResolveLocationText):
//  - Normalise: lower-case ASCII, Latin accents folded ("Almería" -> "almeria"), apostrophes
//    and dots dropped, other punctuation is a space, "&" is "and"; commas split hierarchical
//    parts ("City, State, Country"); "/", "|", ";", "+", bullets and emoji split alternatives
//    ("Tokio/Berlin/LA"). Alternatives must agree on one country, else unknown.
//  - The whole text is first looked up as one key (Carmen aliases: "nyc", "london, england").
//  - Otherwise trailing parts that name a country or region (names, ISO codes, US and Canadian
//    postal codes) qualify the leading parts, which are looked up as cities inside them; no
//    city found falls back to the qualifier ("Magnolia, TX" -> US). "City State" without a
//    comma is split the same way ("Huntsville Alabama").
//  - A bare country name wins unless it is also a region of another country ("Georgia" ->
//    unknown). A bare region name needs no city of kMinConflictingCityPopulation or more in
//    another country ("Victoria" -> unknown). A bare city needs kMinBareCityPopulation people
//    and, when several cities share the name, kDominanceRatio times the population of the next
//    ("Paris" -> FR, "Springfield" -> unknown). A two-letter code alone counts only when it
//    names one place and is no English word ("NY" -> US; "CA" -> unknown: California, Canada).
//
// Thread safety: immutable after Load; concurrent const calls are safe.
// Ownership: a Gazetteer owns its text buffers; its string_views point into them. Move-only.
// Errors: Load returns NotFound for a missing file and DataLoss for a malformed row.
// Cost: Load reads three files once (about 3 MB: 30,000 places, 90,000 keys) and builds a sorted
// name index and a 1-degree city grid (~0.2 s in an unoptimised debug build). ResolveCoordinates
// scans the few grid cells within the distance limit; ResolveLocationText normalises the text
// and does a handful of binary searches.
#ifndef REACH_ANALYTICS_GAZETTEER_H_
#define REACH_ANALYTICS_GAZETTEER_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reach::analytics {

struct GeoMatch {
  enum class Method { kPlace, kCoordinates, kProfile };

  std::string country_code;  // ISO 3166-1 alpha-2, upper case
  std::string admin1;        // GeoNames admin1 code ("CA" for California, "ENG"), may be empty
  std::string city;          // empty for country- or region-level matches
  double lat = 0;            // of the matched place (country/region: population centroid)
  double lon = 0;
  double distance_km = 0;  // kCoordinates only: distance from the query point to the city
  Method method = Method::kProfile;
};

struct LatLon {
  double lat = 0;
  double lon = 0;
};

class Gazetteer {
 public:
  static constexpr double kMaxCoordinateDistanceKm = 50.0;
  static constexpr double kDominanceRatio = 5.0;
  static constexpr int64_t kMinBareCityPopulation = 100'000;
  static constexpr int64_t kMinConflictingCityPopulation = 100'000;

  // Loads places.tsv, names.tsv and non_places.txt from `dir`.
  [[nodiscard]] static absl::StatusOr<Gazetteer> Load(const std::filesystem::path& dir);

  Gazetteer(Gazetteer&&) noexcept;
  Gazetteer& operator=(Gazetteer&&) noexcept;
  Gazetteer(const Gazetteer&) = delete;
  Gazetteer& operator=(const Gazetteer&) = delete;
  ~Gazetteer();

  // Nearest city within kMaxCoordinateDistanceKm (great-circle distance), or nullopt.
  [[nodiscard]] std::optional<GeoMatch> ResolveCoordinates(double lat, double lon) const;

  // Resolves a free-text profile location by the rules above, or nullopt when unknown.
  [[nodiscard]] std::optional<GeoMatch> ResolveLocationText(
      std::string_view profile_location) const;

  // Place country (two ASCII letters), then coordinates, then profile text.
  [[nodiscard]] std::optional<GeoMatch> ResolvePost(std::optional<std::string_view> place_country,
                                                    std::optional<LatLon> coordinates,
                                                    std::string_view profile_location) const;

  // The normalised alternatives of `text`, each a list of parts (most specific first).
  [[nodiscard]] static std::vector<std::vector<std::string>> Normalise(std::string_view text);
  // Normalise joined into one key: parts by ", ", alternatives by " | ".
  [[nodiscard]] static std::string NormaliseKey(std::string_view text);

  [[nodiscard]] size_t place_count() const;
  [[nodiscard]] size_t name_count() const;
  // Every distinct indexed key, sorted (for consistency checks).
  [[nodiscard]] std::vector<std::string_view> Keys() const;

 private:
  struct Data;
  explicit Gazetteer(std::unique_ptr<Data> data);

  std::unique_ptr<Data> data_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_GAZETTEER_H_
