// Stories: a finished job becomes one job-completed event per subscribed webhook, a
// finished workflow a workflow-completed event, and an org with a Cirrus hook gets task and
// build events on every status change; the bodies have the documented shapes.
#include "webhooks/event_builder.h"

#include <gtest/gtest.h>

#include "webhooks/secrets.h"
#include "webhooks_test_util.h"

namespace halo::webhooks {

using testing::World;

namespace {

// Runs `change` through update_workflow with the builder as observer, like the orchestrator.
store::WorkflowState change(World& w, EventBuilder& b, const std::string& workflow_id,
                            const std::function<void(store::WorkflowState&)>& fn) {
  return *w.store.update_workflow(workflow_id, [&](store::WorkflowState& st) {
    const store::WorkflowState before = st;
    fn(st);
    b.on_change(before, st);
  });
}

}  // namespace

TEST(EventBuilder, NoHooksNoEvents) {
  World w;
  EventBuilder b(w.store, "https://halo.example");
  auto st = w.pipeline({"build"});
  auto after = change(w, b, st.workflow.id, [](store::WorkflowState& s) {
    s.jobs[0].status = "success";
    s.jobs[0].stopped_at = now_ms();
  });
  EXPECT_TRUE(after.outbox.empty());
}

TEST(EventBuilder, AFinishedJobIsOneJobCompletedEventPerSubscribedHook) {
  World w;
  auto all = w.webhook("https://a.example/hook", "s3cret");
  auto wf_only = w.webhook("https://b.example/hook", "", {"workflow-completed"});
  EventBuilder b(w.store, "https://halo.example");
  auto st = w.pipeline({"build", "test"});
  int64_t started = now_ms() - 5000;
  auto after = change(w, b, st.workflow.id, [&](store::WorkflowState& s) {
    s.jobs[0].number = 7;
    s.jobs[0].status = "success";
    s.jobs[0].started_at = started;
    s.jobs[0].stopped_at = started + 4000;
  });
  ASSERT_EQ(after.outbox.size(), 1u);
  const auto& e = after.outbox[0];
  EXPECT_EQ(e.kind, "circleci");
  EXPECT_EQ(e.target_id, all.id);
  EXPECT_EQ(e.event_type, "job-completed");
  json body = json::parse(e.body);
  EXPECT_EQ(body["id"], e.id);
  EXPECT_EQ(body["type"], "job-completed");
  EXPECT_EQ(body["webhook"], json({{"id", all.id}, {"name", all.name}}));
  EXPECT_EQ(body["project"]["slug"], "github/acme/app");
  EXPECT_EQ(body["project"]["name"], "app");
  EXPECT_EQ(body["organization"], json({{"id", w.org.id}, {"name", "acme"}}));
  EXPECT_EQ(body["job"]["number"], 7);
  EXPECT_EQ(body["job"]["name"], "build");
  EXPECT_EQ(body["job"]["status"], "success");
  EXPECT_EQ(body["job"]["started_at"], rfc3339(started));
  EXPECT_EQ(body["job"]["stopped_at"], rfc3339(started + 4000));
  EXPECT_FALSE(body["workflow"].contains("status"));  // absent in job-level events
  EXPECT_EQ(body["workflow"]["url"],
            "https://halo.example/pipelines/github/acme/app/1/workflows/" + st.workflow.id);
  EXPECT_EQ(body["pipeline"]["number"], 1);
  EXPECT_EQ(body["pipeline"]["trigger"]["type"], "api");
  EXPECT_EQ(body["pipeline"]["vcs"]["branch"], "main");
  EXPECT_EQ(body["pipeline"]["vcs"]["commit"]["subject"], "Add a feature");
  EXPECT_EQ(body["pipeline"]["vcs"]["provider_name"], "GitHub");
  (void)wf_only;

  // The event is in the outbox, committed with the change.
  auto stored = w.store.events_for_target(all.id);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].body, e.body);
  EXPECT_EQ(stored[0].status, "pending");
}

TEST(EventBuilder, AStoppedWorkflowIsAWorkflowCompletedEventWithItsStatus) {
  World w;
  auto hook = w.webhook("https://a.example/hook", "", {"workflow-completed"});
  EventBuilder b(w.store, "https://halo.example");
  auto st = w.pipeline({"build"});
  auto after = change(w, b, st.workflow.id, [&](store::WorkflowState& s) {
    s.jobs[0].number = 1;
    s.jobs[0].status = "timedout";
    s.jobs[0].stopped_at = now_ms();
    s.workflow.status = "failed";
    s.workflow.stopped_at = now_ms();
  });
  ASSERT_EQ(after.outbox.size(), 1u);
  json body = json::parse(after.outbox[0].body);
  EXPECT_EQ(body["type"], "workflow-completed");
  EXPECT_EQ(body["workflow"]["status"], "failed");
  EXPECT_EQ(body["workflow"]["name"], "build-and-test");
  EXPECT_TRUE(body["workflow"].contains("stopped_at"));
  EXPECT_FALSE(body.contains("job"));
  EXPECT_EQ(after.outbox[0].target_id, hook.id);
}

