#include "ingest/live/reconnect_backoff.h"

#include <algorithm>

namespace reach::ingest {

std::chrono::milliseconds ReconnectBackoff::Next(Failure failure) {
  if (failure == Failure::kDropped) {
    if (established_) {
      established_ = false;
      return std::chrono::milliseconds(0);
    }
    failure = Failure::kNetwork;
  }
  established_ = false;
  switch (failure) {
    case Failure::kNetwork:
      network_ = std::min(network_ + kNetworkStep, kNetworkMax);
      return network_;
    case Failure::kHttp:
      http_ = http_.count() == 0 ? kHttpFirst : std::min(http_ * 2, kHttpMax);
      return http_;
    case Failure::kRateLimited:
      rate_ = rate_.count() == 0 ? kRateLimitFirst : std::min(rate_ * 2, kRateLimitMax);
      return rate_;
    case Failure::kDropped:
      break;
  }
  return kNetworkStep;
}

void ReconnectBackoff::Connected() {
  established_ = true;
  network_ = http_ = rate_ = std::chrono::milliseconds(0);
}

}  // namespace reach::ingest
