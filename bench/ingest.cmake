# bare_simdjson: the bare-parse baseline of the ingest benchmark (docs/benchmarks.md, "Ingest").
if(NOT TARGET bare_simdjson)
  add_executable(bare_simdjson ${PROJECT_SOURCE_DIR}/bench/bare_simdjson.cc)
  target_compile_options(bare_simdjson PRIVATE ${REACH_WARNINGS})
  target_link_libraries(bare_simdjson PRIVATE simdjson::simdjson)
endif()
