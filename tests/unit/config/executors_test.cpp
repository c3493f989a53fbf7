// Stories about executors in the Plan: every docker image with its options (the primary and
// the service containers), the machine executor's options, and their JSON form.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::only_job;
using testing::plan_of;

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
