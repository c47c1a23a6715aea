# Cascade part of reach_analytics: the metrics of one reshare tree.
list(APPEND REACH_ANALYTICS_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cascade_metrics.cc)

if(REACH_BUILD_TESTS)
  list(APPEND REACH_ANALYTICS_TESTS cascade_metrics_test)
  set(REACH_ANALYTICS_TEST_SOURCES_cascade_metrics_test
    ${CMAKE_CURRENT_SOURCE_DIR}/cascade_metrics_test.cc)
endif()
