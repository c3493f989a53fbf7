// Stories about the YAML layer (anchors, merge keys, syntax errors) and hostile input.
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::only_job;
using testing::plan_of;

TEST(Yaml, AnchorsAliasesAndMergeKeysWork) {
  Plan p = plan_of(R"(version: 2.1
defaults: &defaults
  docker: [{image: cimg/base:current}]
  working_directory: /work
  environment: &env {A: "1", B: "2"}
extra: &extra
  resource_class: large
  shell: /bin/zsh
jobs:
  build:
    <<: [*defaults, *extra]
    working_directory: /mine
    environment:
      <<: *env
      B: overridden
    steps:
      - checkout
      - run: &greet {name: greet, command: echo hi}
      - run: *greet
)");
  const Job& j = only_job(p);
  EXPECT_EQ(j.image, "cimg/base:current");
  EXPECT_EQ(j.working_directory, "/mine");  // explicit keys win over merged ones
  EXPECT_EQ(j.resource_class, "large");
  EXPECT_EQ(j.shell, "/bin/zsh");
  EXPECT_EQ(j.environment, (std::map<std::string, std::string>{{"A", "1"}, {"B", "overridden"}}));
  ASSERT_EQ(j.steps.size(), 3u);
  EXPECT_EQ(j.steps[2].name, "greet");
}

TEST(Yaml, AMergeKeyNeedsMaps) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    <<: just text
    docker: [{image: a}]
    steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(r, "jobs.build", 4, 9, "a merge key (<<) takes a map or a list of maps");
}

TEST(Yaml, TheLastOfDuplicateKeysIsUsedWithAWarning) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps: [checkout]
    steps: [{run: last}]
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(testing::only_job(*r.plan).steps.at(0).command, "last");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].path, "jobs.build.steps");
  EXPECT_EQ(r.warnings[0].line, 6);
  EXPECT_EQ(r.warnings[0].column, 5);
  EXPECT_EQ(r.warnings[0].message, "duplicate key steps: the last one is used");
  testing::expect_fixed_point(r);
}

TEST(Yaml, SyntaxErrorsBecomeOneErrorWithTheParsersPosition) {
  auto r = compile_text("version: 2.1\njobs:\n  build: [\n");
  ASSERT_EQ(r.errors.size(), 1u) << testing::all_errors(r);
  EXPECT_EQ(r.errors[0].path, "");
  EXPECT_GT(r.errors[0].line, 0);
  EXPECT_NE(r.errors[0].message.find("invalid YAML"), std::string::npos);
  auto bad_indent = compile_text("version: 2.1\njobs:\n  a: b\n c: d\n");
  ASSERT_EQ(bad_indent.errors.size(), 1u);
  EXPECT_EQ(bad_indent.errors[0].line, 4);
}

TEST(Errors, AllErrorsAreCollectedNotJustTheFirst) {
  auto r = compile_text(R"(version: 2.1
jobs:
  a:
    steps: [checkout]
  b:
    docker: [{image: x}]
    steps: [nope]
workflows:
  w:
    jobs: [a, b, c]
)");
  EXPECT_CONFIG_ERROR(r, "jobs.a", 4, 5, "a job needs an executor");
  EXPECT_CONFIG_ERROR(r, "jobs.b.steps[0]", 7, 13, "unknown step nope");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[2]", 10, 18, "job c is not defined");
  EXPECT_EQ(r.errors.size(), 3u) << testing::all_errors(r);
}

TEST(Errors, ToStringShowsPathPositionAndMessage) {
  ConfigError e{"jobs.build.steps[2].run", 12, 9, "run needs a command"};
  EXPECT_EQ(e.to_string(), "jobs.build.steps[2].run (line 12, column 9): run needs a command");
  EXPECT_EQ((ConfigError{"", 0, 0, "boom"}).to_string(), "boom");
  EXPECT_EQ((ConfigError{"parameters", 0, 0, "x"}).to_string(), "parameters: x");
  EXPECT_EQ((ConfigError{"", 3, 1, "x"}).to_string(), "(line 3, column 1): x");
}

