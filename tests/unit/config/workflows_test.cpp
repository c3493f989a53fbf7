// Stories about workflows: invocations, names, requires, filters, when/unless.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::plan_of;

const char* kJobs = R"(version: 2.1
jobs:
  build: {docker: [{image: a}], steps: [checkout]}
  test: {docker: [{image: a}], steps: [checkout]}
  deploy: {docker: [{image: a}], steps: [checkout]}
)";

std::vector<std::string> names(const Workflow& w) {
  std::vector<std::string> out;
  for (const auto& j : w.jobs) out.push_back(j.name);
  return out;
}

TEST(Workflows, AConfigWithoutWorkflowsRunsItsBuildJobInAnImplicitWorkflow) {
  Plan p = plan_of(R"(version: 2
jobs:
  build:
    docker: [{image: a}]
    steps: [checkout]
  other:
    docker: [{image: a}]
    steps: [checkout]
)");
  ASSERT_EQ(p.workflows.size(), 1u);
  EXPECT_EQ(p.workflows[0].name, "workflow");
  EXPECT_EQ(names(p.workflows[0]), (std::vector<std::string>{"build"}));
}

TEST(Workflows, RequiresContextsAndApprovals) {
  Plan p = plan_of(std::string(kJobs) + R"(
workflows:
  version: 2
  ship:
    jobs:
      - build
      - test:
          requires: [build]
          context: shared
      - hold:
          type: approval
          requires: [test]
      - deploy:
          requires:
            - hold
            - test: [success, failed]
            - build: terminal
          context: [aws, shared, aws]
)");
  ASSERT_EQ(p.workflows.size(), 1u);
  const Workflow& w = p.workflows[0];
  EXPECT_EQ(w.name, "ship");
  EXPECT_EQ(names(w), (std::vector<std::string>{"build", "test", "hold", "deploy"}));
  EXPECT_EQ(w.jobs[1].requirements, (std::vector<Requirement>{{"build", {"success"}}}));
  EXPECT_EQ(w.jobs[1].contexts, (std::vector<std::string>{"shared"}));
  EXPECT_EQ(w.jobs[2].job.type, "approval");
  EXPECT_EQ(w.jobs[2].job.name, "hold");
  EXPECT_TRUE(w.jobs[2].job.steps.empty());
  EXPECT_EQ(w.jobs[3].requirements,
            (std::vector<Requirement>{
                {"hold", {"success"}},
                {"test", {"success", "failed"}},
                {"build", {"success", "failed", "canceled", "unauthorized", "not_run"}}}));
  EXPECT_EQ(w.jobs[3].contexts, (std::vector<std::string>{"aws", "shared"}));
}

TEST(Workflows, UnnamedDuplicatesGetNumberedAndAliasesAreUsed) {
  Plan p = plan_of(std::string(kJobs) + R"(
workflows:
  w:
    jobs:
      - build
      - build
      - build
      - build: {name: build-fast}
      - test: {requires: [build-1, build-fast]}
)");
  EXPECT_EQ(names(p.workflows.at(0)),
            (std::vector<std::string>{"build", "build-1", "build-2", "build-fast", "test"}));
  EXPECT_EQ(p.workflows[0].jobs[3].job.name, "build");
}

TEST(Workflows, BrokenGraphsAreErrors) {
  auto r = compile_text(std::string(kJobs) + R"(workflows:
  w:
    jobs:
      - build: {requires: [deploy]}
      - test: {requires: [build]}
      - deploy: {requires: [test]}
  v:
    jobs:
      - build: {requires: [nope]}
      - missing
      - build: {name: twin}
      - test: {name: twin}
)");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs", 9, 7,
                      "cycle in requires: build -> deploy -> test -> build");
  EXPECT_CONFIG_ERROR(r, "workflows.v.jobs[0].build.requires[0]", 14, 28,
                      "build requires nope, which is not a job of workflow v");
  EXPECT_CONFIG_ERROR(r, "workflows.v.jobs[1]", 15, 9, "job missing is not defined");
  EXPECT_CONFIG_ERROR(r, "workflows.v.jobs[3].test.name", 17, 22,
                      "workflow v has two jobs named twin");
}

TEST(Workflows, InvocationKeysAreChecked) {
  auto r = compile_text(std::string(kJobs) + R"(workflows:
  w:
    jobs:
      - build: {matrix: {parameters: {a: [1]}}}
      - test: {type: manual}
      - build: {type: approval}
      - {build: {}, test: {}}
    schedule: nightly
)");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].build", 9, 9,
                      "Unexpected argument(s): a (for job build)");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[1].test.type", 10, 22, "type can only be approval");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[2].build", 11, 9,
                      "approval job build has the name of a defined job");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[3]", 12, 9, "a map with one key");
  EXPECT_CONFIG_ERROR(r, "workflows.w.schedule", 13, 5, "unknown key schedule in a workflow");
}

const char* kFiltered = R"(version: 2.1
jobs:
  build: {docker: [{image: a}], steps: [checkout]}
  test: {docker: [{image: a}], steps: [checkout]}
  deploy: {docker: [{image: a}], steps: [checkout]}
  release: {docker: [{image: a}], steps: [checkout]}
