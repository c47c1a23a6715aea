#include "archive/crc32c.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace reach::archive::crc32c {
namespace {

struct Vector {
  std::string data;
  uint32_t crc;
};

// RFC 3720, appendix B.4, plus the classic check value of "123456789".
std::vector<Vector> Rfc3720Vectors() {
  std::string ascending(32, '\0');
  std::string descending(32, '\0');
  for (int i = 0; i < 32; ++i) {
    ascending[static_cast<size_t>(i)] = static_cast<char>(i);
    descending[static_cast<size_t>(i)] = static_cast<char>(31 - i);
  }
  return {
      {std::string(32, '\0'), 0x8a9136aau},
      {std::string(32, '\xff'), 0x62a8ab43u},
      {ascending, 0x46dd794eu},
      {descending, 0x113fdb5cu},
      {"123456789", 0xe3069283u},
      {"", 0u},
  };
}

TEST(Crc32cTest, MatchesRfc3720Vectors) {
  for (const Vector& v : Rfc3720Vectors()) {
    EXPECT_EQ(Value(v.data), v.crc) << "size " << v.data.size();
    EXPECT_EQ(ExtendPortable(0, v.data.data(), v.data.size()), v.crc) << "size " << v.data.size();
  }
}

TEST(Crc32cTest, ExtendOfPiecesEqualsValueOfWhole) {
  std::mt19937 rng(7);
  std::string data(1000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  const uint32_t whole = Value(data);
  for (size_t split : {0u, 1u, 7u, 8u, 9u, 500u, 999u, 1000u}) {
    const uint32_t first = Value(data.data(), split);
    EXPECT_EQ(Extend(first, data.data() + split, data.size() - split), whole) << split;
    EXPECT_EQ(ExtendPortable(ExtendPortable(0, data.data(), split), data.data() + split,
                             data.size() - split),
              whole)
        << split;
  }
}

TEST(Crc32cTest, DispatchedMatchesPortableAtEveryAlignmentAndLength) {
  std::mt19937 rng(11);
  std::string data(300, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 9; ++offset) {
    for (size_t n = 0; offset + n <= data.size(); n += 13) {
      ASSERT_EQ(Extend(0x12345678u, data.data() + offset, n),
                ExtendPortable(0x12345678u, data.data() + offset, n))
          << "offset " << offset << " length " << n << " hw " << HardwareAccelerated();
    }
  }
}

TEST(Crc32cTest, MaskChangesTheValueAndUnmaskRestoresIt) {
  const uint32_t crc = Value("foo", 3);
  EXPECT_NE(Mask(crc), crc);
  EXPECT_NE(Mask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Unmask(Mask(Mask(crc)))), crc);
}

TEST(Crc32cTest, DifferentDataGivesDifferentChecksums) {
  EXPECT_NE(Value("a"), Value("foo"));
  EXPECT_NE(Value("hello world"), Value("hello worle"));
}

}  // namespace
}  // namespace reach::archive::crc32c
