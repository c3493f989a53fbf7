// The orchestrator's rules: approval and no-op jobs resolve to a fixpoint at once, a cancel
// before a runner has the job ends it without one, finishing a finished job changes nothing,
// and recovery re-queues what was queued.
#include "engine_fixture.h"

namespace halo::engine::testing {

TEST_F(EngineTest, ApprovalAndNoOpJobsResolveToAFixpoint) {
  std::string wf = trigger(R"(version: 2.1
jobs:
  noop: {type: no-op}
  after-noop:
    docker: [{image: x}]
    steps: [{run: echo a}]
  hold: {type: approval}
  after-hold:
    docker: [{image: x}]
    steps: [{run: echo b}]
workflows:
  w:
    jobs:
      - noop
      - after-noop: {requires: [noop]}
      - hold
      - after-hold: {requires: [hold]}
)");
  EXPECT_EQ(status(wf, "noop"), js::kSuccess);
  EXPECT_EQ(status(wf, "after-noop"), js::kQueued) << "a no-op's dependents run at once";
  EXPECT_EQ(status(wf, "hold"), js::kOnHold);
  EXPECT_EQ(status(wf, "after-hold"), js::kBlocked);
  EXPECT_EQ(job(wf, "noop").number, 0) << "no-op jobs get no job number";
  EXPECT_GT(job(wf, "after-noop").number, 0);
}

TEST_F(EngineTest, AChainOfNoOpsResolvesInOneWrite) {
  std::string wf = trigger(R"(version: 2.1
jobs:
  n: {type: no-op}
  last:
    docker: [{image: x}]
    steps: [{run: echo a}]
workflows:
  w:
    jobs:
      - n: {name: n1}
      - n: {name: n2, requires: [n1]}
      - n: {name: n3, requires: [n2]}
      - last: {requires: [n3]}
)");
  for (auto name : {"n1", "n2", "n3"}) EXPECT_EQ(status(wf, name), js::kSuccess) << name;
  EXPECT_EQ(status(wf, "last"), js::kQueued);
}

TEST_F(EngineTest, ACancelBeforeAnyRunnerHasTheJobEndsItWithoutOne) {
  std::string wf = trigger(R"(version: 2.1
jobs:
  a:
    docker: [{image: x}]
    steps: [{run: echo a}]
workflows:
  w: {jobs: [a]}
)");
  std::string id = job(wf, "a").id;
  ASSERT_TRUE(orchestrator_.cancel_job(id, admin_.id));
  EXPECT_EQ(status(wf, "a"), js::kCanceled);
  EXPECT_EQ(store_.workflow_by_id(wf)->status, model::workflow_status::kCanceled);
  // The queue still holds the id; claiming it finds nothing to run.
  EXPECT_FALSE(claim());
  EXPECT_FALSE(orchestrator_.cancel_job("no-such-job", admin_.id));
}

TEST_F(EngineTest, FinishingAFinishedJobChangesNothing) {
  std::string wf = trigger(R"(version: 2.1
jobs:
  a:
    docker: [{image: x}]
    steps: [{run: echo a}]
  b:
    docker: [{image: x}]
    steps: [{run: echo b}]
workflows:
  w: {jobs: [a, {b: {requires: [a]}}]}
)");
  auto c = claim();
  ASSERT_TRUE(c);
  EXPECT_TRUE(orchestrator_.finish_job(c->lease.job_id, js::kSuccess));
  store::Job done = job(wf, "a");
  clock_.advance(1000);
  EXPECT_FALSE(orchestrator_.finish_job(c->lease.job_id, js::kFailed, "late"));
  store::Job again = job(wf, "a");
  EXPECT_EQ(again.status, js::kSuccess);
  EXPECT_EQ(again.stopped_at, done.stopped_at);
  EXPECT_EQ(again.message, "");
  EXPECT_EQ(status(wf, "b"), js::kQueued);
  EXPECT_FALSE(orchestrator_.finish_job("no-such-job", js::kSuccess));
}

TEST_F(EngineTest, RecoveryQueuesQueuedJobsAgain) {
  std::string wf = trigger(R"(version: 2.1
jobs:
  a:
    docker: [{image: x}]
    steps: [{run: echo a}]
workflows:
  w: {jobs: [a]}
)");
  // A restart: the in-process queue is gone, the store still says queued.
  JobQueue queue;
  Orchestrator orchestrator(store_, queue, dir_.path(), clock_);
  RunnerService restarted(store_, logs_, queue, orchestrator,
                          {"http://halo.test", std::string(32, 'k'), kTtl}, clock_);
  EXPECT_FALSE(restarted.claim_next({"r"}, std::chrono::milliseconds(50)));
  orchestrator.recover();
  auto c = restarted.claim_next({"r"}, std::chrono::milliseconds(200));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->lease.job_id, job(wf, "a").id);
}

}  // namespace halo::engine::testing
