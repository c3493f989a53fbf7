// Configs CircleCI runs that go beyond the letter of its schema (issue #10): each leniency is
// accepted (ignored keys with a warning), compiles to what CircleCI makes of it, and `process`
// stays a fixed point. SchemaFloor tests: forms the official schema allows, which halo takes.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::only_job;
using testing::plan_of;

// The warning whose message contains `text`, or nullptr.
const ConfigError* find_warning(const CompileResult& r, const std::string& text) {
  for (const auto& w : r.warnings) {
    if (w.message.find(text) != std::string::npos) return &w;
  }
  return nullptr;
}

TEST(Leniency, TheOldNamesOfBuiltInStepsAreTakenWithAWarning) {
  // circleci/frontend's `- add-ssh-keys`, and the 2.0 preview's `type:` steps
  // (eliotjordan/ruby_tika_app).
  auto r = compile_text(R"(version: 2
jobs:
  build:
    docker: [{image: a}]
    steps:
      - add-ssh-keys
      - add-ssh-keys: {fingerprints: ["aa:bb"]}
      - type: cache-restore
        name: Restore
        key: k-{{ checksum "Gemfile" }}
      - type: cache-save
        key: k
        paths: [vendor]
      - type: artifacts-store
        path: out
      - type: test-results-store
        path: results
      - type: deploy
        command: make deploy
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  const auto& steps = only_job(*r.plan).steps;
  ASSERT_EQ(steps.size(), 7u);
  EXPECT_EQ(steps[0].kind, Step::Kind::AddSshKeys);
  EXPECT_EQ(steps[1].params["fingerprints"], json::array({"aa:bb"}));
  EXPECT_EQ(steps[2].kind, Step::Kind::RestoreCache);
  EXPECT_EQ(steps[2].name, "Restore");
  EXPECT_EQ(steps[3].kind, Step::Kind::SaveCache);
  EXPECT_EQ(steps[4].kind, Step::Kind::StoreArtifacts);
  EXPECT_EQ(steps[5].kind, Step::Kind::StoreTestResults);
  EXPECT_EQ(steps[6].kind, Step::Kind::Run);
  EXPECT_EQ(steps[6].command, "make deploy");
  EXPECT_NE(find_warning(r, "add-ssh-keys is the old name of add_ssh_keys"), nullptr);
  EXPECT_NE(find_warning(r, "cache-save is the old name of save_cache"), nullptr);
  testing::expect_fixed_point(r);
}

TEST(Leniency, ACommandMayTakeAnOldStepName) {
  Plan p = plan_of(R"(version: 2.1
commands:
  cache-save:
    steps: [{run: mine}]
jobs:
  build:
    docker: [{image: a}]
    steps: [cache-save]
)");
  EXPECT_EQ(only_job(p).steps.at(0).command, "mine");
}

TEST(Leniency, UnknownKeysOfBuiltInStepsAreIgnoredWithAWarning) {
  // influxdata/chronograf's `fingerpints`, apollographql/rover's checkout `directory`.
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - checkout: {directory: rover}
      - add_ssh_keys: {fingerpints: ["aa:bb"]}
      - store_artifacts: {path: dist, prefix: build}
      - setup_remote_docker: {resource_class: large}
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_NE(find_warning(r, "unknown key directory in checkout is ignored"), nullptr);
  EXPECT_NE(find_warning(r, "unknown key fingerpints in add_ssh_keys is ignored"), nullptr);
  EXPECT_NE(find_warning(r, "unknown key prefix in store_artifacts is ignored"), nullptr);
  EXPECT_EQ(only_job(*r.plan).steps[1].params, json::object());
  testing::expect_fixed_point(r);
}

TEST(Leniency, PersistToWorkspaceTakesPathForPaths) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - persist_to_workspace: {root: ., path: bin}
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(only_job(*r.plan).steps[0].params["paths"], json::array({"bin"}));
  testing::expect_fixed_point(r);
}

TEST(Leniency, EnumOnAParameterOfAnotherTypeIsIgnoredWithAWarning) {
  // cypress-io/cypress@6.1.0: `package-manager: {type: string, enum: [npm, yarn, ...]}`.
  auto r = compile_text(R"(version: 2.1
parameters:
  size: {type: string, default: huge, enum: [small, large]}
jobs:
  build:
    parameters:
      tool: {type: string, default: make, enum: [npm, yarn]}
    docker: [{image: a}]
    steps:
      - run: << parameters.tool >> << pipeline.parameters.size >>
workflows:
  main: {jobs: [build]}
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(only_job(*r.plan).steps[0].command, "make huge");
  EXPECT_NE(find_warning(r, "enum: is ignored on parameter tool of type string"), nullptr);
  EXPECT_NE(find_warning(r, "enum: is ignored on parameter size of type string"), nullptr);
  testing::expect_fixed_point(r);
}

TEST(Leniency, AWorkflowThatDoesNotRunIsNotExpanded) {
  // ethereum/remix-project: a workflow run only when asked leaves out a required argument.
  const char* yaml = R"(version: 2.1
parameters:
  metamask: {type: boolean, default: false}
jobs:
  browser:
    parameters:
      script: {type: string}
    docker: [{image: a}]
    steps:
      - run: ./<< parameters.script >>
workflows:
  main:
    jobs:
      - browser: {script: all.sh}
  metamask:
    when: << pipeline.parameters.metamask >>
    jobs:
      - browser
)";
  auto r = compile_text(yaml);
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  ASSERT_EQ(r.plan->workflows.size(), 1u);
  testing::expect_fixed_point(r);
  // When it runs, what its jobs get wrong is an error again.
  auto runs = compile_text(yaml, json::object(), {{"metamask", true}});
  EXPECT_FALSE(runs.ok());
}

TEST(SchemaFloor, CheckoutTakesEveryMethodAndADepth) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - checkout: {method: shallow, depth: 1}
      - checkout: {method: blobless}
      - checkout: {method: full, path: src}
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  const auto& steps = only_job(*r.plan).steps;
  EXPECT_EQ(steps[0].method, "shallow");
  EXPECT_EQ(steps[0].params["depth"], 1);
  testing::expect_fixed_point(r);
  auto bad = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - checkout: {method: shallow, depth: 0}
)");
  EXPECT_CONFIG_ERROR(bad, "jobs.build.steps[0].checkout.depth", 6, 44,
                      "checkout depth must be a positive integer");
}

TEST(Leniency, ABareNumberNoOutputTimeoutIsSeconds) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - run: {command: make, no_output_timeout: 1800}
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(only_job(*r.plan).steps[0].no_output_timeout_ms, 30 * 60 * 1000);
  testing::expect_fixed_point(r);
}

// solidus: a matrix value with '/' makes workflow job names with '/', which job keys may
// not hold; the processed config keys those definitions without it, and compiles again.
TEST(Leniency, MatrixValuesWithSlashesStillProcessToAFixedPoint) {
  auto r = compile_text(R"(version: 2.1
jobs:
  test:
    parameters:
      storage: {type: string}
      image: {type: string}
    docker: [{image: << parameters.image >>}]
    steps: [{run: echo << parameters.storage >>}]
workflows:
  main:
    jobs:
      - test:
          matrix:
            parameters:
              storage: [paperclip/s3, activestorage/disk]
              image: [cimg/ruby:3.1, cimg/ruby:3.2]
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  ASSERT_EQ(r.plan->workflows[0].jobs.size(), 4u);
  EXPECT_NE(r.plan->workflows[0].jobs[0].name.find('/'), std::string::npos);
  testing::expect_fixed_point(r);
}

}  // namespace
}  // namespace halo::config