workflows:
  w:
    jobs:
      - build:
          filters:
            tags: {only: /.*/}
      - test:
          requires: [build]
          filters:
            branches: {ignore: [/wip\/.*/, scratch]}
      - deploy:
          requires: [test]
          filters:
            branches: {only: main}
      - release:
          requires: [build]
          filters:
            branches: {ignore: /.*/}
            tags:
              only: /^v[0-9]+(\.[0-9]+)*$/
)";

TEST(Filters, BranchFiltersDecideWhichJobsRun) {
  EXPECT_EQ(names(plan_of(kFiltered, {{"git.branch", "main"}}).workflows.at(0)),
            (std::vector<std::string>{"build", "test", "deploy"}));
  EXPECT_EQ(names(plan_of(kFiltered, {{"git.branch", "feature"}}).workflows.at(0)),
            (std::vector<std::string>{"build", "test"}));
  // test is ignored on wip/ branches, so deploy (which only needed test) cannot run either.
  EXPECT_EQ(names(plan_of(kFiltered, {{"git.branch", "wip/x"}}).workflows.at(0)),
            (std::vector<std::string>{"build"}));
  EXPECT_EQ(names(plan_of(kFiltered, {{"git.branch", "scratch"}}).workflows.at(0)),
            (std::vector<std::string>{"build"}));
}

TEST(Filters, TagPipelinesRunOnlyJobsWithMatchingTagFilters) {
  Plan p = plan_of(kFiltered, {{"git.tag", "v1.2"}});
  EXPECT_EQ(names(p.workflows.at(0)), (std::vector<std::string>{"build", "release"}));
  Plan none = plan_of(kFiltered, {{"git.tag", "nightly"}});
  EXPECT_EQ(names(none.workflows.at(0)), (std::vector<std::string>{"build"}));
}

TEST(Filters, RequirementsOnFilteredOutJobsAreDropped) {
  Plan p = plan_of(std::string(kJobs) + R"(
workflows:
  w:
    jobs:
      - build: {filters: {branches: {only: main}}}
      - test
      - deploy: {requires: [build, test]}
)",
                   {{"git.branch", "dev"}});
  const Workflow& w = p.workflows.at(0);
  EXPECT_EQ(names(w), (std::vector<std::string>{"test", "deploy"}));
  EXPECT_EQ(w.jobs[1].requirements, (std::vector<Requirement>{{"test", {"success"}}}));
}

TEST(Filters, OnlyWinsOverIgnoreAndBadPatternsAreErrors) {
  Plan p = plan_of(std::string(kJobs) + R"(
workflows:
  w:
    jobs:
      - build: {filters: {branches: {only: main, ignore: main}}}
)",
                   {{"git.branch", "main"}});
  EXPECT_EQ(names(p.workflows.at(0)), (std::vector<std::string>{"build"}));
  auto r = compile_text(std::string(kJobs) + R"(workflows:
  w:
    jobs:
      - build: {filters: {branches: {only: /(/}, colour: red}}
      - test: {filters: pipeline.git.branch == "main"}
)");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].build.filters.branches.only", 9, 44,
                      "invalid regular expression /(/");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].build.filters.colour", 9, 50,
                      "unknown key colour in filters");
  // The expression form is evaluated (see expressions_test.cpp), not an error.
  EXPECT_EQ(testing::find_error(r, "workflows.w.jobs[1].test.filters", ""), nullptr);
}

TEST(Workflows, WhenAndUnlessChooseWorkflows) {
  std::string yaml = std::string(kJobs) + R"(
parameters:
  nightly: {type: boolean, default: false}
workflows:
  commit:
    unless: << pipeline.parameters.nightly >>
    jobs: [build]
  nightly:
    when:
      and:
        - << pipeline.parameters.nightly >>
        - equal: [scheduled_pipeline, << pipeline.trigger_source >>]
    jobs: [test]
    triggers:
      - schedule: {cron: "0 0 * * *", filters: {branches: {only: main}}}
)";
  Plan commit = plan_of(yaml, {{"trigger_source", "webhook"}});
  ASSERT_EQ(commit.workflows.size(), 1u);
  EXPECT_EQ(commit.workflows[0].name, "commit");
  Plan nightly = plan_of(yaml, {{"trigger_source", "scheduled_pipeline"}}, {{"nightly", true}});
  ASSERT_EQ(nightly.workflows.size(), 1u);
  EXPECT_EQ(nightly.workflows[0].name, "nightly");
  std::string expr = std::string(kJobs) + R"(workflows:
  w:
    when: pipeline.git.branch == "main"
    jobs: [build]
  v:
    jobs: [test]
)";
  EXPECT_EQ(plan_of(expr, {{"git.branch", "main"}}).workflows.size(), 2u);
  EXPECT_EQ(plan_of(expr, {{"git.branch", "dev"}}).workflows.size(), 1u);
}

