// Cascade trees as the API shows them: every node with its parent and how that parent was chosen,
// and the tree's metrics (analytics/cascade_metrics.h). Built on the engine's writer thread
// (Engine::Cascade, asked through the QueryChannel) and then owned by the reader; value types.
#ifndef REACH_ENGINE_CASCADE_TREE_H_
#define REACH_ENGINE_CASCADE_TREE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/snapshot.h"
#include "engine/window.h"

namespace reach::engine {

struct CascadeNode {
  PostId post;
  UserId user;
  std::string handle;
  int64_t followers = -1;  // latest platform-reported count, -1 unknown
  EventTime time;
  PostId parent;  // 0 for the root
  ParentMethod method = ParentMethod::kNone;
  int32_t depth = 0;
  std::vector<std::string> withheld_in;  // countries the platform withholds the post in
};

// One cascade: metrics over the whole tree, nodes possibly cut to a limit.
struct CascadeReport {
  PostId root;
  PostId requested;  // the post asked about (the root, or a node of the tree)
  UserId author;
  std::string handle;
  int64_t followers = -1;
  bool root_known = true;  // false while the root is known only as the parent of its reshares
  int64_t size = 0;
  int32_t depth = 0;
  int64_t max_breadth = 0;
  double structural_virality = 0;
  double t50_seconds = 0;
  double t90_seconds = 0;
  EventTime started;
  EventTime last_activity;
  // Edges by method: [0] exact, [1] inferred_follow, [2] root.
  std::array<int64_t, 3> methods{};
  std::vector<CascadeNode> nodes;  // breadth-first from the root, so parents come first
  bool truncated = false;          // nodes holds only the first node_limit
};

struct UserCascades {
  UserId user;
  Window window = Window::kAll;
  EventTime as_of;
  std::vector<CascadeReport> largest;  // by size, then depth, then newest; nodes left empty
  std::vector<CascadeReport> deepest;  // by depth, then size, then newest; nodes left empty
};

// Fills the metrics of `report` from its nodes (breadth-first, parents first; parent_index[i] the
// position of node i's parent, -1 for the root), then cuts the nodes to node_limit.
// InvalidArgument for a malformed tree (a bug in the caller).
absl::Status FinishCascadeReport(CascadeReport& report, const std::vector<int32_t>& parent_index,
                                 size_t node_limit);

}  // namespace reach::engine

#endif  // REACH_ENGINE_CASCADE_TREE_H_
