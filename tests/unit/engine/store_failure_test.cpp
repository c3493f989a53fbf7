// The engine over a store that fails on demand: an I/O error at any step of a job's life
// loses nothing. The job stays where the store last had it, and the lease rules move it on.
#include "engine_fixture.h"
#include "support/store/faulty_store.h"

namespace halo::engine::testing {

namespace {

const char* kOneJob = R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps: [{run: echo build}]
  after:
    docker: [{image: x}]
    steps: [{run: echo after}]
workflows:
  w:
    jobs: [build, {after: {requires: [build]}}]
)";

// The same engine as EngineTest, but over a FaultyStore wrapping its SQLite file.
class StoreFailureTest : public EngineTest {
 protected:
  StoreFailureTest()
      : faulty_(store_),
        orchestrator2_(faulty_, queue2_, dir_.path(), clock_),
        service2_(faulty_, logs_, queue2_, orchestrator2_,
                  {"http://halo.test", std::string(32, 'k'), kTtl}, clock_) {}

  std::string trigger_here(const std::string& config) {
    repo_.write(".circleci/config.yml", config);
    repo_.commit("config");
    auto p = orchestrator2_.trigger(project_, admin_, TriggerRequest{});
    auto wfs = store_.workflows_of_pipeline(p.id);
    return wfs.empty() ? "" : wfs[0].id;
  }
  std::optional<protocol::Claim> claim_here() {
    return service2_.claim_next({"runner-a"}, std::chrono::milliseconds(200));
  }

  store::FaultyStore faulty_;
  JobQueue queue2_;
  Orchestrator orchestrator2_;
  RunnerService service2_;
};

using Fault = store::FaultyStore::Fault;
using When = store::FaultyStore::When;

}  // namespace

TEST_F(StoreFailureTest, AFailedClaimLeavesTheJobQueuedAndClaimable) {
  std::string wf = trigger_here(kOneJob);
  faulty_.arm(Fault{"update_workflow", 1, 1, When::during});
  EXPECT_THROW(claim_here(), store::InjectedFault);
  EXPECT_EQ(status(wf, "build"), js::kQueued);
  EXPECT_TRUE(job(wf, "build").lease_id.empty());
  auto c = claim_here();
  ASSERT_TRUE(c) << "the wakeup was kept";
  EXPECT_EQ(c->lease.job_id, job(wf, "build").id);
}

TEST_F(StoreFailureTest, AJobWhosePayloadCannotBeBuiltIsQueuedAgainOnce) {
  std::string wf = trigger_here(kOneJob);
  faulty_.arm(Fault{"pipeline_by_id", 1, 1});
  auto c = claim_here();
  ASSERT_TRUE(c) << "given up, queued again, and claimed again by the same call";
  store::Job j = job(wf, "build");
  EXPECT_EQ(j.status, js::kRunning);
  EXPECT_EQ(j.lease_count, 2);
  EXPECT_NE(j.message.find("could not be dispatched"), std::string::npos) << j.message;
}

TEST_F(StoreFailureTest, AJobWhosePayloadCannotBeBuiltTwiceFails) {
  std::string wf = trigger_here(kOneJob);
  faulty_.arm(Fault{"pipeline_by_id", 1, 2});
  EXPECT_FALSE(claim_here());
  store::Job j = job(wf, "build");
  EXPECT_EQ(j.status, js::kInfrastructureFail);
  EXPECT_NE(j.message.find("could not be dispatched"), std::string::npos) << j.message;
  EXPECT_EQ(status(wf, "after"), js::kNotRun);
}

