// Stories about job groups (`job-groups:`): a named list of workflow jobs that a workflow uses
// like a job. The processed config has every group expanded in place, so the golden outputs
// below are also checked to be a fixed point of processing.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::all_errors;
using testing::compile_text;

const json kMain = {{"git.branch", "main"}};

// Job definitions shared by the stories: one docker image, one run step each.
const char* kJobs = R"(version: 2.1
jobs:
  lint: {docker: [{image: a}], steps: [{run: lint}]}
  build: {docker: [{image: a}], steps: [{run: make}]}
  test:
    parameters: {n: {type: integer, default: 1}}
    docker: [{image: a}]
    steps: [{run: "test << parameters.n >>"}]
  deploy: {docker: [{image: a}], steps: [{run: ship}]}
)";

// The processed config, after checking that processing it again changes nothing.
std::string processed(const std::string& yaml, const json& pipeline = kMain) {
  CompileResult r = compile_text(yaml, pipeline);
  EXPECT_TRUE(r.ok()) << all_errors(r);
  CompileResult again = compile_text(r.compiled_yaml, pipeline);
  EXPECT_TRUE(again.ok()) << all_errors(again) << r.compiled_yaml;
  EXPECT_EQ(again.compiled_yaml, r.compiled_yaml) << "processing is not a fixed point";
  // The same plan, but for the definition names of jobs that arguments made different (the
  // processed config defines them under names of their own).
  if (r.plan && again.plan) {
    Plan p = *again.plan;
    for (size_t w = 0; w < p.workflows.size() && w < r.plan->workflows.size(); ++w) {
      for (size_t i = 0; i < p.workflows[w].jobs.size() && i < r.plan->workflows[w].jobs.size();
           ++i) {
        p.workflows[w].jobs[i].job.name = r.plan->workflows[w].jobs[i].job.name;
      }
    }
    EXPECT_EQ(to_json(p).dump(2), to_json(*r.plan).dump(2));
  }
  return r.compiled_yaml;
}

// The `workflows:` part of the processed config.
std::string processed_workflows(const std::string& yaml, const json& pipeline = kMain) {
  std::string out = processed(yaml, pipeline);
  size_t at = out.find("\nworkflows:\n");
  EXPECT_NE(at, std::string::npos) << out;
  return at == std::string::npos ? out : out.substr(at + 1);
}

// Every error, one a line, as `halo config validate` prints them.
std::string errors_of(const std::string& yaml) {
  CompileResult r = compile_text(yaml, kMain);
  EXPECT_FALSE(r.ok());
  return all_errors(r);
}

TEST(JobGroups, AGroupExpandsInPlaceAndRequiringItWaitsForAllItsJobs) {
  std::string out = processed(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs:
      - build
      - test: {requires: [build], n: 2}
workflows:
  main:
    jobs:
      - lint
      - checks
      - deploy: {requires: [checks]}
)");
  EXPECT_EQ(out, R"(version: 2.1
jobs:
  lint:
    docker:
      - image: a
    steps:
      - run: lint
  build:
    docker:
      - image: a
    steps:
      - run: make
  test:
    docker:
      - image: a
    steps:
      - run: test 2
  deploy:
    docker:
      - image: a
    steps:
      - run: ship
workflows:
  main:
    jobs:
      - lint
      - build
      - test:
          requires:
            - build
      - deploy:
          requires:
            - build
            - test
)");
}

TEST(JobGroups, TheInvocationsRequiresGoToTheGroupsRoots) {
  // build and lint require nothing in the group: both get the invocation's requires. test
  // requires build, so it waits through build. deploy's own statuses for lint win.
  std::string out = processed_workflows(std::string(kJobs) + R"(
job-groups:
  ci:
    jobs:
      - build
      - test: {requires: [build]}
      - deploy: {requires: [{lint: failed}]}
workflows:
  main:
    jobs:
      - lint
      - hold: {type: approval}
      - ci:
          requires: [lint, hold]
)");
  EXPECT_EQ(out, R"(workflows:
  main:
    jobs:
      - lint
      - hold:
          type: approval
      - build:
          requires:
            - lint
            - hold
      - test:
          requires:
            - build
      - deploy:
          requires:
            - lint: [failed]
            - hold
)");
}

