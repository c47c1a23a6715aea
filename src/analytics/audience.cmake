# Audience part of reach_analytics: HyperLogLog distinct counts, and the sliding-window variant
# that answers every window of an account's unique engaged audience from one sketch.
list(APPEND REACH_ANALYTICS_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/hyperloglog.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/sliding_hyperloglog.cc)

if(REACH_BUILD_TESTS)
  list(APPEND REACH_ANALYTICS_TESTS hyperloglog_test)
  set(REACH_ANALYTICS_TEST_SOURCES_hyperloglog_test
    ${CMAKE_CURRENT_SOURCE_DIR}/hyperloglog_test.cc)
endif()
