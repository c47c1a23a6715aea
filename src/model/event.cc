#include "model/event.h"

namespace reach::model {

std::string_view PlatformName(Platform p) {
  switch (p) {
    case Platform::kTwitter:
      return "twitter";
    case Platform::kBluesky:
      return "bluesky";
    case Platform::kMastodon:
      return "mastodon";
    case Platform::kDataset:
      return "dataset";
    case Platform::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view PostKindName(PostKind k) {
  switch (k) {
    case PostKind::kOriginal:
      return "original";
    case PostKind::kReshare:
      return "reshare";
    case PostKind::kQuote:
      return "quote";
    case PostKind::kReply:
      return "reply";
  }
  return "original";
}

std::string_view GeoSourceName(GeoSource s) {
  switch (s) {
    case GeoSource::kPlace:
      return "place";
    case GeoSource::kCoordinates:
      return "coordinates";
    case GeoSource::kProfile:
      return "profile";
    case GeoSource::kNone:
      break;
  }
  return "none";
}

EventTime TimeOf(const Event& e) {
  struct Visitor {
    EventTime operator()(const Post& p) const { return p.time; }
    EventTime operator()(const UserSnapshot& u) const { return u.observed; }
    EventTime operator()(const Like& l) const { return l.time; }
    EventTime operator()(const Follow& f) const { return f.time; }
    EventTime operator()(const Delete& d) const { return d.time; }
    EventTime operator()(const Withheld& w) const { return w.time; }
    EventTime operator()(const ScrubGeo& s) const { return s.time; }
  };
  return std::visit(Visitor{}, e);
}

}  // namespace reach::model
