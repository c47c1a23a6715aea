#include "engine/cascade_tree.h"

#include <algorithm>

#include "analytics/cascade_metrics.h"

namespace reach::engine {

std::string_view ParentMethodName(ParentMethod m) {
  switch (m) {
    case ParentMethod::kNone:
      return "none";
    case ParentMethod::kExact:
      return "exact";
    case ParentMethod::kInferredFollow:
      return "inferred_follow";
    case ParentMethod::kRoot:
      return "root";
  }
  return "none";
}

absl::Status FinishCascadeReport(CascadeReport& report, const std::vector<int32_t>& parent_index,
                                 size_t node_limit) {
  std::vector<int64_t> times(report.nodes.size());
  report.methods = {};
  EventTime last;
  for (size_t i = 0; i < report.nodes.size(); ++i) {
    const CascadeNode& n = report.nodes[i];
    times[i] = n.time.micros;
    last = std::max(last, n.time);
    switch (n.method) {
      case ParentMethod::kExact:
        ++report.methods[0];
        break;
      case ParentMethod::kInferredFollow:
        ++report.methods[1];
        break;
      case ParentMethod::kRoot:
        ++report.methods[2];
        break;
      case ParentMethod::kNone:
        break;
    }
  }
  REACH_ASSIGN_OR_RETURN(analytics::CascadeMetrics m,
                         analytics::ComputeCascadeMetrics(parent_index, times));
  report.size = m.size;
  report.depth = m.depth;
  report.max_breadth = m.max_breadth;
  report.structural_virality = m.structural_virality;
  report.t50_seconds = static_cast<double>(m.t50_micros) / 1e6;
  report.t90_seconds = static_cast<double>(m.t90_micros) / 1e6;
  for (size_t i = 0; i < report.nodes.size(); ++i) report.nodes[i].depth = m.node_depth[i];
  if (!report.nodes.empty()) report.started = report.nodes[0].time;
  report.last_activity = last;
  if (report.nodes.size() > node_limit) {
    report.nodes.resize(node_limit);
    report.truncated = true;
  }
  return absl::OkStatus();
}

}  // namespace reach::engine
