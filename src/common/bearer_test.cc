#include "common/bearer.h"

#include <gtest/gtest.h>

namespace reach {
namespace {

TEST(CheckBearerTest, AcceptsOnlyTheConfiguredTokenUnderTheBearerScheme) {
  EXPECT_TRUE(CheckBearer("Bearer s3cret", "s3cret", "x").ok());
  EXPECT_TRUE(CheckBearer("bearer s3cret", "s3cret", "x").ok());  // the scheme in any case
  EXPECT_TRUE(CheckBearer("BEARER s3cret", "s3cret", "x").ok());
  for (std::string_view bad : {"", "Bearer", "Bearer ", "Bearer wrong", "Bearer s3cre",
                               "Bearer s3cret2", "Basic czNjcmV0", "s3cret", "Bearer  s3cret"}) {
    absl::Status st = CheckBearer(bad, "s3cret", "POST /api/ingest");
    EXPECT_EQ(st.code(), absl::StatusCode::kUnauthenticated) << bad;
    EXPECT_NE(st.message().find("POST /api/ingest"), std::string_view::npos) << st;
  }
  // No configured token: nothing passes.
  EXPECT_EQ(CheckBearer("Bearer ", "", "x").code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace reach
