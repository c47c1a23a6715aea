#include "common/log.h"

namespace reach::log {

void SetLevel(std::string_view level) {
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
}

}  // namespace reach::log