TEST_F(StoreFailureTest, AFailedResultIsNotLostTheJobRunsAgain) {
  std::string wf = trigger_here(kOneJob);
  auto c = claim_here();
  ASSERT_TRUE(c);
  faulty_.arm(Fault{"update_workflow", 1, 1, When::during});
  EXPECT_THROW(service2_.done(c->lease, protocol::JobOutcome::Success, ""), store::InjectedFault);
  EXPECT_EQ(status(wf, "build"), js::kRunning) << "rolled back: still running under its lease";
  EXPECT_EQ(status(wf, "after"), js::kBlocked);
  // Its runner reported and went away; the lease runs out and the job is queued again.
  clock_.advance(kTtl + 1);
  EXPECT_EQ(service2_.expire_leases(), 1);
  EXPECT_EQ(status(wf, "build"), js::kQueued);
  auto again = claim_here();
  ASSERT_TRUE(again);
  EXPECT_TRUE(service2_.done(again->lease, protocol::JobOutcome::Success, ""));
  EXPECT_EQ(status(wf, "build"), js::kSuccess);
  EXPECT_EQ(status(wf, "after"), js::kQueued);
}

TEST_F(StoreFailureTest, AResultTheStoreFailedToRecordCanBeSaidAgain) {
  std::string wf = trigger_here(kOneJob);
  auto c = claim_here();
  ASSERT_TRUE(c);
  faulty_.arm(Fault{"update_workflow", 1, 1, When::during});
  EXPECT_THROW(service2_.done(c->lease, protocol::JobOutcome::Success, ""), store::InjectedFault);
  // The lease is still current: the runner keeps it and says it again.
  EXPECT_EQ(service2_.extend(c->lease, std::chrono::milliseconds(0)), protocol::LeaseState::Ok);
  EXPECT_TRUE(service2_.done(c->lease, protocol::JobOutcome::Success, ""));
  EXPECT_EQ(status(wf, "build"), js::kSuccess);
  EXPECT_EQ(status(wf, "after"), js::kQueued);
}

TEST_F(StoreFailureTest, AResultCommittedButUnansweredIsNotRecordedTwice) {
  std::string wf = trigger_here(kOneJob);
  auto c = claim_here();
  ASSERT_TRUE(c);
  faulty_.arm(Fault{"update_workflow", 1, 1, When::after});
  EXPECT_THROW(service2_.done(c->lease, protocol::JobOutcome::Failed, ""), store::InjectedFault);
  EXPECT_EQ(status(wf, "build"), js::kFailed);
  // A retry of the same report (or a late expiry) finds the lease gone and changes nothing.
  EXPECT_FALSE(service2_.done(c->lease, protocol::JobOutcome::Success, ""));
  clock_.advance(kTtl + 1);
  EXPECT_EQ(service2_.expire_leases(), 0);
  EXPECT_EQ(status(wf, "build"), js::kFailed);
  EXPECT_EQ(status(wf, "after"), js::kNotRun);
}

TEST_F(StoreFailureTest, ExpiryDuringAnOutageHappensOnceTheStoreIsBack) {
  std::string wf = trigger_here(kOneJob);
  auto c = claim_here();
  ASSERT_TRUE(c);
  clock_.advance(kTtl + 1);
  faulty_.arm(Fault{"*", 1, -1});
  EXPECT_THROW(service2_.expire_leases(), store::InjectedFault);
  faulty_.disarm();
  EXPECT_EQ(status(wf, "build"), js::kRunning);
  EXPECT_EQ(service2_.expire_leases(), 1);
  EXPECT_EQ(status(wf, "build"), js::kQueued);
}

TEST_F(StoreFailureTest, AFailedTriggerLeavesNothingHalfWritten) {
  repo_.write(".circleci/config.yml", kOneJob);
  repo_.commit("config");
  faulty_.arm(Fault{"create_pipeline"});
  EXPECT_THROW(orchestrator2_.trigger(project_, admin_, TriggerRequest{}), store::InjectedFault);
  store::PipelineFilter f;
  f.project_id = project_.id;
  EXPECT_TRUE(store_.list_pipelines(f, std::nullopt, 10).items.empty());
  EXPECT_FALSE(claim_here()) << "nothing was queued";
}

}  // namespace halo::engine::testing
