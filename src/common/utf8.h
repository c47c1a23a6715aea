// UTF-8 decoding shared by the text code (sentiment, entities, terms): one code point at a time,
// malformed input never an error.
//
//   char32_t cp;
//   for (size_t i = 0; i < s.size(); i += DecodeUtf8(s, i, &cp)) { ... }
//
// Pure functions; thread-safe.
#ifndef REACH_COMMON_UTF8_H_
#define REACH_COMMON_UTF8_H_

#include <cstddef>
#include <string_view>

namespace reach {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point at s[i] (i < s.size()) into *cp and returns its length in bytes (>= 1).
// Malformed, overlong, surrogate or truncated sequences decode as U+FFFD of length 1.
inline std::size_t DecodeUtf8(std::string_view s, std::size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  std::size_t len = 0;
  char32_t c = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, c = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, c = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, c = b0 & 0x07, min = 0x10000;
  } else {
    *cp = kReplacementChar;
    return 1;
  }
  if (i + len > s.size()) {
    *cp = kReplacementChar;
    return 1;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      *cp = kReplacementChar;
      return 1;
    }
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    *cp = kReplacementChar;
    return 1;
  }
  *cp = c;
  return len;
}

}  // namespace reach

#endif  // REACH_COMMON_UTF8_H_
