// Stories about executors in the Plan: every docker image with its options (the primary and
// the service containers), the machine executor's options, and their JSON form.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::only_job;
using testing::plan_of;

using Env = std::map<std::string, std::string>;
using Words = std::vector<std::string>;

// Compares through JSON, so a failure prints both sides readably.
void expect_containers(const Job& j, const std::vector<ContainerSpec>& want) {
  json got_json = json::array(), want_json = json::array();
  for (const ContainerSpec& c : j.containers) got_json.push_back(to_json(c));
  for (const ContainerSpec& c : want) want_json.push_back(to_json(c));
  EXPECT_EQ(got_json, want_json);
  EXPECT_EQ(j.containers, want);
}

TEST(Containers, EveryImageIsKeptWithEveryOption) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  build:
    docker:
      - image: cimg/ruby:3.3
        entrypoint: [/bin/sh, -c]
        command: sleep infinity
        user: circleci
        environment: {RAILS_ENV: test, EMPTY: }
        auth: {username: me, password: $DOCKERHUB_PASSWORD}
      - image: 123.dkr.ecr.us-east-1.amazonaws.com/db:1
        name: db
        command: [postgres, -c, fsync=off]
        environment: [POSTGRES_USER=app, POSTGRES_DB=app_test]
        aws_auth:
          aws_access_key_id: AKIAEXAMPLE
          aws_secret_access_key: $ECR_SECRET
        ports: ["5432:5432", 5433]
        docker_layer_caching: true
      - image: 456.dkr.ecr.us-east-1.amazonaws.com/cache:2
        aws_auth: {oidc_role_arn: "arn:aws:iam::456:role/pull"}
      - image: us-docker.pkg.dev/proj/repo/queue:3
        name: queue
        gcp_auth:
          oidc_service_account: puller@proj.iam.gserviceaccount.com
          workload_identity_pool: projects/42/locations/global/workloadIdentityPools/ci
          workload_identity_provider: circleci
    steps: [checkout]
)");
  const Job& j = only_job(p);
  EXPECT_EQ(j.executor_type, "docker");
  EXPECT_EQ(j.image, "cimg/ruby:3.3");
  // The primary container's variables still reach the steps; service containers' do not.
  EXPECT_EQ(j.environment, (Env{{"RAILS_ENV", "test"}, {"EMPTY", "<nil>"}}));

  ContainerSpec primary;
  primary.image = "cimg/ruby:3.3";
  primary.entrypoint = {"/bin/sh", "-c"};
  primary.command = {"sleep", "infinity"};
  primary.user = "circleci";
  primary.environment = {{"RAILS_ENV", "test"}, {"EMPTY", "<nil>"}};
  primary.auth = RegistryAuth{"me", "$DOCKERHUB_PASSWORD"};
  ContainerSpec db;
  db.image = "123.dkr.ecr.us-east-1.amazonaws.com/db:1";
  db.name = "db";
  db.command = {"postgres", "-c", "fsync=off"};
  db.environment = {{"POSTGRES_USER", "app"}, {"POSTGRES_DB", "app_test"}};
  db.aws_auth = AwsAuth{"AKIAEXAMPLE", "$ECR_SECRET", ""};
  db.ports = {"5432:5432", "5433"};
  db.docker_layer_caching = true;
  ContainerSpec cache;
  cache.image = "456.dkr.ecr.us-east-1.amazonaws.com/cache:2";
  cache.aws_auth = AwsAuth{"", "", "arn:aws:iam::456:role/pull"};
  ContainerSpec queue;
  queue.image = "us-docker.pkg.dev/proj/repo/queue:3";
  queue.name = "queue";
  queue.gcp_auth = GcpAuth{"puller@proj.iam.gserviceaccount.com",
                           "projects/42/locations/global/workloadIdentityPools/ci", "circleci"};
  expect_containers(j, {primary, db, cache, queue});
}

