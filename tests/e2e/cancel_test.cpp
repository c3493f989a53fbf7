// Stories: canceling kills the running processes and marks jobs and workflows canceled.
#include <signal.h>

#include <fstream>

#include "e2e_fixture.h"

namespace halo::test {

namespace {

const char* kSlow = R"(version: 2.1
jobs:
  slow:
    docker: [{image: x}]
    steps:
      - run: |
          sleep 300 &
          echo $! > "$PIDFILE"
          echo started
          wait
  after:
    docker: [{image: x}]
    steps: [{run: echo after}]
workflows:
  w:
    jobs:
      - slow
      - after: {requires: [slow]}
)";

bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

}  // namespace

class CancelTest : public E2E {
 protected:
  void SetUp() override {
    E2E::SetUp();
    pidfile_ = (tmp_.path() / "grandchild.pid").string();
    std::string config = kSlow;
    config.replace(config.find("$PIDFILE"), 8, pidfile_);
    start_with_config(config);
  }

  // Starts a pipeline and waits until the slow job's grandchild runs; returns its pid.
  pid_t start_slow(std::string& workflow_id) {
    json created = server_->trigger(slug_);
    pid_t pid = 0;
    EXPECT_TRUE(eventually([&] {
      std::ifstream in(pidfile_);
      return static_cast<bool>(in >> pid) && pid > 0;
    }));
    json wfs = get("/api/v2/pipeline/" + created["id"].get<std::string>() + "/workflow")["items"];
    workflow_id = wfs[0]["id"];
    return pid;
  }

  std::string pidfile_;
};

TEST_F(CancelTest, CancelingAWorkflowKillsTheProcessGroupAndMarksEverythingCanceled) {
  std::string wf;
  pid_t grandchild = start_slow(wf);
  ASSERT_TRUE(alive(grandchild));
  auto r = server_->client().post("/api/v2/workflow/" + wf + "/cancel", json::object(), server_->token());
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_TRUE(OpenApiSpec::circleci().matches_response("POST", "/api/v2/workflow/" + wf + "/cancel", 202, r.json_body()));
  EXPECT_TRUE(eventually([&] { return !alive(grandchild); }, std::chrono::seconds(10)))
      << "the job's background process survived the cancel";
  EXPECT_TRUE(eventually([&] {
    json jobs = server_->jobs_of(wf);
    return job_by_name(jobs, "slow")["status"] == "canceled";
  }));
  json jobs = server_->jobs_of(wf);
  EXPECT_EQ(job_by_name(jobs, "after")["status"], "canceled");
  json w = get("/api/v2/workflow/" + wf);
  EXPECT_EQ(w["status"], "canceled");
  EXPECT_EQ(w["canceled_by"], get("/api/v2/me")["id"]);
}

TEST_F(CancelTest, CancelingOneJobByNumberAndById) {
  std::string wf;
  pid_t grandchild = start_slow(wf);
  json slow = job_by_name(server_->jobs_of(wf), "slow");
  auto r = server_->client().post("/api/v2/project/gh/acme/app/job/" + std::to_string(slow["job_number"].get<int>()) + "/cancel",
                                  json::object(), server_->token());
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_TRUE(eventually([&] { return !alive(grandchild); }, std::chrono::seconds(10)));
  json w = server_->wait_workflows(get("/api/v2/workflow/" + wf)["pipeline_id"])[0];
  EXPECT_EQ(w["status"], "canceled");
  EXPECT_EQ(job_by_name(server_->jobs_of(wf), "after")["status"], "not_run");

  // By id, on a second pipeline.
  std::filesystem::remove(pidfile_);
  grandchild = start_slow(wf);
  slow = job_by_name(server_->jobs_of(wf), "slow");
  r = server_->client().post("/api/v2/jobs/" + slow["id"].get<std::string>() + "/cancel", json::object(), server_->token());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(eventually([&] { return !alive(grandchild); }, std::chrono::seconds(10)));
  EXPECT_TRUE(eventually([&] { return job_by_name(server_->jobs_of(wf), "slow")["status"] == "canceled"; }));
}

TEST_F(E2E, NoOutputTimeoutKillsTheStepAndTheJobTimesOut) {
  start_with_config(R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps:
      - run:
          command: echo waiting; sleep 60
          no_output_timeout: 1s
)");
  json wf = server_->wait_workflows(server_->trigger(slug_)["id"])[0];
  EXPECT_EQ(wf["status"], "failed");
  EXPECT_EQ(server_->jobs_of(wf["id"])[0]["status"], "timedout");
}

TEST_F(E2E, FollowingAStepsOutputStreamsItWhileItRuns) {
  start_with_config(R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps:
      - run: for i in 1 2 3 4 5; do echo "line $i"; sleep 0.3; done
)");
  json created = server_->trigger(slug_);
  std::string wf;
  ASSERT_TRUE(eventually([&] {
    json items = get("/api/v2/pipeline/" + created["id"].get<std::string>() + "/workflow")["items"];
    if (items.empty()) return false;
    wf = items[0]["id"];
    json j = server_->jobs_of(wf)[0];
    return j["status"] == "running";
  }));
  int n = server_->jobs_of(wf)[0]["job_number"];
  std::string url;
  ASSERT_TRUE(eventually([&] {
    json v1 = server_->client().get("/api/v1.1/project/gh/acme/app/" + std::to_string(n), server_->token()).json_body();
    if (v1["steps"].empty()) return false;
    url = v1["steps"][0]["actions"][0]["output_url"];
    return v1["steps"][0]["actions"][0]["status"] == "running";
  }));
  // The request returns only when the step ends, with every line.
  auto out = HttpClient("").request("GET", url, "", {"Accept: text/plain"}, 20000);
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.body, "line 1\nline 2\nline 3\nline 4\nline 5\n");
  EXPECT_EQ(out.headers["transfer-encoding"], "chunked");
}

}  // namespace halo::test
