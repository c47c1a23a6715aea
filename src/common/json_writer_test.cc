#include "common/json_writer.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace reach {
namespace {

TEST(JsonWriterTest, WritesNestedContainersWithCommas) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a");
  w.Int(1);
  w.Key("b");
  w.BeginArray();
  w.String("x");
  w.Bool(true);
  w.Null();
  w.EndArray();
  w.Key("c");
  w.BeginObject();
  w.EndObject();
  w.EndObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",true,null],"c":{}})");
}

TEST(JsonWriterTest, EscapesControlCharactersAndQuotes) {
  JsonWriter w;
  w.String("a\"b\\c\n\x01");
  EXPECT_EQ(w.str(), R"("a\"b\\c\n\u0001")");
}

TEST(JsonWriterTest, ReplacesInvalidUtf8) {
  JsonWriter w;
  w.String("ok \xC3\xA9 bad \xFF end");
  EXPECT_EQ(w.str(), "\"ok \xC3\xA9 bad \xEF\xBF\xBD end\"");
  EXPECT_TRUE(JsonWriter::IsValidUtf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(JsonWriter::IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(JsonWriter::IsValidUtf8("\xC0\xAF"));      // overlong
}

TEST(JsonWriterTest, NonFiniteDoublesBecomeNull) {
  JsonWriter w;
  w.BeginArray();
  w.Double(1.5);
  w.Double(1.0 / 0.0);
  w.EndArray();
  EXPECT_EQ(w.str(), "[1.5,null]");
}

// Numbers are written in fmt's shortest round-trip form, extremes included.
TEST(JsonWriterTest, NumbersMatchFmtShortestForm) {
  std::mt19937_64 rng(7);
  std::vector<double> doubles = {0.0,
                                 -0.0,
                                 1.0,
                                 -1.5,
                                 0.1,
                                 1e-300,
                                 -1.7976931348623157e308,
                                 4.9406564584124654e-324,
                                 123456789.125,
                                 1e21,
                                 99.91942784676154};
  for (int i = 0; i < 2000; ++i) {
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d)) doubles.push_back(d);
    doubles.push_back(
        std::ldexp(static_cast<double>(rng() % 1000000), -static_cast<int>(rng() % 40)));
  }
  for (double d : doubles) {
    JsonWriter w;
    w.Double(d);
    ASSERT_EQ(w.str(), fmt::format("{}", d)) << d;
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{42}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    JsonWriter w;
    w.Int(v);
    EXPECT_EQ(w.str(), fmt::format("{}", v));
  }
  JsonWriter w;
  w.Uint(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(w.str(), "18446744073709551615");
}

// Plain runs, escapes and multi-byte characters interleave without losing or doubling a byte.
TEST(JsonWriterTest, EscapesEveryByteInPlaceWithinPlainRuns) {
  std::string in = "plain start \"q\" back\\slash\n tab\t \x01 caf\xC3\xA9 \xFF end";
  std::string out;
  JsonWriter::AppendQuoted(&out, in);
  EXPECT_EQ(out,
            "\"plain start \\\"q\\\" back\\\\slash\\n tab\\t \\u0001 caf\xC3\xA9 "
            "\xEF\xBF\xBD end\"");
  out.clear();
  JsonWriter::AppendQuoted(&out, "");
  EXPECT_EQ(out, "\"\"");
  out.clear();
  JsonWriter::AppendQuoted(&out, "\"");
  EXPECT_EQ(out, "\"\\\"\"");
}

}  // namespace
}  // namespace reach
