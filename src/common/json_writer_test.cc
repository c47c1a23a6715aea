#include "common/json_writer.h"

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

}  // namespace
}  // namespace reach
