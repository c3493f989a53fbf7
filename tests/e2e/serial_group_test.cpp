#include "e2e_fixture.h"

namespace halo::test {

// Stories: jobs of one serial group run one at a time across the project, in pipeline order.
TEST_F(E2E, JobsOfASerialGroupRunOneAtATimeInPipelineOrder) {
  std::string lock = (tmp_.path() / "lock").string();
  std::string config = R"yaml(version: 2.1
jobs:
  deploy:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: mkdir LOCK && sleep 1 && rmdir LOCK
workflows:
  main:
    jobs:
      - deploy:
          serial-group: << pipeline.project.slug >>/deploy
)yaml";
  config.replace(config.find("LOCK"), 4, lock);
  config.replace(config.find("LOCK"), 4, lock);
  start_with_config(config);
  std::string p1 = server_->trigger(slug_, {{"branch", "main"}})["id"];
  std::string p2 = server_->trigger(slug_, {{"branch", "main"}})["id"];
  json w1 = server_->wait_workflows(p1), w2 = server_->wait_workflows(p2);
  json j1 = server_->jobs_of(w1[0]["id"])[0], j2 = server_->jobs_of(w2[0]["id"])[0];
  // Two runners are free, so only the group keeps them apart: overlapping, one would fail.
  EXPECT_EQ(j1["status"], "success") << j1.dump();
  EXPECT_EQ(j2["status"], "success") << j2.dump();
  EXPECT_GE(j2["started_at"].get<std::string>(), j1["stopped_at"].get<std::string>());
}

}  // namespace halo::test
