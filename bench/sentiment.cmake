# sentiment_bench: VADER throughput on the 4,200 rated tweets, checked against the reference first.
# Included by bench/CMakeLists.txt.
if(TARGET reach_analytics AND NOT TARGET sentiment_bench)
  add_executable(sentiment_bench ${PROJECT_SOURCE_DIR}/bench/sentiment_bench.cc)
  target_include_directories(sentiment_bench PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(sentiment_bench PRIVATE ${REACH_WARNINGS})
  target_link_libraries(sentiment_bench PRIVATE reach_analytics Threads::Threads)
endif()
