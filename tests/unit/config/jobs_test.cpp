// Stories about job definitions: executors, job keys, steps.
#include <gtest/gtest.h>

#include "config/steps.h"
#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::only_job;
using testing::plan_of;

TEST(ConfigVersion, AcceptsTwoTwoPointZeroAndTwoPointOne) {
  for (const char* v : {"2", "2.0", "2.1", "'2.1'"}) {
    std::string yaml = std::string("version: ") + v +
                       "\njobs:\n  build:\n    docker: [{image: alpine}]\n    steps: [checkout]\n";
    Plan p = plan_of(yaml);
    EXPECT_EQ(p.version, std::string(v) == "'2.1'" ? "2.1" : v);
  }
}

TEST(ConfigVersion, RejectsOtherVersionsAndAMissingOne) {
  auto r = compile_text("version: 3\njobs: {}\n");
  EXPECT_CONFIG_ERROR(r, "version", 1, 10, "unsupported version \"3\"");
  auto missing = compile_text("jobs: {}\n");
  EXPECT_CONFIG_ERROR(missing, "", 1, 1, "version is required");
}

TEST(ConfigVersion, AWholeDocumentThatIsNotAMapIsAnError) {
  auto r = compile_text("- just\n- a list\n");
  EXPECT_CONFIG_ERROR(r, "", 1, 1, "the config must be a map, not a list");
  EXPECT_FALSE(compile_text("").ok());
}

TEST(Jobs, ADockerJobRecordsItsFirstImageAndDefaults) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  build:
    docker:
      - image: cimg/node:20.1
        environment: {NODE_ENV: test}
      - image: postgres:15
    steps:
      - checkout
      - run: npm test
)");
  const Job& j = only_job(p);
  EXPECT_EQ(j.name, "build");
  EXPECT_EQ(j.type, "build");
  EXPECT_EQ(j.executor_type, "docker");
  EXPECT_EQ(j.image, "cimg/node:20.1");
  EXPECT_EQ(j.resource_class, "medium");
  EXPECT_EQ(j.working_directory, "~/project");
  EXPECT_EQ(j.shell, "");
  EXPECT_EQ(j.parallelism, 1);
  EXPECT_EQ(j.environment.at("NODE_ENV"), "test");
  ASSERT_EQ(j.steps.size(), 2u);
  EXPECT_EQ(j.steps[0].kind, Step::Kind::Checkout);
  EXPECT_EQ(j.steps[0].path, ".");
  EXPECT_EQ(j.steps[1].kind, Step::Kind::Run);
  EXPECT_EQ(j.steps[1].command, "npm test");
  EXPECT_EQ(j.steps[1].name, "npm test");
}

TEST(Jobs, MachineAndMacosExecutors) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  a:
    machine: true
    steps: [checkout]
  b:
    machine: {image: ubuntu-2204:current}
    resource_class: large
    steps: [checkout]
  c:
    macos: {xcode: "15.0.0"}
    steps: [checkout]
workflows:
  w:
    jobs: [a, b, c]
)");
  const auto& jobs = p.workflows.at(0).jobs;
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].job.executor_type, "machine");
  EXPECT_EQ(jobs[0].job.image, "");
  EXPECT_EQ(jobs[1].job.image, "ubuntu-2204:current");
  EXPECT_EQ(jobs[1].job.resource_class, "large");
  EXPECT_EQ(jobs[2].job.executor_type, "macos");
  EXPECT_EQ(jobs[2].job.image, "15.0.0");
}

