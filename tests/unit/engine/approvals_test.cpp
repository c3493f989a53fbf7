// Approvals: approving the job a workflow holds on lets its dependants run; approving
// anything else is refused and changes nothing; a workflow on hold can be canceled.
#include "engine/approvals.h"

#include "engine_fixture.h"

namespace halo::engine::testing {

namespace {

const char* kHeldDeploy = R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps: [{run: echo build}]
  deploy:
    docker: [{image: x}]
    steps: [{run: echo deploy}]
workflows:
  w:
    jobs:
      - build
      - hold: {type: approval, requires: [build]}
      - deploy: {requires: [hold]}
)";

namespace ws = model::workflow_status;

}  // namespace

class ApprovalTest : public EngineTest {
 protected:
  // Triggers kHeldDeploy and lets build succeed, so the workflow holds on `hold`.
  std::string held_workflow() {
    std::string wf = trigger(kHeldDeploy);
    EXPECT_EQ(status(wf, "hold"), js::kBlocked);
    EXPECT_TRUE(orchestrator_.finish_job(job(wf, "build").id, js::kSuccess));
    EXPECT_EQ(status(wf, "hold"), js::kOnHold);
    EXPECT_EQ(store_.workflow_by_id(wf)->status, ws::kOnHold);
    return wf;
  }

  Approvals approvals_{orchestrator_};
};

TEST_F(ApprovalTest, ApprovingTheHoldRunsItsDependants) {
  std::string wf = held_workflow();
  clock_.advance(5000);
  EXPECT_FALSE(approvals_.approve(wf, job(wf, "hold").id, admin_));

  store::Job hold = job(wf, "hold");
  EXPECT_EQ(hold.status, js::kSuccess);
  EXPECT_EQ(hold.approved_by, admin_.id);
  EXPECT_EQ(hold.stopped_at - hold.started_at, 5000) << "it ran while it was on hold";
  EXPECT_EQ(hold.number, 2) << "approval jobs are numbered (when they hold), as on CircleCI";
  EXPECT_EQ(status(wf, "deploy"), js::kQueued);
  EXPECT_GT(job(wf, "deploy").number, 0);
  EXPECT_EQ(store_.workflow_by_id(wf)->status, ws::kRunning);

  auto c = claim();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->lease.job_id, job(wf, "deploy").id) << "the dependant reaches a runner";
}

TEST_F(ApprovalTest, ApprovingTwiceIsRefused) {
  std::string wf = held_workflow();
  std::string hold = job(wf, "hold").id;
  ASSERT_FALSE(approvals_.approve(wf, hold, admin_));
  auto again = approvals_.approve(wf, hold, admin_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kind, Refusal::Kind::Invalid);
  EXPECT_NE(again->message.find("already approved"), std::string::npos) << again->message;
}

TEST_F(ApprovalTest, ApprovingWhatIsNotAnApprovalOnHoldIsRefusedAndChangesNothing) {
  std::string wf = trigger(kHeldDeploy);
  std::string hold = job(wf, "hold").id;

  auto blocked = approvals_.approve(wf, hold, admin_);
  ASSERT_TRUE(blocked) << "the hold waits for build: nothing to approve yet";
  EXPECT_EQ(blocked->kind, Refusal::Kind::Invalid);
  EXPECT_NE(blocked->message.find("not on hold"), std::string::npos) << blocked->message;
  EXPECT_EQ(status(wf, "hold"), js::kBlocked);

  auto build = approvals_.approve(wf, job(wf, "build").id, admin_);
  ASSERT_TRUE(build);
  EXPECT_EQ(build->kind, Refusal::Kind::Invalid);
  EXPECT_NE(build->message.find("not an approval job"), std::string::npos) << build->message;

  auto unknown = approvals_.approve(wf, "no-such-job", admin_);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->kind, Refusal::Kind::NotFound);

  auto no_workflow = approvals_.approve("no-such-workflow", hold, admin_);
  ASSERT_TRUE(no_workflow);
  EXPECT_EQ(no_workflow->kind, Refusal::Kind::NotFound);

  // The hold of another workflow, named through this one.
  ASSERT_TRUE(orchestrator_.finish_job(job(wf, "build").id, js::kSuccess));
  std::string other = held_workflow();
  auto elsewhere = approvals_.approve(wf, job(other, "hold").id, admin_);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->kind, Refusal::Kind::NotFound);
  EXPECT_EQ(status(other, "hold"), js::kOnHold);
  EXPECT_EQ(status(wf, "hold"), js::kOnHold);
  EXPECT_EQ(status(wf, "deploy"), js::kBlocked);
}

TEST_F(ApprovalTest, AWorkflowOnHoldCanBeCanceledAndItsHoldThenNotApproved) {
  std::string wf = held_workflow();
  ASSERT_TRUE(orchestrator_.cancel_workflow(wf, admin_.id));
  EXPECT_EQ(status(wf, "hold"), js::kCanceled);
  EXPECT_EQ(status(wf, "deploy"), js::kCanceled);
  auto w = store_.workflow_by_id(wf);
  EXPECT_EQ(w->status, ws::kCanceled);
  EXPECT_GT(w->stopped_at, 0) << "nothing was running: the workflow stops at once";

  auto late = approvals_.approve(wf, job(wf, "hold").id, admin_);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->kind, Refusal::Kind::Invalid);
  EXPECT_EQ(status(wf, "deploy"), js::kCanceled);
}

TEST_F(ApprovalTest, CancelingTheHoldAloneMakesItsDependantsNotRun) {
  std::string wf = held_workflow();
  ASSERT_TRUE(orchestrator_.cancel_job(job(wf, "hold").id, admin_.id));
  EXPECT_EQ(status(wf, "hold"), js::kCanceled);
  EXPECT_EQ(status(wf, "deploy"), js::kNotRun);
  EXPECT_EQ(store_.workflow_by_id(wf)->status, ws::kCanceled);
}

}  // namespace halo::engine::testing
