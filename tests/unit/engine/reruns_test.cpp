// Reruns: a finished workflow is run again as a new workflow of its pipeline, all of it or
// the jobs the request selects; the jobs it does not run again are carried over with their
// outcome and number. Wrong requests are refused and create nothing.
#include "engine/reruns.h"

#include "engine_fixture.h"

namespace halo::engine::testing {

namespace {

namespace ws = model::workflow_status;

// build -> test -> deploy, and lint on its own.
const char* kChainAndLint = R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps: [{run: echo build}]
  test:
    docker: [{image: x}]
    steps: [{run: echo test}]
  deploy:
    docker: [{image: x}]
    steps: [{run: echo deploy}]
  lint:
    docker: [{image: x}]
    steps: [{run: echo lint}]
workflows:
  w:
    jobs:
      - build
      - test: {requires: [build]}
      - deploy: {requires: [test]}
      - lint
)";

}  // namespace

class RerunTest : public EngineTest {
 protected:
  // Triggers kChainAndLint and ends its jobs: build, lint succeed; test ends `test_status`.
  std::string finished_workflow(const std::string& test_status) {
    std::string wf = trigger(kChainAndLint);
    finish(wf, "build", js::kSuccess);
    finish(wf, "lint", js::kSuccess);
    finish(wf, "test", test_status);
    if (test_status == js::kSuccess) finish(wf, "deploy", js::kSuccess);
    EXPECT_TRUE(model::workflow_is_terminal(store_.workflow_by_id(wf)->status));
    return wf;
  }
  void finish(const std::string& wf, const std::string& name, const std::string& st) {
    EXPECT_TRUE(orchestrator_.finish_job(job(wf, name).id, st)) << name;
  }
  std::string rerun(const std::string& wf, const RerunRequest& req) {
    auto r = reruns_.rerun(wf, req, admin_);
    EXPECT_FALSE(r.refusal) << r.refusal->message;
    return r.workflow_id;
  }
  // The message of the refusal `req` gets (and that nothing was created).
  std::string refused(const std::string& wf, const RerunRequest& req,
                      Refusal::Kind kind = Refusal::Kind::Invalid) {
    auto pipeline = store_.workflow_by_id(wf)->pipeline_id;
    size_t before = store_.workflows_of_pipeline(pipeline).size();
    auto r = reruns_.rerun(wf, req, admin_);
    EXPECT_TRUE(r.workflow_id.empty());
    EXPECT_EQ(store_.workflows_of_pipeline(pipeline).size(), before);
    if (!r.refusal) {
      ADD_FAILURE() << "not refused";
      return "";
    }
    EXPECT_EQ(r.refusal->kind, kind) << r.refusal->message;
    return r.refusal->message;
  }

  Reruns reruns_{store_, orchestrator_};
};

TEST_F(RerunTest, APlainRerunRunsEveryJobAgainInANewWorkflowOfThePipeline) {
  std::string old = finished_workflow(js::kFailed);
  clock_.advance(1000);
  std::string wf = rerun(old, {});
  ASSERT_NE(wf, old);

  auto w = store_.workflow_by_id(wf);
  auto o = store_.workflow_by_id(old);
  EXPECT_EQ(w->pipeline_id, o->pipeline_id);
  EXPECT_EQ(w->name, "w");
  EXPECT_EQ(w->rerun_of, old);
  EXPECT_EQ(w->started_by, admin_.id);
  EXPECT_EQ(w->status, ws::kRunning);
  EXPECT_EQ(w->created_at, clock_.now_ms());
  auto wfs = store_.workflows_of_pipeline(w->pipeline_id);
  ASSERT_EQ(wfs.size(), 2u);
  EXPECT_EQ(wfs[1].id, wf) << "the rerun is listed after the workflow it reruns";

  EXPECT_EQ(status(wf, "build"), js::kQueued);
  EXPECT_EQ(status(wf, "lint"), js::kQueued);
  EXPECT_EQ(status(wf, "test"), js::kBlocked);
  EXPECT_EQ(status(wf, "deploy"), js::kBlocked);
  EXPECT_EQ(job(wf, "build").spec, job(old, "build").spec) << "the same compiled job";
  EXPECT_EQ(job(wf, "build").origin_job_id, "");
  // build 1, lint 2, test 3 ran before: numbers continue.
  EXPECT_EQ(job(wf, "build").number, 4);
  EXPECT_EQ(job(wf, "lint").number, 5);
  EXPECT_EQ(status(old, "test"), js::kFailed) << "the workflow rerun is left as it was";
}

