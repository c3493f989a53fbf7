// Stories about reusable config: commands (nested, with steps parameters), executors with
// parameters, pre- and post-steps, and the built-in steps kept in the plan.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::only_job;
using testing::plan_of;

std::vector<std::string> commands_of(const Job& j) {
  std::vector<std::string> out;
  for (const Step& s : j.steps) out.push_back(s.kind == Step::Kind::Run ? s.command : s.name);
  return out;
}

TEST(Commands, NestedCommandsWithParametersExpandInPlace) {
  Plan p = plan_of(R"(version: 2.1
commands:
  greet:
    parameters:
      who: {type: string, default: world}
      loud: {type: boolean, default: false}
    steps:
      - run: echo hello << parameters.who >>
      - when:
          condition: << parameters.loud >>
          steps: [{run: echo LOUD}]
  twice:
    parameters:
      who: {type: string}
    steps:
      - greet: {who: << parameters.who >>}
      - greet: {who: << parameters.who >>, loud: yes}
jobs:
  build:
    docker: [{image: a}]
    steps:
      - greet
      - twice: {who: halo}
workflows:
  w: {jobs: [build]}
)");
  EXPECT_EQ(commands_of(only_job(p)),
            (std::vector<std::string>{"echo hello world", "echo hello halo", "echo hello halo",
                                      "echo LOUD"}));
}

TEST(Commands, StepsParametersAreSplicedInTheCallersScope) {
  Plan p = plan_of(R"(version: 2.1
commands:
  wrap:
    parameters:
      before: {type: steps, default: []}
      inner: {type: steps}
    steps:
      - steps: << parameters.before >>
      - run: echo middle
      - steps: << parameters.inner >>
jobs:
  build:
    parameters:
      label: {type: string, default: job-param}
    docker: [{image: a}]
    steps:
      - wrap:
          inner:
            - run: echo << parameters.label >>
            - checkout
workflows:
  w: {jobs: [build]}
)");
  EXPECT_EQ(commands_of(only_job(p)),
            (std::vector<std::string>{"echo middle", "echo job-param", "Checkout code"}));
}

TEST(Commands, ScopeIsLexicalAndArgumentsAreChecked) {
  auto r = compile_text(R"(version: 2.1
commands:
  show:
    steps: [{run: echo << parameters.secret >>}]
  typed:
    parameters: {n: {type: integer}}
    steps: [{run: echo << parameters.n >>}]
  run:
    steps: [checkout]
jobs:
  build:
    parameters: {secret: {type: string, default: s}}
    docker: [{image: a}]
    steps:
      - show
      - typed: {n: many, extra: 1}
      - typed
      - nope
workflows:
  w: {jobs: [build]}
)");
  EXPECT_CONFIG_ERROR(r, "commands.show.steps[0].run", 4, 19, "parameter secret is not declared");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[1].typed.n", 16, 20,
                      "argument n: expected an integer, got \"many\" (for command typed)");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[1].typed", 16, 16,
                      "Unexpected argument(s): extra (for command typed)");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[2]", 17, 9,
                      "Missing required argument(s): n (for command typed)");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[3]", 18, 9,
                      "unknown step nope: not a built-in step or a command");
  EXPECT_CONFIG_ERROR(r, "commands.run", 8, 3, "run is a built-in step and cannot be a command");
}

TEST(Commands, RecursionIsCutOff) {
  auto r = compile_text(R"(version: 2.1
commands:
  loop: {steps: [loop]}
jobs:
  build: {docker: [{image: a}], steps: [loop]}
workflows:
  w: {jobs: [build]}
)");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(testing::all_errors(r).find("commands are nested too deeply"), std::string::npos);
}

