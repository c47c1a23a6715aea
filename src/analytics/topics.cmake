# Topics part of reach_analytics: Space-Saving heavy hitters, sliding-window top topics with
# volume and sentiment series, term extraction with stop words (data/stopwords), spike detection.
list(APPEND REACH_ANALYTICS_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/space_saving.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/sliding_top_k.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/terms.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/spike_detector.cc)
list(APPEND REACH_ANALYTICS_DEPS absl::flat_hash_map absl::flat_hash_set absl::status absl::statusor
  fmt::fmt)
list(APPEND REACH_ANALYTICS_TESTS topics_test)
set(REACH_ANALYTICS_TEST_SOURCES_topics_test
  ${CMAKE_CURRENT_SOURCE_DIR}/space_saving_test.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/sliding_top_k_test.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/terms_test.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/spike_detector_test.cc)
# The real-data tests read hashtags from the tweet samples with simdjson (test only).
set(REACH_ANALYTICS_TEST_DEPS_topics_test simdjson::simdjson)
