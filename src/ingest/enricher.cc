#include "ingest/enricher.h"

#include "absl/container/flat_hash_map.h"

namespace reach::ingest {
namespace {

model::GeoSource SourceOf(analytics::GeoMatch::Method m) {
  switch (m) {
    case analytics::GeoMatch::Method::kPlace:
      return model::GeoSource::kPlace;
    case analytics::GeoMatch::Method::kCoordinates:
      return model::GeoSource::kCoordinates;
    case analytics::GeoMatch::Method::kProfile:
      return model::GeoSource::kProfile;
  }
  return model::GeoSource::kNone;
}

}  // namespace

void Enricher::Enrich(std::vector<model::Event>& events) const {
  // Profile locations of the accounts seen in this batch, for the posts that follow them.
  absl::flat_hash_map<UserId, const model::UserSnapshot*> authors;
  for (model::Event& e : events) {
    if (auto* u = std::get_if<model::UserSnapshot>(&e)) {
      if (gazetteer_ != nullptr && !u->location.empty()) {
        if (auto m = gazetteer_->ResolveLocationText(u->location)) u->country = m->country_code;
      }
      authors[u->id] = u;
      continue;
    }
    auto* p = std::get_if<model::Post>(&e);
    if (p == nullptr) continue;
    if (sentiment_ != nullptr && !p->text.empty() && p->kind != model::PostKind::kReshare) {
      p->sentiment = static_cast<float>(sentiment_->Score(p->text).compound);
      p->has_sentiment = true;
    }
    if (terms_ != nullptr && !p->text.empty() && p->kind != model::PostKind::kReshare) {
      for (analytics::Term& t : terms_->Extract(p->text)) p->terms.push_back(std::move(t.text));
    }
    if (gazetteer_ == nullptr) continue;
    std::optional<std::string_view> place;
    if (p->place && !p->place->country_code.empty()) place = p->place->country_code;
    std::optional<analytics::LatLon> coords;
    if (p->coordinates) coords = analytics::LatLon{p->coordinates->lat, p->coordinates->lon};
    std::string_view profile;
    if (auto a = authors.find(p->author); a != authors.end()) profile = a->second->location;
    if (!place && !coords && profile.empty()) continue;
    if (auto m = gazetteer_->ResolvePost(place, coords, profile)) {
      p->country = m->country_code;
      p->country_source = SourceOf(m->method);
    }
  }
}

}  // namespace reach::ingest
