// Compares PageRank and Louvain with igraph on the Higgs retweet graph (256k nodes, 328k edges).
// Run by ctest as graph_igraph_reference (tests/reference/igraph_reference_test.sh), which
// writes igraph's results first and passes the paths in REACH_HIGGS_EDGES and
// REACH_IGRAPH_REFERENCE; skipped when those are not set.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <memory>
#include <sstream>
#include <string>

#include "analytics/engagement_graph.h"
#include "analytics/louvain.h"
#include "analytics/node_index.h"
#include "analytics/pagerank.h"
#include "gtest/gtest.h"

namespace reach::analytics {
namespace {

std::string Format(double value) {
  std::ostringstream out;
  out << std::setprecision(6) << std::scientific << value;
  return out.str();
}

struct Reference {
  size_t nodes = 0;
  size_t edges = 0;
  double modularity = 0.0;
  std::vector<std::pair<uint64_t, double>> pagerank;  // (id, score)
};

class IgraphReference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* edges_path = std::getenv("REACH_HIGGS_EDGES");
    const char* reference_path = std::getenv("REACH_IGRAPH_REFERENCE");
    if (edges_path == nullptr || reference_path == nullptr) return;
    loaded_ = std::make_unique<Loaded>();
    Loaded& l = *loaded_;

    std::ifstream edges(edges_path);
    uint64_t a = 0, b = 0;
    double w = 0;
    while (edges >> a >> b >> w) {
      const uint32_t from = *l.index.GetOrAdd(a);
      const uint32_t to = *l.index.GetOrAdd(b);
      ASSERT_TRUE(l.graph.AddEdge(from, to, w).ok());
    }
    l.csr = l.graph.BuildCsr();

    std::ifstream in(reference_path);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string key;
      fields >> key;
      if (key == "igraph" || key == "communities" || key == "pagerank_seconds") continue;
      if (key == "nodes") {
        fields >> l.reference.nodes;
      } else if (key == "edges") {
        fields >> l.reference.edges;
      } else if (key == "modularity") {
        fields >> l.reference.modularity;
      } else {
        double score = 0;
        fields >> score;
        l.reference.pagerank.emplace_back(std::stoull(key), score);
      }
    }
  }

  void SetUp() override {
    // Run by ctest's graph_igraph_reference, which sets both; anything else is a usage error.
    ASSERT_TRUE(loaded_) << "needs REACH_HIGGS_EDGES and REACH_IGRAPH_REFERENCE "
                            "(tests/reference/igraph_reference_test.sh)";
  }

  struct Loaded {
    NodeIndex index;
    EngagementGraph graph;
    CsrGraph csr;
    Reference reference;
  };
  static std::unique_ptr<Loaded> loaded_;
};

std::unique_ptr<IgraphReference::Loaded> IgraphReference::loaded_;

TEST_F(IgraphReference, HiggsGraphHasTheSameShape) {
  EXPECT_EQ(loaded_->csr.num_nodes, 256491u);
  EXPECT_EQ(loaded_->csr.num_nodes, loaded_->reference.nodes);
  EXPECT_EQ(loaded_->csr.num_edges(), loaded_->reference.edges);
  EXPECT_EQ(loaded_->reference.pagerank.size(), loaded_->reference.nodes);
}

TEST_F(IgraphReference, PageRankWithinOneMillionthOfIgraph) {
  for (auto method :
       {PageRankOptions::Method::kSccGaussSeidel, PageRankOptions::Method::kPowerIteration}) {
    PageRank pagerank({.method = method});
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(pagerank.Run(loaded_->csr).ok());
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    double reference_sum = 0.0;
    for (const auto& [id, score] : loaded_->reference.pagerank) reference_sum += score;
    double l1 = 0.0;
    for (const auto& [id, score] : loaded_->reference.pagerank) {
      const std::optional<uint32_t> node = loaded_->index.Find(id);
      ASSERT_TRUE(node.has_value()) << id;
      l1 += std::abs(pagerank.Score(*node) - score / reference_sum);
    }
    RecordProperty(method == PageRankOptions::Method::kPowerIteration ? "power_l1" : "scc_l1",
                   Format(l1));
    EXPECT_LE(l1, 1e-6) << "run took " << ms << " ms";
  }
}

TEST_F(IgraphReference, LouvainModularityAtLeast98PercentOfIgraph) {
  absl::StatusOr<CommunityResult> result = Louvain().Run(loaded_->csr);
  ASSERT_TRUE(result.ok()) << result.status();
  RecordProperty("modularity", Format(result->modularity));
  RecordProperty("igraph_modularity", Format(loaded_->reference.modularity));
  EXPECT_GT(loaded_->reference.modularity, 0.5);
  EXPECT_GE(result->modularity, 0.98 * loaded_->reference.modularity)
      << "ours " << result->modularity << " igraph " << loaded_->reference.modularity;
}

}  // namespace
}  // namespace reach::analytics
