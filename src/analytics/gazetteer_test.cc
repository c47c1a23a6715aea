#include "analytics/gazetteer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace reach::analytics {
namespace {

using ::testing::ElementsAre;

const std::filesystem::path kGazetteerDir =
    std::filesystem::path(REACH_SOURCE_DIR) / "data/gazetteer";

class GazetteerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    auto loaded = Gazetteer::Load(kGazetteerDir);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    gazetteer_ = new Gazetteer(std::move(*loaded));
    std::printf("[ geo      ] gazetteer load: %zu places, %zu names in %.1f ms\n",
                gazetteer_->place_count(), gazetteer_->name_count(), ms);
  }
  static void TearDownTestSuite() {
    delete gazetteer_;
    gazetteer_ = nullptr;
  }

  static std::string Country(std::string_view text) {
    auto m = gazetteer_->ResolveLocationText(text);
    return m ? m->country_code : "unknown";
  }

  static Gazetteer* gazetteer_;
};

Gazetteer* GazetteerTest::gazetteer_ = nullptr;

TEST(GazetteerLoadTest, MissingDirectoryIsNotFound) {
  auto loaded = Gazetteer::Load("/nonexistent/gazetteer");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
}

TEST(GazetteerLoadTest, MalformedRowIsDataLoss) {
  const auto dir = std::filesystem::temp_directory_path() / "reach_gazetteer_malformed";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "places.tsv") << "C\tFR\t\tFrance\t46.0\t2.0\t67000000\n"
                                    << "P\tFR\t11\tParis\tnot-a-number\t2.35\t2138551\n";
  std::ofstream(dir / "names.tsv") << "france\tn\t0\n";
  std::ofstream(dir / "non_places.txt") << "everywhere\n";
  auto loaded = Gazetteer::Load(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(loaded.status().message()), ::testing::HasSubstr("places.tsv line 2"));
  std::filesystem::remove_all(dir);
}

TEST(GazetteerNormaliseTest, FoldsAccentsDropsPunctuationCollapsesSpaces) {
  EXPECT_EQ(Gazetteer::NormaliseKey("  Almería,   España!! "), "almeria, espana");
  EXPECT_EQ(Gazetteer::NormaliseKey("SÃO PAULO - Brasil"), "sao paulo brasil");
  EXPECT_EQ(Gazetteer::NormaliseKey("St. Louis, MO"), "st louis, mo");
  EXPECT_EQ(Gazetteer::NormaliseKey("Düsseldorf • Köln"), "dusseldorf | koln");
  EXPECT_EQ(Gazetteer::NormaliseKey("Tokio/Berlin/LA"), "tokio | berlin | la");
  EXPECT_EQ(Gazetteer::NormaliseKey("Charleston✈️CLT"), "charleston | clt");
  EXPECT_EQ(Gazetteer::NormaliseKey("Trinidad & Tobago"), "trinidad and tobago");
  EXPECT_EQ(Gazetteer::NormaliseKey("Łódź, Straße"), "lodz, strasse");
  EXPECT_EQ(Gazetteer::NormaliseKey("Hà Nội"), "ha noi");
  EXPECT_EQ(Gazetteer::NormaliseKey("الرياض، السعودية"), "الرياض, السعودية");
  EXPECT_EQ(Gazetteer::NormaliseKey("🌍🌍"), "");
  EXPECT_THAT(Gazetteer::Normalise("Chicago, IL, USA"),
              ElementsAre(ElementsAre("chicago", "il", "usa")));
}

TEST(GazetteerNormaliseTest, InvalidUtf8DoesNotCrash) {
  EXPECT_EQ(Gazetteer::NormaliseKey(std::string_view("Par\xff\xfeis", 7)), "par | is");
  EXPECT_EQ(Gazetteer::NormaliseKey(std::string_view("abc\xe2\x82", 5)), "abc");
}