TEST(Containers, ParametersAndPipelineValuesAreSubstitutedInImageOptions) {
  Plan p = plan_of(R"(
version: 2.1
parameters:
  registry-user: {type: string, default: robot}
jobs:
  build:
    parameters:
      tag: {type: string, default: "16"}
      port: {type: integer, default: 6379}
      user: {type: string, default: root}
      password-var: {type: env_var_name, default: REGISTRY_PASSWORD}
      role: {type: string, default: ""}
    docker:
      - image: cimg/base:stable
        environment:
          BRANCH: << pipeline.git.branch >>
          TAG: << parameters.tag >>
      - image: "postgres:<< parameters.tag >>"
        name: "pg-<< parameters.tag >>"
        user: << parameters.user >>
        command: redis-server --port << parameters.port >> --appendonly "<< parameters.tag >> x"
        entrypoint: ["<< parameters.user >>-entry", "--tag=<< parameters.tag >>"]
        auth:
          username: << pipeline.parameters.registry-user >>
          password: $<< parameters.password-var >>
        aws_auth: {oidc_role_arn: "arn:aws:iam::1:role/<< parameters.role >>"}
    steps: [checkout]
workflows:
  w:
    jobs:
      - build: {tag: "17", port: 7000, password-var: MY_PW, role: puller}
)",
                   {{"git.branch", "main"}});
  const Job& j = only_job(p);
  ASSERT_EQ(j.containers.size(), 2u);
  EXPECT_EQ(j.containers[0].environment, (Env{{"BRANCH", "main"}, {"TAG", "17"}}));
  EXPECT_EQ(j.environment, (Env{{"BRANCH", "main"}, {"TAG", "17"}}));
  const ContainerSpec& pg = j.containers[1];
  EXPECT_EQ(pg.image, "postgres:17");
  EXPECT_EQ(pg.name, "pg-17");
  EXPECT_EQ(pg.user, "root");
  // References are substituted before a string is split into words.
  EXPECT_EQ(pg.command, (Words{"redis-server", "--port", "7000", "--appendonly", "17 x"}));
  EXPECT_EQ(pg.entrypoint, (Words{"root-entry", "--tag=17"}));
  ASSERT_TRUE(pg.auth.has_value());
  EXPECT_EQ(pg.auth->username, "robot");
  EXPECT_EQ(pg.auth->password, "$MY_PW");  // expanded by the runner, from the job's variables
  ASSERT_TRUE(pg.aws_auth.has_value());
  EXPECT_EQ(pg.aws_auth->oidc_role_arn, "arn:aws:iam::1:role/puller");
}

TEST(Containers, AStringIsSplitIntoWordsAndAListIsTakenItemByItem) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  build:
    docker:
      - image: a
      - image: mysql
        command: mysqld --default-authentication-plugin=mysql_native_password
        entrypoint: /usr/local/bin/docker-entrypoint.sh
      - image: redis
        command: [sh, -c, "sleep 30; echo yes | redis-cli --cluster create"]
        entrypoint: [""]
      - image: quoting
        command: sh -c 'echo "$HOME" a\b' "x \"y\" \$z" a\ b  tail
      - image: blank
        command: "  "
        entrypoint: []
      - image: lines
        command: |
          serve
            --port 1
    steps: [checkout]
)");
  const auto& c = only_job(p).containers;
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c[0].command, Words{});
  EXPECT_EQ(c[0].entrypoint, Words{});
  EXPECT_EQ(c[1].command,
            (Words{"mysqld", "--default-authentication-plugin=mysql_native_password"}));
  EXPECT_EQ(c[1].entrypoint, (Words{"/usr/local/bin/docker-entrypoint.sh"}));
  EXPECT_EQ(c[2].command, (Words{"sh", "-c", "sleep 30; echo yes | redis-cli --cluster create"}));
  EXPECT_EQ(c[2].entrypoint, (Words{""}));  // Docker's way to clear the image's ENTRYPOINT
  EXPECT_EQ(c[3].command, (Words{"sh", "-c", "echo \"$HOME\" a\\b", "x \"y\" $z", "a b", "tail"}));
  EXPECT_EQ(c[4].command, Words{});
  EXPECT_EQ(c[4].entrypoint, Words{});
  EXPECT_EQ(c[5].command, (Words{"serve", "--port", "1"}));
}

