# Helpers that give every module the same shape: one library per src/<module>/,
# warnings as errors in project code, includes rooted at src/.

set(REACH_WARNINGS -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 reports false -Wrestrict positives inside std::string at -O3 (GCC bug 105329).
  list(APPEND REACH_WARNINGS -Wno-restrict)
endif()
if(REACH_WERROR)
  list(APPEND REACH_WARNINGS -Werror)
endif()

# reach_library(<module> SOURCES ... DEPS ...)
function(reach_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(reach_${name} STATIC ${ARG_SOURCES})
  target_include_directories(reach_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(reach_${name} PRIVATE ${REACH_WARNINGS})
  target_link_libraries(reach_${name} PUBLIC ${ARG_DEPS})
endfunction()

# reach_test(<name> SOURCES ... DEPS ... [LABELS ...])
function(reach_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${REACH_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    REACH_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    REACH_SHARED_DATA="${PROJECT_SOURCE_DIR}/../shared/data")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
