#include "engine/window.h"

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

}  // namespace reach::engine
