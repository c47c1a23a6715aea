// The transports of OpenLineReader beyond plain/.gz/.zst files: bzip2, tar archives (as the public
// monthly archives of the Twitter sample stream ship: tarballs of .json.bz2 files) and --follow.
#include <bzlib.h>
#include <zlib.h>
#include <zstd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "ingest/line_reader.h"
#include "tests/support/temp_dir.h"

namespace reach::ingest {
namespace {

namespace fs = std::filesystem;

std::string Bzip2(const std::string& bytes) {
  unsigned int len = static_cast<unsigned int>(bytes.size() + bytes.size() / 100 + 600);
  std::string out(len, '\0');
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(bytes.data()),
                                     static_cast<unsigned int>(bytes.size()), 9, 0, 0),
            BZ_OK);
  out.resize(len);
  return out;
}

std::string Gzip(const std::string& bytes) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, bytes.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Zstd(const std::string& bytes) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 3));
  return out;
}

// One ustar entry: header, data, padding to 512. type '0' file, '5' directory, 'L' GNU long name.
std::string TarEntry(const std::string& name, const std::string& data, char type = '0') {
  std::string h(512, '\0');
  name.copy(h.data(), std::min<size_t>(name.size(), 99));
  std::snprintf(h.data() + 100, 8, "%07o", 0644);
  std::snprintf(h.data() + 108, 8, "%07o", 0);
  std::snprintf(h.data() + 116, 8, "%07o", 0);
  std::snprintf(h.data() + 124, 12, "%011llo", static_cast<unsigned long long>(data.size()));
  std::snprintf(h.data() + 136, 12, "%011o", 0);
  h[156] = type;
  std::memcpy(h.data() + 257,
              "ustar\0"
              "00",
              8);
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  h[155] = ' ';
  std::string out = h + data;
  out.append((512 - data.size() % 512) % 512, '\0');
  return out;
}

class TransportTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    return temp_.Write(name, bytes);
  }

  struct Got {
    std::string text;
    std::string source;
    uint64_t line;
  };
  static std::vector<Got> ReadAll(LineReader& reader, absl::Status* error = nullptr) {
    std::vector<Got> out;
    Line line;
    while (true) {
      absl::StatusOr<bool> got = reader.Next(&line);
      if (!got.ok()) {
        if (error != nullptr) *error = got.status();
        EXPECT_NE(error, nullptr) << got.status();
        break;
      }
      if (!*got) break;
      out.push_back({std::string(line.text), line.position.source, line.position.line});
    }
    return out;
  }
  static std::vector<std::string> Texts(const std::vector<Got>& got) {
    std::vector<std::string> t;
    for (const auto& g : got) t.push_back(g.text);
    return t;
  }

  TempDir temp_{"reach_transport"};
  const fs::path& dir_ = temp_.path();
};

TEST_F(TransportTest, Bzip2File) {
  std::string path = Write("a.jsonl.bz2", Bzip2("alpha\nbeta\r\n\ngamma"));
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<Got> got = ReadAll(**reader);
  EXPECT_EQ(Texts(got), (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(got[2].line, 4u);
  EXPECT_EQ((*reader)->bytes_read(), fs::file_size(path));
  EXPECT_EQ((*reader)->bytes_total(), fs::file_size(path));
}

TEST_F(TransportTest, ConcatenatedBzip2StreamsAreOneInput) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + "\n";
  std::string path = Write("a.bz2", Bzip2(big) + Bzip2("last one\n"));
  LineReaderOptions options;
  options.read_chunk_bytes = 1000;  // many reads per stream
  auto reader = OpenLineReader(path, options);
  ASSERT_TRUE(reader.ok());
  std::vector<Got> got = ReadAll(**reader);
  ASSERT_EQ(got.size(), 20001u);
  EXPECT_EQ(got[19999].text, "line 19999");
  EXPECT_EQ(got[20000].text, "last one");
}

TEST_F(TransportTest, TruncatedOrCorruptBzip2IsDataLoss) {
  std::string whole = Bzip2("alpha\nbeta\n");
  std::string path = Write("t.bz2", whole.substr(0, whole.size() - 10));
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok());
  absl::Status error;
  ReadAll(**reader, &error);
  EXPECT_EQ(error.code(), absl::StatusCode::kDataLoss) << error;
  std::string garbage = Write("g.bz2", "BZh9 this is not bzip2 at all");
  reader = OpenLineReader(garbage);
  ASSERT_TRUE(reader.ok());
  error = absl::OkStatus();
  ReadAll(**reader, &error);
  EXPECT_EQ(error.code(), absl::StatusCode::kDataLoss) << error;
}

// The layout of the archive.org Twitter stream grab: a tar of per-minute .json.bz2 files, with
// directory entries; plus a gzip member, a plain one and a GNU long name.
std::string SampleTar() {
  const std::string long_name = std::string(120, 'x') + ".json";
  return TarEntry("2017/", "", '5') +
         TarEntry("2017/01/00.json.bz2", Bzip2("{\"a\":1}\n{\"a\":2}\n")) +
         TarEntry("2017/01/01.json.gz", Gzip("{\"b\":1}\n")) +
         TarEntry("2017/01/02.json", "{\"c\":1}\n{\"c\":2}") +
         TarEntry("././@LongLink", long_name + std::string(1, '\0'), 'L') +
         TarEntry(long_name.substr(0, 99), "{\"d\":1}\n") + std::string(1024, '\0');
}