TEST(Jobs, ANamedExecutorIsMergedWithTheJobWhoseKeysWin) {
  Plan p = plan_of(R"(
version: 2.1
executors:
  node:
    docker: [{image: cimg/node:20.1}]
    resource_class: large
    shell: /bin/sh
    working_directory: /srv
    environment: {A: from-executor, B: from-executor}
jobs:
  build:
    executor: node
    working_directory: /app
    environment: {B: from-job, C: from-job}
    steps: [checkout]
  test:
    executor: {name: node}
    steps: [checkout]
workflows:
  w:
    jobs: [build, test]
)");
  const Job& b = p.workflows.at(0).jobs.at(0).job;
  EXPECT_EQ(b.executor_type, "docker");
  EXPECT_EQ(b.image, "cimg/node:20.1");
  EXPECT_EQ(b.resource_class, "large");
  EXPECT_EQ(b.shell, "/bin/sh");
  EXPECT_EQ(b.working_directory, "/app");
  EXPECT_EQ(b.environment, (std::map<std::string, std::string>{
                               {"A", "from-executor"}, {"B", "from-job"}, {"C", "from-job"}}));
  EXPECT_EQ(p.workflows.at(0).jobs.at(1).job.working_directory, "/srv");
}

TEST(Jobs, ExecutorsTakeTheirOwnParameters) {
  Plan p = plan_of(R"(
version: 2.1
executors:
  py:
    parameters:
      version: {type: string, default: "3.11"}
    docker: [{image: "cimg/python:<< parameters.version >>"}]
jobs:
  build:
    executor: {name: py, version: "3.12"}
    steps: [checkout]
)");
  EXPECT_EQ(only_job(p).image, "cimg/python:3.12");
}

TEST(Jobs, ABuildJobNeedsExactlyOneExecutor) {
  auto none = compile_text("version: 2.1\njobs:\n  build:\n    steps: [checkout]\n");
  EXPECT_CONFIG_ERROR(none, "jobs.build", 4, 5, "a job needs an executor");
  auto two = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    machine: true
    steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(two, "jobs.build.machine", 5, 5, "only one executor is allowed");
  auto unknown = compile_text(R"(version: 2.1
jobs:
  build:
    executor: nope
    steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(unknown, "jobs.build.executor", 4, 15, "executor nope is not defined");
}

TEST(Jobs, EnvironmentValuesAreKeptAsWritten) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  build:
    docker: [{image: a}]
    environment:
      FLAG: yes
      ZEROS: 007
      QUOTED: "true"
      EMPTY:
      TEXT: hello world
    steps: [checkout]
)");
  const auto& env = only_job(p).environment;
  EXPECT_EQ(env.at("FLAG"), "yes");
  EXPECT_EQ(env.at("ZEROS"), "007");
  EXPECT_EQ(env.at("QUOTED"), "true");
  EXPECT_EQ(env.at("EMPTY"), "<nil>");  // what CircleCI shows for an empty value
  EXPECT_EQ(env.at("TEXT"), "hello world");
}

TEST(Jobs, EnvironmentMayBeAListOfKeyValueStrings) {
  Plan p = plan_of(R"(
version: 2
jobs:
  build:
    docker: [{image: a}]
    environment:
      - A=1
      - B=x=y
    steps: [checkout]
)");
  EXPECT_EQ(only_job(p).environment.at("A"), "1");
  EXPECT_EQ(only_job(p).environment.at("B"), "x=y");
}

TEST(Jobs, EnvironmentMayBeOneKeyValueString) {
  const char* yaml = R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    environment: "FOO=bar=baz"
    steps: [{run: {command: echo, environment: "STEP=1"}}]
workflows:
  w: {jobs: [build]}
)";
  auto r = compile_text(yaml);
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  const Job& j = only_job(*r.plan);
  EXPECT_EQ(j.environment.at("FOO"), "bar=baz");
  EXPECT_EQ(j.steps[0].environment.at("STEP"), "1");
  testing::expect_fixed_point(r);
  EXPECT_FALSE(compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    environment: "no equals sign"
    steps: [checkout]
workflows:
  w: {jobs: [build]}
)")
                   .ok());
}

TEST(Jobs, ShellParallelismAndTypes) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  build:
    docker: [{image: a}]
    shell: /bin/bash -leo pipefail
    parallelism: 4
    steps: [checkout]
  nothing:
    type: no-op
workflows:
  w:
    jobs: [build, nothing]
)");
  const auto& jobs = p.workflows.at(0).jobs;
  EXPECT_EQ(jobs[0].job.shell, "/bin/bash -leo pipefail");
  EXPECT_EQ(jobs[0].job.parallelism, 4);
  EXPECT_EQ(jobs[1].job.type, "no-op");
  EXPECT_EQ(jobs[1].job.executor_type, "");
}

