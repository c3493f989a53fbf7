// The runner protocol's server side: claims give leases and self-contained payloads, reports
// and results are taken only under the current lease, cancels arrive through extend, and an
// expired lease re-queues the job once, then fails it.
#include <future>
#include <thread>

#include "engine_fixture.h"

namespace halo::engine::testing {

namespace {

const char* kTwoJobs = R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    environment: {FROM_JOB: "1"}
    steps: [{run: echo build}]
  test:
    docker: [{image: x}]
    steps: [{run: echo test}]
workflows:
  w:
    jobs: [build, {test: {requires: [build]}}]
)";

const char* kTwoJobsForFixes = kTwoJobs;

}  // namespace

TEST_F(EngineTest, ClaimGivesALeaseAndASelfContainedPayload) {
  std::string wf = trigger(kTwoJobs);
  auto c = claim();
  ASSERT_TRUE(c);
  store::Job j = job(wf, "build");
  EXPECT_EQ(c->lease.job_id, j.id);
  EXPECT_EQ(c->lease.id, j.lease_id);
  EXPECT_FALSE(c->lease.id.empty());
  EXPECT_EQ(j.status, js::kRunning);
  EXPECT_EQ(j.lease_holder, "runner-a");
  EXPECT_EQ(j.lease_count, 1);
  EXPECT_EQ(j.lease_expires_at, clock_.now_ms() + kTtl);
  EXPECT_EQ(c->payload.job.name, "build");
  EXPECT_EQ(c->payload.job.environment.at("FROM_JOB"), "1");
  EXPECT_EQ(c->payload.environment.at("CIRCLE_JOB"), "build");
  EXPECT_EQ(c->payload.checkout_sha.size(), 40u);
  // Only one job is runnable; nothing else is handed out.
  EXPECT_FALSE(claim("runner-b"));
}

TEST_F(EngineTest, ReportsAndDoneAreTakenUnderTheCurrentLease) {
  std::string wf = trigger(kTwoJobs);
  auto c = claim();
  ASSERT_TRUE(c);
  EXPECT_TRUE(service_.step_started(c->lease, 0, 0, "echo build", clock_.now_ms()));
  EXPECT_TRUE(service_.step_output(c->lease, 0, 0, "build\n", clock_.now_ms()));
  EXPECT_TRUE(service_.step_finished(c->lease, 0, 0, {protocol::StepStatus::Success, 0, 1, 2}));
  auto steps = store_.steps_of_job(c->lease.job_id);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].status, "success");
  std::vector<store::LogRecord> out;
  logs_.read(c->lease.job_id, 0, 0, 1 << 20, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "build\n");

  protocol::Lease forged = c->lease;
  forged.id = "not-the-lease";
  EXPECT_FALSE(service_.step_output(forged, 0, 0, "x", 0));
  EXPECT_FALSE(service_.done(forged, protocol::JobOutcome::Failed, ""));
  EXPECT_EQ(status(wf, "build"), js::kRunning);

  EXPECT_TRUE(service_.done(c->lease, protocol::JobOutcome::Success, ""));
  EXPECT_EQ(status(wf, "build"), js::kSuccess);
  EXPECT_TRUE(job(wf, "build").lease_id.empty());
  EXPECT_EQ(status(wf, "test"), js::kQueued);
  // Done twice, or reports after done: refused, nothing changes.
  EXPECT_FALSE(service_.done(c->lease, protocol::JobOutcome::Failed, ""));
  EXPECT_FALSE(service_.step_output(c->lease, 0, 0, "late", 0));
  EXPECT_EQ(service_.extend(c->lease, std::chrono::milliseconds(0)), protocol::LeaseState::Stale);
  EXPECT_EQ(status(wf, "build"), js::kSuccess);
}

TEST_F(EngineTest, ExtendKeepsTheLeaseAlive) {
  std::string wf = trigger(kTwoJobs);
  auto c = claim();
  ASSERT_TRUE(c);
  for (int i = 0; i < 5; ++i) {
    clock_.advance(kTtl / 2);
    EXPECT_EQ(service_.extend(c->lease, std::chrono::milliseconds(0)), protocol::LeaseState::Ok);
    EXPECT_EQ(service_.expire_leases(), 0);
  }
  EXPECT_EQ(status(wf, "build"), js::kRunning);
  EXPECT_EQ(job(wf, "build").lease_expires_at, clock_.now_ms() + kTtl);
}

