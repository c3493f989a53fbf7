// Stories about orbs: inline orbs, registry orbs from a local orb directory (the version asked
// for, in every layout), unresolved orbs, interface mismatches, and `orb pack`.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "config/orb_pack.h"
#include "config_test_util.h"

namespace halo::config {
namespace {

namespace fs = std::filesystem;
using testing::compile_text;

struct TempOrbDir {
  fs::path path = fs::temp_directory_path() /
                  ("halo-orbs-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  TempOrbDir() { fs::create_directories(path); }
  ~TempOrbDir() { fs::remove_all(path); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel) << text;
  }
  static inline int counter = 0;
};

CompileResult compile_with(const std::string& yaml, const std::string& orb_dir) {
  CompileInput in;
  in.source = yaml;
  in.orb_dir = orb_dir;
  return compile(in);
}

const char* kGreeter = R"(version: 2.1
executors:
  default:
    parameters: {tag: {type: string, default: "1.0"}}
    docker: [{image: "greeter:<< parameters.tag >>"}]
commands:
  hello:
    parameters: {who: {type: string, default: orb}}
    steps: [{run: echo hello << parameters.who >>}]
jobs:
  greet:
    parameters:
      who: {type: string, default: job}
      e: {type: executor, default: default}
    executor: << parameters.e >>
    steps: [{hello: {who: << parameters.who >>}}]
)";

TEST(Orbs, InlineOrbsProvideCommandsJobsAndExecutors) {
  std::string yaml = R"(version: 2.1
orbs:
  greeter:
)";
  // Indent the orb body under its alias.
  std::string body = kGreeter, indented;
  size_t start = 0;
  while (start < body.size()) {
    size_t nl = body.find('\n', start);
    indented += "    " + body.substr(start, nl - start + 1);
    start = nl + 1;
  }
  yaml += indented + R"(jobs:
  mine:
    executor: {name: greeter/default, tag: "2.0"}
    steps: [greeter/hello]
workflows:
  w:
    jobs: [greeter/greet, mine]
)";
  Plan p = testing::plan_of(yaml);
  const auto& jobs = p.workflows.at(0).jobs;
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].name, "greeter/greet");
  EXPECT_EQ(jobs[0].job.image, "greeter:1.0");
  EXPECT_EQ(jobs[0].job.steps.at(0).command, "echo hello job");
  EXPECT_EQ(jobs[1].job.image, "greeter:2.0");
  EXPECT_EQ(jobs[1].job.steps.at(0).command, "echo hello orb");
}

// kGreeter with `hello` saying `word` instead.
std::string greeter_saying(const std::string& word) {
  std::string orb = kGreeter;
  orb.replace(orb.find("hello << parameters.who >>"), 5, word);
  return orb;
}

std::string config_using(const std::string& version) {
  return "version: 2.1\norbs:\n  g: acme/greeter@" + version +
         "\nworkflows:\n  w:\n    jobs: [g/greet]\n";
}

// What the greet job of config_using(version) runs, or the errors.
std::string greeting(const TempOrbDir& dir, const std::string& version) {
  auto r = compile_with(config_using(version), dir.path.string());
  if (!r.ok()) return testing::all_errors(r);
  return r.plan->workflows[0].jobs[0].job.steps[0].command;
}

TEST(Orbs, ARegistryOrbIsTheVersionAskedFor) {
  TempOrbDir dir;
  dir.write("acme/greeter@1.2.0.yml", greeter_saying("one-two-zero"));
  dir.write("acme/greeter@1.10.1.yml", greeter_saying("one-ten-one"));
  dir.write("acme/greeter@2.0.0.yml", greeter_saying("two"));
  EXPECT_EQ(greeting(dir, "1.2.0"), "echo one-two-zero job");
  EXPECT_EQ(greeting(dir, "2.0.0"), "echo two job");
  // `@1` and `@1.2` are the highest matching version (by number, not by text), `@volatile`
  // the highest of all.
  EXPECT_EQ(greeting(dir, "1"), "echo one-ten-one job");
  EXPECT_EQ(greeting(dir, "1.2"), "echo one-two-zero job");
  EXPECT_EQ(greeting(dir, "volatile"), "echo two job");
  // The processed config has the orb inlined and compiles on its own, to itself.
  auto pinned = compile_with(config_using("2.0.0"), dir.path.string());
  ASSERT_TRUE(pinned.ok()) << testing::all_errors(pinned);
  testing::expect_fixed_point(pinned);
}

