// Stories: a workflow holds on an approval job until a member approves it through the API,
// then the jobs that need the approval run; wrong approvals are refused and change nothing;
// a workflow on hold can be canceled.
#include "e2e_fixture.h"

namespace halo::test {

namespace {

const char* kHeldDeploy = R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps: [{run: echo build}]
  deploy:
    docker: [{image: x}]
    steps: [{run: echo deployed}]
workflows:
  w:
    jobs:
      - build
      - hold: {type: approval, requires: [build]}
      - deploy: {requires: [hold]}
)";

}  // namespace

class ApproveTest : public E2E {
 protected:
  void SetUp() override {
    E2E::SetUp();
    start_with_config(kHeldDeploy);
  }

  // A user of gh/acme with `role`; returns {id, token}.
  std::pair<std::string, std::string> user(const std::string& login, const std::string& role) {
    auto r = server_->client().post("/api/v2/admin/users",
                                    {{"login", login}, {"organization", "gh/acme"}, {"role", role}},
                                    server_->token());
    EXPECT_EQ(r.status, 201) << r.body;
    return {r.json_body()["id"], r.json_body()["token"]};
  }

  // Triggers a pipeline and waits until its workflow holds; returns the workflow id.
  std::string held_workflow() {
    std::string pipeline = server_->trigger(slug_)["id"];
    std::string wf;
    EXPECT_TRUE(eventually([&] {
      json items = get("/api/v2/pipeline/" + pipeline + "/workflow")["items"];
      if (items.empty()) return false;
      wf = items[0]["id"];
      return items[0]["status"] == "on_hold";
    }));
    return wf;
  }

  std::string approve_path(const std::string& wf, const std::string& job_id) {
    return "/api/v2/workflow/" + wf + "/approve/" + job_id;
  }
};

TEST_F(ApproveTest, ApprovingTheHoldRunsTheJobsThatNeedIt) {
  std::string wf = held_workflow();
  // (Jobs that have not started have a null started_at, as on CircleCI, which the spec's
  // schema does not allow: listed without the spec check until the workflow has finished.)
  json jobs = server_->jobs_of(wf);
  json hold = job_by_name(jobs, "hold");
  EXPECT_EQ(hold["type"], "approval");
  EXPECT_EQ(hold["status"], "on_hold");
  EXPECT_EQ(hold["approval_request_id"], hold["id"]);
  EXPECT_EQ(job_by_name(jobs, "deploy")["status"], "blocked");

  auto [member_id, member_token] = user("mo", "member");
  auto r = post(approve_path(wf, hold["approval_request_id"]), json::object(), member_token);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json_body(), json({{"message", "Accepted."}}));

  wait_workflow(wf, "success");
  jobs = get("/api/v2/workflow/" + wf + "/job")["items"];
  hold = job_by_name(jobs, "hold");
  EXPECT_EQ(hold["status"], "success");
  EXPECT_EQ(hold["approved_by"], member_id) << "the job list says who approved, as CircleCI's";
  ASSERT_TRUE(hold.contains("job_number")) << "approval jobs are numbered, as on CircleCI";
  auto details = server_->client().get(
      "/api/v2/project/" + slug_ + "/job/" + std::to_string(hold["job_number"].get<int>()),
      server_->token());
  EXPECT_EQ(details.status, 404) << "but have no job details, as on CircleCI";
  json deploy = job_by_name(jobs, "deploy");
  EXPECT_EQ(deploy["status"], "success");
  EXPECT_TRUE(deploy.contains("job_number"));
}

TEST_F(ApproveTest, WrongApprovalsAreRefusedWithAMessageAndChangeNothing) {
  std::string wf = held_workflow();
  json jobs = server_->jobs_of(wf);
  std::string hold = job_by_name(jobs, "hold")["id"];
  std::string build = job_by_name(jobs, "build")["id"];
  auto refused = [&](const std::string& path, const std::string& token, long status) {
    auto r = post(path, json::object(), token);
    EXPECT_EQ(r.status, status) << path << ": " << r.body;
    EXPECT_TRUE(r.json_body().contains("message")) << r.body;
    return r.json_body().value("message", "");
  };

  auto [viewer_id, viewer_token] = user("vi", "viewer");
  refused(approve_path(wf, hold), viewer_token, 403);
  EXPECT_NE(refused(approve_path(wf, build), "", 400).find("not an approval job"),
            std::string::npos);
  refused(approve_path(wf, "00000000-0000-4000-8000-000000000000"), "", 404);
  refused(approve_path("00000000-0000-4000-8000-000000000000", hold), "", 404);
  std::string other = held_workflow();
  refused(approve_path(other, hold), "", 404);  // the hold of another workflow
  EXPECT_EQ(get("/api/v2/workflow/" + wf)["status"], "on_hold");
  EXPECT_EQ(job_by_name(server_->jobs_of(wf), "hold")["status"], "on_hold");

  ASSERT_EQ(post(approve_path(wf, hold)).status, 202);
  EXPECT_NE(refused(approve_path(wf, hold), "", 400).find("already approved"), std::string::npos);
  wait_workflow(wf, "success");
  EXPECT_EQ(get("/api/v2/workflow/" + other)["status"], "on_hold");
}

TEST_F(ApproveTest, AWorkflowOnHoldCanBeCanceledAndThenNotApproved) {
  std::string wf = held_workflow();
  std::string hold = job_by_name(server_->jobs_of(wf), "hold")["id"];
  ASSERT_EQ(post("/api/v2/workflow/" + wf + "/cancel").status, 202);
  json w = wait_workflow(wf, "canceled");
  EXPECT_FALSE(w["stopped_at"].is_null());
  json jobs = server_->jobs_of(wf);
  EXPECT_EQ(job_by_name(jobs, "hold")["status"], "canceled");
  EXPECT_EQ(job_by_name(jobs, "deploy")["status"], "canceled");
  auto r = post(approve_path(wf, hold));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(job_by_name(server_->jobs_of(wf), "deploy")["status"], "canceled");
}

}  // namespace halo::test
