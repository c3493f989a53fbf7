// Atomicity under failure: a write that fails part-way leaves nothing behind, whatever the
// implementation. Failures come from the data itself (a constraint violation after some rows
// were written) or from a FaultyStore wrapped around the store under test.
#include <atomic>
#include <thread>

#include "common/crypto.h"
#include "store_contract.h"
#include "support/store/faulty_store.h"

namespace halo::store::contract {

class StoreAtomicity : public StoreContract {
 protected:
  FaultyStore faulty{store};
  using When = FaultyStore::When;

  // Everything a pipeline would have written is absent.
  void expect_nothing_of(const Tree& t, const std::string& outbox_target) {
    EXPECT_FALSE(store.pipeline_by_id(t.p.id));
    EXPECT_FALSE(store.pipeline_config(t.p.id));
    EXPECT_FALSE(store.pipeline_by_number(t.p.project_id, t.p.number));
    EXPECT_TRUE(store.workflows_of_pipeline(t.p.id).empty());
    for (const auto& w : t.ws) {  // (an id may clash with an older pipeline's row)
      auto got = store.workflow_by_id(w.id);
      EXPECT_TRUE(!got || got->pipeline_id != t.p.id);
      for (const auto& j : store.jobs_of_workflow(w.id)) EXPECT_NE(j.pipeline_id, t.p.id);
    }
    for (const auto& j : t.js) {
      auto got = store.job_by_id(j.id);
      EXPECT_TRUE(!got || got->pipeline_id != t.p.id);
    }
    EXPECT_TRUE(store.events_for_target(outbox_target).empty());
  }
};

TEST_P(StoreAtomicity, CreatePipelineFailingAfterSomeRowsLeavesNoPipelineWorkflowJobOrEvent) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree first = tree(p, u, {"queued"});
  // Each attempt fails on a duplicate id after the pipeline (and more) was written.
  for (const char* clash : {"workflow", "last job"}) {
    SCOPED_TRACE(clash);
    Tree t;
    t.p = pipeline(p, u);
    t.ws.push_back(workflow(t.p, "a", 0));
    t.ws.push_back(workflow(t.p, "b", 1));
    if (std::string(clash) == "workflow") t.ws[1].id = first.ws[0].id;
    t.js.push_back(job(t.ws[0], "fresh", "queued", 0));  // would take job number 2
    t.js.push_back(job(t.ws[0], "dup", "queued", 1));
    if (std::string(clash) == "last job") t.js[1].id = first.js[0].id;
    EXPECT_ANY_THROW(store.create_pipeline(t.p, t.ws, t.js, {event("created", kT0)}));
    expect_nothing_of(t, "created");
    EXPECT_FALSE(store.job_by_number(p.id, 2));
    // What already existed is untouched.
    EXPECT_EQ(store.workflow_by_id(first.ws[0].id)->pipeline_id, first.p.id);
    EXPECT_EQ(store.job_by_id(first.js[0].id)->pipeline_id, first.p.id);
  }
  PipelineFilter f;
  f.project_id = p.id;
  auto listed = store.list_pipelines(f, std::nullopt, 10).items;
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, first.p.id);
  // The store is usable and numbering continues.
  Tree next = tree(p, u, {"queued"});
  EXPECT_TRUE(store.pipeline_by_id(next.p.id));
  EXPECT_GT(next.js[0].number, 1);
}

TEST_P(StoreAtomicity, CreatePipelineFailingBeforeTheStoreWritesNothingAndLeavesANumberGap) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  faulty.arm({"create_pipeline"});
  Tree t;
  t.p = pipeline(p, u);
  t.ws.push_back(workflow(t.p, "w"));
  t.js.push_back(job(t.ws[0], "j", "queued", 0));
  EXPECT_THROW(faulty.create_pipeline(t.p, t.ws, t.js, {event("created", kT0)}), InjectedFault);
  expect_nothing_of(t, "created");
  EXPECT_FALSE(store.job_by_id(t.js[0].id));
  EXPECT_EQ(faulty.faults_thrown(), 1);
  // The fault fired once; the retry (with a fresh number, as after a crash) succeeds.
  Pipeline retry = pipeline(p, u);
  std::vector<Workflow> ws;
  std::vector<Job> js;
  faulty.create_pipeline(retry, ws, js);
  EXPECT_EQ(retry.number, t.p.number + 1) << "the reserved number is a gap, not reused";
  EXPECT_TRUE(store.pipeline_by_id(retry.id));
}

