# Graph part of reach_analytics: engagement graph, PageRank, Louvain communities.
list(APPEND REACH_ANALYTICS_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/engagement_graph.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/louvain.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/node_index.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/pagerank.cc)
list(APPEND REACH_ANALYTICS_DEPS absl::flat_hash_map)

if(REACH_BUILD_TESTS)
  list(APPEND REACH_ANALYTICS_TESTS graph_test)
  set(REACH_ANALYTICS_TEST_SOURCES_graph_test
    ${CMAKE_CURRENT_SOURCE_DIR}/engagement_graph_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/louvain_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/node_index_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/pagerank_test.cc)

  # Reference check against igraph (Debian's python3-igraph) on the Higgs retweet graph: the
  # script writes igraph's PageRank and multilevel modularity into the build tree, then
  # igraph_reference_test compares. It has no meaning without that file, so it is not a test of
  # its own: this ctest entry runs it.
  add_executable(igraph_reference_test ${CMAKE_CURRENT_SOURCE_DIR}/pagerank_igraph_reference_test.cc)
  target_include_directories(igraph_reference_test PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(igraph_reference_test PRIVATE ${REACH_WARNINGS})
  target_link_libraries(igraph_reference_test PRIVATE reach_analytics GTest::gtest GTest::gtest_main)
  add_test(NAME graph_igraph_reference
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/reference/igraph_reference_test.sh
            /usr/bin/python3
            ${PROJECT_SOURCE_DIR}/tests/reference/igraph_higgs.py
            ${PROJECT_SOURCE_DIR}/../shared/data/higgs/higgs-retweet_network.edgelist.gz
            ${CMAKE_CURRENT_BINARY_DIR}/igraph_reference
            $<TARGET_FILE:igraph_reference_test>)
  set_tests_properties(graph_igraph_reference PROPERTIES TIMEOUT 180 LABELS reference)
endif()