TEST_F(TransportTest, TarArchivesPlainAndCompressed) {
  const std::string tar = SampleTar();
  const std::vector<std::pair<std::string, std::string>> files = {{"s.tar", tar},
                                                                  {"s.tar.gz", Gzip(tar)},
                                                                  {"s.tgz", Gzip(tar)},
                                                                  {"s.tar.bz2", Bzip2(tar)},
                                                                  {"s.tar.zst", Zstd(tar)}};
  for (const auto& [name, bytes] : files) {
    SCOPED_TRACE(name);
    std::string path = Write(name, bytes);
    auto reader = OpenLineReader(path);
    ASSERT_TRUE(reader.ok()) << reader.status();
    std::vector<Got> got = ReadAll(**reader);
    EXPECT_EQ(Texts(got), (std::vector<std::string>{"{\"a\":1}", "{\"a\":2}", "{\"b\":1}",
                                                    "{\"c\":1}", "{\"c\":2}", "{\"d\":1}"}));
    ASSERT_EQ(got.size(), 6u);
    EXPECT_EQ(got[1].source, path + ":2017/01/00.json.bz2");
    EXPECT_EQ(got[1].line, 2u);
    EXPECT_EQ(got[4].source, path + ":2017/01/02.json");
    EXPECT_EQ(got[5].source, path + ":" + std::string(120, 'x') + ".json");
    EXPECT_EQ((*reader)->bytes_read(), fs::file_size(path));
  }
}

// Archives written by GNU tar itself (default and pax formats), from real files.
TEST_F(TransportTest, TarArchivesWrittenByGnuTar) {
  Write("src/day/a.json.bz2", Bzip2("{\"a\":1}\n"));
  Write("src/day/b.json", "{\"b\":1}\n{\"b\":2}\n");
  for (const std::string format : {"gnu", "pax"}) {
    SCOPED_TRACE(format);
    const std::string path = (dir_ / ("g-" + format + ".tar.bz2")).string();
    const std::string cmd = "tar --format=" + format + " -cjf '" + path + "' -C '" +
                            (dir_ / "src").string() + "' day/a.json.bz2 day/b.json";
    if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "tar is not available";
    auto reader = OpenLineReader(path);
    ASSERT_TRUE(reader.ok()) << reader.status();
    std::vector<Got> got = ReadAll(**reader);
    EXPECT_EQ(Texts(got), (std::vector<std::string>{"{\"a\":1}", "{\"b\":1}", "{\"b\":2}"}));
    if (got.size() == 3) {
      EXPECT_EQ(got[2].source, path + ":day/b.json");
    }
  }
}

TEST_F(TransportTest, DamagedTarIsDataLossAfterTheGoodLines) {
  std::string tar = SampleTar();
  tar[512 * 3 + 10] ^= 0x55;  // the third header (01.json.gz) no longer matches its checksum
  std::string path = Write("bad.tar", tar);
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok());
  absl::Status error;
  std::vector<Got> got = ReadAll(**reader, &error);
  EXPECT_EQ(Texts(got), (std::vector<std::string>{"{\"a\":1}", "{\"a\":2}"}));
  EXPECT_EQ(error.code(), absl::StatusCode::kDataLoss) << error;
  std::string cut = Write("cut.tar", SampleTar().substr(0, 512 + 700));
  reader = OpenLineReader(cut);
  ASSERT_TRUE(reader.ok());
  error = absl::OkStatus();
  ReadAll(**reader, &error);
  EXPECT_EQ(error.code(), absl::StatusCode::kDataLoss) << error;
}

TEST_F(TransportTest, DirectoryWithATarball) {
  Write("in/a.jsonl", "one\n");
  Write("in/b.tar", TarEntry("m.json", "two\nthree\n") + std::string(1024, '\0'));
  auto reader = OpenLineReader((dir_ / "in").string());
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(Texts(ReadAll(**reader)), (std::vector<std::string>{"one", "two", "three"}));
}

TEST_F(TransportTest, FollowReadsAppendedLinesUntilStopped) {
  std::string path = Write("live.jsonl", "one\ntwo\n");
  std::atomic<bool> stop{false};
  LineReaderOptions options;
  options.follow = true;
  options.stop = &stop;
  options.follow_poll = Duration::Millis(10);
  auto reader = OpenLineReader(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  Line line;
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_EQ(line.text, "one");
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_EQ(line.text, "two");
  EXPECT_FALSE((*reader)->HasBufferedLine());
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ofstream(path, std::ios::app) << "three\nfo";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ofstream(path, std::ios::app) << "ur\n";
  });
  ASSERT_TRUE(*(*reader)->Next(&line));  // waits for the writer
  EXPECT_EQ(line.text, "three");
  ASSERT_TRUE(*(*reader)->Next(&line));  // a line written in two parts is one line
  EXPECT_EQ(line.text, "four");
  EXPECT_EQ(line.position.line, 4u);
  writer.join();
  // Truncated (log rotation by copy-truncate): read again from the start.
  std::ofstream(path, std::ios::trunc) << "new\n";
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_EQ(line.text, "new");
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop.store(true);
  });
  auto end = (*reader)->Next(&line);  // blocks until stopped, then ends
  stopper.join();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
}

TEST_F(TransportTest, FollowNeedsAPlainFile) {
  std::atomic<bool> stop{false};
  LineReaderOptions options;
  options.follow = true;
  options.stop = &stop;
  std::string gz = Write("a.jsonl.gz", Gzip("x\n"));
  EXPECT_EQ(OpenLineReader(gz, options).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenLineReader(dir_.string(), options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reach::ingest
