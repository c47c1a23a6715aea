#include "planner/rate_card.h"

#include <cmath>
#include <cstdlib>

#include <charconv>

#include "absl/container/flat_hash_set.h"
#include "fmt/format.h"

namespace reach::planner {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    size_t pos = s.find(sep);
    out.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos) return out;
    s.remove_prefix(pos + 1);
  }
}

// A whole-field number (strtod accepts what from_chars does not need: it is only given the field).
bool ParseDouble(std::string_view s, double* out) {
  if (s.empty() || s.size() > 64) return false;
  std::string text(s);
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

template <class T>
bool ParseInt(std::string_view s, T* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Clip(std::string_view s) {
  return std::string(s.substr(0, 40)) + (s.size() > 40 ? "..." : "");
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<RateCardEntry>> ParseRateCard(std::string_view csv) {
  std::vector<RateCardEntry> out;
  absl::flat_hash_set<std::string> seen;
  int line_no = 0;
  bool first_content = true;
  for (std::string_view raw : Split(csv, '\n')) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const bool header_allowed = first_content;
    first_content = false;
    auto fail = [&](const std::string& what) {
      return absl::InvalidArgumentError(fmt::format("rate card line {}: {}", line_no, what));
    };
    std::vector<std::string_view> f = Split(line, ',');
    for (auto& x : f) x = Trim(x);
    double cost = 0;
    const bool cost_ok = f.size() >= 2 && ParseDouble(f[1], &cost);
    if (header_allowed && !cost_ok) continue;  // a header line
    if (f.size() < 2 || f.size() > 3) {
      return fail(
          fmt::format("expected user_id_or_handle,cost_per_post[,max_posts], got {} field{}",
                      f.size(), f.size() == 1 ? "" : "s"));
    }
    RateCardEntry e;
    e.line = line_no;
    std::string_view who = f[0];
    if (who.empty()) return fail("the account is empty");
    if (AllDigits(who)) {
      if (!ParseInt(who, &e.user_id) || e.user_id == 0) {
        return fail(fmt::format("user id \"{}\" is out of range", Clip(who)));
      }
    } else {
      if (who.front() == '@') who.remove_prefix(1);
      if (who.empty() || who.size() > 64) return fail(fmt::format("bad handle \"{}\"", Clip(f[0])));
      e.handle = Lower(who);
    }
    if (!cost_ok) return fail(fmt::format("cost_per_post \"{}\" is not a number", Clip(f[1])));
    if (!(cost > 0) || !std::isfinite(cost)) {
      return fail(fmt::format("cost_per_post must be > 0, got {}", Clip(f[1])));
    }
    e.cost_per_post = cost;
    if (f.size() == 3 && !f[2].empty()) {
      int k = 0;
      if (!ParseInt(f[2], &k) || k < 1 || k > kMaxPostsLimit) {
        return fail(fmt::format("max_posts must be an integer 1..{}, got \"{}\"", kMaxPostsLimit,
                                Clip(f[2])));
      }
      e.max_posts = k;
    }
    std::string key = e.user_id ? fmt::format("#{}", e.user_id) : e.handle;
    if (!seen.insert(key).second) {
      return fail(fmt::format("{} is listed twice", Clip(f[0])));
    }
    out.push_back(std::move(e));
  }
  return out;
}

const CpmTier& TierFor(int64_t followers) {
  if (followers < 0) followers = 1000;
  const CpmTier* tier = &kCpmTiers[0];
  for (const CpmTier& t : kCpmTiers) {
    if (followers >= t.min_followers) tier = &t;
  }
  return *tier;
}

double CpmCostPerPost(int64_t followers) {
  const int64_t f = followers < 0 ? 1000 : followers;
  return std::max(kMinPostCost, static_cast<double>(f) / 1000.0 * TierFor(f).cpm);
}

}  // namespace reach::planner