TEST(JobGroups, ContextsAreMergedFiltersAndSerialGroupsApplyToJobsWithoutTheirOwn) {
  std::string config = std::string(kJobs) + R"(
job-groups:
  release:
    jobs:
      - build:
          context: [aws, shared]
      - test:
          filters: {branches: {only: [main, dev]}}
          serial-group: tests
      - deploy:
          requires: [build, test]
workflows:
  main:
    jobs:
      - release:
          context: [shared, signing]
          filters: {branches: {only: [main, release]}}
          serial-group: releases
)";
  EXPECT_EQ(processed_workflows(config), R"(workflows:
  main:
    jobs:
      - build:
          context:
            - aws
            - shared
            - signing
          serial-group: releases
          filters:
            branches:
              only:
                - main
                - release
      - test:
          context:
            - shared
            - signing
          serial-group: tests
          filters:
            branches:
              only:
                - main
                - dev
      - deploy:
          requires:
            - build
            - test
          context:
            - shared
            - signing
          serial-group: releases
          filters:
            branches:
              only:
                - main
                - release
)");
  // On dev only test's own filters admit the branch; build and deploy are filtered out.
  EXPECT_EQ(processed_workflows(config, {{"git.branch", "dev"}}), R"(workflows:
  main:
    jobs:
      - test:
          context:
            - shared
            - signing
          serial-group: tests
          filters:
            branches:
              only:
                - main
                - dev
)");
}

TEST(JobGroups, RequiringAGroupTakesStatusesAndWorksInThePlan) {
  Plan p = testing::plan_of(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs: [lint, build]
workflows:
  main:
    jobs:
      - checks
      - deploy:
          requires:
            - checks: [success, failed]
)",
                            kMain);
  ASSERT_EQ(p.workflows.size(), 1u);
  const Workflow& w = p.workflows[0];
  ASSERT_EQ(w.jobs.size(), 3u);
  EXPECT_EQ(w.jobs[0].name, "lint");
  EXPECT_EQ(w.jobs[1].name, "build");
  EXPECT_EQ(w.jobs[2].name, "deploy");
  EXPECT_EQ(w.jobs[2].requirements, (std::vector<Requirement>{{"lint", {"success", "failed"}},
                                                              {"build", {"success", "failed"}}}));
}

TEST(JobGroups, MatricesApprovalsAndNamesInsideAGroup) {
  // Unnamed duplicates are numbered within the group; a matrix alias works inside it.
  std::string out = processed_workflows(std::string(kJobs) + R"(
job-groups:
  matrix tests:
    jobs:
      - test:
          matrix: {parameters: {n: [1, 2]}}
      - approve: {type: approval, requires: [test]}
      - lint
      - lint: {requires: [approve]}
workflows:
  main:
    jobs:
      - build
      - matrix tests: {requires: [build]}
      - deploy: {requires: [matrix tests]}
)");
  EXPECT_EQ(out, R"(workflows:
  main:
    jobs:
      - build
      - test:
          name: test-1
          requires:
            - build
      - test-2:
          requires:
            - build
      - approve:
          type: approval
          requires:
            - test-1
            - test-2
      - lint:
          requires:
            - build
      - lint:
          name: lint-1
          requires:
            - approve
      - deploy:
          requires:
            - test-1
            - test-2
            - approve
            - lint
            - lint-1
)");
}

TEST(JobGroups, NamesInsideAGroupFollowTheRulesOfAWorkflow) {
  // An unnamed job whose name another job of the group took is numbered, as in a workflow.
  EXPECT_EQ(processed_workflows(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs:
      - test: {name: lint}
      - lint
workflows:
  main:
    jobs: [checks]
)"),
            R"(workflows:
  main:
    jobs:
      - test:
          name: lint
      - lint:
          name: lint-1
)");
  // Two explicit names are an error of the group, reported once however many use it.
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs:
      - build: {name: dup}
      - deploy: {name: dup}
workflows:
  a:
    jobs: [checks]
  b:
    jobs: [checks]
)"),
            "job-groups.checks.jobs[1].deploy.name (line 15, column 24): job group checks has two "
            "jobs named dup\n");
}