TEST(Containers, ACommandThatCannotBeSplitIsAnError) {
  auto quote = compile_text(R"(version: 2.1
jobs:
  build:
    docker:
      - image: a
        command: sh -c 'echo
    steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(quote, "jobs.build.docker[0].command", 6, 18, "unterminated quote");
  auto item = compile_text(R"(version: 2.1
jobs:
  build:
    docker:
      - image: a
        entrypoint: [sh, {x: 1}]
    steps: [checkout]
)");
  EXPECT_FALSE(item.ok());
  EXPECT_NE(testing::all_errors(item).find("an argument of entrypoint must be a string"),
            std::string::npos)
      << testing::all_errors(item);
}

TEST(Containers, RegistryCredentialsFollowTheSchema) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker:
      - image: a
        auth: {username: me}
      - image: b
        auth: {username: me, password: pw, token: t}
      - image: c
        aws_auth: {aws_access_key_id: id, oidc_role_arn: arn}
      - image: d
        aws_auth: {aws_secret_access_key: s}
      - image: e
        gcp_auth: {oidc_service_account: sa}
      - image: f
        auth: me:pw
      - image: g
        auth:
        docker_layer_caching:
    steps: [checkout]
)");
  EXPECT_EQ(r.errors.size(), 6u) << testing::all_errors(r);  // image g is fine
  EXPECT_CONFIG_ERROR(r, "jobs.build.docker[0].auth", 6, 15, "auth needs username and password");
  EXPECT_CONFIG_ERROR(r, "jobs.build.docker[1].auth.token", 8, 44, "unknown key token");
  EXPECT_CONFIG_ERROR(r, "jobs.build.docker[2].aws_auth", 10, 19, "not both");
  EXPECT_CONFIG_ERROR(r, "jobs.build.docker[3].aws_auth", 12, 19,
                      "aws_auth needs aws_access_key_id and aws_secret_access_key");
  EXPECT_CONFIG_ERROR(r, "jobs.build.docker[4].gcp_auth", 14, 19,
                      "gcp_auth needs oidc_service_account, workload_identity_pool");
  EXPECT_CONFIG_ERROR(r, "jobs.build.docker[5].auth", 16, 15, "auth must be a map");
}

TEST(Containers, ANamedExecutorBringsItsImagesWithTheirOwnParameters) {
  Plan p = plan_of(R"(
version: 2.1
executors:
  with-db:
    parameters:
      pg: {type: string, default: "15"}
      pw-var: {type: env_var_name, default: PW}
    docker:
      - image: cimg/node:20.1
        auth: {username: bot, password: $<< parameters.pw-var >>}
      - image: "postgres:<< parameters.pg >>"
        name: db
        environment: {POSTGRES_PASSWORD: secret}
        command: postgres -c max_connections=<< parameters.pg >>0
    environment: {FROM_EXECUTOR: "1"}
jobs:
  build:
    executor: {name: with-db, pg: "16", pw-var: HUB_TOKEN}
    steps: [checkout]
  plain:
    executor: with-db
    steps: [checkout]
workflows:
  w:
    jobs: [build, plain]
)");
  const Job& b = p.workflows.at(0).jobs.at(0).job;
  ASSERT_EQ(b.containers.size(), 2u);
  EXPECT_EQ(b.image, "cimg/node:20.1");
  EXPECT_EQ(b.containers[0].auth, (RegistryAuth{"bot", "$HUB_TOKEN"}));
  EXPECT_EQ(b.containers[1].image, "postgres:16");
  EXPECT_EQ(b.containers[1].name, "db");
  EXPECT_EQ(b.containers[1].command, (Words{"postgres", "-c", "max_connections=160"}));
  EXPECT_EQ(b.containers[1].environment, (Env{{"POSTGRES_PASSWORD", "secret"}}));
  // The executor's own environment is the steps', not a container's.
  EXPECT_EQ(b.containers[0].environment, Env{});
  EXPECT_EQ(b.environment, (Env{{"FROM_EXECUTOR", "1"}}));
  const Job& plain = p.workflows.at(0).jobs.at(1).job;
  ASSERT_EQ(plain.containers.size(), 2u);
  EXPECT_EQ(plain.containers[0].auth, (RegistryAuth{"bot", "$PW"}));
  EXPECT_EQ(plain.containers[1].image, "postgres:15");
}

TEST(Containers, AnInlineOrbsExecutorBringsItsImages) {
  Plan p = plan_of(R"(
version: 2.1
orbs:
  svc:
    version: 2.1
    executors:
      redis:
        parameters: {tag: {type: string, default: "7"}}
        docker:
          - image: cimg/base:stable
          - image: "redis:<< parameters.tag >>"
            name: cache
            command: [redis-server, --save, ""]
jobs:
  build:
    executor: {name: svc/redis, tag: "6.2"}
    steps: [checkout]
)");
  const Job& j = only_job(p);
  ASSERT_EQ(j.containers.size(), 2u);
  EXPECT_EQ(j.containers[0].image, "cimg/base:stable");
  EXPECT_EQ(j.containers[1].image, "redis:6.2");
  EXPECT_EQ(j.containers[1].name, "cache");
  EXPECT_EQ(j.containers[1].command, (Words{"redis-server", "--save", ""}));
}

TEST(Containers, MachineAndMacosJobsHaveNoContainers) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  a:
    parameters: {dlc: {type: boolean, default: true}}
    machine:
      image: ubuntu-2204:current
      docker_layer_caching: << parameters.dlc >>
    steps: [checkout]
  b:
    machine: true
    steps: [checkout]
  c:
    macos: {xcode: "15.0.0"}
    steps: [checkout]
