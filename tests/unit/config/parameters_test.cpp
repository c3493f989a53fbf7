// Stories about pipeline parameters, job parameters and << >> substitution.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::only_job;
using testing::plan_of;

const char* kPipelineParams = R"(version: 2.1
parameters:
  run-e2e: {type: boolean, default: false}
  workers: {type: integer, default: 2}
  target: {type: enum, enum: [staging, production], default: staging}
  greeting: {type: string, default: hello}
jobs:
  build:
    docker: [{image: a}]
    parallelism: << pipeline.parameters.workers >>
    environment:
      E2E: << pipeline.parameters.run-e2e >>
      TARGET: deploy-<< pipeline.parameters.target >>
    steps:
      - run: echo << pipeline.parameters.greeting >>
)";

TEST(PipelineParameters, DefaultsApplyWhenNothingIsPassed) {
  Plan p = plan_of(kPipelineParams);
  const Job& j = only_job(p);
  EXPECT_EQ(j.parallelism, 2);
  EXPECT_EQ(j.environment.at("E2E"), "false");
  EXPECT_EQ(j.environment.at("TARGET"), "deploy-staging");
  EXPECT_EQ(j.steps.at(0).command, "echo hello");
}

TEST(PipelineParameters, TriggerValuesAreTypeCheckedAndUsed) {
  Plan p =
      plan_of(kPipelineParams, json::object(),
              {{"run-e2e", true}, {"workers", 5}, {"target", "production"}, {"greeting", "hi"}});
  const Job& j = only_job(p);
  EXPECT_EQ(j.parallelism, 5);
  EXPECT_EQ(j.environment.at("E2E"), "true");
  EXPECT_EQ(j.environment.at("TARGET"), "deploy-production");
  EXPECT_EQ(j.steps.at(0).command, "echo hi");
}

TEST(PipelineParameters, UndeclaredAndMistypedTriggerValuesAreRejected) {
  auto r = compile_text(kPipelineParams, json::object(),
                        {{"nope", 1},
                         {"other", "x"},
                         {"workers", "many"},
                         {"target", "moon"},
                         {"run-e2e", "perhaps"}});
  EXPECT_CONFIG_ERROR(r, "parameters", 0, 0, "Unexpected argument(s): nope, other");
  EXPECT_CONFIG_ERROR(r, "parameters.workers", 4, 12, "expected an integer, got \"many\"");
  EXPECT_CONFIG_ERROR(r, "parameters.target", 5, 11, "\"moon\" is not one of: staging, production");
  EXPECT_CONFIG_ERROR(r, "parameters.run-e2e", 3, 12, "expected a boolean");
}

TEST(PipelineParameters, DeclarationsAreChecked) {
  auto r = compile_text(R"(version: 2.1
parameters:
  no-default: {type: string}
  bad-type: {type: steps, default: []}
  odd: {type: colour, default: red}
  wrong-default: {type: integer, default: ten}
  bad-enum: {type: enum, enum: [a, b], default: c}
  extra: {type: string, default: x, secret: true}
jobs: {}
)");
  EXPECT_CONFIG_ERROR(r, "parameters.no-default", 3, 15,
                      "pipeline parameter no-default needs a default");
  EXPECT_CONFIG_ERROR(r, "parameters.bad-type.type", 4, 20,
                      "parameter bad-type has an invalid type steps (pipeline parameters are");
  EXPECT_CONFIG_ERROR(r, "parameters.odd.type", 5, 15, "invalid type colour");
  EXPECT_CONFIG_ERROR(r, "parameters.wrong-default.default", 6, 43,
                      "expected an integer, got \"ten\"");
  EXPECT_CONFIG_ERROR(r, "parameters.bad-enum.default", 7, 49, "\"c\" is not one of: a, b");
  EXPECT_CONFIG_ERROR(r, "parameters.extra.secret", 8, 37, "unknown key secret");
}

TEST(PipelineParameters, BooleansAcceptYaml11WordsInAnyCase) {
  for (const char* word : {"yes", "On", "TRUE", "y_not"}) {
    std::string yaml = std::string(R"(version: 2.1
parameters:
  flag: {type: boolean, default: )") +
                       word + R"(}
jobs:
  build:
    docker: [{image: a}]
    environment: {FLAG: << pipeline.parameters.flag >>}
    steps: [checkout]
)";
    auto r = compile_text(yaml);
    if (std::string(word) == "y_not") {
      EXPECT_FALSE(r.ok());
    } else {
      ASSERT_TRUE(r.ok()) << testing::all_errors(r);
      EXPECT_EQ(only_job(*r.plan).environment.at("FLAG"), "true");
    }
  }
}

