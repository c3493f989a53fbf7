// Stories about storing plans: JSON round trips, and compiled YAML that compiles again to
// the same plan.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::plan_of;

const char* kRich = R"(version: 2.1
parameters:
  deploy: {type: boolean, default: true}
executors:
  node:
    docker: [{image: "cimg/node:20.1"}]
    environment: {FROM_EXECUTOR: "1"}
jobs:
  build:
    executor: node
    resource_class: large
    parallelism: 3
    shell: /bin/sh -e
    working_directory: /srv/app
    environment:
      QUOTED: "yes"
      TRICKY: "<< not a reference >>"
      EMPTY: ""
    steps:
      - checkout
      - checkout: {path: sub}
      - run: echo "hello"
      - run:
          name: multi
          command: |
            echo one
            echo two
          environment: {X: "1"}
          working_directory: w
          when: always
          no_output_timeout: 90s
          background: true
      - run: echo \<< parameters.literal >> and <<EOF
  test:
    parameters:
      n: {type: integer, default: 1}
    machine: {image: "ubuntu-2204:current"}
    parallelism: << parameters.n >>
    steps: [{run: "make test N=<< parameters.n >>"}]
  mac:
    macos: {xcode: "15.0"}
    steps: [checkout]
  noop:
    type: no-op
workflows:
  main:
    jobs:
      - build:
          context: [org-global, aws]
          filters: {branches: {ignore: [/wip-.*/, scratch]}}
      - test: {requires: [build], n: 2}
      - test: {requires: [{build: [success, failed]}], n: 4, name: test-4}
      - test:
          requires: [build]
      - hold: {type: approval, requires: [test]}
      - mac: {requires: [hold]}
      - noop
  other:
    when: << pipeline.parameters.deploy >>
    jobs:
      - test: {n: 7}
)";

TEST(PlanJson, StepsJobsAndPlansRoundTrip) {
  Plan p = plan_of(kRich, {{"git.branch", "main"}});
  ASSERT_FALSE(p.workflows.empty());
  json j = to_json(p);
  EXPECT_EQ(plan_from_json(j), p);
  EXPECT_EQ(plan_from_json(json::parse(j.dump())), p);
  const Job& build = p.workflows[0].jobs[0].job;
  EXPECT_EQ(job_from_json(to_json(build)), build);
  for (const Step& s : build.steps) EXPECT_EQ(step_from_json(to_json(s)), s);
  EXPECT_EQ(to_json(build.steps[0])["kind"], "checkout");
  EXPECT_EQ(to_json(build.steps[2])["kind"], "run");
}

TEST(PlanJson, MissingFieldsTakeDefaults) {
  Job j = job_from_json(json{{"name", "x"}, {"steps", json::array({json{{"command", "ls"}}})}});
  EXPECT_EQ(j.name, "x");
  EXPECT_EQ(j.resource_class, "medium");
  ASSERT_EQ(j.steps.size(), 1u);
  EXPECT_EQ(j.steps[0].kind, Step::Kind::Run);
  EXPECT_EQ(j.steps[0].no_output_timeout_ms, 600000);
  EXPECT_THROW(step_from_json(json{{"kind", "teleport"}}), std::invalid_argument);
}

TEST(CompiledYaml, CompilesAgainToTheSamePlan) {
  json values = {{"git.branch", "main"}};
  auto first = compile_text(kRich, values);
  ASSERT_TRUE(first.ok()) << testing::all_errors(first);
  ASSERT_FALSE(first.compiled_yaml.empty());
  auto second = compile_text(first.compiled_yaml, values);
  ASSERT_TRUE(second.ok()) << testing::all_errors(second) << first.compiled_yaml;
  Plan a = *first.plan;
  Plan b = *second.plan;
  // Invocations whose arguments made a different job are emitted under their own names.
  ASSERT_EQ(a.workflows.size(), b.workflows.size());
  for (size_t w = 0; w < a.workflows.size(); ++w) {
    ASSERT_EQ(a.workflows[w].jobs.size(), b.workflows[w].jobs.size());
    for (size_t i = 0; i < a.workflows[w].jobs.size(); ++i) {
      b.workflows[w].jobs[i].job.name = a.workflows[w].jobs[i].job.name;
    }
  }
  EXPECT_EQ(to_json(a).dump(2), to_json(b).dump(2)) << first.compiled_yaml;
  // And the compiled form is a fixed point.
  auto third = compile_text(second.compiled_yaml, values);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third.compiled_yaml, second.compiled_yaml);
}

