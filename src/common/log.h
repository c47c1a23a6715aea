// The logging facade: libraries log through these functions, never print. The program (cli/)
// decides where logs go (stderr by default) and at what level. Thread-safe.
#ifndef REACH_COMMON_LOG_H_
#define REACH_COMMON_LOG_H_

#include <spdlog/spdlog.h>  // IWYU pragma: export

namespace reach::log {

using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;

// Sets the global level from a name: trace, debug, info, warn, error, off. Unknown names keep info.
void SetLevel(std::string_view level);

}  // namespace reach::log

#endif  // REACH_COMMON_LOG_H_