TEST(Orbs, AMissingVersionIsOneErrorNamingTheOrbAndTheVersion) {
  TempOrbDir dir;
  dir.write("acme/greeter@1.2.0.yml", kGreeter);
  dir.write("acme/greeter@2.0.0.yml", kGreeter);
  dir.write("acme/greeter.yml", kGreeter);  // an unversioned copy does not stand in
  for (const char* version : {"1.2.1", "3", "1.3"}) {
    auto r = compile_with(config_using(version), dir.path.string());
    ASSERT_EQ(r.errors.size(), 1u) << testing::all_errors(r);
    EXPECT_CONFIG_ERROR(r, "orbs.g", 3, 6,
                        fmt::format("orb acme/greeter@{} cannot be resolved: {} holds "
                                    "acme/greeter at 1.2.0, 2.0.0, not at {}",
                                    version, dir.path.string(), version));
  }
}

TEST(Orbs, ErrorsAboutAResolvedVersionSayWhichVersionWasUsed) {
  TempOrbDir dir;
  dir.write("acme/greeter@1.4.0.yml", kGreeter);
  auto r = compile_with(R"(version: 2.1
orbs:
  g: acme/greeter@1
workflows:
  w:
    jobs:
      - g/greet: {whom: me}
)",
                        dir.path.string());
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].g/greet", 7, 9,
                      "(for job g/greet of orb acme/greeter@1 (resolved to acme/greeter@1.4.0))");
}

TEST(Orbs, AnOrbDirectoryMayHoldSourceTreesAndPackedFilesInFolders) {
  TempOrbDir dir;
  // DIR/ns/name@version/src, as shared/orbs holds them.
  dir.write("acme/greeter@1.0.0/src/@orb.yml", "version: 2.1\ndescription: test orb\n");
  dir.write("acme/greeter@1.0.0/src/commands/hello.yml",
            "parameters: {who: {type: string, default: orb}}\n"
            "steps: [{run: echo tree << parameters.who >>}]\n");
  dir.write("acme/greeter@1.0.0/src/jobs/greet.yml",
            "docker: [{image: a}]\nsteps: [{hello: {who: job}}]\n");
  // DIR/ns/name@version/orb.yml, a packed orb in a folder of its own.
  dir.write("acme/greeter@2.0.0/orb.yml", greeter_saying("packed"));
  EXPECT_EQ(greeting(dir, "1.0.0"), "echo tree job");
  EXPECT_EQ(greeting(dir, "2.0.0"), "echo packed job");
  EXPECT_EQ(greeting(dir, "1"), "echo tree job");
  // A changed tree is packed again.
  dir.write("acme/greeter@1.0.0/src/commands/hello.yml",
            "parameters: {who: {type: string, default: orb}}\n"
            "steps: [{run: echo changed-tree << parameters.who >>}]\n");
  EXPECT_EQ(greeting(dir, "1.0.0"), "echo changed-tree job");
}

TEST(Orbs, AnOrbWithoutVersionedCopiesIsItsOnlyCopyWhateverTheVersion) {
  TempOrbDir dir;
  dir.write("acme/greeter.yml", kGreeter);
  auto r = compile_with(config_using("1.4.2"), dir.path.string());
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(r.plan->workflows[0].jobs[0].job.steps[0].command, "echo hello job");
}

TEST(Orbs, AnUnresolvedOrbIsTheOnlyErrorAndNamesTheOrb) {
  TempOrbDir dir;
  auto r = compile_with(R"(version: 2.1
orbs:
  node: circleci/node@5.0.2
jobs:
  build:
    executor: node/default
    steps: [node/install-packages]
workflows:
  w:
    jobs: [build, node/test]
)",
                        dir.path.string());
  ASSERT_EQ(r.errors.size(), 1u) << testing::all_errors(r);
  EXPECT_CONFIG_ERROR(r, "orbs.node", 3, 9, "orb circleci/node@5.0.2 cannot be resolved");
}

TEST(Orbs, AnInterfaceMismatchNamesTheOrbAndTheParameter) {
  TempOrbDir dir;
  dir.write("acme/greeter.yml", kGreeter);
  auto r = compile_with(R"(version: 2.1
orbs:
  g: acme/greeter@0.1.0
workflows:
  w:
    jobs:
      - g/greet: {whom: me}
)",
                        dir.path.string());
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].g/greet", 7, 9,
                      "Unexpected argument(s): whom (for job g/greet of orb acme/greeter@0.1.0");
  auto unknown = compile_with(R"(version: 2.1
orbs:
  g: acme/greeter@0.1.0
jobs:
  b: {docker: [{image: a}], steps: [g/goodbye, h/x]}
workflows:
  w: {jobs: [b]}
)",
                              dir.path.string());
  EXPECT_CONFIG_ERROR(unknown, "jobs.b.steps[0]", 5, 37,
                      "unknown step g/goodbye: orb acme/greeter@0.1.0");
  EXPECT_CONFIG_ERROR(unknown, "jobs.b.steps[1]", 5, 48,
                      "unknown step h/x: no orb is imported as h");
}