TEST(Executors, ParametersJobKeysWinAndEnvironmentsMerge) {
  Plan p = plan_of(R"(version: 2.1
executors:
  node:
    parameters:
      tag: {type: string, default: "20.1"}
    docker: [{image: "cimg/node:<< parameters.tag >>"}]
    resource_class: small
    working_directory: /exec
    environment: {A: exec, B: exec}
jobs:
  build:
    parameters:
      e: {type: executor, default: node}
    executor: << parameters.e >>
    resource_class: large
    environment: {B: job}
    steps: [checkout]
  other:
    executor: {name: node, tag: "18.0"}
    steps: [checkout]
workflows:
  w:
    jobs:
      - build
      - other
      - build: {name: pinned, e: {name: node, tag: "16.0"}}
)");
  const auto& jobs = p.workflows.at(0).jobs;
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].job.image, "cimg/node:20.1");
  EXPECT_EQ(jobs[0].job.resource_class, "large");
  EXPECT_EQ(jobs[0].job.working_directory, "/exec");
  EXPECT_EQ(jobs[0].job.environment,
            (std::map<std::string, std::string>{{"A", "exec"}, {"B", "job"}}));
  EXPECT_EQ(jobs[1].job.image, "cimg/node:18.0");
  EXPECT_EQ(jobs[1].job.resource_class, "small");
  EXPECT_EQ(jobs[2].job.image, "cimg/node:16.0");
}

TEST(Executors, TwoExecutorsAndUnknownOnesAreErrors) {
  auto r = compile_text(R"(version: 2.1
jobs:
  a:
    docker: [{image: a}]
    machine: true
    steps: [checkout]
  b:
    executor: nowhere
    steps: [checkout]
workflows:
  w: {jobs: [a, b]}
)");
  EXPECT_CONFIG_ERROR(r, "jobs.a.machine", 5, 5, "only one executor is allowed");
  EXPECT_CONFIG_ERROR(r, "jobs.b.executor", 8, 15, "executor nowhere is not defined");
}

TEST(PrePostSteps, WrapTheJobsSteps) {
  Plan p = plan_of(R"(version: 2.1
commands:
  note: {steps: [{run: echo note}]}
jobs:
  build: {docker: [{image: a}], steps: [{run: make}]}
workflows:
  w:
    jobs:
      - build:
          pre-steps: [{run: echo pre}, note]
          post-steps: [{run: echo post}]
)");
  EXPECT_EQ(commands_of(only_job(p)),
            (std::vector<std::string>{"echo pre", "echo note", "make", "echo post"}));
}

TEST(BuiltinSteps, EveryKindIsValidatedAndKept) {
  Plan p = plan_of(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - restore_cache: {key: "a-{{ .Branch }}", keys: [b-, c-]}
      - save_cache: {key: "deps-{{ checksum \"lock\" }}", paths: [node_modules, ~/.npm], when: always}
      - store_artifacts: {path: out, destination: build}
      - store_test_results: {path: reports}
      - persist_to_workspace: {root: ., paths: [dist]}
      - attach_workspace: {at: /tmp/ws}
      - add_ssh_keys: {fingerprints: ["SO:ME:FI:NG"]}
      - setup_remote_docker: {version: "20.10.24", docker_layer_caching: true}
      - setup_remote_docker
workflows:
  w: {jobs: [build]}
)");
  const auto& s = only_job(p).steps;
  ASSERT_EQ(s.size(), 9u);
  EXPECT_EQ(s[0].kind, Step::Kind::RestoreCache);
  EXPECT_EQ(s[0].params, (json{{"keys", {"a-{{ .Branch }}", "b-", "c-"}}}));
  EXPECT_EQ(s[1].kind, Step::Kind::SaveCache);
  EXPECT_EQ(s[1].when, "always");
  EXPECT_EQ(s[1].params["paths"], (json{"node_modules", "~/.npm"}));
  EXPECT_EQ(s[2].params, (json{{"path", "out"}, {"destination", "build"}}));
  EXPECT_EQ(s[3].kind, Step::Kind::StoreTestResults);
  EXPECT_EQ(s[4].params, (json{{"root", "."}, {"paths", {"dist"}}}));
  EXPECT_EQ(s[5].params, (json{{"at", "/tmp/ws"}}));
  EXPECT_EQ(s[6].kind, Step::Kind::AddSshKeys);
  EXPECT_EQ(s[7].params, (json{{"version", "20.10.24"}, {"docker_layer_caching", true}}));
  EXPECT_EQ(s[8].name, "Setup a remote Docker engine");
  for (const Step& step : s) EXPECT_EQ(step_from_json(to_json(step)), step);
}

