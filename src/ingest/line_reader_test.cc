#include "ingest/line_reader.h"
#include "tests/support/temp_dir.h"

#include <zlib.h>
#include <zstd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace reach::ingest {
namespace {

namespace fs = std::filesystem;

class LineReaderTest : public ::testing::Test {
 public:
  struct Got {
    std::string text;
    uint64_t line;
    uint64_t offset;
    std::string source;
    bool too_long;
    uint64_t length;
  };

 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    return temp_.Write(name, bytes);
  }

  std::string WriteGzip(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    EXPECT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    gzclose(f);
    return path;
  }

  static std::string Zstd(const std::string& bytes) {
    std::string out(ZSTD_compressBound(bytes.size()), '\0');
    size_t n = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 3);
    EXPECT_FALSE(ZSTD_isError(n));
    out.resize(n);
    return out;
  }

  static std::vector<Got> ReadAll(LineReader& reader) {
    std::vector<Got> lines;
    Line line;
    while (true) {
      absl::StatusOr<bool> got = reader.Next(&line);
      EXPECT_TRUE(got.ok()) << got.status();
      if (!got.ok() || !*got) break;
      lines.push_back(Got{std::string(line.text), line.position.line, line.position.offset,
                          line.position.source, line.too_long, line.length});
    }
    return lines;
  }

  static std::vector<std::string> Texts(const std::vector<Got>& lines) {
    std::vector<std::string> texts;
    for (const auto& l : lines) texts.push_back(l.text);
    return texts;
  }

  TempDir temp_{"reach_line_reader"};
  const fs::path& dir_ = temp_.path();
};

using ::testing::ElementsAre;

constexpr char kSample[] = "alpha\r\nbeta\n\n\r\ngamma\ndelta";  // CRLF, empty lines, no final \n

void ExpectSample(const std::vector<LineReaderTest::Got>& lines) {
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text, "alpha");
  EXPECT_EQ(lines[0].line, 1u);
  EXPECT_EQ(lines[0].offset, 0u);
  EXPECT_EQ(lines[1].text, "beta");
  EXPECT_EQ(lines[1].line, 2u);
  EXPECT_EQ(lines[1].offset, 7u);
  EXPECT_EQ(lines[2].text, "gamma");  // empty lines 3 and 4 skipped but counted
  EXPECT_EQ(lines[2].line, 5u);
  EXPECT_EQ(lines[2].offset, 15u);
  EXPECT_EQ(lines[3].text, "delta");  // last line without newline
  EXPECT_EQ(lines[3].line, 6u);
  EXPECT_EQ(lines[3].offset, 21u);
  for (const auto& l : lines) EXPECT_FALSE(l.too_long);
}

TEST_F(LineReaderTest, PlainFile) {
  std::string path = Write("a.jsonl", kSample);
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<Got> lines = ReadAll(**reader);
  ExpectSample(lines);
  EXPECT_EQ(lines[0].source, path);
  EXPECT_EQ((*reader)->bytes_total(), sizeof(kSample) - 1);
  EXPECT_EQ((*reader)->bytes_read(), sizeof(kSample) - 1);
}

TEST_F(LineReaderTest, TinyChunksGiveTheSameLines) {
  std::string path = Write("a.jsonl", kSample);
  LineReaderOptions options;
  options.read_chunk_bytes = 16;  // lines straddle reads
  auto reader = OpenLineReader(path, options);
  ASSERT_TRUE(reader.ok());
  ExpectSample(ReadAll(**reader));
}

TEST_F(LineReaderTest, GzipFile) {
  std::string path = WriteGzip("a.jsonl.gz", kSample);
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ExpectSample(ReadAll(**reader));
  EXPECT_EQ((*reader)->bytes_total(), fs::file_size(path));
  EXPECT_EQ((*reader)->bytes_read(), fs::file_size(path));
}

TEST_F(LineReaderTest, ZstdFile) {
  std::string path = Write("a.jsonl.zst", Zstd(kSample));
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ExpectSample(ReadAll(**reader));
  EXPECT_EQ((*reader)->bytes_read(), fs::file_size(path));
}

TEST_F(LineReaderTest, LargeCompressedInputsAcrossChunks) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "{\"n\":" + std::to_string(i) + "}\n";
  for (const std::string& path :
       {WriteGzip("big.gz", text), Write("big.zst", Zstd(text)), Write("big.txt", text)}) {
    auto reader = OpenLineReader(path);
    ASSERT_TRUE(reader.ok());
    std::vector<Got> lines = ReadAll(**reader);
    ASSERT_EQ(lines.size(), 200000u) << path;
    EXPECT_EQ(lines[123456].text, "{\"n\":123456}") << path;
    EXPECT_EQ(lines[123456].line, 123457u);
    EXPECT_EQ(text.substr(lines[123456].offset, 12), "{\"n\":123456}");
  }
}

