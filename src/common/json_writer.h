// JsonWriter: a small, fast writer of JSON text into a std::string, for API responses, dead-letter
// records and SSE payloads. It escapes strings per RFC 8259 and replaces bytes that are not valid
// UTF-8 with U+FFFD, so its output is always valid JSON text. Non-finite doubles are written as
// null.
//
//   JsonWriter w;
//   w.BeginObject();
//   w.Key("window"); w.String("1h");
//   w.Key("items"); w.BeginArray(); ... w.EndArray();
//   w.EndObject();
//   std::string body = std::move(w).Take();
//
// The writer inserts commas itself; the caller only keeps Begin/End balanced (asserted in debug).
// Not thread-safe; cheap to create.
#ifndef REACH_COMMON_JSON_WRITER_H_
#define REACH_COMMON_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reach {

class JsonWriter {
 public:
  JsonWriter() { stack_.reserve(16); }

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view k);
  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  void Double(double v);
  void Bool(bool v);
  void Null();
  // Inserts already-serialized JSON as one value.
  void Raw(std::string_view json);

  [[nodiscard]] const std::string& str() const { return out_; }
  [[nodiscard]] std::string Take() && { return std::move(out_); }

  // Appends s as a quoted, escaped JSON string to *out.
  static void AppendQuoted(std::string* out, std::string_view s);
  // True when s is valid UTF-8.
  static bool IsValidUtf8(std::string_view s);

 private:
  void BeforeValue();

  std::string out_;
  // One entry per open container: true once it holds a value (a comma is due before the next).
  std::vector<bool> stack_;
  bool after_key_ = false;
};

}  // namespace reach

#endif  // REACH_COMMON_JSON_WRITER_H_
