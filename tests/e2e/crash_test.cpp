// Stories: kill -9 during a running pipeline loses nothing (a job whose runner died runs
// again once, then fails); SIGTERM records running jobs.
#include <fstream>

#include "e2e_fixture.h"

namespace halo::test {

namespace {
const char* kConfig = R"(version: 2.1
jobs:
  quick:
    docker: [{image: x}]
    steps: [{run: echo quick-output}]
  slow:
    docker: [{image: x}]
    steps: [{run: echo slow-started; sleep 300}]
  after:
    docker: [{image: x}]
    steps: [{run: echo after}]
workflows:
  w:
    jobs:
      - quick
      - slow: {requires: [quick]}
      - after: {requires: [slow]}
)";
}

// Whether a process is gone (or a zombie nobody reaped yet).
bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

TEST_F(E2E, KillNineDuringARunningPipelineLosesNothing) {
  // The slow job's sleep writes its pid down, so the test can see it does not outlive the
  // restart (a kill -9 leaves a job's processes running; the restarted server kills them).
  std::string config = kConfig;
  std::string pids = (tmp_.path() / "slow-pids").string();
  std::string from = "echo slow-started; sleep 300";
  config.replace(config.find(from), from.size(),
                 "echo slow-started; sleep 300 & echo $! >> " + pids + "; wait");
  start_with_config(config);
  std::string pid = server_->trigger(slug_)["id"];
  std::string wf;
  ASSERT_TRUE(eventually([&] {
    json items = get("/api/v2/pipeline/" + pid + "/workflow")["items"];
    if (items.empty()) return false;
    wf = items[0]["id"];
    return job_by_name(server_->jobs_of(wf), "slow")["status"] == "running";
  }));
  int quick_number = job_by_name(server_->jobs_of(wf), "quick")["job_number"];
  int slow_number = job_by_name(server_->jobs_of(wf), "slow")["job_number"];
  std::string slow_path = "/api/v2/project/gh/acme/app/job/" + std::to_string(slow_number);
  ASSERT_TRUE(eventually([&] {
    std::error_code ec;
    auto size = std::filesystem::file_size(pids, ec);
    return !ec && size > 0;
  }));
  server_->kill9();

  // The restarted server knows its old runner is gone: the job's lease is expired at once
  // and the job, queued again, runs a second time (same job, same number).
  server_->start();
  ASSERT_TRUE(eventually([&] {
    json details = get(slow_path);
    return details["status"] == "running" && !details["messages"].empty();
  }));
  EXPECT_NE(get(slow_path)["messages"][0]["message"].get<std::string>().find("queued again"),
            std::string::npos);

  {
    std::ifstream in(pids);
    pid_t first = 0;
    ASSERT_TRUE(in >> first) << "the first attempt wrote its sleep's pid";
    EXPECT_TRUE(gone(first)) << "the first attempt's processes were killed at the restart";
  }

  // A second loss of its runner fails it: a job is queued again only once.
  server_->kill9();
  server_->start();
  json w = server_->wait_workflows(pid)[0];
  EXPECT_EQ(w["status"], "failed");
  json jobs = server_->jobs_of(wf);
  EXPECT_EQ(job_by_name(jobs, "quick")["status"], "success");
  EXPECT_EQ(job_by_name(jobs, "slow")["status"], "infrastructure_fail");
  EXPECT_EQ(job_by_name(jobs, "after")["status"], "not_run");
  json details = get("/api/v2/project/gh/acme/app/job/" +
                     std::to_string(job_by_name(jobs, "slow")["job_number"].get<int>()));
  ASSERT_FALSE(details["messages"].empty());

  // The finished job's log survived.
  json v1 =
      server_->client()
          .get("/api/v1.1/project/gh/acme/app/" + std::to_string(quick_number), server_->token())
          .json_body();
  auto out = HttpClient("").request("GET", v1["steps"][0]["actions"][0]["output_url"], "",
                                    {"Accept: text/plain"});
  EXPECT_EQ(out.body, "quick-output\n");

  // New pipelines run, and numbering continues.
  json next = server_->trigger(slug_);
  EXPECT_EQ(next["number"], 2);
  ASSERT_TRUE(eventually([&] {
    json items = get("/api/v2/pipeline/" + next["id"].get<std::string>() + "/workflow")["items"];
    return !items.empty() &&
           job_by_name(server_->jobs_of(items[0]["id"]), "slow")["status"] == "running";
  }));
}

TEST_F(E2E, SigtermStopsRunningJobsAndRecordsThem) {
  start_with_config(kConfig);
  std::string pid = server_->trigger(slug_)["id"];
  std::string wf;
  ASSERT_TRUE(eventually([&] {
    json items = get("/api/v2/pipeline/" + pid + "/workflow")["items"];
    if (items.empty()) return false;
    wf = items[0]["id"];
    return job_by_name(server_->jobs_of(wf), "slow")["status"] == "running";
  }));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(server_->stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
  server_->start();
  json jobs = server_->jobs_of(wf);
  EXPECT_EQ(job_by_name(jobs, "slow")["status"], "infrastructure_fail");
  EXPECT_EQ(get("/api/v2/workflow/" + wf)["status"], "failed");
}

}  // namespace halo::test