TEST(JobGroups, OneGroupServesSeveralWorkflows) {
  std::string out = processed_workflows(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs: [lint, build]
workflows:
  pr:
    jobs: [checks]
  nightly:
    jobs:
      - deploy
      - checks: {requires: [deploy], context: night}
)");
  EXPECT_EQ(out, R"(workflows:
  pr:
    jobs:
      - lint
      - build
  nightly:
    jobs:
      - deploy
      - lint:
          requires:
            - deploy
          context:
            - night
      - build:
          requires:
            - deploy
          context:
            - night
)");
}

TEST(JobGroups, AGroupNamedLikeAJobIsAnError) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  build:
    jobs: [lint]
workflows:
  main:
    jobs: [build]
)"),
            "job-groups.build (line 12, column 3): job group build has the name of a job; a name "
            "is a job or a job group, not both\n");
}

TEST(JobGroups, AGroupUsedTwiceInAWorkflowIsAnError) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs: [lint]
workflows:
  main:
    jobs:
      - checks
      - build
      - checks: {requires: [build]}
)"),
            "workflows.main.jobs[2].checks (line 19, column 9): job group checks is used twice "
            "in workflow main\n");
}

TEST(JobGroups, GroupsDoNotNest) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  inner:
    jobs: [lint]
  outer:
    jobs:
      - build
      - inner: {requires: [build]}
workflows:
  main:
    jobs: [outer]
)"),
            "job-groups.outer.jobs[1].inner (line 17, column 9): job group outer cannot contain "
            "job group inner: job groups do not nest\n");
}

TEST(JobGroups, UnknownKeysInAGroupOrItsUseAreErrors) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  checks:
    description: lint and build
    jobs: [lint, build]
workflows:
  main:
    jobs:
      - checks:
          name: c
          matrix: {parameters: {n: [1]}}
          parameters: {n: 1}
          n: 1
          pre-steps: [{run: x}]
          context: shared
)"),
            "job-groups.checks.description (line 13, column 5): unknown key description in job "
            "group checks\n"
            "workflows.main.jobs[0].checks.name (line 19, column 11): unknown key name in the use "
            "of job group checks (a job group takes requires, context, filters and "
            "serial-group)\n"
            "workflows.main.jobs[0].checks.matrix (line 20, column 11): unknown key matrix in the "
            "use of job group checks (a job group takes requires, context, filters and "
            "serial-group)\n"
            "workflows.main.jobs[0].checks.parameters (line 21, column 11): unknown key "
            "parameters in the use of job group checks (a job group takes requires, context, "
            "filters and serial-group)\n"
            "workflows.main.jobs[0].checks.n (line 22, column 11): unknown key n in the use of "
            "job group checks (a job group takes requires, context, filters and serial-group)\n"
            "workflows.main.jobs[0].checks.pre-steps (line 23, column 11): unknown key pre-steps "
            "in the use of job group checks (a job group takes requires, context, filters and "
            "serial-group)\n");
}

TEST(JobGroups, AGroupNeedsJobs) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  missing: {}
  empty:
    jobs: []
  null-jobs:
    jobs:
  null-group:
  not-a-list:
    jobs: lint
workflows:
  main:
    jobs: [lint]
)"),
            "job-groups.missing (line 12, column 12): job group missing needs jobs\n"
            "job-groups.empty.jobs (line 14, column 11): job group empty needs at least one job\n"
            "job-groups.null-jobs.jobs (line 16, column 5): job group null-jobs needs jobs\n"
            "job-groups.null-group (line 17, column 3): job group null-group needs jobs\n"
            "job-groups.not-a-list.jobs (line 19, column 11): jobs must be a list, not a string\n");
}

TEST(JobGroups, AGroupJobNamedLikeAnotherJobOfTheWorkflowIsAnError) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs:
      - lint
      - test: {name: unit}
  more:
    jobs:
      - build: {name: unit}
