// The sliding windows every per-user metric is kept for: 15 minutes, 1 hour, 24 hours and all time.
// Windows are in event time: a window ends at the engine's current time (see Engine::AdvanceTo).
#ifndef REACH_ENGINE_WINDOW_H_
#define REACH_ENGINE_WINDOW_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/time.h"

namespace reach::engine {

enum class Window : uint8_t { k15m = 0, k1h = 1, k24h = 2, kAll = 3 };

inline constexpr int kWindowCount = 4;
inline constexpr std::array<Window, kWindowCount> kAllWindows = {Window::k15m, Window::k1h,
                                                                 Window::k24h, Window::kAll};

// "15m", "1h", "24h", "all".
std::string_view WindowName(Window w);
// Parses the names above; nullopt for anything else.
std::optional<Window> ParseWindow(std::string_view name);
// The window's length; all time has none (Duration{INT64_MAX}).
Duration WindowLength(Window w);

}  // namespace reach::engine

#endif  // REACH_ENGINE_WINDOW_H_
