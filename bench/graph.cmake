# graph_bench: PageRank (full and incremental), Louvain and CSR building on the Higgs retweet graph.
# Wire-up in bench/CMakeLists.txt: include(${CMAKE_CURRENT_SOURCE_DIR}/graph.cmake)
if(NOT TARGET benchmark::benchmark)
  find_package(benchmark REQUIRED)
endif()
add_executable(graph_bench ${CMAKE_CURRENT_LIST_DIR}/graph_bench.cc)
target_include_directories(graph_bench PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_compile_options(graph_bench PRIVATE ${REACH_WARNINGS})
target_compile_definitions(graph_bench PRIVATE
  REACH_SHARED_DATA="${PROJECT_SOURCE_DIR}/../shared/data")
target_link_libraries(graph_bench PRIVATE reach_analytics benchmark::benchmark ZLIB::ZLIB)