workflows:
  w:
    jobs: [a, b, c]
)");
  const auto& jobs = p.workflows.at(0).jobs;
  EXPECT_TRUE(jobs[0].job.docker_layer_caching);
  EXPECT_EQ(jobs[0].job.image, "ubuntu-2204:current");
  EXPECT_FALSE(jobs[1].job.docker_layer_caching);
  for (const auto& wj : jobs) EXPECT_TRUE(wj.job.containers.empty()) << wj.name;

  auto bad = compile_text(R"(version: 2.1
jobs:
  a:
    machine: {image: x, docker_layer_caching: sometimes}
    steps: [checkout]
)");
  EXPECT_CONFIG_ERROR(bad, "jobs.a.machine.docker_layer_caching", 4, 47,
                      "docker_layer_caching must be true or false");
}

TEST(Containers, ProcessedOutputStillNamesOnlyThePrimaryImage) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker:
      - image: a
        auth: {username: u, password: p}
      - image: b
        name: db
    steps: [checkout]
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_NE(r.compiled_yaml.find("- image: a\n"), std::string::npos) << r.compiled_yaml;
  EXPECT_EQ(r.compiled_yaml.find("image: b"), std::string::npos) << r.compiled_yaml;
  EXPECT_EQ(r.compiled_yaml.find("auth"), std::string::npos) << r.compiled_yaml;

  // So invocations that differ only in a service container are one definition there, as
  // before, while the Plan keeps their containers apart.
  auto two = compile_text(R"(version: 2.1
jobs:
  test:
    parameters: {db: {type: string}}
    docker:
      - image: a
      - image: "postgres:<< parameters.db >>"
    steps: [checkout]
workflows:
  w:
    jobs:
      - test: {name: pg15, db: "15"}
      - test: {name: pg16, db: "16"}
)");
  ASSERT_TRUE(two.ok()) << testing::all_errors(two);
  EXPECT_EQ(two.compiled_yaml.find("pg16:"), std::string::npos) << two.compiled_yaml;
  const auto& jobs = two.plan->workflows.at(0).jobs;
  EXPECT_EQ(jobs.at(0).job.containers.at(1).image, "postgres:15");
  EXPECT_EQ(jobs.at(1).job.containers.at(1).image, "postgres:16");
}

TEST(ContainersJson, JobsWithContainersRoundTrip) {
  Plan p = plan_of(R"(
version: 2.1
jobs:
  build:
    docker:
      - image: a
        entrypoint: [x]
        command: y z
        user: u
        environment: {A: "1"}
        auth: {username: u, password: p}
      - image: b
        name: b
        aws_auth: {oidc_role_arn: r}
        gcp_auth: {oidc_service_account: s, workload_identity_pool: w, workload_identity_provider: v}
        ports: [1]
        docker_layer_caching: true
    steps: [checkout]
  vm:
    machine: {image: ubuntu-2204:current, docker_layer_caching: true}
    steps: [checkout]
workflows:
  w:
    jobs: [build, vm]
)");
  for (const WorkflowJob& wj : p.workflows.at(0).jobs) {
    EXPECT_EQ(job_from_json(to_json(wj.job)), wj.job) << wj.name;
    EXPECT_EQ(job_from_json(json::parse(to_json(wj.job).dump())), wj.job) << wj.name;
  }
  EXPECT_EQ(plan_from_json(to_json(p)), p);

  // Present-but-empty credentials stay present.
  Job j;
  j.executor_type = "docker";
  j.image = "i";
  ContainerSpec c;
  c.image = "i";
  c.auth = RegistryAuth{};
  c.aws_auth = AwsAuth{};
  c.gcp_auth = GcpAuth{};
  j.containers = {c, ContainerSpec{}};
  EXPECT_EQ(job_from_json(to_json(j)), j);
  EXPECT_FALSE(to_json(ContainerSpec{}).contains("auth"));
}

TEST(ContainersJson, JobsStoredBeforeContainersStillLoad) {
  Job j = job_from_json(json{{"name", "x"},
                             {"executor_type", "docker"},
                             {"image", "cimg/base:stable"},
                             {"steps", json::array()}});
  EXPECT_EQ(j.image, "cimg/base:stable");
  EXPECT_TRUE(j.containers.empty());
  EXPECT_FALSE(j.docker_layer_caching);
  ContainerSpec c = container_from_json(json{{"image", "a"}});
  EXPECT_EQ(c.image, "a");
  EXPECT_TRUE(c.command.empty());
  EXPECT_FALSE(c.auth.has_value());
}

}  // namespace
}  // namespace halo::config