// Missing keys are errors; unknown keys are ignored with a warning, as CircleCI ignores them.
TEST(BuiltinSteps, MissingKeysAreErrorsAndUnknownKeysWarnings) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - save_cache: {paths: [x]}
      - restore_cache: {name: r}
      - persist_to_workspace: {root: ., paths: [a], colour: red}
      - attach_workspace
workflows:
  w: {jobs: [build]}
)");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[0].save_cache", 6, 21, "save_cache needs key");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[1].restore_cache", 7, 24,
                      "restore_cache needs key or keys");
  EXPECT_EQ(testing::find_error(r, "jobs.build.steps[2].persist_to_workspace.colour", ""), nullptr);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].path, "jobs.build.steps[2].persist_to_workspace.colour");
  EXPECT_EQ(r.warnings[0].line, 8);
  EXPECT_EQ(r.warnings[0].column, 53);
  EXPECT_EQ(r.warnings[0].message, "unknown key colour in persist_to_workspace is ignored");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[3]", 9, 9, "attach_workspace needs at");
}

// The old remote Docker's keys: CircleCI still runs configs with them, ignoring them.
TEST(BuiltinSteps, DeprecatedSetupRemoteDockerKeysAreIgnoredWithAWarning) {
  const char* yaml = R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - setup_remote_docker: {reusable: true, exclusive: false, docker_layer_caching: true}
workflows:
  w: {jobs: [build]}
)";
  auto r = compile_text(yaml);
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(only_job(*r.plan).steps[0].params, (json{{"docker_layer_caching", true}}));
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0].path, "jobs.build.steps[0].setup_remote_docker.reusable");
  EXPECT_EQ(r.warnings[0].line, 6);
  EXPECT_NE(r.warnings[0].message.find("reusable in setup_remote_docker is deprecated"),
            std::string::npos);
  EXPECT_NE(r.warnings[1].message.find("exclusive"), std::string::npos);
  // The processed config leaves them out, and processing it again says nothing more.
  EXPECT_EQ(r.compiled_yaml.find("reusable"), std::string::npos);
  auto again = compile_text(r.compiled_yaml);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.warnings.empty());
  EXPECT_EQ(again.compiled_yaml, r.compiled_yaml);
  // Elsewhere they are unknown keys, ignored with a warning of that kind.
  auto other = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - attach_workspace: {at: x, reusable: true}
workflows:
  w: {jobs: [build]}
)");
  ASSERT_EQ(other.warnings.size(), 1u);
  EXPECT_EQ(other.warnings[0].message, "unknown key reusable in attach_workspace is ignored");
}