TEST(Jobs, BadJobKeysAreReportedWhereTheyAre) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    paralelism: 2
    parallelism: 0
    type: deploy
    steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(r, "jobs.build.paralelism", 5, 5, "unknown key paralelism");
  EXPECT_CONFIG_ERROR(r, "jobs.build.parallelism", 6, 18, "parallelism must be an integer from 1");
  EXPECT_CONFIG_ERROR(r, "jobs.build.type", 7, 11, "job type must be build, approval or no-op");
  EXPECT_FALSE(r.plan.has_value());
  EXPECT_TRUE(r.compiled_yaml.empty());
}

// CircleCI's schema allows white space in job names (^[A-Za-z][A-Za-z\s\d_-]*$), and real
// configs use it ("Check Rust formatting").
TEST(Jobs, JobNamesMayHoldSpacesAsTheSchemaAllows) {
  const char* yaml = R"(version: 2.1
jobs:
  Check Rust formatting:
    docker: [{image: a}]
    steps: [{run: cargo fmt --check}]
  Unit Tests:
    docker: [{image: a}]
    steps: [{run: cargo test}]
workflows:
  w:
    jobs:
      - Check Rust formatting
      - Unit Tests: {requires: [Check Rust formatting]}
)";
  auto r = compile_text(yaml);
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  ASSERT_EQ(r.plan->workflows[0].jobs.size(), 2u);
  EXPECT_EQ(r.plan->workflows[0].jobs[0].name, "Check Rust formatting");
  EXPECT_EQ(r.plan->workflows[0].jobs[1].requirements[0].job, "Check Rust formatting");
  // process is a fixed point for them too.
  testing::expect_fixed_point(r);

  for (const char* bad : {"1st job", "a.b", "a/b/c", " leading"}) {
    std::string text = std::string("version: 2.1\njobs:\n  \"") + bad +
                       "\":\n    docker: [{image: a}]\n    steps: [checkout]\n";
    auto b = compile_text(text);
    EXPECT_FALSE(b.ok()) << bad;
    EXPECT_NE(testing::all_errors(b).find("invalid job name"), std::string::npos) << bad;
  }
}

TEST(Jobs, AJobWithoutStepsOrWithAScalarBodyIsAnError) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
  other: 42
)");
  EXPECT_CONFIG_ERROR(r, "jobs.build", 4, 5, "job build needs steps");
  EXPECT_CONFIG_ERROR(r, "jobs.other", 5, 10, "job other must be a map, not a integer");
}

TEST(Jobs, ElementNamesFollowTheRulesIn21ButNotIn20) {
  auto r = compile_text(R"(version: 2.1
jobs:
  ruby-2.7:
    docker: [{image: a}]
    steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(r, "jobs.ruby-2.7", 3, 3, "invalid job name ruby-2.7");
  auto old = compile_text(R"(version: 2
jobs:
  ruby-2.7:
    docker: [{image: a}]
    steps: [checkout]
workflows:
  version: 2
  w:
    jobs: [ruby-2.7]
)");
  EXPECT_TRUE(old.ok()) << testing::all_errors(old);
}

TEST(Steps, RunInItsLongForm) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - checkout:
          path: src
      - run:
          name: Tests
          command: |
            make
            make test
          environment: {CI: "1"}
          shell: /bin/sh
          working_directory: sub
          when: always
          no_output_timeout: 1h30m
          background: yes
      - run:
          command: echo bye
          when: on_fail
          no_output_timeout: 30s
)");
  const auto& steps = only_job(p).steps;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].kind, Step::Kind::Checkout);
  EXPECT_EQ(steps[0].path, "src");
  EXPECT_EQ(steps[1].name, "Tests");
  EXPECT_EQ(steps[1].command, "make\nmake test\n");
  EXPECT_EQ(steps[1].environment.at("CI"), "1");
  EXPECT_EQ(steps[1].shell, "/bin/sh");
  EXPECT_EQ(steps[1].working_directory, "sub");
  EXPECT_EQ(steps[1].when, "always");
  EXPECT_EQ(steps[1].no_output_timeout_ms, 90 * 60 * 1000);
  EXPECT_TRUE(steps[1].background);
  EXPECT_EQ(steps[2].name, "echo bye");
  EXPECT_EQ(steps[2].when, "on_fail");
  EXPECT_EQ(steps[2].no_output_timeout_ms, 30 * 1000);
  EXPECT_FALSE(steps[2].background);
}