workflows:
  main:
    jobs:
      - lint
      - checks
      - deploy: {name: unit}
  other:
    jobs: [checks, more]
)"),
            "workflows.main.jobs[2].deploy.name (line 24, column 24): workflow main has two jobs "
            "named unit (one from job group checks)\n"
            "workflows.main.jobs[0] (line 22, column 9): workflow main has two jobs named lint "
            "(one from job group checks)\n"
            "job-groups.more.jobs[0].build.name (line 18, column 23): workflow other has two jobs "
            "named unit (from job groups checks and more)\n");
}

TEST(JobGroups, AJobNamedLikeAGroupOfTheWorkflowIsAnError) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs: [lint]
workflows:
  main:
    jobs:
      - checks
      - build: {name: checks}
)"),
            "workflows.main.jobs[1].build.name (line 18, column 23): workflow main has a job and "
            "a job group named checks\n");
}

TEST(JobGroups, TheInvocationsRequiresAreCheckedLikeAnyOthers) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  checks:
    jobs:
      - lint
      - build: {requires: [lint]}
workflows:
  main:
    jobs:
      - checks: {requires: [nowhere], serial-group: "no spaces"}
)"),
            "workflows.main.jobs[0].checks.serial-group (line 19, column 53): serial-group must be "
            "1 to 512 characters of A-Z a-z 0-9 . - _ /\n"
            "workflows.main.jobs[0].checks.requires[0] (line 19, column 29): lint requires "
            "nowhere, which is not a job of workflow main\n");
}

TEST(JobGroups, NeedVersion21) {
  EXPECT_EQ(errors_of(R"(version: 2
jobs:
  build: {docker: [{image: a}], steps: [{run: make}]}
job-groups:
  checks:
    jobs: [build]
workflows:
  main:
    jobs: [checks]
)"),
            "job-groups (line 4, column 1): job-groups need version 2.1\n");
}

TEST(JobGroups, InvalidGroupNamesAreErrors) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  1st: {jobs: [lint]}
  with/slash: {jobs: [build]}
workflows:
  main:
    jobs: [1st, with/slash]
)"),
            "job-groups.1st (line 12, column 3): invalid job group name 1st: names start with a "
            "letter and use only letters, digits, spaces, _ and -\n"
            "job-groups.with/slash (line 13, column 3): invalid job group name with/slash: names "
            "start with a letter and use only letters, digits, spaces, _ and -\n");
}

TEST(JobGroups, AGroupNobodyUsesIsStillChecked) {
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  used:
    jobs: [lint]
  unused:
    jobs:
      - nowhere
      - build: {requires: [test], colour: red}
      - test: {requires: [build]}
      - deploy: {requires: [outside]}
      - used
workflows:
  main:
    jobs: [used]
)"),
            "job-groups.unused.jobs[0] (line 16, column 9): job nowhere is not defined\n"
            "job-groups.unused.jobs[1].build (line 17, column 9): Unexpected argument(s): colour "
            "(for job build)\n"
            "job-groups.unused.jobs[4] (line 20, column 9): job group unused cannot contain job "
            "group used: job groups do not nest\n");
  // Without other errors, a cycle inside an unused group is found too; requirements outside
  // the group are left for the workflows that would use it.
  EXPECT_EQ(errors_of(std::string(kJobs) + R"(
job-groups:
  unused:
    jobs:
      - build: {requires: [test]}
      - test: {requires: [build]}
      - deploy: {requires: [outside]}
workflows:
  main:
    jobs: [lint]
)"),
            "job-groups.unused.jobs (line 14, column 7): job group unused has a cycle in "
            "requires: build -> test -> build\n");
}

TEST(JobGroups, AGroupMayRequireJobsOfTheWorkflowThatUsesIt) {
  // A requirement that names no job of the group is resolved in the workflow; such a job is
  // still a root of the group.
  std::string out = processed_workflows(std::string(kJobs) + R"(
job-groups:
  ship:
    jobs:
      - deploy: {requires: [build]}
workflows:
  main:
    jobs:
      - build
      - lint
      - ship: {requires: [lint]}
)");
  EXPECT_EQ(out, R"(workflows:
  main:
    jobs:
      - build
      - lint
      - deploy:
          requires:
            - build
            - lint
)");
}

}  // namespace
}  // namespace halo::config