TEST(PipelineValues, AreSubstitutedByTheirNames) {
  Plan p = plan_of(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - run: echo << pipeline.number >> << pipeline.id >> << pipeline.git.branch >> << pipeline.git.tag >>.
      - run: echo << pipeline.git.revision >> << pipeline.project.git_url >> << pipeline.trigger_source >>
      - run: echo << pipeline.trigger_parameters.webhook.body >>
)",
                   {{"number", 42},
                    {"id", "abc"},
                    {"git.branch", "main"},
                    {"git.revision", "deadbeef"},
                    {"project.git_url", "https://example.com/r.git"},
                    {"trigger_source", "api"}});
  const auto& steps = only_job(p).steps;
  EXPECT_EQ(steps.at(0).command, "echo 42 abc main .");
  EXPECT_EQ(steps.at(1).command, "echo deadbeef https://example.com/r.git api");
  EXPECT_EQ(steps.at(2).command, "echo ");
}

TEST(PipelineValues, UnknownOnesAndMisplacedReferencesAreErrors) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - run: echo << pipeline.colour >>
      - run: echo << pipeline.parameters.nope >>
      - run: echo << parameters.missing >>
      - run: echo << matrix.os >>
)");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[0].run", 6, 14,
                      "unknown pipeline value pipeline.colour");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[1].run", 7, 14,
                      "pipeline parameter nope is not declared");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[2].run", 8, 14, "parameter missing is not declared");
  EXPECT_CONFIG_ERROR(r, "jobs.build.steps[3].run", 9, 14,
                      "<< matrix.os >> is not a parameter of this job's matrix");
}

TEST(Substitution, LeavesHeredocsAndEscapedReferencesAlone) {
  Plan p = plan_of(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - run: |
          cat <<EOF >> out.txt
          hi
          EOF
      - run: echo \<< parameters.literal >>
)");
  const auto& steps = only_job(p).steps;
  EXPECT_EQ(steps.at(0).command, "cat <<EOF >> out.txt\nhi\nEOF\n");
  EXPECT_EQ(steps.at(1).command, "echo << parameters.literal >>");
}

const char* kJobParams = R"(version: 2.1
jobs:
  test:
    parameters:
      version: {type: string, default: "20"}
      coverage: {type: boolean, default: false}
      shards: {type: integer, default: 1}
      var: {type: env_var_name, default: TOKEN}
      mode: {type: enum, enum: [fast, full]}
    docker: [{image: "node:<< parameters.version >>"}]
    parallelism: << parameters.shards >>
    steps:
      - run: echo $<< parameters.var >> << parameters.mode >> << parameters.coverage >>
      - when:
          condition: << parameters.coverage >>
          steps: [{run: upload}]
workflows:
  w:
    jobs:
      - test: {mode: fast}
      - test:
          name: test-full
          mode: full
          version: 22
          coverage: on
          shards: 3
          var: OTHER_TOKEN
)";

TEST(JobParameters, DefaultsAndInvocationArgumentsAreSubstitutedInsideTheJob) {
  Plan p = plan_of(kJobParams);
  const auto& jobs = p.workflows.at(0).jobs;
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].name, "test");
  EXPECT_EQ(jobs[0].job.image, "node:20");
  EXPECT_EQ(jobs[0].job.parallelism, 1);
  ASSERT_EQ(jobs[0].job.steps.size(), 1u);
  EXPECT_EQ(jobs[0].job.steps[0].command, "echo $TOKEN fast false");
  EXPECT_EQ(jobs[1].name, "test-full");
  EXPECT_EQ(jobs[1].job.name, "test");
  EXPECT_EQ(jobs[1].job.image, "node:22");
  EXPECT_EQ(jobs[1].job.parallelism, 3);
  ASSERT_EQ(jobs[1].job.steps.size(), 2u);
  EXPECT_EQ(jobs[1].job.steps[0].command, "echo $OTHER_TOKEN full true");
  EXPECT_EQ(jobs[1].job.steps[1].command, "upload");
}

TEST(JobParameters, BadArgumentsAreReportedAtTheInvocation) {
  auto r = compile_text(R"(version: 2.1
jobs:
  test:
    parameters:
      mode: {type: enum, enum: [fast, full]}
      var: {type: env_var_name, default: TOKEN}
      n: {type: integer, default: 1}
    docker: [{image: a}]
    steps: [checkout]
workflows:
  w:
    jobs:
      - test
      - test: {mode: slow, var: 9lives, n: "x", colour: red, size: 2}
)");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0]", 13, 9, "Missing required argument(s): mode");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[1].test", 14, 9, "Unexpected argument(s): colour, size");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[1].test.mode", 14, 22,
                      "\"slow\" is not one of: fast, full");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[1].test.var", 14, 33,
                      "\"9lives\" is not a valid environment variable name");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[1].test.n", 14, 44, "expected an integer");
}

TEST(JobParameters, ReservedNamesCannotBeParameters) {
  auto r = compile_text(R"(version: 2.1
jobs:
  test:
    parameters:
      requires: {type: string, default: x}
    docker: [{image: a}]
    steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(r, "jobs.test.parameters.requires", 5, 17, "requires is reserved");
}

}  // namespace
}  // namespace halo::config