TEST_F(RerunTest, FromFailedCarriesSuccessfulJobsOverAndRunsTheRest) {
  std::string old = finished_workflow(js::kFailed);
  std::string wf = rerun(old, {.from_failed = true});

  store::Job build = job(wf, "build");
  EXPECT_EQ(build.status, js::kSuccess);
  EXPECT_EQ(build.number, job(old, "build").number) << "it stands for the job that ran";
  EXPECT_EQ(build.origin_job_id, job(old, "build").id);
  EXPECT_EQ(status(wf, "lint"), js::kSuccess);
  EXPECT_EQ(status(wf, "test"), js::kQueued) << "its upstream counts as done";
  EXPECT_EQ(job(wf, "test").number, 4);
  EXPECT_EQ(status(wf, "deploy"), js::kBlocked);

  // Only the rerun job reaches a runner.
  auto c = claim();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->lease.job_id, job(wf, "test").id);
  EXPECT_EQ(c->payload.environment["CIRCLE_WORKFLOW_ID"], wf);
  EXPECT_EQ(c->payload.environment["CIRCLE_WORKFLOW_WORKSPACE_ID"], old)
      << "a rerun shares the workspace id of the workflow first run";
  EXPECT_FALSE(claim());

  finish(wf, "test", js::kSuccess);
  EXPECT_EQ(status(wf, "deploy"), js::kQueued);
  finish(wf, "deploy", js::kSuccess);
  EXPECT_EQ(store_.workflow_by_id(wf)->status, ws::kSuccess);
  EXPECT_EQ(store_.workflow_by_id(old)->status, ws::kFailed);
}

TEST_F(RerunTest, ARerunOfARerunCarriesTheJobThatReallyRan) {
  std::string old = finished_workflow(js::kFailed);
  std::string first = rerun(old, {.from_failed = true});
  finish(first, "test", js::kFailed);
  std::string second = rerun(first, {.from_failed = true});
  EXPECT_EQ(job(second, "build").origin_job_id, job(old, "build").id);
  EXPECT_EQ(job(second, "build").number, job(old, "build").number);
  EXPECT_EQ(status(second, "test"), js::kQueued);
  EXPECT_EQ(store_.workflows_of_pipeline(store_.workflow_by_id(old)->pipeline_id).size(), 3u);
}

TEST_F(RerunTest, ChosenJobsRunWithTheirDownstreamAndOtherJobsUnlessSparse) {
  std::string old = finished_workflow(js::kSuccess);
  std::string test_id = job(old, "test").id;

  std::string wf = rerun(old, {.jobs = {test_id}});
  EXPECT_EQ(status(wf, "build"), js::kSuccess) << "what test needs is carried over";
  EXPECT_EQ(job(wf, "build").origin_job_id, job(old, "build").id);
  EXPECT_EQ(status(wf, "test"), js::kQueued);
  EXPECT_EQ(status(wf, "deploy"), js::kBlocked);
  EXPECT_EQ(status(wf, "lint"), js::kQueued) << "without sparse_tree, unrelated jobs run too";

  std::string sparse = rerun(old, {.jobs = {test_id}, .sparse_tree = true});
  EXPECT_EQ(status(sparse, "build"), js::kSuccess);
  EXPECT_EQ(status(sparse, "test"), js::kQueued);
  EXPECT_EQ(status(sparse, "deploy"), js::kBlocked);
  EXPECT_EQ(status(sparse, "lint"), js::kSuccess) << "a sparse tree carries unrelated jobs";
  EXPECT_EQ(job(sparse, "lint").origin_job_id, job(old, "lint").id);
}

TEST_F(RerunTest, AnApprovalIsHeldAgainUnlessItIsCarriedOver) {
  std::string old = trigger(R"(version: 2.1
jobs:
  deploy:
    docker: [{image: x}]
    steps: [{run: echo deploy}]
workflows:
  w:
    jobs:
      - hold: {type: approval}
      - deploy: {requires: [hold]}
)");
  store::Job hold = job(old, "hold");
  ASSERT_TRUE(orchestrator_.change_workflow(old, [&](store::WorkflowState& st) {
    st.jobs[0].status = js::kSuccess;
    st.jobs[0].approved_by = admin_.id;
    return true;
  }));
  finish(old, "deploy", js::kFailed);

  std::string from_failed = rerun(old, {.from_failed = true});
  EXPECT_EQ(job(from_failed, "hold").approved_by, admin_.id);
  EXPECT_EQ(status(from_failed, "deploy"), js::kQueued) << "no second approval needed";

  finish(from_failed, "deploy", js::kFailed);
  std::string all = rerun(from_failed, {});
  EXPECT_EQ(status(all, "hold"), js::kOnHold);
  EXPECT_EQ(job(all, "hold").approved_by, "");
  EXPECT_EQ(store_.workflow_by_id(all)->status, ws::kOnHold);
}

TEST_F(RerunTest, WrongRequestsAreRefusedAndCreateNothing) {
  std::string running = trigger(kChainAndLint);
  EXPECT_NE(refused(running, {}).find("terminal state to be rerun"), std::string::npos);

  std::string old = finished_workflow(js::kSuccess);
  std::string test_id = job(old, "test").id;
  EXPECT_NE(refused(old, {.jobs = {test_id}, .enable_ssh = true}).find("SSH"), std::string::npos);
  EXPECT_NE(refused(old, {.from_failed = true, .jobs = {test_id}}).find("together"),
            std::string::npos);
  EXPECT_NE(refused(old, {.sparse_tree = true}).find("needs jobs"), std::string::npos);
  EXPECT_NE(refused(old, {.jobs = {job(running, "test").id}}).find("not a job of"),
            std::string::npos);
  EXPECT_NE(refused(old, {.from_failed = true}).find("no failed jobs"), std::string::npos);
  EXPECT_FALSE(reruns_.rerun("no-such-workflow", {}, admin_).workflow_id.size());
  EXPECT_EQ(reruns_.rerun("no-such-workflow", {}, admin_).refusal->kind, Refusal::Kind::NotFound);
}

}  // namespace halo::engine::testing