TEST(CompiledYaml, JobsWithoutArgumentsKeepTheirNames) {
  json values = {{"git.branch", "main"}};
  auto first = compile_text(R"(version: 2
jobs:
  build: {docker: [{image: a}], steps: [checkout, {run: make}]}
  test: {docker: [{image: a}], steps: [{run: make test}]}
workflows:
  version: 2
  w:
    jobs:
      - build
      - build
      - test: {requires: [build-1]}
)",
                            values);
  ASSERT_TRUE(first.ok()) << testing::all_errors(first);
  auto second = compile_text(first.compiled_yaml, values);
  ASSERT_TRUE(second.ok()) << testing::all_errors(second) << first.compiled_yaml;
  EXPECT_EQ(*second.plan, *first.plan) << first.compiled_yaml;
}

TEST(CompiledYaml, TagPipelinesKeepTheirTagFilters) {
  json values = {{"git.tag", "v1"}};
  auto first = compile_text(R"(version: 2.1
jobs:
  release: {docker: [{image: a}], steps: [checkout]}
workflows:
  w:
    jobs:
      - release:
          filters:
            tags: {only: /v.*/}
            branches: {ignore: /.*/}
)",
                            values);
  ASSERT_TRUE(first.ok()) << testing::all_errors(first);
  auto second = compile_text(first.compiled_yaml, values);
  ASSERT_TRUE(second.ok()) << testing::all_errors(second);
  EXPECT_EQ(*second.plan, *first.plan) << first.compiled_yaml;
}

TEST(CompiledYaml, ShowsSubstitutedJobsAndRequires) {
  auto r = compile_text(kRich, {{"git.branch", "main"}});
  ASSERT_TRUE(r.ok());
  const std::string& y = r.compiled_yaml;
  EXPECT_NE(y.find("version: 2.1"), std::string::npos) << y;
  EXPECT_NE(y.find("make test N=2"), std::string::npos) << y;
  EXPECT_NE(y.find("echo \\<< parameters.literal >> and <<EOF"), std::string::npos) << y;
  EXPECT_NE(y.find("requires"), std::string::npos) << y;
  EXPECT_NE(y.find("type: approval"), std::string::npos) << y;
}

// Multi-line commands come out as literal blocks (with an indentation indicator when the first
// line is indented, keeping trailing blank lines), strings that would read back as booleans
// or integers quoted, and what a literal block cannot hold double-quoted.
TEST(CompiledYaml, MultiLineStringsAreLiteralBlocks) {
  json values = {{"git.branch", "main"}};
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: "cimg/base:2024.01"}]
    environment:
      DEBUG: "true"
      RETRIES: "3"
      OPTS: -Xmx3g
    steps:
      - run:
          name: script
          command: |
            set -e
            echo "a: b" # not a comment
      - run:
          name: indented first line
          command: "  ./indented.sh\nnext\n"
      - run:
          name: keeps blank lines
          command: "echo\n\n"
      - run:
          name: carriage return
          command: "echo a\r\necho b"
workflows:
  main:
    jobs: [build]
)",
                        values);
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(r.compiled_yaml, R"(version: 2.1
jobs:
  build:
    docker:
      - image: cimg/base:2024.01
    environment:
      DEBUG: "true"
      OPTS: -Xmx3g
      RETRIES: "3"
    steps:
      - run:
          name: script
          command: |
            set -e
            echo "a: b" # not a comment
      - run:
          name: indented first line
          command: |2
              ./indented.sh
            next
      - run:
          name: keeps blank lines
          command: |+
            echo

      - run:
          name: carriage return
          command: "echo a\r\necho b"
workflows:
  main:
    jobs:
      - build
)");
  auto again = compile_text(r.compiled_yaml, values);
  ASSERT_TRUE(again.ok()) << testing::all_errors(again);
  EXPECT_EQ(*again.plan, *r.plan);
  EXPECT_EQ(again.compiled_yaml, r.compiled_yaml);
}

}  // namespace
}  // namespace halo::config
