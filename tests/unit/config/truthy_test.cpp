// The one truth rule (CircleCI's): false, null, 0, NaN and "" are falsy; everything else,
// including [] and {}, is truthy. Logic statements, workflow when/unless and the
// expressions of context restrictions (engine/job_secrets) all decide with config::truthy.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "config/expression.h"
#include "config/logic.h"
#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::plan_of;

TEST(Truthy, FalseNullZeroNanAndEmptyStringAreFalsy) {
  EXPECT_FALSE(truthy(json(false)));
  EXPECT_FALSE(truthy(json(nullptr)));
  EXPECT_FALSE(truthy(json(0)));
  EXPECT_FALSE(truthy(json(0u)));
  EXPECT_FALSE(truthy(json(0.0)));
  EXPECT_FALSE(truthy(json(-0.0)));
  EXPECT_FALSE(truthy(json(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_FALSE(truthy(json("")));
}

TEST(Truthy, EverythingElseIsTruthyIncludingEmptyListsAndMaps) {
  EXPECT_TRUE(truthy(json(true)));
  EXPECT_TRUE(truthy(json(1)));
  EXPECT_TRUE(truthy(json(-1)));
  EXPECT_TRUE(truthy(json(0.5)));
  EXPECT_TRUE(truthy(json(std::numeric_limits<double>::infinity())));
  EXPECT_TRUE(truthy(json("0")));
  EXPECT_TRUE(truthy(json("false")));
  EXPECT_TRUE(truthy(json::array()));
  EXPECT_TRUE(truthy(json::object()));
  EXPECT_TRUE(truthy(json::array({0})));
}

// A context's expression restriction holds when its value is truthy (job_secrets decides
// with config::truthy on the value evaluate_expression gives).
bool restriction_holds(const std::string& expression, const json& values) {
  PipelineScope pipeline;
  pipeline.values = values;
  std::string error;
  auto v = evaluate_expression(expression, Scope{&pipeline}, error);
  EXPECT_TRUE(v.has_value()) << expression << ": " << error;
  return v && truthy(*v);
}

TEST(Truthy, ContextExpressionRestrictionsFollowTheRule) {
  EXPECT_TRUE(restriction_holds("pipeline.git.branch", {{"git.branch", json::array()}}));
  EXPECT_TRUE(restriction_holds("pipeline.git.branch", {{"git.branch", json::object()}}));
  EXPECT_FALSE(restriction_holds("pipeline.git.branch", {{"git.branch", ""}}));
  EXPECT_TRUE(restriction_holds(R"(pipeline.git.branch == "main")", {{"git.branch", "main"}}));
}

TEST(Truthy, WorkflowWhenFollowsTheRule) {
  auto runs = [](const std::string& when) {
    Plan p = plan_of(R"(version: 2.1
jobs:
  build: {docker: [{image: a}], steps: [checkout]}
workflows:
  w:
    when: )" + when + R"(
    jobs: [build]
)");
    return p.workflows.size() == 1;
  };
  EXPECT_FALSE(runs("0"));
  EXPECT_FALSE(runs("\"\""));
  EXPECT_FALSE(runs("false"));
  EXPECT_TRUE(runs("\"0\""));
  EXPECT_TRUE(runs("1.5"));
}

}  // namespace
}  // namespace halo::config