TEST(Errors, WrongNodeTypesEverywhereAreErrorsNotCrashes) {
  const char* docs[] = {
      "version: 2.1\njobs: []\n",
      "version: 2.1\njobs: {build: []}\n",
      "version: 2.1\njobs: {build: {docker: {image: a}, steps: checkout}}\n",
      "version: 2.1\njobs: {build: {docker: [a], steps: [{run: [x]}]}}\n",
      "version: 2.1\njobs: {build: {machine: [1], steps: [{checkout: 3}]}}\n",
      "version: 2.1\njobs: {build: {executor: [x], environment: 5, steps: [{when: 1}]}}\n",
      "version: 2.1\nexecutors: [x]\nparameters: [y]\nworkflows: [z]\n",
      "version: 2.1\nparameters: {p: 1, q: {type: [string]}}\n",
      "version: 2.1\njobs: {b: {docker: [{image: a}], steps: []}}\nworkflows: {w: {jobs: "
      "[{b: {requires: {x: y}, context: {a: b}, filters: [1], name: [2]}}]}}\n",
      "version: [2.1]\n",
      "version: 2.1\n? [complex, key]\n: value\njobs: {? [a] : b}\n",
      "version: 2.1\nsetup: maybe\n",
      "version: 2.1\njobs: {b: {docker: [{image: a}], parallelism: 99999999999999999999999, "
      "steps: [{run: {command: x, no_output_timeout: 9999999999999999h}}]}}\n",
      "version: 2.1\nworkflows: {w: {when: {and: [{or: []}, {not: [1, 2]}, {equal: 1}]}, jobs: "
      "[x]}}\n",
      "!!binary AAAA\n",
      "version: 2.1\njobs: &a {b: *a}\n",
  };
  for (const char* d : docs) {
    CompileResult r;
    EXPECT_NO_THROW(r = compile_text(d)) << d;
    EXPECT_FALSE(r.ok()) << d;
    for (const auto& e : r.errors) EXPECT_FALSE(e.message.empty());
  }
}

TEST(Errors, DeepNestingIsRefusedGracefully) {
  std::string deep =
      "version: 2.1\njobs: " + std::string(20000, '[') + std::string(20000, ']') + "\n";
  EXPECT_FALSE(compile_text(deep).ok());
  std::string conditions = "version: 2.1\nworkflows:\n  w:\n    when: ";
  for (int i = 0; i < 300; ++i) conditions += "{not: ";
  conditions += "true" + std::string(300, '}') + "\n    jobs: [x]\n";
  EXPECT_FALSE(compile_text(conditions).ok());
}

TEST(Errors, ExponentialStepAliasesAreCutOff) {
  // Each level doubles: 2^40 steps if expanded naively.
  std::string yaml = "version: 2.1\nl0: &l0 {run: x}\n";
  for (int i = 1; i <= 40; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    yaml += "l" + std::to_string(i) + ": &l" + std::to_string(i) +
            " {when: {condition: true, steps: [" + prev + ", " + prev + "]}}\n";
  }
  yaml += "jobs:\n  build:\n    docker: [{image: a}]\n    steps: [*l40]\n";
  auto r = compile_text(yaml);
  EXPECT_FALSE(r.ok());
  bool cut = false;
  for (const auto& e : r.errors) cut = cut || e.message.find("too many steps") != std::string::npos;
  EXPECT_TRUE(cut) << testing::all_errors(r);
}

TEST(Errors, MergeKeyBombsStayLinear) {
  std::string yaml = "version: 2.1\nm0: &m0 {A: x}\n";
  for (int i = 1; i <= 40; ++i) {
    std::string prev = "*m" + std::to_string(i - 1);
    yaml += "m" + std::to_string(i) + ": &m" + std::to_string(i) + " {<<: [" + prev + ", " + prev +
            "], B" + std::to_string(i) + ": y}\n";
  }
  yaml +=
      "jobs:\n  build:\n    docker: [{image: a}]\n    environment: *m40\n    steps: [checkout]\n";
  Plan p = plan_of(yaml);
  EXPECT_EQ(only_job(p).environment.size(), 41u);
}

TEST(Errors, ExponentialConditionsAreCutOffByTheBudget) {
  std::string yaml = "version: 2.1\nc0: &c0 true\n";
  for (int i = 1; i <= 40; ++i) {
    std::string prev = "*c" + std::to_string(i - 1);
    yaml += "c" + std::to_string(i) + ": &c" + std::to_string(i) + " {and: [" + prev + ", " + prev +
            "]}\n";
  }
  yaml +=
      "jobs:\n  build: {docker: [{image: a}], steps: [checkout]}\n"
      "workflows:\n  w:\n    when: *c40\n    jobs: [build]\n";
  auto r = compile_text(yaml);
  EXPECT_FALSE(r.ok());
  bool budget = false;
  for (const auto& e : r.errors)
    budget = budget || e.message.find("too large") != std::string::npos;
  EXPECT_TRUE(budget) << testing::all_errors(r);
}

TEST(Errors, HostileRegexesAreRefused) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build: {docker: [{image: a}], steps: [checkout]}
workflows:
  w:
    jobs:
      - build:
          filters:
            branches:
              only: /((a{1000}){1000}){1000}/
)",
                        {{"git.branch", "main"}});
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].build.filters.branches.only", 10, 21,
                      "repetition counts are too large");
}

}  // namespace
}  // namespace halo::config
