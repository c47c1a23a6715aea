# Geography: gazetteer (data/gazetteer, built by tools/build_gazetteer.py) and location resolution.
list(APPEND REACH_ANALYTICS_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gazetteer.cc)
list(APPEND REACH_ANALYTICS_TESTS geo_test)
set(REACH_ANALYTICS_TEST_SOURCES_geo_test ${CMAKE_CURRENT_SOURCE_DIR}/gazetteer_test.cc)
