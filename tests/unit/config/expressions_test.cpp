// Stories about expressions: inside << >>, as workflow when/unless, as job filters.
#include <gtest/gtest.h>

#include "config/expression.h"
#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::plan_of;

json eval(const std::string& text, json values = json::object()) {
  PipelineScope pipeline;
  pipeline.values = std::move(values);
  pipeline.parameters["n"] = 3;
  std::string error;
  auto v = evaluate_expression(text, Scope{&pipeline}, error);
  EXPECT_TRUE(v.has_value()) << text << ": " << error;
  return v.value_or(json("<error>"));
}

TEST(Expressions, OperatorsAndPrecedence) {
  json main = {{"git.branch", "main"}};
  EXPECT_EQ(eval(R"(pipeline.git.branch == "main" and 10 or 1)", main), 10);
  EXPECT_EQ(eval(R"(pipeline.git.branch == "dev" and 10 or 1)", main), 1);
  EXPECT_EQ(eval(R"(not pipeline.git.branch starts-with "ma")", main), false);
  EXPECT_EQ(eval(R"(pipeline.git.branch matches /ma.*/)", main), true);
  EXPECT_EQ(eval(R"(pipeline.git.branch contains "ai")", main), true);
  EXPECT_EQ(eval("pipeline.parameters.n >= 3 and pipeline.parameters.n < 4"), true);
  EXPECT_EQ(eval(R"(pipeline.parameters.n == "3")"), false);  // mixed types are never equal
  EXPECT_EQ(eval(R"(!(1 == 2) and "a\"b" == "a\"b")"), true);
  // An unset value is undefined: comparisons are undefined, and the result is false-ish.
  EXPECT_EQ(eval(R"(pipeline.git.tag == "v1")"), nullptr);
  EXPECT_EQ(eval("not pipeline.git.tag"), true);
}

TEST(Expressions, ErrorsAreReported) {
  std::string error;
  PipelineScope pipeline;
  EXPECT_FALSE(evaluate_expression("pipeline.git.branch ==", Scope{&pipeline}, error));
  EXPECT_FALSE(evaluate_expression("colour == 1", Scope{&pipeline}, error));
  EXPECT_NE(error.find("unknown variable colour"), std::string::npos);
  EXPECT_FALSE(evaluate_expression("1 < \"a\"", Scope{&pipeline}, error));
}

TEST(Expressions, InsideReferencesWhenAndFilters) {
  std::string yaml = R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    parallelism: << pipeline.git.branch == "main" and 4 or 1 >>
    steps:
      - run: cat <<EOF > x && echo done >> log
workflows:
  release:
    when: pipeline.git.branch == "main"
    jobs: [build]
  always:
    jobs:
      - build: {filters: pipeline.git.branch starts-with "feat/"}
)";
  Plan main = plan_of(yaml, {{"git.branch", "main"}});
  ASSERT_EQ(main.workflows.size(), 1u);
  EXPECT_EQ(main.workflows[0].name, "release");
  EXPECT_EQ(main.workflows[0].jobs[0].job.parallelism, 4);
  EXPECT_EQ(main.workflows[0].jobs[0].job.steps[0].command, "cat <<EOF > x && echo done >> log");
  Plan feat = plan_of(yaml, {{"git.branch", "feat/x"}});
  ASSERT_EQ(feat.workflows.size(), 1u);
  EXPECT_EQ(feat.workflows[0].name, "always");
  EXPECT_EQ(feat.workflows[0].jobs[0].job.parallelism, 1);
  auto r = compile_text(R"(version: 2.1
jobs:
  build: {docker: [{image: a}], steps: [checkout]}
workflows:
  w:
    jobs:
      - build: {filters: pipeline.git.branch == }
)");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].build.filters", 7, 26, "invalid expression");
}

}  // namespace
}  // namespace halo::config
