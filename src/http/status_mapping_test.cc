#include "http/status_mapping.h"

#include <gtest/gtest.h>

namespace reach::http {
namespace {

TEST(StatusMappingTest, MapsEachCode) {
  struct Case {
    absl::Status status;
    int http;
    std::string code;
  };
  const Case cases[] = {
      {absl::InvalidArgumentError("bad"), 400, "invalid_argument"},
      {absl::NotFoundError("gone"), 404, "not_found"},
      {absl::PermissionDeniedError("no"), 403, "permission_denied"},
      {absl::UnauthenticatedError("who"), 401, "unauthenticated"},
      {absl::UnavailableError("down"), 503, "unavailable"},
      {absl::ResourceExhaustedError("slow down"), 429, "resource_exhausted"},
      {absl::UnimplementedError("served by `reach run`"), 501, "unimplemented"},
  };
  for (const Case& c : cases) {
    HttpError e = MapStatus(c.status);
    EXPECT_EQ(e.status, c.http) << c.status;
    EXPECT_EQ(e.code, c.code) << c.status;
    EXPECT_EQ(e.message, std::string(c.status.message())) << c.status;
    EXPECT_EQ(e.parameter, "");
  }
}

TEST(StatusMappingTest, InternalAndUnknownErrorsDoNotLeakTheirMessage) {
  for (const absl::Status& st :
       {absl::InternalError("db password is hunter2"), absl::UnknownError("stack trace"),
        absl::DataLossError("disk"), absl::FailedPreconditionError("state")}) {
    HttpError e = MapStatus(st);
    EXPECT_EQ(e.status, 500) << st;
    EXPECT_EQ(e.code, "internal") << st;
    EXPECT_EQ(e.message, "internal error") << st;
  }
}

TEST(StatusMappingTest, InvalidParameterCarriesTheName) {
  absl::Status st = InvalidParameterError("limit", "limit must be an integer");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParameterOf(st), "limit");
  HttpError e = MapStatus(st);
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.parameter, "limit");
  EXPECT_EQ(e.message, "limit must be an integer");
  EXPECT_EQ(ParameterOf(absl::InvalidArgumentError("x")), std::nullopt);
}

}  // namespace
}  // namespace reach::http