TEST(Workflows, AWorkflowNeedsJobs) {
  auto r = compile_text(std::string(kJobs) + R"(workflows:
  empty: {jobs: []}
  none: {}
  scalar: 3
)");
  EXPECT_CONFIG_ERROR(r, "workflows.empty.jobs", 7, 17, "workflow empty needs at least one job");
  EXPECT_CONFIG_ERROR(r, "workflows.none", 8, 9, "workflow none needs jobs");
  EXPECT_CONFIG_ERROR(r, "workflows.scalar", 9, 11, "workflow scalar must be a map");
}

}  // namespace
namespace {

TEST(Workflows, JobsNoWorkflowRunsAreStillChecked) {
  auto r = testing::compile_text(R"(version: 2.1
jobs:
  build: {docker: [{image: a}], steps: [checkout]}
  forgotten: {docker: [{image: a}], steps: [{run: {}}]}
workflows:
  w: {jobs: [build]}
)");
  EXPECT_CONFIG_ERROR(r, "jobs.forgotten.steps[0].run", 4, 51, "run needs a command");
}

TEST(Workflows, EqualComparesMapsAsValues) {
  Plan p = testing::plan_of(R"(version: 2.1
jobs:
  build: {docker: [{image: a}], steps: [checkout]}
workflows:
  w:
    when:
      equal: [{docker: [{image: a}]}, {docker: [{image: a}]}]
    jobs: [build]
  v:
    when:
      equal: [{docker: [{image: a}]}, {docker: [{image: b}]}]
    jobs: [build]
)");
  ASSERT_EQ(p.workflows.size(), 1u);
  EXPECT_EQ(p.workflows[0].name, "w");
}

TEST(Workflows, AnInvocationUsedAgainThroughAnAliasKeepsItsKeys) {
  // Compiling the first use must not change the document the alias refers to.
  Plan p = plan_of(std::string(kJobs) + R"(
workflows:
  a:
    jobs:
      - build
      - &t
        test: {name: unit, requires: [build]}
  b:
    jobs:
      - build
      - *t
)");
  ASSERT_EQ(p.workflows.size(), 2u);
  for (const Workflow& w : p.workflows) {
    EXPECT_EQ(names(w), (std::vector<std::string>{"build", "unit"})) << w.name;
    EXPECT_EQ(w.jobs.at(1).requirements, (std::vector<Requirement>{{"build", {"success"}}}));
  }
}

}  // namespace

// Keys CircleCI ignores and real configs carry: accepted, and left out of the processed config.
TEST(Workflows, DescriptionsOnRunStepsAndWorkflowsAreIgnored) {
  auto r = testing::compile_text(R"(version: 2.1
jobs:
  b:
    docker: [{image: a}]
    steps:
      - run: {command: echo hi, description: says hi}
workflows:
  w:
    description: the workflow
    jobs: [b]
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(r.compiled_yaml.find("description"), std::string::npos);
  testing::expect_fixed_point(r);
  // Elsewhere an unknown key is still an error.
  EXPECT_FALSE(testing::compile_text(R"(version: 2.1
jobs:
  b:
    docker: [{image: a}]
    steps:
      - run: {command: echo hi, descripton: typo}
workflows:
  w: {jobs: [b]}
)")
                   .ok());
}

// CircleCI takes a single step written as a map where when/unless want a list of steps.
TEST(Workflows, AWhenStepMayHoldOneStepWrittenAsAMap) {
  auto r = testing::compile_text(R"(version: 2.1
jobs:
  b:
    docker: [{image: a}]
    steps:
      - when:
          condition: true
          steps:
            run: echo single
      - unless:
          condition: true
          steps:
            run: echo never
workflows:
  w: {jobs: [b]}
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  const auto& steps = r.plan->workflows[0].jobs[0].job.steps;
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].command, "echo single");
  testing::expect_fixed_point(r);
  // A job's own steps must still be a list.
  EXPECT_FALSE(testing::compile_text(R"(version: 2.1
jobs:
  b:
    docker: [{image: a}]
    steps:
      run: echo single
workflows:
  w: {jobs: [b]}
)")
                   .ok());
}

// `setup` given by a pipeline parameter, as real configs (path-filtering setups) write it.
TEST(Workflows, SetupMayComeFromAPipelineParameter) {
  const char* yaml = R"(version: 2.1
parameters:
  run-setup: {type: boolean, default: true}
setup: << pipeline.parameters.run-setup >>
jobs:
  b:
    docker: [{image: a}]
    steps: [checkout]
workflows:
  w: {jobs: [b]}
)";
  auto on = testing::compile_text(yaml);
  ASSERT_TRUE(on.ok()) << testing::all_errors(on);
  EXPECT_TRUE(on.plan->setup);
  testing::expect_fixed_point(on);

  CompileInput in;
  in.source = yaml;
  in.parameters = {{"run-setup", false}};
  auto off = compile(in);
  ASSERT_TRUE(off.ok()) << testing::all_errors(off);
  EXPECT_FALSE(off.plan->setup);

  auto bad = testing::compile_text(R"(version: 2.1
setup: maybe
jobs:
  b:
    docker: [{image: a}]
    steps: [checkout]
workflows:
  w: {jobs: [b]}
)");
  EXPECT_NE(testing::all_errors(bad).find("setup must be true or false"), std::string::npos);
}

}  // namespace halo::config
