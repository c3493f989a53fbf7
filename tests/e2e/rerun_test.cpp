// Stories: a finished workflow is rerun as a new workflow of its pipeline (plain, from
// failed, chosen jobs with or without a sparse tree); the jobs not run again keep their
// number; job numbers continue; webhooks report the rerun; wrong reruns are refused.
#include <algorithm>
#include <map>

#include "e2e_fixture.h"
#include "support/webhook_receiver.h"

namespace halo::test {

namespace {

// flaky fails on its first run and succeeds after; lint stands apart from the chain.
const char* kFlakyChain = R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps: [{run: echo build}]
  flaky:
    docker: [{image: x}]
    steps: [{run: 'test -f "$MARKER" || { touch "$MARKER"; exit 1; }'}]
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
      - flaky: {requires: [build]}
      - deploy: {requires: [flaky]}
      - lint
)";

}  // namespace

class RerunTest : public E2E {
 protected:
  HaloServer::Options options() override {
    HaloServer::Options o;
    o.extra_args = {"--allow-http-webhooks"};
    return o;
  }

  void SetUp() override {
    E2E::SetUp();
    std::string config = kFlakyChain;
    std::string marker = (tmp_.path() / "flaky-ran-once").string();
    config.replace(config.find("$MARKER"), 7, marker);
    config.replace(config.find("$MARKER"), 7, marker);
    start_with_config(config);
  }

  // Triggers a pipeline and waits for its workflow to end `failed` (flaky's first run).
  json failed_workflow() {
    pipeline_ = server_->trigger(slug_)["id"];
    json w = server_->wait_workflows(pipeline_)[0];
    EXPECT_EQ(w["status"], "failed");
    return w;
  }

  // POSTs a rerun; returns the new workflow's id once it ended `status`.
  std::string rerun(const std::string& wf, const json& body, const std::string& status) {
    auto r = post("/api/v2/workflow/" + wf + "/rerun", body);
    EXPECT_EQ(r.status, 202) << r.body;
    std::string id = r.json_body().value("workflow_id", "");
    EXPECT_EQ(r.json_body().size(), 1u) << r.body;
    wait_workflow(id, status);
    return id;
  }

  // name -> job_number of the workflow's jobs (0 for none).
  std::map<std::string, int64_t> numbers(const std::string& wf) {
    std::map<std::string, int64_t> out;
    for (auto& j : server_->jobs_of(wf)) out[j["name"]] = j.value("job_number", 0);
    return out;
  }

  std::string pipeline_;
};

TEST_F(RerunTest, FromFailedRunsTheFailedJobAndWhatNeedsItAndKeepsTheRest) {
  json old = failed_workflow();
  auto before = numbers(old["id"]);
  EXPECT_EQ(before["deploy"], 0) << "not run";

  std::string wf = rerun(old["id"], {{"from_failed", true}}, "success");
  json w = get("/api/v2/workflow/" + wf);
  EXPECT_EQ(w["pipeline_id"], pipeline_) << "a new workflow of the same pipeline";
  EXPECT_EQ(w["name"], "w");
  EXPECT_EQ(w["started_by"], get("/api/v2/me")["id"]);
  json wfs = get("/api/v2/pipeline/" + pipeline_ + "/workflow")["items"];
  EXPECT_EQ(wfs.size(), 2u) << "the pipeline lists both";

  auto after = numbers(wf);
  EXPECT_EQ(after["build"], before["build"]) << "successful jobs are not run again";
  EXPECT_EQ(after["lint"], before["lint"]);
  EXPECT_GT(after["flaky"], before["flaky"]) << "numbers continue per project";
  EXPECT_GT(after["deploy"], after["flaky"]);
  json jobs = server_->jobs_of(wf);
  for (auto& j : jobs) EXPECT_EQ(j["status"], "success") << j.dump();
  EXPECT_EQ(get("/api/v2/workflow/" + old["id"].get<std::string>())["status"], "failed");

  // The number still names the job that ran.
  json build = get("/api/v2/project/" + slug_ + "/job/" + std::to_string(before["build"]));
  EXPECT_EQ(build["name"], "build");
  EXPECT_EQ(build["status"], "success");
}

TEST_F(RerunTest, APlainRerunRunsEveryJobAgainWithTheSameRevisionAndConfig) {
  json old = failed_workflow();
  std::string first = rerun(old["id"], {{"from_failed", true}}, "success");
  auto before = numbers(first);
  std::string wf = rerun(first, json::object(), "success");
  auto after = numbers(wf);
  int64_t highest = 0;
  for (auto& [name, n] : before) highest = std::max(highest, n);
  for (auto& [name, n] : after) EXPECT_GT(n, highest) << name << " ran again";
  EXPECT_EQ(get("/api/v2/workflow/" + wf)["pipeline_id"], pipeline_);
  json p = get("/api/v2/pipeline/" + pipeline_);
  EXPECT_EQ(p["vcs"]["revision"], sha_);
}