// The Python build tool and the C++ normaliser must agree, or keys would never match.
TEST_F(GazetteerTest, EveryKeyIsAFixedPointOfNormalise) {
  size_t mismatches = 0;
  for (std::string_view key : gazetteer_->Keys()) {
    const std::string again = Gazetteer::NormaliseKey(key);
    if (again != key) {
      if (++mismatches <= 10)
        ADD_FAILURE() << "key '" << key << "' normalises to '" << again << "'";
    }
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(gazetteer_->Keys().size(), 50'000u);
}

TEST_F(GazetteerTest, CarmenAliases) {
  auto nyc = gazetteer_->ResolveLocationText("NYC");
  ASSERT_TRUE(nyc.has_value());
  EXPECT_EQ(nyc->country_code, "US");
  EXPECT_EQ(nyc->admin1, "NY");
  EXPECT_EQ(nyc->method, GeoMatch::Method::kProfile);

  auto bay = gazetteer_->ResolveLocationText("SF Bay Area");
  ASSERT_TRUE(bay.has_value());
  EXPECT_EQ(bay->country_code, "US");
  EXPECT_EQ(bay->admin1, "CA");
  EXPECT_EQ(bay->city, "");
}

TEST_F(GazetteerTest, CityWithRegionOrCountryQualifier) {
  auto london = gazetteer_->ResolveLocationText("London, England");
  ASSERT_TRUE(london.has_value());
  EXPECT_EQ(london->country_code, "GB");
  EXPECT_EQ(london->admin1, "ENG");
  EXPECT_EQ(london->city, "London");

  auto la = gazetteer_->ResolveLocationText("Los Angeles, CA");
  ASSERT_TRUE(la.has_value());
  EXPECT_EQ(la->country_code, "US");
  EXPECT_EQ(la->admin1, "CA");
  EXPECT_EQ(la->city, "Los Angeles");
  EXPECT_NEAR(la->lat, 34.05, 0.1);

  auto chicago = gazetteer_->ResolveLocationText("Chicago, IL, USA");
  ASSERT_TRUE(chicago.has_value());
  EXPECT_EQ(chicago->city, "Chicago");
  EXPECT_EQ(chicago->admin1, "IL");

  auto paris_tx = gazetteer_->ResolveLocationText("Paris, TX");
  ASSERT_TRUE(paris_tx.has_value());
  EXPECT_EQ(paris_tx->country_code, "US");
  EXPECT_EQ(paris_tx->admin1, "TX");

  EXPECT_EQ(Country("Milan, Italy"), "IT");
  EXPECT_EQ(Country("Almería, España"), "ES");
  EXPECT_EQ(Country("Vancouver, CA"), "CA");  // no Vancouver in California: the country code
  EXPECT_EQ(Country("Huntsville Alabama"), "US");
  EXPECT_EQ(Country("Berlin Germany"), "DE");
  EXPECT_EQ(Country("Springfield, IL"), "US");
}

TEST_F(GazetteerTest, UnknownCityFallsBackToQualifier) {
  auto m = gazetteer_->ResolveLocationText("Magnolia, TX");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->country_code, "US");
  EXPECT_EQ(m->admin1, "TX");

  auto unknown_city = gazetteer_->ResolveLocationText("Smallvillage, Ontario");
  ASSERT_TRUE(unknown_city.has_value());
  EXPECT_EQ(unknown_city->country_code, "CA");
  EXPECT_EQ(unknown_city->admin1, "08");
  EXPECT_EQ(unknown_city->city, "");
  EXPECT_EQ(Country("Nowhereville, Germany"), "DE");
}

TEST_F(GazetteerTest, BareNames) {
  auto tokyo = gazetteer_->ResolveLocationText("Tokyo");
  ASSERT_TRUE(tokyo.has_value());
  EXPECT_EQ(tokyo->country_code, "JP");
  EXPECT_EQ(tokyo->city, "Tokyo");
  EXPECT_EQ(Country("Deutschland"), "DE");
  EXPECT_EQ(Country("Germany"), "DE");
  EXPECT_EQ(Country("Brasil"), "BR");
  EXPECT_EQ(Country("Paris"), "FR");
  EXPECT_EQ(Country("London"), "GB");
  EXPECT_EQ(Country("California"), "US");
  EXPECT_EQ(Country("NY"), "US");
  EXPECT_EQ(Country("UK"), "GB");
  EXPECT_EQ(Country("Roma"), "IT");
  EXPECT_EQ(Country("Rome"), "IT");  // also an alternate name of Lome, a smaller city
  EXPECT_EQ(Country("NAGPUR"), "IN");
}

TEST_F(GazetteerTest, AmbiguousAndJokeLocationsAreUnknown) {
  EXPECT_EQ(Country("everywhere"), "unknown");
  EXPECT_EQ(Country("Worldwide"), "unknown");
  EXPECT_EQ(Country("in your heart"), "unknown");
  EXPECT_EQ(Country("the moon"), "unknown");
  EXPECT_EQ(Country("Earth"), "unknown");
  EXPECT_EQ(Country("internet"), "unknown");
  EXPECT_EQ(Country("Springfield"), "unknown");  // many US cities of similar size
  EXPECT_EQ(Country("Victoria"), "unknown");     // Australian state, Canadian city
  EXPECT_EQ(Country("Georgia"), "unknown");      // country or US state
  EXPECT_EQ(Country("CA"), "unknown");           // California or Canada
  EXPECT_EQ(Country("in"), "unknown");           // a word before it is a code
  EXPECT_EQ(Country("Tokio/Berlin/LA"), "unknown");
  EXPECT_EQ(Country(""), "unknown");
  EXPECT_EQ(Country("🌍"), "unknown");
}

TEST_F(GazetteerTest, AlternativesThatAgreeResolve) {
  EXPECT_EQ(Country("Brooklyn / NYC"), "US");
  EXPECT_EQ(Country("Düsseldorf • Köln"), "DE");
}

TEST_F(GazetteerTest, CoordinatesNearestCityWithinLimit) {
  auto paris = gazetteer_->ResolveCoordinates(48.8566, 2.3522);
  ASSERT_TRUE(paris.has_value());
  EXPECT_EQ(paris->country_code, "FR");
  EXPECT_EQ(paris->city, "Paris");
  EXPECT_LT(paris->distance_km, 3.0);
  EXPECT_EQ(paris->method, GeoMatch::Method::kCoordinates);

  EXPECT_FALSE(gazetteer_->ResolveCoordinates(0.0, -30.0).has_value());     // mid-Atlantic
  EXPECT_FALSE(gazetteer_->ResolveCoordinates(-40.0, -120.0).has_value());  // south Pacific
  EXPECT_FALSE(gazetteer_->ResolveCoordinates(91.0, 0.0).has_value());
  EXPECT_FALSE(gazetteer_->ResolveCoordinates(std::nan(""), 0.0).has_value());

  auto suva = gazetteer_->ResolveCoordinates(-18.14, 178.44);  // near the antimeridian
  ASSERT_TRUE(suva.has_value());
  EXPECT_EQ(suva->country_code, "FJ");

  // 30 km off Bordeaux still resolves; the limit is kMaxCoordinateDistanceKm.
  auto near = gazetteer_->ResolveCoordinates(44.84, -0.95);
  ASSERT_TRUE(near.has_value());
  EXPECT_EQ(near->country_code, "FR");
  EXPECT_LE(near->distance_km, Gazetteer::kMaxCoordinateDistanceKm);
}

TEST_F(GazetteerTest, ResolvePostPrefersPlaceThenCoordinatesThenProfile) {
  auto by_place = gazetteer_->ResolvePost("it", LatLon{48.8566, 2.3522}, "Tokyo");
  ASSERT_TRUE(by_place.has_value());
  EXPECT_EQ(by_place->country_code, "IT");
  EXPECT_EQ(by_place->method, GeoMatch::Method::kPlace);

  auto by_coords = gazetteer_->ResolvePost(std::nullopt, LatLon{48.8566, 2.3522}, "Tokyo");
  ASSERT_TRUE(by_coords.has_value());
  EXPECT_EQ(by_coords->country_code, "FR");
  EXPECT_EQ(by_coords->method, GeoMatch::Method::kCoordinates);

  auto by_profile = gazetteer_->ResolvePost("", LatLon{0.0, -30.0}, "Tokyo");
  ASSERT_TRUE(by_profile.has_value());
  EXPECT_EQ(by_profile->country_code, "JP");
  EXPECT_EQ(by_profile->method, GeoMatch::Method::kProfile);

  EXPECT_FALSE(gazetteer_->ResolvePost(std::nullopt, std::nullopt, "everywhere").has_value());
}

// Acceptance: real profile locations labelled with the country of the same user's post place
// (tests/geo/resolution_set.tsv, built by tests/geo/build_resolution_set.py).
TEST_F(GazetteerTest, ResolutionSetPrecisionAtLeast90Percent) {
  std::ifstream in(std::filesystem::path(REACH_SOURCE_DIR) / "tests/geo/resolution_set.tsv");
  ASSERT_TRUE(in.is_open());
  std::string line;
  int total = 0, resolved = 0, correct = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab1 = line.find('\t');
    const size_t tab2 = line.find('\t', tab1 + 1);
    ASSERT_NE(tab1, std::string::npos);
    const std::string location = line.substr(0, tab1);
    const std::string label = line.substr(tab1 + 1, tab2 - tab1 - 1);
    ++total;
    auto m = gazetteer_->ResolveLocationText(location);
    const std::string got = m ? m->country_code : "-";
    if (m) {
      ++resolved;
      if (got == label) ++correct;
    }
    std::printf("[ geo      ] %-45s label %s got %s%s\n", location.c_str(), label.c_str(),
                got.c_str(), m && got != label ? "  WRONG" : "");
  }
  ASSERT_GT(total, 20);
  const double coverage = static_cast<double>(resolved) / total;
  const double precision = resolved ? static_cast<double>(correct) / resolved : 0.0;
  std::printf(
      "[ geo      ] resolution set: %d locations, %d resolved, %d correct: coverage %.1f%%, "
      "precision %.1f%%\n",
      total, resolved, correct, 100 * coverage, 100 * precision);
  RecordProperty("coverage", std::to_string(coverage));
  RecordProperty("precision", std::to_string(precision));
  EXPECT_GE(precision, 0.90);
  EXPECT_GE(coverage, 0.5);
}

}  // namespace
}  // namespace reach::analytics