TEST(Steps, DurationsParseAndFormat) {
  EXPECT_EQ(parse_duration_ms("10m"), 600000);
  EXPECT_EQ(parse_duration_ms("1h"), 3600000);
  EXPECT_EQ(parse_duration_ms("1.5h"), 5400000);
  EXPECT_EQ(parse_duration_ms("250ms"), 250);
  EXPECT_FALSE(parse_duration_ms("10"));
  EXPECT_FALSE(parse_duration_ms("m"));
  EXPECT_FALSE(parse_duration_ms("99999999999999999999h"));
  EXPECT_EQ(format_duration(600000), "600s");
  EXPECT_EQ(format_duration(1500), "1500ms");
}

TEST(Steps, BadStepsAreEachReported) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - checkout
      - save_cache: {key: k, paths: [x]}
      - store_artifacts
      - run: {name: no command}
      - run: {command: x, when: sometimes, no_output_timeout: soon, colour: red}
      - frobnicate
      - [not, a, step]
      - {run: a, checkout: b}
)");
  EXPECT_EQ(testing::find_error(r, "jobs.build.steps[1].save_cache", ""), nullptr);
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[2]", 8, 9, "store_artifacts needs path");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[5]", 11, 9,
                      "unknown step frobnicate: not a built-in step or a command");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[3].run", 9, 14, "run needs a command");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[4].run.when", 10, 33,
                      "when must be on_success, on_fail or always");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[4].run.no_output_timeout", 10, 63,
                      "no_output_timeout must be a duration");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[4].run.colour", 10, 69, "unknown key colour in run");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[5]", 11, 9, "unknown step frobnicate");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[6]", 12, 9, "a step must be a map or checkout");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[7]", 13, 9, "a step must have exactly one key");
}

TEST(Steps, WhenAndUnlessStepsAreDecidedAtCompileTime) {
  std::string yaml = R"(
version: 2.1
parameters:
  deploy: {type: boolean, default: false}
jobs:
  build:
    docker: [{image: a}]
    steps:
      - when:
          condition: << pipeline.parameters.deploy >>
          steps: [{run: deploy}]
      - unless:
          condition: << pipeline.parameters.deploy >>
          steps: [{run: dry-run}]
      - when:
          condition:
            and:
              - equal: [main, << pipeline.git.branch >>]
              - not: {matches: {pattern: "^feature/.*$", value: << pipeline.git.branch >>}}
              - or: [false, 1]
          steps: [{run: on-main}]
)";
  auto commands = [](const Plan& p) {
    std::vector<std::string> out;
    for (const auto& s : only_job(p).steps) out.push_back(s.command);
    return out;
  };
  EXPECT_EQ(commands(plan_of(yaml, {{"git.branch", "main"}})),
            (std::vector<std::string>{"dry-run", "on-main"}));
  EXPECT_EQ(commands(plan_of(yaml, {{"git.branch", "dev"}}, {{"deploy", true}})),
            (std::vector<std::string>{"deploy"}));
}

TEST(Steps, InvalidConditionsAreErrors) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - when:
          condition: {and: []}
          steps: [checkout]
      - when:
          condition: {xor: [a, b]}
          steps: [checkout]
      - when:
          condition: {matches: {pattern: "(", value: x}}
          steps: [checkout]
      - when:
          steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[0].when.condition.and", 7, 28,
                      "and needs at least one argument");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[1].when.condition.xor", 10, 23,
                      "unknown logic statement xor");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[2].when.condition.matches.pattern", 13, 42,
                      "invalid pattern");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[3].when", 16, 11, "when needs a condition");
}

}  // namespace
}  // namespace halo::config
