// A real engine on a real SQLite file and a real git repository, with a manual clock so that
// lease expiry is tested without sleeping.
#pragma once
#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/crypto.h"
#include "engine/job_queue.h"
#include "engine/orchestrator.h"
#include "engine/runner_service.h"
#include "model/status.h"
#include "store/log_store.h"
#include "store/sqlite_store.h"
#include "support/store/project_seed.h"
#include "support/test_env.h"

namespace halo::engine::testing {

namespace js = model::job_status;

class EngineTest : public ::testing::Test {
 protected:
  static constexpr int64_t kTtl = 60'000;

  EngineTest()
      : repo_(dir_.path() / "repo"),
        store_(dir_.path() / "halo.db"),
        logs_(dir_.path() / "logs"),
        orchestrator_(store_, queue_, dir_.path(), clock_),
        service_(store_, logs_, queue_, orchestrator_,
                 {"http://halo.test", std::string(32, 'k'), kTtl}, clock_) {
    orchestrator_.set_cancel_listener([this](const std::string& id) { service_.on_cancel(id); });
    admin_ = store_.create_user("admin", "Administrator", true);
    auto org = store_.ensure_org("github", "acme");
    project_ = store::testing::seed_project(store_, org, "app", repo_.url(), clock_.now_ms());
  }

  // Commits `config` and triggers a pipeline on main; returns its only workflow's id.
  std::string trigger(const std::string& config) {
    repo_.write(".circleci/config.yml", config);
    repo_.commit("config");
    auto p = orchestrator_.trigger(project_, admin_, TriggerRequest{});
    EXPECT_EQ(p.state, "created") << (p.errors.empty() ? "" : p.errors.dump());
    auto wfs = store_.workflows_of_pipeline(p.id);
    EXPECT_EQ(wfs.size(), 1u);
    return wfs.empty() ? "" : wfs[0].id;
  }

  store::Job job(const std::string& workflow_id, const std::string& name) {
    for (auto& j : store_.jobs_of_workflow(workflow_id))
      if (j.name == name) return j;
    ADD_FAILURE() << "no job " << name;
    return {};
  }
  std::string status(const std::string& workflow_id, const std::string& name) {
    return job(workflow_id, name).status;
  }

  std::optional<protocol::Claim> claim(const std::string& runner = "runner-a") {
    return service_.claim_next({runner}, std::chrono::milliseconds(200));
  }

  test::TempDir dir_;
  test::GitRepo repo_;
  ManualClock clock_;
  store::SqliteStore store_;
  store::LogStore logs_;
  JobQueue queue_;
  Orchestrator orchestrator_;
  RunnerService service_;
  store::User admin_;
  store::Project project_;
};

}  // namespace halo::engine::testing
