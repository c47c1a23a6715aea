// Enricher: adds the derived fields of the event model on the ingest thread — VADER sentiment of
// each post's text, the country of each account's profile location, and each post's country (its
// place, else its coordinates, else its author's profile) — so the engine's single writer does no
// text work.
//
// Either analyzer may be null (that enrichment is skipped). Does not own them; they must outlive
// it. Thread safety: Enrich may be called from several threads at once (the analyzers are
// immutable), each with its own events. Cost: about one VADER score (~2 µs) and one gazetteer
// lookup per post.
#ifndef REACH_INGEST_ENRICHER_H_
#define REACH_INGEST_ENRICHER_H_

#include <vector>

#include "analytics/gazetteer.h"
#include "analytics/terms.h"
#include "analytics/vader.h"
#include "model/event.h"

namespace reach::ingest {

class Enricher {
 public:
  Enricher(const analytics::SentimentAnalyzer* sentiment, const analytics::Gazetteer* gazetteer,
           const analytics::TermExtractor* terms = nullptr)
      : sentiment_(sentiment), gazetteer_(gazetteer), terms_(terms) {}

  // Enriches a batch in place. An account snapshot earlier in the batch supplies the profile
  // location of the posts by that account that follow it.
  void Enrich(std::vector<model::Event>& events) const;

 private:
  const analytics::SentimentAnalyzer* sentiment_;
  const analytics::Gazetteer* gazetteer_;
  const analytics::TermExtractor* terms_;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_ENRICHER_H_
