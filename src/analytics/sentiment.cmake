# Sentiment part of reach_analytics: VADER scoring and Unicode-aware entity extraction.
list(APPEND REACH_ANALYTICS_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/vader.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/text_tokens.cc)
list(APPEND REACH_ANALYTICS_DEPS absl::flat_hash_map absl::inlined_vector absl::status absl::statusor
  fmt::fmt)
list(APPEND REACH_ANALYTICS_TESTS sentiment_test)
set(REACH_ANALYTICS_TEST_SOURCES_sentiment_test
  ${CMAKE_CURRENT_SOURCE_DIR}/vader_test.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/text_tokens_test.cc)