TEST_F(EngineTest, AnExpiredLeaseRequeuesTheJobOnceThenFailsIt) {
  std::string wf = trigger(kTwoJobs);
  auto first = claim();
  ASSERT_TRUE(first);
  ASSERT_TRUE(service_.step_started(first->lease, 0, 0, "echo build", clock_.now_ms()));
  ASSERT_TRUE(service_.step_output(first->lease, 0, 0, "first attempt\n", clock_.now_ms()));

  clock_.advance(kTtl - 1);
  EXPECT_EQ(service_.expire_leases(), 0) << "not yet expired";
  clock_.advance(2);
  EXPECT_EQ(service_.expire_leases(), 1);
  store::Job j = job(wf, "build");
  EXPECT_EQ(j.status, js::kQueued);
  EXPECT_TRUE(j.lease_id.empty());
  EXPECT_FALSE(j.message.empty());
  int64_t number = j.number;

  // The presumed-dead runner is refused from now on.
  EXPECT_FALSE(service_.step_output(first->lease, 0, 0, "zombie\n", clock_.now_ms()));
  EXPECT_FALSE(service_.done(first->lease, protocol::JobOutcome::Success, ""));
  EXPECT_EQ(service_.extend(first->lease, std::chrono::milliseconds(0)),
            protocol::LeaseState::Stale);

  auto second = claim("runner-b");
  ASSERT_TRUE(second);
  EXPECT_NE(second->lease.id, first->lease.id);
  j = job(wf, "build");
  EXPECT_EQ(j.lease_count, 2);
  EXPECT_EQ(j.number, number) << "the same job runs again";
  EXPECT_TRUE(store_.steps_of_job(j.id).empty()) << "the failed attempt's steps are dropped";
  std::vector<store::LogRecord> out;
  logs_.read(j.id, 0, 0, 1 << 20, out);
  EXPECT_TRUE(out.empty());

  clock_.advance(kTtl + 1);
  EXPECT_EQ(service_.expire_leases(), 1);
  EXPECT_EQ(status(wf, "build"), js::kInfrastructureFail);
  EXPECT_EQ(status(wf, "test"), js::kNotRun);
  EXPECT_EQ(store_.workflow_by_id(wf)->status, model::workflow_status::kFailed);
  EXPECT_FALSE(claim());
}

TEST_F(EngineTest, ARestartedServerExpiresItsOwnRunnersLeasesAtOnce) {
  std::string wf = trigger(kTwoJobs);
  auto c = claim("embedded-this-server");
  ASSERT_TRUE(c);
  // Another runner's lease is left alone until it runs out.
  EXPECT_EQ(service_.expire_leases_of("embedded-another-server"), 0);
  EXPECT_EQ(status(wf, "build"), js::kRunning);

  // What serve does at start: a fresh service on the same store.
  JobQueue queue;
  Orchestrator orchestrator(store_, queue, dir_.path(), clock_);
  RunnerService restarted(store_, logs_, queue, orchestrator,
                          {"http://halo.test", std::string(32, 'k'), kTtl}, clock_);
  EXPECT_EQ(restarted.expire_leases_of("embedded-this-server"), 1);
  EXPECT_EQ(status(wf, "build"), js::kQueued);
  orchestrator.recover();
  auto again = restarted.claim_next({"embedded-this-server"}, std::chrono::milliseconds(200));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->lease.job_id, c->lease.job_id);
}