TEST(EventBuilder, JobsThatNeverRanAreNotReported) {
  World w;
  w.webhook("https://a.example/hook", "", {"job-completed"});
  EventBuilder b(w.store, "");
  auto st = w.pipeline({"build"});
  auto after =
      change(w, b, st.workflow.id, [&](store::WorkflowState& s) { s.jobs[0].status = "not_run"; });
  EXPECT_TRUE(after.outbox.empty());
}

TEST(EventBuilder, CirrusHookGetsTaskAndBuildEventsOnStatusChanges) {
  World w;
  w.store.set_org_settings({w.org.id, "https://cirrus.example/hook", ""});
  EventBuilder b(w.store, "");
  auto st = w.pipeline({"build"});
  auto running = change(w, b, st.workflow.id, [&](store::WorkflowState& s) {
    s.jobs[0].status = "running";
    s.jobs[0].started_at = now_ms();
  });
  ASSERT_EQ(running.outbox.size(), 2u);  // the task, and the build now executing
  json task = json::parse(running.outbox[0].body);
  EXPECT_EQ(running.outbox[0].event_type, "task");
  EXPECT_EQ(running.outbox[0].kind, "cirrus");
  EXPECT_EQ(running.outbox[0].target_id, w.org.id);
  EXPECT_EQ(task["action"], "updated");
  EXPECT_EQ(task["old_status"], "SCHEDULED");
  EXPECT_EQ(task["task"]["status"], "EXECUTING");
  EXPECT_EQ(task["task"]["name"], "build");
  EXPECT_TRUE(task["task"]["id"].is_number_integer());
  EXPECT_EQ(task["repository"]["owner"], "acme");
  EXPECT_EQ(task["repository"]["name"], "app");
  json build = json::parse(running.outbox[1].body);
  EXPECT_EQ(running.outbox[1].event_type, "build");
  EXPECT_EQ(build["old_status"], "CREATED");
  EXPECT_EQ(build["build"]["status"], "EXECUTING");
  EXPECT_EQ(build["build"]["branch"], "main");
  EXPECT_EQ(build["task"], json::object());

  auto done = change(w, b, st.workflow.id, [&](store::WorkflowState& s) {
    s.jobs[0].status = "failed";
    s.jobs[0].stopped_at = now_ms();
    s.workflow.status = "failed";
    s.workflow.stopped_at = now_ms();
  });
  ASSERT_EQ(done.outbox.size(), 2u);
  EXPECT_EQ(json::parse(done.outbox[0].body)["task"]["status"], "FAILED");
  EXPECT_EQ(json::parse(done.outbox[1].body)["build"]["status"], "FAILED");
}

TEST(EventBuilder, ARerunStandsForTheWorkflowItRerunsInTheCirrusBuildStatus) {
  World w;
  w.store.set_org_settings({w.org.id, "https://cirrus.example/hook", ""});
  EventBuilder b(w.store, "");
  auto first = w.pipeline({"build"});
  change(w, b, first.workflow.id, [&](store::WorkflowState& s) {
    s.jobs[0].status = "failed";
    s.jobs[0].stopped_at = now_ms();
    s.workflow.status = "failed";
    s.workflow.stopped_at = now_ms();
  });
  store::WorkflowState rerun = first;
  rerun.workflow.id = uuid_v4();
  rerun.workflow.rerun_of = first.workflow.id;
  rerun.workflow.position = 1;
  rerun.jobs[0].id = uuid_v4();
  rerun.jobs[0].workflow_id = rerun.workflow.id;
  rerun.jobs[0].number = 0;
  w.store.create_workflow(rerun);

  auto done = change(w, b, rerun.workflow.id, [&](store::WorkflowState& s) {
    s.jobs[0].status = "success";
    s.jobs[0].stopped_at = now_ms();
    s.workflow.status = "success";
    s.workflow.stopped_at = now_ms();
  });
  json build;
  for (const auto& e : done.outbox)
    if (e.event_type == "build") build = json::parse(e.body);
  ASSERT_FALSE(build.is_null());
  EXPECT_EQ(build["build"]["status"], "COMPLETED") << "the failed first run no longer counts";
}

TEST(EventBuilder, CirrusCreatedEventsForANewPipeline) {
  World w;
  w.store.set_org_settings({w.org.id, "https://cirrus.example/hook", ""});
  EventBuilder b(w.store, "");
  store::Pipeline p;
  p.id = uuid_v4();
  p.project_id = w.project.id;
  p.actor_id = w.user.id;
  p.branch = "main";
  store::Job j;
  j.id = uuid_v4();
  j.name = "build";
  j.status = "queued";
  std::vector<store::OutboxEvent> out;
  b.on_create(p, {j}, out);
  ASSERT_EQ(out.size(), 2u);
  json build = json::parse(out[0].body);
  EXPECT_EQ(build["action"], "created");
  EXPECT_FALSE(build.contains("old_status"));
  EXPECT_EQ(build["build"]["user"]["username"], "alice");
  EXPECT_EQ(json::parse(out[1].body)["task"]["status"], "SCHEDULED");
}

}  // namespace halo::webhooks
