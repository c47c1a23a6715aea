#include "http/static_files.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "http/status_mapping.h"

namespace reach::http {
namespace {
namespace fs = std::filesystem;

void WriteFile(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("reach_static_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "web";
    WriteFile(root_ / "index.html", "<h1>home</h1>");
    WriteFile(root_ / "app.js", "console.log(1)");
    WriteFile(root_ / "css" / "site.css", "body{}");
    WriteFile(root_ / "docs" / "index.html", "docs");
    WriteFile(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesWithContentTypes) {
  StaticFiles files(root_.string());
  absl::StatusOr<StaticFile> index = files.Read("/");
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(index->body, "<h1>home</h1>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");

  absl::StatusOr<StaticFile> js = files.Read("/app.js");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");

  absl::StatusOr<StaticFile> css = files.Read("/css/site.css");
  ASSERT_TRUE(css.ok());
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");

  absl::StatusOr<StaticFile> docs = files.Read("/docs/");
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->body, "docs");
}

TEST_F(StaticFilesTest, RejectsTraversalAndForbiddenCharacters) {
  StaticFiles files(root_.string());
  const std::string_view paths[] = {"/../secret.txt", "/css/../../secret.txt", "/..", "/a\\..\\b",
                                    std::string_view("/a\0b", 4)};
  for (std::string_view p : paths) {
    absl::StatusOr<StaticFile> f = files.Read(p);
    ASSERT_FALSE(f.ok()) << p;
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument) << p;
    EXPECT_EQ(ParameterOf(f.status()), "path");
  }
}

TEST_F(StaticFilesTest, NeverServesOutsideTheRoot) {
  StaticFiles files(root_.string());
  // A symlink inside the root that points outside it.
  absl::StatusOr<StaticFile> leak = files.Read("/leak.txt");
  ASSERT_FALSE(leak.ok());
  EXPECT_EQ(leak.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(StaticFilesTest, MissingDirectoryAndDisabled) {
  StaticFiles files(root_.string());
  EXPECT_EQ(files.Read("/nope.js").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(files.Read("/css").status().code(), absl::StatusCode::kNotFound);
  StaticFiles none("");
  EXPECT_FALSE(none.enabled());
  EXPECT_EQ(none.Read("/index.html").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(StaticFilesTest, RootWithTrailingSlashWorks) {
  StaticFiles files(root_.string() + "/");
  absl::StatusOr<StaticFile> js = files.Read("/app.js");
  ASSERT_TRUE(js.ok()) << js.status();
  EXPECT_EQ(files.Read("/leak.txt").status().code(), absl::StatusCode::kNotFound);
}

TEST(ContentTypeTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("a.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("f.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace reach::http
