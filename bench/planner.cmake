# planner_bench: the budget planner on 10,000 candidates over a 1,000,000-person audience universe,
# CELF lazy greedy against plain (non-lazy) greedy in the same run.
# Wire-up in bench/CMakeLists.txt: include(${CMAKE_CURRENT_SOURCE_DIR}/planner.cmake)
if(NOT TARGET benchmark::benchmark)
  find_package(benchmark REQUIRED)
endif()
add_executable(planner_bench ${CMAKE_CURRENT_LIST_DIR}/planner_bench.cc)
target_include_directories(planner_bench PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_compile_options(planner_bench PRIVATE ${REACH_WARNINGS})
target_link_libraries(planner_bench PRIVATE reach_planner benchmark::benchmark)