TEST_F(EngineTest, ACancelReachesTheRunnerThroughExtendAtOnce) {
  std::string wf = trigger(kTwoJobs);
  auto c = claim();
  ASSERT_TRUE(c);
  auto waiting = std::async(std::launch::async, [&] {
    auto t0 = std::chrono::steady_clock::now();
    auto s = service_.extend(c->lease, std::chrono::seconds(30));
    return std::make_pair(s, std::chrono::steady_clock::now() - t0);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(orchestrator_.cancel_job(c->lease.job_id, admin_.id));
  auto [state, took] = waiting.get();
  EXPECT_EQ(state, protocol::LeaseState::Canceled);
  EXPECT_LT(took, std::chrono::seconds(10)) << "the long poll answers the cancel, not its timeout";
  // The job is still running until its runner says it stopped.
  EXPECT_EQ(status(wf, "build"), js::kRunning);
  // A later extend (say, from another server) learns it from the store.
  EXPECT_EQ(service_.extend(c->lease, std::chrono::milliseconds(0)),
            protocol::LeaseState::Canceled);
  EXPECT_TRUE(service_.done(c->lease, protocol::JobOutcome::Canceled, ""));
  EXPECT_EQ(status(wf, "build"), js::kCanceled);
  EXPECT_EQ(job(wf, "build").canceled_by, admin_.id);
}

TEST_F(EngineTest, ACanceledJobWhoseRunnerVanishedEndsCanceled) {
  std::string wf = trigger(kTwoJobs);
  auto c = claim();
  ASSERT_TRUE(c);
  ASSERT_TRUE(orchestrator_.cancel_workflow(wf, admin_.id));
  clock_.advance(kTtl + 1);
  EXPECT_EQ(service_.expire_leases(), 1);
  EXPECT_EQ(status(wf, "build"), js::kCanceled) << "a canceled job is not queued again";
  EXPECT_EQ(status(wf, "test"), js::kCanceled);
  EXPECT_EQ(store_.workflow_by_id(wf)->status, model::workflow_status::kCanceled);
}

TEST_F(EngineTest, LeasesOfAnOlderHaloAreFailed) {
  // A job left running by a version without leases has none: it is failed, as before.
  std::string wf = trigger(kTwoJobs);
  auto c = claim();
  ASSERT_TRUE(c);
  store_.update_workflow(wf, [&](store::WorkflowState& st) {
    for (auto& j : st.jobs) j.lease_id.clear();
  });
  EXPECT_EQ(service_.expire_leases_of("anyone"), 1);
  EXPECT_EQ(status(wf, "build"), js::kInfrastructureFail);
}

}  // namespace halo::engine::testing

namespace halo::engine::testing {

TEST_F(EngineTest, ARenewalThatComesFirstWinsOverAnExpiryDecidedEarlier) {
  std::string wf = trigger(kTwoJobsForFixes);
  auto c = claim();
  ASSERT_TRUE(c);
  // The reaper saw the lease expired at `seen`; the runner renewed it before the reaper's
  // write: the renewal wins.
  int64_t seen = clock_.now_ms() + kTtl + 1;
  clock_.set(seen);
  ASSERT_EQ(service_.extend(c->lease, std::chrono::milliseconds(0)), protocol::LeaseState::Ok);
  EXPECT_EQ(orchestrator_.expire_lease(c->lease.job_id, c->lease.id, seen),
            Orchestrator::Expiry::None);
  EXPECT_EQ(status(wf, "build"), js::kRunning);
}

TEST_F(EngineTest, ALongPollNeverOutlastsTheLease) {
  trigger(kTwoJobsForFixes);
  JobQueue queue;
  Orchestrator orchestrator(store_, queue, dir_.path());
  RunnerService short_leases(store_, logs_, queue, orchestrator,
                             {"http://halo.test", std::string(32, 'k'), 300});
  orchestrator.recover();
  auto c = short_leases.claim_next({"r"}, std::chrono::milliseconds(500));
  ASSERT_TRUE(c);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(short_leases.extend(c->lease, std::chrono::seconds(30)), protocol::LeaseState::Ok);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5))
      << "the wait is capped at a third of the lease's lifetime";
}

TEST_F(EngineTest, StepsLeftOpenEndWithTheirJob) {
  std::string wf = trigger(kTwoJobsForFixes);
  auto c = claim();
  ASSERT_TRUE(c);
  // The step's end was never reported (its report failed, say).
  ASSERT_TRUE(service_.step_started(c->lease, 0, 0, "echo build", clock_.now_ms()));
  ASSERT_TRUE(service_.done(c->lease, protocol::JobOutcome::Failed, ""));
  auto steps = store_.steps_of_job(c->lease.job_id);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].status, "failed");
  EXPECT_GT(steps[0].ended_at, 0);
}

TEST_F(EngineTest, AJobCanceledWhileItsRunnerStopsEndsCanceled) {
  std::string wf = trigger(kTwoJobsForFixes);
  auto c = claim();
  ASSERT_TRUE(c);
  ASSERT_TRUE(orchestrator_.cancel_job(c->lease.job_id, admin_.id));
  // The runner was stopped before it heard of the cancel.
  ASSERT_TRUE(service_.done(c->lease, protocol::JobOutcome::InfrastructureFail, "stopped"));
  EXPECT_EQ(status(wf, "build"), js::kCanceled);
}

}  // namespace halo::engine::testing