TEST_F(RerunTest, ChosenJobsRunWithWhatFollowsThemAndASparseTreeKeepsTheRest) {
  json old = failed_workflow();
  std::string ok = rerun(old["id"], {{"from_failed", true}}, "success");
  auto base = numbers(ok);
  std::string flaky = job_by_name(server_->jobs_of(ok), "flaky")["id"];

  std::string sparse = rerun(ok, {{"jobs", {flaky}}, {"sparse_tree", true}}, "success");
  auto s = numbers(sparse);
  EXPECT_EQ(s["build"], base["build"]) << "upstream of the chosen job: kept";
  EXPECT_EQ(s["lint"], base["lint"]) << "unrelated: kept in a sparse tree";
  EXPECT_GT(s["flaky"], base["flaky"]);
  EXPECT_GT(s["deploy"], base["deploy"]) << "downstream of the chosen job: run again";

  std::string full = rerun(ok, {{"jobs", {flaky}}}, "success");
  auto f = numbers(full);
  EXPECT_EQ(f["build"], base["build"]);
  EXPECT_GT(f["lint"], s["deploy"]) << "unrelated: run again without sparse_tree";
  EXPECT_GT(f["flaky"], s["deploy"]);
}

TEST_F(RerunTest, WebhooksReportTheRerunsJobsAndWorkflow) {
  WebhookReceiver rx;
  json project = get("/api/v2/project/" + slug_);
  auto hook = post("/api/v2/webhook", {{"name", "ci"},
                                       {"url", rx.url("/hook")},
                                       {"verify-tls", false},
                                       {"signing-secret", "s3cret-s3cret-s3cret"},
                                       {"events", {"workflow-completed", "job-completed"}},
                                       {"scope", {{"id", project["id"]}, {"type", "project"}}}});
  ASSERT_EQ(hook.status, 201) << hook.body;
  json old = failed_workflow();
  std::string wf = rerun(old["id"], {{"from_failed", true}}, "success");
  auto events_of = [&](const std::string& workflow_id) {
    std::map<std::string, std::vector<std::string>> out;  // type -> job names (or "")
    for (auto& r : rx.requests()) {
      json b = r.json_body();
      if (b["workflow"]["id"] != workflow_id) continue;
      out[b["type"]].push_back(b.contains("job") ? b["job"]["name"].get<std::string>() : "");
    }
    return out;
  };
  ASSERT_TRUE(eventually([&] { return events_of(wf).count("workflow-completed") > 0; }))
      << server_->log();
  ASSERT_TRUE(eventually([&] { return events_of(wf)["job-completed"].size() >= 2; }));
  auto events = events_of(wf);
  std::sort(events["job-completed"].begin(), events["job-completed"].end());
  EXPECT_EQ(events["job-completed"], (std::vector<std::string>{"deploy", "flaky"}))
      << "jobs carried over are not reported again";
  EXPECT_EQ(events["workflow-completed"].size(), 1u);
}

TEST_F(RerunTest, WrongRerunsAreRefusedWithAMessage) {
  json old = failed_workflow();
  std::string wf = old["id"];
  std::string flaky = job_by_name(server_->jobs_of(wf), "flaky")["id"];
  auto refused = [&](const std::string& body, long status) {
    auto r = server_->client().request("POST", "/api/v2/workflow/" + wf + "/rerun", body,
                                       {"Circle-Token: " + server_->token()});
    EXPECT_EQ(r.status, status) << body << ": " << r.body;
    return r.json_body().value("message", "");
  };
  EXPECT_NE(refused(R"({"enable_ssh": true, "jobs": [")" + flaky + R"("]})", 400).find("SSH"),
            std::string::npos);
  refused(R"({"from_failed": true, "jobs": [")" + flaky + R"("]})", 400);
  refused(R"({"sparse_tree": true})", 400);
  refused(R"({"jobs": ["00000000-0000-4000-8000-000000000000"]})", 400);
  refused(R"({"from_failed": "yes"})", 400);
  refused(R"({"from_failed": tru)", 400);
  refused(R"({"rerun_everything": true})", 400);
  auto viewer = server_->client().post(
      "/api/v2/admin/users", {{"login", "vi"}, {"organization", "gh/acme"}, {"role", "viewer"}},
      server_->token());
  ASSERT_EQ(viewer.status, 201) << viewer.body;
  auto as_viewer = post("/api/v2/workflow/" + wf + "/rerun", json::object(),
                        viewer.json_body()["token"].get<std::string>());
  EXPECT_EQ(as_viewer.status, 403) << as_viewer.body;
  auto unknown = post("/api/v2/workflow/00000000-0000-4000-8000-000000000000/rerun");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(get("/api/v2/pipeline/" + pipeline_ + "/workflow")["items"].size(), 1u)
      << "nothing was created";
  // A null body is a plain rerun, as the spec allows.
  EXPECT_EQ(refused("null", 202), "");
}

TEST_F(E2E, AWorkflowThatHasNotFinishedIsNotRerun) {
  start_with_config(R"(version: 2.1
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
  std::string pipeline = server_->trigger(slug_)["id"];
  std::string wf;
  ASSERT_TRUE(eventually([&] {
    json items = get("/api/v2/pipeline/" + pipeline + "/workflow")["items"];
    if (items.empty()) return false;
    wf = items[0]["id"];
    return true;
  }));
  wait_workflow(wf, "on_hold");
  auto r = post("/api/v2/workflow/" + wf + "/rerun");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.json_body().value("message", "").find("terminal state to be rerun"), std::string::npos)
      << r.body;
}

}  // namespace halo::test
