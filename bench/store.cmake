# store_bench: write throughput of each store backend (docs/benchmarks.md, "Store").
# Included from bench/CMakeLists.txt: include(${CMAKE_CURRENT_SOURCE_DIR}/store.cmake)
add_executable(store_bench ${CMAKE_CURRENT_LIST_DIR}/store_bench.cc)
target_compile_options(store_bench PRIVATE ${REACH_WARNINGS})
target_link_libraries(store_bench PRIVATE reach_store)
