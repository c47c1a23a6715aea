// TempDir: a fresh directory for one test, under the system temp directory and named after the
// prefix, the process and the running test, so parallel ctest runs never share one; removed when
// the TempDir goes. For GoogleTest fixtures: make it a member (the test is known by then).
//
//   class ReaderTest : public ::testing::Test {
//     TempDir temp_{"reach_reader"};
//   };
//   std::string path = temp_.Write("in/a.jsonl", "line\n");
#ifndef REACH_TESTS_SUPPORT_TEMP_DIR_H_
#define REACH_TESTS_SUPPORT_TEMP_DIR_H_

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace reach {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix)
      : path_(std::filesystem::temp_directory_path() /
              (std::string(prefix) + "_" + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Writes `bytes` to `name` inside the directory (making its parents); returns the full path.
  std::string Write(const std::string& name, std::string_view bytes) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace reach

#endif  // REACH_TESTS_SUPPORT_TEMP_DIR_H_
