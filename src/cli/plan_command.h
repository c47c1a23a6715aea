// `reach plan`: plans a campaign budget from observed data, either by ingesting a file in-process
// (batch mode: the whole source, then the plan) or by asking a running Reach (POST /api/plans),
// and renders the answer as a table, JSON or CSV.
//
// Errors: InvalidArgument for bad options (a negative budget, an unknown country code, a malformed
// rate card line, an unknown format), NotFound for an unreadable file, Unavailable when the server
// cannot be reached; a server's error reply becomes the status it maps from.
#ifndef REACH_CLI_PLAN_COMMAND_H_
#define REACH_CLI_PLAN_COMMAND_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "planner/plan_request.h"

namespace reach::cli {

struct PlanCommand {
  planner::PlanRequest request;  // budget, countries, topics, ... (rate card read from the file)
  std::string rate_card_path;
  std::string output = "table";  // table, json or csv
  // Where the data comes from: a running Reach (http://host:port), else `source` ingested here.
  std::string server;
  std::string api_token;  // sent as "Authorization: Bearer" with --save
  std::string source;
  std::string input_format = "auto";
  std::string data_dir;
};

// The text to print on stdout.
[[nodiscard]] absl::StatusOr<std::string> RunPlanCommand(PlanCommand command);

// Renders a plan JSON (the body of POST /api/plans) as "table", "json" or "csv".
[[nodiscard]] absl::StatusOr<std::string> RenderPlan(std::string_view json,
                                                     std::string_view format);

}  // namespace reach::cli

#endif  // REACH_CLI_PLAN_COMMAND_H_