TEST(OrbPack, PacksTheSourceLayoutWithIncludes) {
  TempOrbDir dir;
  dir.write("src/@orb.yml", "version: 2.1\ndescription: test orb\n");
  dir.write("src/commands/hello.yml",
            "parameters: {who: {type: string, default: you}}\n"
            "steps:\n  - run:\n      command: <<include(scripts/hello.sh)>>\n");
  dir.write("src/scripts/hello.sh", "#!/bin/sh\necho \"hello $WHO\"\n");
  dir.write("src/jobs/greet.yml", "docker: [{image: a}]\nsteps: [hello]\n");
  dir.write("src/examples/use.yml", "description: how\nusage: {version: 2.1}\n");
  auto packed = pack_orb((dir.path / "src").string());
  ASSERT_TRUE(packed.ok()) << packed.errors.front();
  dir.write("orbs/acme/greeter.yml", packed.yaml);
  auto r = compile_with(
      "version: 2.1\norbs:\n  g: acme/greeter@1.0.0\nworkflows:\n  w:\n    jobs: [g/greet]\n",
      (dir.path / "orbs").string());
  ASSERT_TRUE(r.ok()) << testing::all_errors(r) << packed.yaml;
  EXPECT_EQ(r.plan->workflows[0].jobs[0].job.steps[0].command, "#!/bin/sh\necho \"hello $WHO\"\n");
}

TEST(OrbPack, ABrokenIncludeIsAnErrorNamingTheFile) {
  TempOrbDir dir;
  dir.write("src/@orb.yml", "version: 2.1\n");
  dir.write("src/commands/a.yml", "steps: [{run: {command: <<include(nope.sh)>>}}]\n");
  auto packed = pack_orb((dir.path / "src").string());
  ASSERT_FALSE(packed.ok());
  EXPECT_NE(packed.errors.front().find("nope.sh does not exist"), std::string::npos);
  EXPECT_FALSE(pack_orb((dir.path / "missing").string()).ok());
}

TEST(OrbPack, TheSharedOrbsPackAndTheirJobsCompile) {
  fs::path src = fs::path(HALO_SHARED_DIR) / "orbs" / "circleci" / "node" / "src";
  ASSERT_TRUE(fs::exists(src)) << src << " is missing (shared/ lies beside the checkout)";
  auto packed = pack_orb(src.string());
  ASSERT_TRUE(packed.ok()) << packed.errors.front();
  TempOrbDir dir;
  dir.write("circleci/node.yml", packed.yaml);
  auto r = compile_with(R"(version: 2.1
orbs:
  node: circleci/node@7.2.1
workflows:
  w:
    jobs:
      - node/test: {pkg-manager: yarn}
      - node/run: {npm-run: build}
)",
                        dir.path.string());
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_GT(r.plan->workflows[0].jobs[0].job.steps.size(), 3u);
}

}  // namespace
}  // namespace halo::config

namespace halo::config {
namespace {

TEST(Orbs, PipelineParametersAreNotVisibleInsideOrbs) {
  auto r = testing::compile_text(R"(version: 2.1
parameters:
  secret: {type: string, default: s}
orbs:
  o:
    jobs:
      j:
        docker: [{image: a}]
        steps: [{run: echo << pipeline.parameters.secret >>}]
workflows:
  w: {jobs: [o/j]}
)");
  EXPECT_CONFIG_ERROR(r, "orbs.o.jobs.j.steps[0].run", 9, 23,
                      "pipeline parameter secret is not visible inside orb o (inline)");
}

}  // namespace
}  // namespace halo::config

namespace halo::config {

// Orbs keep YAML anchors under keys of their own; CircleCI ignores those keys.
TEST(Orbs, UnknownTopLevelKeysOfAnOrbAreIgnoredWithAWarning) {
  auto r = testing::compile_text(R"(version: 2.1
orbs:
  tools:
    test_parameters: &test_parameters
      device: {type: string, default: phone}
    jobs:
      test:
        parameters: *test_parameters
        docker: [{image: a}]
        steps: [{run: echo << parameters.device >>}]
workflows:
  w: {jobs: [tools/test]}
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message.find("unknown key test_parameters in an orb is ignored"),
            std::string::npos);
  EXPECT_EQ(r.plan->workflows[0].jobs[0].job.steps[0].command, "echo phone");
  testing::expect_fixed_point(r);
}

}  // namespace halo::config