TEST(BuiltinSteps, InstallSigningBundleUsesTheExecutorsCodeSigning) {
  const char* config = R"(version: 2.1
executors:
  mac:
    macos: {xcode: "15.4.0", code_signing: [ios-dist, mac-dev, ios-dist]}
jobs:
  sign:
    executor: mac
    steps:
      - install_signing_bundle
      - install_signing_bundle: {}
      - install_signing_bundle:
      - run: xcodebuild
  vm:
    machine: {code_signing: [win-cert]}
    steps: [install_signing_bundle]
workflows:
  w: {jobs: [sign, vm]}
)";
  auto r = compile_text(config, {{"git.branch", "main"}});
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  const Job& sign = r.plan->workflows.at(0).jobs.at(0).job;
  EXPECT_EQ(sign.code_signing, (std::vector<std::string>{"ios-dist", "mac-dev"}));
  ASSERT_EQ(sign.steps.size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(sign.steps[i].kind, Step::Kind::InstallSigningBundle);
    EXPECT_EQ(sign.steps[i].name, "Install signing bundle");
    EXPECT_EQ(sign.steps[i].params, json::object());
  }
  // The runner names the step by its kind when it refuses it.
  EXPECT_EQ(step_kind_name(Step::Kind::InstallSigningBundle), "install_signing_bundle");
  EXPECT_EQ(step_from_json(to_json(sign.steps[0])), sign.steps[0]);
  EXPECT_EQ(job_from_json(to_json(sign)), sign);
  EXPECT_EQ(r.plan->workflows[0].jobs.at(1).job.code_signing,
            (std::vector<std::string>{"win-cert"}));
  EXPECT_EQ(r.compiled_yaml, R"(version: 2.1
jobs:
  sign:
    macos:
      xcode: 15.4.0
      code_signing:
        - ios-dist
        - mac-dev
    steps:
      - install_signing_bundle
      - install_signing_bundle
      - install_signing_bundle
      - run: xcodebuild
  vm:
    machine:
      code_signing:
        - win-cert
    steps:
      - install_signing_bundle
workflows:
  w:
    jobs:
      - sign
      - vm
)");
  auto again = compile_text(r.compiled_yaml, {{"git.branch", "main"}});
  ASSERT_TRUE(again.ok()) << testing::all_errors(again);
  EXPECT_EQ(again.compiled_yaml, r.compiled_yaml);
  EXPECT_EQ(*again.plan, *r.plan);
}

TEST(BuiltinSteps, InstallSigningBundleTakesNoArgumentsAndCodeSigningIsAList) {
  auto r = compile_text(R"(version: 2.1
jobs:
  sign:
    macos: {xcode: "15.4.0", code_signing: ios-dist}
    steps:
      - install_signing_bundle: {name: Sign, bundle: ios-dist}
      - install_signing_bundle: ios-dist
  vm:
    machine: {image: "ubuntu-2204:current", code_signing: [ok, ""]}
    steps: [install_signing_bundle]
  linux:
    docker: [{image: a, code_signing: [x]}]
    steps: [install_signing_bundle]
workflows:
  w: {jobs: [sign, vm, linux]}
)");
  EXPECT_EQ(testing::all_errors(r),
            "jobs.sign.macos.code_signing (line 4, column 44): code_signing must be a list, not a "
            "string\n"
            "jobs.sign.steps[0].install_signing_bundle.name (line 6, column 34): "
            "install_signing_bundle takes no arguments; the executor's code_signing names the "
            "bundles\n"
            "jobs.sign.steps[0].install_signing_bundle.bundle (line 6, column 46): "
            "install_signing_bundle takes no arguments; the executor's code_signing names the "
            "bundles\n"
            "jobs.sign.steps[1].install_signing_bundle (line 7, column 33): install_signing_bundle "
            "must be a map, not a string\n"
            "jobs.vm.machine.code_signing[1] (line 9, column 64): signing bundle names cannot be "
            "empty\n"
            "jobs.linux.docker[0].code_signing (line 12, column 25): unknown key code_signing in a "
            "docker image\n");
}

TEST(Triggers, LegacySchedulesAreKept) {
  Plan p = plan_of(R"(version: 2.1
jobs:
  build: {docker: [{image: a}], steps: [checkout]}
workflows:
  nightly:
    triggers:
      - schedule:
          cron: "0 3 * * *"
          filters: {branches: {only: [main, /release-.*/]}}
    jobs: [build]
)");
  ASSERT_EQ(p.workflows.at(0).triggers.size(), 1u);
  EXPECT_EQ(p.workflows[0].triggers[0].cron, "0 3 * * *");
  EXPECT_EQ(*p.workflows[0].triggers[0].branches_only,
            (std::vector<std::string>{"main", "/release-.*/"}));
  EXPECT_EQ(plan_from_json(to_json(p)), p);
}

}  // namespace
}  // namespace halo::config