TEST_P(StoreAtomicity, UpdateWorkflowFailingInsideTheTransactionLeavesTheWorkflowAsBefore) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued", "blocked"});
  ASSERT_TRUE(store.claim_job(t.js[0].id, kT0));
  faulty.arm({"update_workflow", 1, 1, When::during});
  int calls = 0;
  EXPECT_THROW(faulty.update_workflow(t.ws[0].id,
                                      [&](WorkflowState& s) {
                                        ++calls;
                                        s.workflow.status = "success";
                                        s.workflow.stopped_at = kT0 + 9;
                                        s.jobs[0].status = "success";
                                        s.jobs[0].stopped_at = kT0 + 9;
                                        s.jobs[1].status = "queued";
                                        s.outbox.push_back(event("hook", kT0 + 9));
                                      }),
               InjectedFault);
  EXPECT_EQ(calls, 1) << "the change ran; the failure came after it";
  auto w = store.workflow_by_id(t.ws[0].id);
  EXPECT_EQ(w->status, "running");
  EXPECT_EQ(w->stopped_at, 0);
  auto jobs = store.jobs_of_workflow(t.ws[0].id);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].status, "running");
  EXPECT_EQ(jobs[0].stopped_at, 0);
  EXPECT_EQ(jobs[1].status, "blocked");
  EXPECT_EQ(jobs[1].number, 0) << "no job number was handed out";
  EXPECT_TRUE(store.events_for_target("hook").empty()) << "no outbox event escaped";
  // The same change succeeds once the fault has passed, and numbering has no gap.
  auto st =
      faulty.update_workflow(t.ws[0].id, [](WorkflowState& s) { s.jobs[1].status = "queued"; });
  ASSERT_TRUE(st);
  EXPECT_EQ(st->jobs[1].number, t.js[0].number + 1);
}

TEST_P(StoreAtomicity, AFailureAfterTheStoreCommittedLeavesTheChangeInPlace) {
  // What a caller sees when the reply is lost: an error, though the write is durable.
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued"});
  faulty.arm({"update_workflow", 1, 1, When::after});
  faulty.arm({"claim_job", 1, 1, When::after});
  EXPECT_THROW(faulty.claim_job(t.js[0].id, kT0), InjectedFault);
  EXPECT_EQ(store.job_by_id(t.js[0].id)->status, "running");
  EXPECT_THROW(
      faulty.update_workflow(t.ws[0].id, [](WorkflowState& s) { s.workflow.status = "failed"; }),
      InjectedFault);
  EXPECT_EQ(store.workflow_by_id(t.ws[0].id)->status, "failed");
}

TEST_P(StoreAtomicity, ADuringFaultFailsEvenWhenTheWorkflowIsUnknown) {
  faulty.arm({"update_workflow", 1, 1, When::during});
  EXPECT_THROW(faulty.update_workflow("no-such-workflow", [](WorkflowState&) {}), InjectedFault);
  EXPECT_FALSE(faulty.update_workflow("no-such-workflow", [](WorkflowState&) {}));
}

TEST_P(StoreAtomicity, FaultsFireOnTheNthMatchingCallOnly) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued", "queued", "queued"});
  faulty.arm({"claim_job", 2});
  EXPECT_TRUE(faulty.claim_job(t.js[0].id, kT0));
  EXPECT_THROW(faulty.claim_job(t.js[1].id, kT0), InjectedFault);
  EXPECT_EQ(store.job_by_id(t.js[1].id)->status, "queued") << "a `before` fault writes nothing";
  EXPECT_TRUE(faulty.claim_job(t.js[1].id, kT0));
  EXPECT_TRUE(faulty.claim_job(t.js[2].id, kT0));
  EXPECT_EQ(faulty.calls("claim_job"), 4);
  EXPECT_EQ(faulty.faults_thrown(), 1);
}

TEST_P(StoreAtomicity, TheWriteSelectorSkipsReadsAndAnOutageLastsUntilDisarmed) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  faulty.arm({"write", 2});
  EXPECT_TRUE(faulty.project_by_id(p.id));  // reads do not count
  faulty.set_project_settings(p.id, json{{"a", 1}});
  EXPECT_THROW(faulty.put_project_env(p.id, "X", "x"), InjectedFault);
  EXPECT_TRUE(store.project_env(p.id).empty());
  EXPECT_EQ(faulty.calls("write"), 2);
  EXPECT_EQ(faulty.calls("*"), 3);

  faulty.disarm();
  faulty.arm({"*", 1, -1});
  EXPECT_THROW(faulty.project_by_id(p.id), InjectedFault);
  EXPECT_THROW(faulty.reserve_pipeline_number(p.id), InjectedFault);
  EXPECT_THROW(faulty.due_events(kT0, 1), InjectedFault);
  faulty.disarm();
  EXPECT_EQ(faulty.reserve_pipeline_number(p.id), 1) << "the outage wrote nothing";
  EXPECT_TRUE(FaultyStore::is_write("create_pipeline"));
  EXPECT_FALSE(FaultyStore::is_write("pipeline_by_id"));
}

TEST_P(StoreAtomicity, ConcurrentCallsCountEachFaultOnce) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, std::vector<std::string>(8, "queued"));
  faulty.arm({"claim_job", 3});
  std::atomic<int> claimed{0}, failed{0};
  std::vector<std::thread> threads;
  for (const auto& j : t.js)
    threads.emplace_back([&, id = j.id] {
      try {
        if (faulty.claim_job(id, kT0)) ++claimed;
      } catch (const InjectedFault&) {
        ++failed;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(claimed, 7);
  EXPECT_EQ(store.jobs_with_status("queued").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreAtomicity, ::testing::ValuesIn(implementations()),
                         factory_name);

}  // namespace halo::store::contract
