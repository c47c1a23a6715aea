#include "sim/vocabulary.h"

#include <array>

namespace reach::sim {
namespace {

// Weights are rough relative shares of social-media users, not populations.
constexpr Location kLocations[] = {
    {"London, England", "London", "GB", "United Kingdom", 51.507, -0.128, 9, "en"},
    {"London", "London", "GB", "United Kingdom", 51.507, -0.128, 6, "en"},
    {"Manchester, England", "Manchester", "GB", "United Kingdom", 53.481, -2.244, 3, "en"},
    {"Birmingham, UK", "Birmingham", "GB", "United Kingdom", 52.486, -1.890, 2, "en"},
    {"Glasgow, Scotland", "Glasgow", "GB", "United Kingdom", 55.864, -4.252, 2, "en"},
    {"Edinburgh", "Edinburgh", "GB", "United Kingdom", 55.953, -3.188, 1.5, "en"},
    {"Leeds, England", "Leeds", "GB", "United Kingdom", 53.801, -1.549, 1.5, "en"},
    {"Liverpool", "Liverpool", "GB", "United Kingdom", 53.408, -2.992, 1.5, "en"},
    {"Bristol, UK", "Bristol", "GB", "United Kingdom", 51.455, -2.588, 1, "en"},
    {"Cardiff, Wales", "Cardiff", "GB", "United Kingdom", 51.481, -3.179, 1, "en"},
    {"Belfast, Northern Ireland", "Belfast", "GB", "United Kingdom", 54.597, -5.930, 1, "en"},
    {"Dublin, Ireland", "Dublin", "IE", "Ireland", 53.350, -6.260, 2, "en"},
    {"New York, NY", "New York", "US", "United States", 40.713, -74.006, 12, "en"},
    {"NYC", "New York", "US", "United States", 40.713, -74.006, 4, "en"},
    {"Brooklyn, NY", "Brooklyn", "US", "United States", 40.678, -73.944, 3, "en"},
    {"Los Angeles, CA", "Los Angeles", "US", "United States", 34.052, -118.244, 9, "en"},
    {"LA", "Los Angeles", "US", "United States", 34.052, -118.244, 2, "en"},
    {"San Francisco, CA", "San Francisco", "US", "United States", 37.775, -122.419, 5, "en"},
    {"Chicago, IL", "Chicago", "US", "United States", 41.878, -87.630, 6, "en"},
    {"Houston, TX", "Houston", "US", "United States", 29.760, -95.370, 5, "en"},
    {"Dallas, TX", "Dallas", "US", "United States", 32.777, -96.797, 4, "en"},
    {"Austin, TX", "Austin", "US", "United States", 30.267, -97.743, 3, "en"},
    {"Atlanta, GA", "Atlanta", "US", "United States", 33.749, -84.388, 5, "en"},
    {"Miami, FL", "Miami", "US", "United States", 25.762, -80.192, 4, "en"},
    {"Orlando, FL", "Orlando", "US", "United States", 28.538, -81.379, 2, "en"},
    {"Boston, MA", "Boston", "US", "United States", 42.360, -71.059, 4, "en"},
    {"Washington, DC", "Washington", "US", "United States", 38.907, -77.037, 5, "en"},
    {"Seattle, WA", "Seattle", "US", "United States", 47.606, -122.332, 4, "en"},
    {"Portland, OR", "Portland", "US", "United States", 45.515, -122.679, 2, "en"},
    {"Denver, CO", "Denver", "US", "United States", 39.739, -104.990, 3, "en"},
    {"Phoenix, AZ", "Phoenix", "US", "United States", 33.448, -112.074, 3, "en"},
    {"Las Vegas, NV", "Las Vegas", "US", "United States", 36.170, -115.140, 2, "en"},
    {"Philadelphia, PA", "Philadelphia", "US", "United States", 39.953, -75.164, 4, "en"},
    {"Detroit, MI", "Detroit", "US", "United States", 42.331, -83.046, 2, "en"},
    {"Minneapolis, MN", "Minneapolis", "US", "United States", 44.978, -93.265, 2, "en"},
    {"Nashville, TN", "Nashville", "US", "United States", 36.163, -86.781, 2, "en"},
    {"New Orleans, LA", "New Orleans", "US", "United States", 29.951, -90.072, 2, "en"},
    {"San Diego, CA", "San Diego", "US", "United States", 32.716, -117.161, 2, "en"},
    {"Charlotte, NC", "Charlotte", "US", "United States", 35.227, -80.843, 2, "en"},
    {"Baltimore, MD", "Baltimore", "US", "United States", 39.290, -76.612, 1.5, "en"},
    {"Pittsburgh, PA", "Pittsburgh", "US", "United States", 40.441, -79.996, 1.5, "en"},
    {"St. Louis, MO", "St. Louis", "US", "United States", 38.627, -90.199, 1.5, "en"},
    {"Columbus, Ohio", "Columbus", "US", "United States", 39.961, -82.999, 1.5, "en"},
    {"Honolulu, HI", "Honolulu", "US", "United States", 21.307, -157.858, 1, "en"},
    {"Texas, USA", "Texas", "US", "United States", 31.000, -100.000, 3, "en"},
    {"California, USA", "California", "US", "United States", 36.778, -119.418, 3, "en"},
    {"Florida", "Florida", "US", "United States", 27.994, -81.760, 2, "en"},
    {"USA", "United States", "US", "United States", 39.828, -98.579, 4, "en"},
    {"Toronto, Ontario", "Toronto", "CA", "Canada", 43.653, -79.383, 5, "en"},
    {"Vancouver, BC", "Vancouver", "CA", "Canada", 49.283, -123.121, 3, "en"},
    {"Montréal, Québec", "Montréal", "CA", "Canada", 45.502, -73.567, 3, "fr"},
    {"Calgary, Alberta", "Calgary", "CA", "Canada", 51.045, -114.072, 1.5, "en"},
    {"Ottawa, Canada", "Ottawa", "CA", "Canada", 45.421, -75.697, 1.5, "en"},
    {"Sydney, Australia", "Sydney", "AU", "Australia", -33.869, 151.209, 4, "en"},
    {"Melbourne, Victoria", "Melbourne", "AU", "Australia", -37.814, 144.963, 3, "en"},
    {"Brisbane", "Brisbane", "AU", "Australia", -27.470, 153.026, 1.5, "en"},
    {"Perth, Western Australia", "Perth", "AU", "Australia", -31.950, 115.861, 1, "en"},
    {"Auckland, New Zealand", "Auckland", "NZ", "New Zealand", -36.849, 174.763, 1.5, "en"},
    {"Wellington, NZ", "Wellington", "NZ", "New Zealand", -41.287, 174.776, 0.7, "en"},
    {"Paris, France", "Paris", "FR", "France", 48.857, 2.352, 6, "fr"},
    {"Paris", "Paris", "FR", "France", 48.857, 2.352, 3, "fr"},
    {"Lyon, France", "Lyon", "FR", "France", 45.764, 4.836, 1.5, "fr"},
    {"Marseille", "Marseille", "FR", "France", 43.297, 5.370, 1.5, "fr"},
    {"Toulouse, France", "Toulouse", "FR", "France", 43.605, 1.444, 1, "fr"},
    {"Bruxelles, Belgique", "Bruxelles", "BE", "Belgium", 50.850, 4.352, 1.5, "fr"},
    {"Amsterdam, Nederland", "Amsterdam", "NL", "Netherlands", 52.370, 4.895, 2.5, "nl"},
    {"Rotterdam", "Rotterdam", "NL", "Netherlands", 51.924, 4.478, 1, "nl"},
    {"Berlin, Deutschland", "Berlin", "DE", "Germany", 52.520, 13.405, 4, "de"},
    {"Berlin", "Berlin", "DE", "Germany", 52.520, 13.405, 2, "de"},
    {"München", "München", "DE", "Germany", 48.135, 11.582, 2, "de"},
    {"Hamburg, Germany", "Hamburg", "DE", "Germany", 53.551, 9.994, 2, "de"},
    {"Köln, Deutschland", "Köln", "DE", "Germany", 50.938, 6.960, 1.5, "de"},
    {"Frankfurt am Main", "Frankfurt am Main", "DE", "Germany", 50.111, 8.682, 1, "de"},
    {"Wien, Österreich", "Wien", "AT", "Austria", 48.208, 16.374, 1.5, "de"},
    {"Zürich, Schweiz", "Zürich", "CH", "Switzerland", 47.377, 8.542, 1, "de"},
    {"Genève", "Genève", "CH", "Switzerland", 46.204, 6.143, 0.6, "fr"},
    {"Madrid, España", "Madrid", "ES", "Spain", 40.417, -3.704, 5, "es"},
    {"Barcelona, Spain", "Barcelona", "ES", "Spain", 41.385, 2.173, 4, "es"},
    {"Sevilla, Andalucía", "Sevilla", "ES", "Spain", 37.389, -5.984, 1.5, "es"},
    {"Valencia, España", "Valencia", "ES", "Spain", 39.470, -0.376, 1.5, "es"},
    {"Bilbao", "Bilbao", "ES", "Spain", 43.263, -2.935, 0.8, "es"},
    {"Lisboa, Portugal", "Lisboa", "PT", "Portugal", 38.722, -9.139, 2, "pt"},
    {"Porto, Portugal", "Porto", "PT", "Portugal", 41.158, -8.629, 1, "pt"},
    {"Roma, Italia", "Roma", "IT", "Italy", 41.903, 12.496, 3, "it"},
    {"Milano, Lombardia", "Milano", "IT", "Italy", 45.464, 9.190, 3, "it"},
    {"Napoli", "Napoli", "IT", "Italy", 40.852, 14.268, 1.5, "it"},
    {"Torino, Piemonte", "Torino", "IT", "Italy", 45.070, 7.687, 1, "it"},
    {"Stockholm, Sverige", "Stockholm", "SE", "Sweden", 59.329, 18.069, 2, "sv"},
    {"Göteborg", "Göteborg", "SE", "Sweden", 57.709, 11.975, 0.8, "sv"},
    {"Oslo, Norge", "Oslo", "NO", "Norway", 59.914, 10.752, 1.5, "no"},
    {"København", "København", "DK", "Denmark", 55.676, 12.568, 1.5, "da"},
    {"Helsinki, Finland", "Helsinki", "FI", "Finland", 60.170, 24.938, 1.2, "fi"},
    {"Warszawa, Polska", "Warszawa", "PL", "Poland", 52.230, 21.012, 2, "pl"},
    {"Kraków", "Kraków", "PL", "Poland", 50.065, 19.945, 1, "pl"},
    {"Praha, Česká republika", "Praha", "CZ", "Czechia", 50.076, 14.438, 1, "cs"},
    {"Budapest, Hungary", "Budapest", "HU", "Hungary", 47.498, 19.040, 1, "hu"},
    {"Athens, Greece", "Athens", "GR", "Greece", 37.984, 23.728, 1.2, "el"},
    {"İstanbul, Türkiye", "İstanbul", "TR", "Turkey", 41.008, 28.978, 5, "tr"},
    {"Ankara", "Ankara", "TR", "Turkey", 39.934, 32.860, 2, "tr"},
    {"Kyiv, Ukraine", "Kyiv", "UA", "Ukraine", 50.450, 30.524, 2, "uk"},
    {"Moscow, Russia", "Moscow", "RU", "Russia", 55.756, 37.617, 3, "ru"},
    {"Tokyo", "Tokyo", "JP", "Japan", 35.690, 139.692, 9, "ja"},
    {"東京", "東京", "JP", "Japan", 35.690, 139.692, 4, "ja"},
    {"Tokyo, Japan", "Tokyo", "JP", "Japan", 35.690, 139.692, 3, "ja"},
    {"大阪", "大阪", "JP", "Japan", 34.694, 135.502, 3, "ja"},
    {"Osaka, Japan", "Osaka", "JP", "Japan", 34.694, 135.502, 1.5, "ja"},
    {"Nagoya", "Nagoya", "JP", "Japan", 35.181, 136.906, 1.5, "ja"},
    {"Sapporo, Hokkaido", "Sapporo", "JP", "Japan", 43.062, 141.354, 1, "ja"},
    {"Fukuoka", "Fukuoka", "JP", "Japan", 33.590, 130.402, 1, "ja"},
    {"Seoul, Republic of Korea", "Seoul", "KR", "South Korea", 37.567, 126.978, 4, "ko"},
    {"서울", "서울", "KR", "South Korea", 37.567, 126.978, 2, "ko"},
    {"Busan, Korea", "Busan", "KR", "South Korea", 35.180, 129.075, 1, "ko"},
    {"Taipei, Taiwan", "Taipei", "TW", "Taiwan", 25.033, 121.565, 1.5, "zh"},
    {"Hong Kong", "Hong Kong", "HK", "Hong Kong", 22.320, 114.169, 2, "zh"},
    {"Singapore", "Singapore", "SG", "Singapore", 1.352, 103.820, 2.5, "en"},
    {"Kuala Lumpur, Malaysia", "Kuala Lumpur", "MY", "Malaysia", 3.139, 101.687, 2, "ms"},
    {"Bangkok, Thailand", "Bangkok", "TH", "Thailand", 13.756, 100.502, 3, "th"},
    {"Manila, Philippines", "Manila", "PH", "Philippines", 14.600, 120.984, 4, "en"},
    {"Quezon City", "Quezon City", "PH", "Philippines", 14.676, 121.044, 1.5, "en"},
    {"Jakarta, Indonesia", "Jakarta", "ID", "Indonesia", -6.209, 106.846, 6, "in"},
    {"Bandung, Jawa Barat", "Bandung", "ID", "Indonesia", -6.917, 107.619, 2, "in"},
    {"Surabaya", "Surabaya", "ID", "Indonesia", -7.258, 112.752, 1.5, "in"},
    {"Ho Chi Minh City, Vietnam", "Ho Chi Minh City", "VN", "Vietnam", 10.823, 106.630, 1.5, "vi"},
    {"Mumbai, India", "Mumbai", "IN", "India", 19.076, 72.878, 6, "en"},
    {"New Delhi, India", "New Delhi", "IN", "India", 28.614, 77.209, 6, "en"},
    {"Bangalore", "Bangalore", "IN", "India", 12.972, 77.595, 4, "en"},
    {"Bengaluru, India", "Bengaluru", "IN", "India", 12.972, 77.595, 2, "en"},
    {"Hyderabad, India", "Hyderabad", "IN", "India", 17.385, 78.487, 2.5, "en"},
    {"Chennai, Tamil Nadu", "Chennai", "IN", "India", 13.083, 80.271, 2, "en"},
    {"Kolkata, India", "Kolkata", "IN", "India", 22.573, 88.364, 2, "en"},
    {"Pune, Maharashtra", "Pune", "IN", "India", 18.520, 73.857, 1.5, "en"},
    {"Karachi, Pakistan", "Karachi", "PK", "Pakistan", 24.861, 67.010, 3, "en"},
    {"Lahore, Pakistan", "Lahore", "PK", "Pakistan", 31.520, 74.359, 2, "en"},
    {"Islamabad", "Islamabad", "PK", "Pakistan", 33.684, 73.048, 1, "en"},
    {"Dhaka, Bangladesh", "Dhaka", "BD", "Bangladesh", 23.811, 90.413, 1.5, "en"},
    {"Colombo, Sri Lanka", "Colombo", "LK", "Sri Lanka", 6.927, 79.861, 0.7, "en"},
    {"Dubai, UAE", "Dubai", "AE", "United Arab Emirates", 25.205, 55.271, 2.5, "en"},
    {"Abu Dhabi", "Abu Dhabi", "AE", "United Arab Emirates", 24.454, 54.377, 1, "en"},
    {"Riyadh, Saudi Arabia", "Riyadh", "SA", "Saudi Arabia", 24.713, 46.675, 4, "ar"},
    {"Jeddah, Kingdom of Saudi Arabia", "Jeddah", "SA", "Saudi Arabia", 21.485, 39.193, 2, "ar"},
    {"Doha, Qatar", "Doha", "QA", "Qatar", 25.285, 51.531, 1, "ar"},
    {"Kuwait", "Kuwait City", "KW", "Kuwait", 29.376, 47.977, 1.5, "ar"},
    {"Cairo, Egypt", "Cairo", "EG", "Egypt", 30.044, 31.236, 3, "ar"},
    {"Tel Aviv, Israel", "Tel Aviv", "IL", "Israel", 32.085, 34.782, 1.5, "en"},
    {"Lagos, Nigeria", "Lagos", "NG", "Nigeria", 6.524, 3.379, 6, "en"},
    {"Abuja, Nigeria", "Abuja", "NG", "Nigeria", 9.058, 7.495, 2.5, "en"},
    {"Port Harcourt", "Port Harcourt", "NG", "Nigeria", 4.815, 7.049, 1, "en"},
    {"Nairobi, Kenya", "Nairobi", "KE", "Kenya", -1.292, 36.822, 3, "en"},
    {"Accra, Ghana", "Accra", "GH", "Ghana", 5.604, -0.187, 2, "en"},
    {"Johannesburg, South Africa", "Johannesburg", "ZA", "South Africa", -26.204, 28.047, 3, "en"},
    {"Cape Town, South Africa", "Cape Town", "ZA", "South Africa", -33.925, 18.424, 2.5, "en"},
    {"Durban", "Durban", "ZA", "South Africa", -29.859, 31.022, 1, "en"},
    {"Kampala, Uganda", "Kampala", "UG", "Uganda", 0.348, 32.583, 1, "en"},
    {"Addis Ababa, Ethiopia", "Addis Ababa", "ET", "Ethiopia", 9.030, 38.740, 0.7, "en"},
    {"Casablanca, Maroc", "Casablanca", "MA", "Morocco", 33.573, -7.590, 1, "fr"},
    {"São Paulo, Brasil", "São Paulo", "BR", "Brazil", -23.551, -46.633, 9, "pt"},
    {"Rio de Janeiro, Brasil", "Rio de Janeiro", "BR", "Brazil", -22.907, -43.173, 6, "pt"},
    {"Belo Horizonte, Brasil", "Belo Horizonte", "BR", "Brazil", -19.917, -43.935, 2.5, "pt"},
    {"Brasília", "Brasília", "BR", "Brazil", -15.794, -47.882, 2, "pt"},
    {"Salvador, Bahia", "Salvador", "BR", "Brazil", -12.978, -38.502, 2, "pt"},
    {"Porto Alegre, RS", "Porto Alegre", "BR", "Brazil", -30.035, -51.218, 1.5, "pt"},
    {"Recife, Pernambuco", "Recife", "BR", "Brazil", -8.048, -34.877, 1.5, "pt"},
    {"Curitiba", "Curitiba", "BR", "Brazil", -25.429, -49.271, 1.5, "pt"},
    {"Fortaleza, Ceará", "Fortaleza", "BR", "Brazil", -3.717, -38.543, 1.5, "pt"},
    {"Buenos Aires, Argentina", "Buenos Aires", "AR", "Argentina", -34.604, -58.382, 6, "es"},
    {"Córdoba, Argentina", "Córdoba", "AR", "Argentina", -31.420, -64.189, 1.5, "es"},
    {"Rosario", "Rosario", "AR", "Argentina", -32.944, -60.650, 1, "es"},
    {"Santiago, Chile", "Santiago", "CL", "Chile", -33.449, -70.669, 3, "es"},
    {"Lima, Perú", "Lima", "PE", "Peru", -12.046, -77.043, 2.5, "es"},
    {"Bogotá, Colombia", "Bogotá", "CO", "Colombia", 4.711, -74.072, 3, "es"},
    {"Medellín, Colombia", "Medellín", "CO", "Colombia", 6.244, -75.581, 1.5, "es"},
    {"Caracas, Venezuela", "Caracas", "VE", "Venezuela", 10.481, -66.904, 2.5, "es"},
    {"Quito, Ecuador", "Quito", "EC", "Ecuador", -0.181, -78.468, 1, "es"},
    {"Montevideo, Uruguay", "Montevideo", "UY", "Uruguay", -34.901, -56.164, 1, "es"},
    {"Ciudad de México", "Ciudad de México", "MX", "Mexico", 19.433, -99.133, 6, "es"},
    {"CDMX", "Ciudad de México", "MX", "Mexico", 19.433, -99.133, 2, "es"},
    {"Guadalajara, Jalisco", "Guadalajara", "MX", "Mexico", 20.659, -103.349, 2.5, "es"},
    {"Monterrey, Nuevo León", "Monterrey", "MX", "Mexico", 25.687, -100.316, 2, "es"},
    {"Puebla", "Puebla", "MX", "Mexico", 19.041, -98.206, 1, "es"},
    {"San Juan, Puerto Rico", "San Juan", "PR", "Puerto Rico", 18.466, -66.106, 1, "es"},
    {"Santo Domingo, República Dominicana", "Santo Domingo", "DO", "Dominican Republic", 18.486,
     -69.931, 1.5, "es"},
    {"Kingston, Jamaica", "Kingston", "JM", "Jamaica", 18.018, -76.810, 0.8, "en"},
};

constexpr std::string_view kJokeLocations[] = {
    "Earth",         "the moon",     "Hogwarts",     "in your heart",
    "everywhere",    "somewhere",    "127.0.0.1",    "she/her",
    "Narnia",        "Gotham City",  "Mars",         "wherever the wifi is",
    "your timeline", "planet earth", "Middle Earth", "the internet",
    "404",           "behind you",   "Worldwide",    "on the road",
};

constexpr std::string_view kTechWords[] = {
    "software", "developers", "release",   "startup", "cloud",   "server",   "database",
    "compiler", "laptop",     "update",    "feature", "code",    "platform", "chips",
    "robots",   "model",      "engineers", "browser", "devices", "network"};
constexpr std::string_view kTechTags[] = {"tech",  "AI",     "programming",
                                          "cloud", "devops", "startups"};

constexpr std::string_view kSportsWords[] = {
    "match",   "goal",  "season",  "coach",      "league", "striker",  "final",
    "stadium", "team",  "players", "score",      "derby",  "transfer", "keeper",
    "half",    "pitch", "fixture", "tournament", "squad",  "referee"};
constexpr std::string_view kSportsTags[] = {"football", "NBA", "WorldCup", "F1", "tennis", "NFL"};

constexpr std::string_view kPoliticsWords[] = {
    "election",  "senate", "minister", "policy",  "campaign", "voters",   "parliament",
    "budget",    "debate", "polls",    "bill",    "reform",   "governor", "congress",
    "candidate", "ballot", "mayor",    "cabinet", "tax",      "council"};
constexpr std::string_view kPoliticsTags[] = {"politics", "election", "vote", "policy", "news"};

constexpr std::string_view kMusicWords[] = {"album",    "song",   "concert", "tour",   "single",
                                            "playlist", "band",   "guitar",  "vinyl",  "lyrics",
                                            "stage",    "chorus", "setlist", "studio", "drummer",
                                            "track",    "record", "remix",   "fest",   "singer"};
constexpr std::string_view kMusicTags[] = {"music",  "NewMusic", "kpop",
                                           "hiphop", "Grammys",  "vinyl"};

constexpr std::string_view kFoodWords[] = {"recipe",  "dinner",  "pizza",  "coffee",  "bakery",
                                           "noodles", "tacos",   "brunch", "kitchen", "ramen",
                                           "sushi",   "chef",    "menu",   "cheese",  "bread",
                                           "curry",   "dessert", "spices", "market",  "restaurant"};
constexpr std::string_view kFoodTags[] = {"food", "foodie", "recipes", "coffee", "vegan", "brunch"};

constexpr std::string_view kTravelWords[] = {
    "flight",    "airport", "beach",  "hotel", "passport", "island", "train",
    "mountains", "city",    "museum", "trip",  "luggage",  "hostel", "cruise",
    "sunset",    "journey", "map",    "route", "harbor",   "village"};
constexpr std::string_view kTravelTags[] = {"travel", "wanderlust", "vacation", "roadtrip",
                                            "travelgram"};

constexpr std::string_view kFinanceWords[] = {
    "stocks",  "market",  "earnings", "stake",     "investors", "rates", "inflation",
    "bonds",   "crypto",  "bitcoin",  "portfolio", "dividend",  "banks", "quarter",
    "revenue", "futures", "index",    "trading",   "economy",   "fund"};
constexpr std::string_view kFinanceTags[] = {"stocks",    "crypto",  "bitcoin",
                                             "investing", "finance", "markets"};

constexpr std::string_view kGamingWords[] = {
    "console",  "controller", "level",  "stream",  "quest", "boss",     "patch",
    "speedrun", "esports",    "gamers", "server",  "loot",  "ranked",   "indie",
    "sequel",   "trailer",    "arcade", "dungeon", "map",   "character"};
constexpr std::string_view kGamingTags[] = {"gaming",         "esports", "PS5",
                                            "NintendoSwitch", "Twitch",  "indiedev"};

constexpr std::string_view kMoviesWords[] = {
    "movie",    "film",        "trailer",   "director", "actor",  "cinema", "sequel",
    "premiere", "series",      "episode",   "season",   "cast",   "script", "scene",
    "studio",   "documentary", "streaming", "box",      "office", "screen"};
constexpr std::string_view kMoviesTags[] = {"movies", "Oscars", "Netflix", "film", "TVseries"};

constexpr std::string_view kScienceWords[] = {
    "research",  "study",   "scientists", "telescope", "climate", "species",   "vaccine",
    "data",      "lab",     "physics",    "planet",    "ocean",   "genome",    "rocket",
    "satellite", "journal", "paper",      "cells",     "fossil",  "experiment"};
constexpr std::string_view kScienceTags[] = {"science", "space", "climate", "NASA", "research"};

constexpr std::string_view kFashionWords[] = {
    "outfit", "dress",  "sneakers", "runway", "designer", "jacket",  "collection",
    "style",  "jeans",  "boots",    "fabric", "vintage",  "models",  "denim",
    "shoes",  "makeup", "skincare", "hair",   "look",     "wardrobe"};
constexpr std::string_view kFashionTags[] = {"fashion", "OOTD", "style", "streetwear", "makeup"};

constexpr std::string_view kHealthWords[] = {
    "workout",  "gym",       "running",    "yoga",   "sleep",    "steps",  "marathon",
    "training", "doctor",    "clinic",     "diet",   "protein",  "cardio", "walking",
    "routine",  "hydration", "meditation", "nurses", "hospital", "muscles"};
constexpr std::string_view kHealthTags[] = {"gymlife", "health", "running", "yoga", "selfcare"};

constexpr Topic kTopics[] = {
    {"tech", kTechWords, kTechTags},
    {"sports", kSportsWords, kSportsTags},
    {"politics", kPoliticsWords, kPoliticsTags},
    {"music", kMusicWords, kMusicTags},
    {"food", kFoodWords, kFoodTags},
    {"travel", kTravelWords, kTravelTags},
    {"finance", kFinanceWords, kFinanceTags},
    {"gaming", kGamingWords, kGamingTags},
    {"movies", kMoviesWords, kMoviesTags},
    {"science", kScienceWords, kScienceTags},
    {"fashion", kFashionWords, kFashionTags},
    {"health", kHealthWords, kHealthTags},
};

// From the VADER lexicon, valence >= 1.5 and <= -1.5 (checked against the lexicon in the tests).
constexpr std::string_view kPositive[] = {
    "love",      "great",     "awesome",   "amazing",   "excellent",   "happy",      "wonderful",
    "fantastic", "beautiful", "brilliant", "perfect",   "best",        "thrilled",   "proud",
    "glad",      "delighted", "enjoy",     "enjoyed",   "lovely",      "nice",       "fun",
    "glorious",  "win",       "winning",   "success",   "successful",  "impressive", "inspiring",
    "thanks",    "thank",     "grateful",  "superb",    "outstanding", "terrific",   "adorable",
    "fabulous",  "yay",       "wow",       "hope",      "hopeful",     "cheerful",   "strong",
    "smart",     "sweet",     "kind",      "celebrate", "blessed"};
constexpr std::string_view kNegative[] = {
    "hate",     "terrible",     "awful",         "horrible",   "worst",      "bad",     "sad",
    "angry",    "disappointed", "disappointing", "disgusting", "annoying",   "cruel",   "broken",
    "fail",     "failed",       "failure",       "tragedy",    "losing",     "ugly",    "stupid",
    "pathetic", "scared",       "horrific",      "devastated", "hurt",       "pain",    "crisis",
    "disaster", "tragic",       "furious",       "upset",      "miserable",  "ruined",  "sick",
    "wrong",    "problem",      "problems",      "fear",       "ridiculous", "useless", "unfair",
    "nasty",    "mess",         "shame",         "poor",       "lame"};

constexpr std::string_view kFiller[] = {
    "the",   "a",     "this",    "that",   "is",    "was",   "just",     "today",   "tonight",
    "my",    "our",   "we",      "they",   "about", "new",   "on",       "in",      "at",
    "with",  "for",   "after",   "before", "now",   "here",  "again",    "every",   "first",
    "last",  "week",  "morning", "people", "thing", "going", "watching", "reading", "seeing",
    "still", "maybe", "another", "around", "then",  "what",  "how",      "their",   "your",
    "some",  "all",   "more",    "time",   "day"};

constexpr std::string_view kFirstNames[] = {
    "Maria", "James", "Aiko",   "Chen",   "Fatima", "Olu",    "Sofia",   "Liam",  "Priya",
    "Mateo", "Yuki",  "Amara",  "Noah",   "Elena",  "Kwame",  "Lucas",   "Hana",  "Omar",
    "Zoe",   "Ravi",  "Ines",   "Diego",  "Mei",    "Tariq",  "Chloe",   "Arjun", "Lena",
    "Kofi",  "Sara",  "Ivan",   "Nadia",  "Tomas",  "Aisha",  "Jonas",   "Leila", "Marco",
    "Ana",   "Ben",   "Camila", "Daniel", "Emma",   "Felix",  "Gabriel", "Hugo",  "Isla",
    "Jin",   "Kenji", "Laura",  "Min",    "Nora",   "Oscar",  "Paula",   "Quinn", "Rosa",
    "Sam",   "Theo",  "Uma",    "Vera",   "Wei",    "Ximena", "Yara",    "Zain"};
constexpr std::string_view kLastNames[] = {
    "Silva",  "Smith",    "Tanaka",  "Wang",   "Khan",    "Okafor", "Garcia",   "Brown",
    "Patel",  "Rossi",    "Sato",    "Mensah", "Muller",  "Novak",  "Lopez",    "Kim",
    "Nguyen", "Cohen",    "Dubois",  "Haddad", "Ivanova", "Jensen", "Kowalski", "Larsen",
    "Moreau", "Nakamura", "Ortiz",   "Park",   "Quispe",  "Reyes",  "Santos",   "Torres",
    "Ueda",   "Vargas",   "Weber",   "Yilmaz", "Zhang",   "Abara",  "Becker",   "Costa",
    "Diaz",   "Evans",    "Fischer", "Gomez",  "Hughes",  "Ito",    "Jones",    "Kaur"};

constexpr std::string_view kDomains[] = {
    "www.bbc.co.uk",    "www.nytimes.com",   "www.theguardian.com", "www.reuters.com",
    "www.youtube.com",  "github.com",        "medium.com",          "www.instagram.com",
    "open.spotify.com", "www.espn.com",      "www.bloomberg.com",   "www.nature.com",
    "www.lemonde.fr",   "www.spiegel.de",    "elpais.com",          "g1.globo.com",
    "www.nhk.or.jp",    "www.aljazeera.com", "techcrunch.com",      "www.theverge.com"};

}  // namespace

std::span<const Location> Locations() { return kLocations; }
std::span<const std::string_view> JokeLocations() { return kJokeLocations; }
std::span<const Topic> Topics() { return kTopics; }
std::span<const std::string_view> PositiveWords() { return kPositive; }
std::span<const std::string_view> NegativeWords() { return kNegative; }
std::span<const std::string_view> FillerWords() { return kFiller; }
std::span<const std::string_view> FirstNames() { return kFirstNames; }
std::span<const std::string_view> LastNames() { return kLastNames; }
std::span<const std::string_view> LinkDomains() { return kDomains; }

}  // namespace reach::sim