TEST_F(LineReaderTest, CorruptZstdIsDataLossAfterGoodLines) {
  std::string good = Zstd("one\ntwo\n");
  std::string path = Write("bad.zst", good + "garbage that is not a zstd frame");
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok());
  Line line;
  std::vector<std::string> texts;
  absl::StatusOr<bool> got;
  while ((got = (*reader)->Next(&line)).ok() && *got) texts.emplace_back(line.text);
  EXPECT_THAT(texts, ElementsAre("one", "two"));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(LineReaderTest, TruncatedGzipIsDataLoss) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i) + "\n";
  std::string full = WriteGzip("full.gz", text);
  std::ifstream in(full, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string path = Write("cut.gz", bytes.substr(0, bytes.size() / 2));
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok());
  Line line;
  absl::StatusOr<bool> got;
  while ((got = (*reader)->Next(&line)).ok() && *got) {
  }
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(LineReaderTest, DirectoryInNameOrder) {
  fs::create_directories(dir_ / "in");
  Write("in/b.jsonl", "b1\nb2\n");
  WriteGzip("in/c.jsonl.gz", "c1\n");
  Write("in/a.jsonl", "a1\n");
  fs::create_directories(dir_ / "in" / "sub");  // not read
  Write("in/sub/z.jsonl", "z1\n");
  auto reader = OpenLineReader((dir_ / "in").string());
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<Got> lines = ReadAll(**reader);
  EXPECT_THAT(Texts(lines), ElementsAre("a1", "b1", "b2", "c1"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[2].source, (dir_ / "in" / "b.jsonl").string());
  EXPECT_EQ(lines[2].line, 2u);  // line numbers restart per file
  EXPECT_EQ(lines[3].source, (dir_ / "in" / "c.jsonl.gz").string());
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->bytes_total());
}

TEST_F(LineReaderTest, TenMegabyteLineIsTooLongAndTheNextLineIsRead) {
  std::string huge(10'000'000, 'x');
  huge[0] = '{';
  std::string path = Write("huge.jsonl", "first\n" + huge + "\nafter\n");
  auto reader = OpenLineReader(path);  // default limit 8 MiB
  ASSERT_TRUE(reader.ok());
  std::vector<Got> lines = ReadAll(**reader);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "first");
  EXPECT_TRUE(lines[1].too_long);
  EXPECT_EQ(lines[1].length, 10'000'000u);
  EXPECT_EQ(lines[1].text.size(), 8u << 20);
  EXPECT_EQ(lines[1].text[0], '{');
  EXPECT_EQ(lines[1].line, 2u);
  EXPECT_EQ(lines[1].offset, 6u);
  EXPECT_EQ(lines[2].text, "after");
  EXPECT_FALSE(lines[2].too_long);
  EXPECT_EQ(lines[2].line, 3u);
  EXPECT_EQ(lines[2].offset, 6u + 10'000'000u + 1u);
}

TEST_F(LineReaderTest, LongLinesWithSmallLimit) {
  // A line found whole in the buffer but above the limit, and one spanning many small reads.
  std::string path =
      Write("x.jsonl", "short\n" + std::string(50, 'a') + "\n" + std::string(300, 'b') + "\nend");
  LineReaderOptions options;
  options.max_line_bytes = 20;
  options.read_chunk_bytes = 64;
  auto reader = OpenLineReader(path, options);
  ASSERT_TRUE(reader.ok());
  std::vector<Got> lines = ReadAll(**reader);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_FALSE(lines[0].too_long);
  EXPECT_TRUE(lines[1].too_long);
  EXPECT_EQ(lines[1].text, std::string(20, 'a'));
  EXPECT_EQ(lines[1].length, 50u);
  EXPECT_TRUE(lines[2].too_long);
  EXPECT_EQ(lines[2].text, std::string(20, 'b'));
  EXPECT_EQ(lines[2].length, 300u);
  EXPECT_EQ(lines[3].text, "end");
  EXPECT_EQ(lines[3].offset, 6u + 51u + 301u);
}

TEST_F(LineReaderTest, MissingPathIsNotFound) {
  auto reader = OpenLineReader((dir_ / "nope.jsonl").string());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace reach::ingest
