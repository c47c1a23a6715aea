# archive_bench: append throughput of the raw archive under each fsync policy, read throughput of
# plain and compressed segments, and a plain write(2)/read(2) baseline (docs/benchmarks.md,
# "Archive"). Included from bench/CMakeLists.txt.
add_executable(archive_bench ${CMAKE_CURRENT_LIST_DIR}/archive_bench.cc)
target_include_directories(archive_bench PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_compile_options(archive_bench PRIVATE ${REACH_WARNINGS})
target_compile_definitions(archive_bench PRIVATE
  REACH_SHARED_DATA="${PROJECT_SOURCE_DIR}/../shared/data")
target_link_libraries(archive_bench PRIVATE reach_archive)
