// The Store contract for approvals and reruns: a rerun workflow is written whole with its
// jobs and events, its carried-over jobs keep the number of the job they stand for without
// taking that number from it, and who approved a job is kept.
#include <algorithm>

#include "common/crypto.h"
#include "store_contract.h"

namespace halo::store::contract {

namespace {

// A rerun of `w`: a new workflow of the same pipeline, its jobs copied from `old` as blocked,
// except those named in `carried`, which stand for the old job with its status and number.
WorkflowState rerun_of(const Workflow& w, const std::vector<Job>& old,
                       const std::vector<std::string>& carried) {
  WorkflowState st;
  st.workflow = w;
  st.workflow.id = uuid_v4();
  st.workflow.status = "running";
  st.workflow.stopped_at = 0;
  st.workflow.position = w.position + 1;
  st.workflow.rerun_of = w.id;
  for (const auto& o : old) {
    Job j = o;
    j.id = uuid_v4();
    j.workflow_id = st.workflow.id;
    if (std::find(carried.begin(), carried.end(), o.name) != carried.end()) {
      j.origin_job_id = o.id;
    } else {
      j.status = "blocked";
      j.number = 0;
      j.queued_at = j.started_at = j.stopped_at = 0;
    }
    st.jobs.push_back(std::move(j));
  }
  return st;
}

}  // namespace

TEST_P(StoreContract, ARerunWorkflowIsWrittenWithItsJobsAndEventsAndNumbersContinue) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued", "queued"});
  ASSERT_EQ(t.js[1].number, 2);
  store.update_workflow(t.ws[0].id, [](WorkflowState& s) {
    s.jobs[0].status = "success";
    s.jobs[1].status = "failed";
    s.workflow.status = "failed";
  });

  WorkflowState st = rerun_of(t.ws[0], store.jobs_of_workflow(t.ws[0].id), {"j0"});
  st.jobs[1].status = "queued";
  st.outbox.push_back(event("hook", kT0 + 30));
  store.create_workflow(st);

  EXPECT_EQ(st.jobs[1].number, 3) << "the rerun job gets the project's next number";
  auto w = store.workflow_by_id(st.workflow.id);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->rerun_of, t.ws[0].id);
  EXPECT_EQ(w->position, 1);
  auto wfs = store.workflows_of_pipeline(t.p.id);
  ASSERT_EQ(wfs.size(), 2u) << "the pipeline lists both workflows";
  EXPECT_EQ(wfs[1].id, st.workflow.id);
  EXPECT_EQ(wfs[0].rerun_of, "");

  auto jobs = store.jobs_of_workflow(st.workflow.id);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].status, "success");
  EXPECT_EQ(jobs[0].number, 1) << "a carried-over job shows the number of the job it stands for";
  EXPECT_EQ(jobs[0].origin_job_id, t.js[0].id);
  EXPECT_EQ(jobs[1].number, 3);
  EXPECT_EQ(jobs[1].origin_job_id, "");
  EXPECT_EQ(store.job_by_number(p.id, 1)->id, t.js[0].id) << "a number names the job that ran";
  EXPECT_EQ(store.job_by_number(p.id, 3)->id, jobs[1].id);
  EXPECT_EQ(store.events_for_target("hook").size(), 1u);

  // Numbers continue after the rerun.
  Tree next = tree(p, u, {"queued"});
  EXPECT_EQ(next.js[0].number, 4);
}

TEST_P(StoreContract, ACarriedOverJobCanBeCarriedAgainByARerunOfTheRerun) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"success", "failed"});
  WorkflowState first = rerun_of(t.ws[0], t.js, {"j0"});
  store.create_workflow(first);
  WorkflowState second = rerun_of(first.workflow, first.jobs, {"j0"});
  second.jobs[0].origin_job_id = t.js[0].id;
  EXPECT_NO_THROW(store.create_workflow(second));
  EXPECT_EQ(store.jobs_of_workflow(second.workflow.id)[0].origin_job_id, t.js[0].id);
}

TEST_P(StoreContract, CreatingAWorkflowOfAnUnknownPipelineWritesNothing) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"failed"});
  WorkflowState st = rerun_of(t.ws[0], t.js, {});
  st.workflow.pipeline_id = "no-such-pipeline";
  for (auto& j : st.jobs) j.pipeline_id = "no-such-pipeline";
  st.outbox.push_back(event("hook", kT0));
  EXPECT_THROW(store.create_workflow(st), std::exception);
  EXPECT_FALSE(store.workflow_by_id(st.workflow.id));
  EXPECT_FALSE(store.job_by_id(st.jobs[0].id));
  EXPECT_TRUE(store.events_for_target("hook").empty());
}

TEST_P(StoreContract, ApprovalJobsAreNumberedWhenTheyHoldAndNoOpJobsNever) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  auto write = [&](const std::string& hold_status, const std::string& noop_status) {
    Tree t;
    t.p = pipeline(p, u);
    t.ws.push_back(workflow(t.p, "w"));
    t.js.push_back(job(t.ws[0], "hold", hold_status, 0, "approval"));
    t.js.push_back(job(t.ws[0], "n", noop_status, 1, "no-op"));
    store.create_pipeline(t.p, t.ws, t.js);
    return t;
  };
  Tree t = write("on_hold", "success");
  EXPECT_EQ(t.js[0].number, 1) << "created on hold";
  EXPECT_EQ(t.js[1].number, 0);
  Tree later = write("blocked", "blocked");
  EXPECT_EQ(later.js[0].number, 0);
  auto st = store.update_workflow(later.ws[0].id, [](WorkflowState& s) {
    s.jobs[0].status = "on_hold";
    s.jobs[1].status = "success";
  });
  EXPECT_EQ(st->jobs[0].number, 2) << "on hold later";
  EXPECT_EQ(st->jobs[1].number, 0);
}

TEST_P(StoreContract, WhoApprovedAJobIsWrittenByUpdateWorkflow) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"on_hold"});
  store.update_workflow(t.ws[0].id, [&](WorkflowState& s) {
    s.jobs[0].status = "success";
    s.jobs[0].approved_by = u.id;
  });
  EXPECT_EQ(store.job_by_id(t.js[0].id)->approved_by, u.id);
  EXPECT_EQ(store.jobs_of_workflow(t.ws[0].id)[0].approved_by, u.id);
}

}  // namespace halo::store::contract
