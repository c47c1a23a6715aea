#include "engine/window.h"

#include "engine/snapshot.h"

#include <limits>

namespace reach::engine {

std::string_view WindowName(Window w) {
  switch (w) {
    case Window::k15m:
      return "15m";
    case Window::k1h:
      return "1h";
    case Window::k24h:
      return "24h";
    case Window::kAll:
      return "all";
  }
  return "all";
}

std::optional<Window> ParseWindow(std::string_view name) {
  for (Window w : kAllWindows) {
    if (WindowName(w) == name) return w;
  }
  return std::nullopt;
}

Duration WindowLength(Window w) {
  switch (w) {
    case Window::k15m:
      return Duration::Minutes(15);
    case Window::k1h:
      return Duration::Hours(1);
    case Window::k24h:
      return Duration::Hours(24);
    case Window::kAll:
      break;
  }
  return Duration{std::numeric_limits<int64_t>::max()};
}

Duration SeriesResolution(Window w) {
  switch (w) {
    case Window::k15m:
    case Window::k1h:
      return Duration::Minutes(1);
    case Window::k24h:
      return Duration::Minutes(15);
    case Window::kAll:
      break;
  }
  return Duration::Hours(24);
}

bool WithheldIn(const UserInfo& user, std::string_view country) {
  for (const std::string& c : user.withheld_in) {
    if (c == country || c == "XX") return true;
  }
  return false;
}

CountryKey MakeCountryKey(std::string_view iso2) {
  if (iso2.size() != 2) return 0;
  auto up = [](char c) -> uint16_t {
    return static_cast<uint16_t>((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
  };
  uint16_t a = up(iso2[0]), b = up(iso2[1]);
  if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return 0;
  return static_cast<CountryKey>((a << 8) | b);
}

std::string CountryName(CountryKey key) {
  if (key == 0) return std::string();
  return std::string{static_cast<char>(key >> 8), static_cast<char>(key & 0xFF)};
}

}  // namespace reach::engine
