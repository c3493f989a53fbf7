// Stories: a pipeline runs end to end; its jobs, steps and output are served by the API.
#include "e2e_fixture.h"

namespace halo::test {

namespace {

const char* kTwoJobs = R"(version: 2.1
parameters:
  who:
    type: string
    default: world
jobs:
  build:
    docker: [{image: cimg/base:stable}]
    steps:
      - checkout
      - run:
          name: Greet
          command: |
            echo "hello << pipeline.parameters.who >>"
            echo "branch=$CIRCLE_BRANCH sha=$CIRCLE_SHA1 job=$CIRCLE_JOB num=$CIRCLE_BUILD_NUM"
            echo "repo=$CIRCLE_PROJECT_REPONAME user=$CIRCLE_PROJECT_USERNAME ci=$CI circleci=$CIRCLECI"
            test -f .circleci/config.yml
            echo "export FROM_STEP=carried" >> "$BASH_ENV"
      - run: 'echo "from bash_env: $FROM_STEP"' 
  test:
    machine: true
    steps:
      - run: echo testing; sleep 0.3
workflows:
  main:
    jobs:
      - build
      - test:
          requires: [build]
)";

}  // namespace

TEST_F(E2E, DependentJobsRunInOrderAndEverythingIsServedBySpec) {
  start_with_config(kTwoJobs);
  json created = server_->trigger(slug_, {{"branch", "main"}, {"parameters", {{"who", "halo"}}}});
  EXPECT_TRUE(OpenApiSpec::circleci().matches_response("POST", "/api/v2/project/gh/acme/app/pipeline", 201, created));
  ASSERT_EQ(created["state"], "created");
  EXPECT_EQ(created["number"], 1);
  std::string pid = created["id"];

  json workflows = server_->wait_workflows(pid);
  ASSERT_EQ(workflows.size(), 1u);
  EXPECT_EQ(workflows[0]["name"], "main");
  EXPECT_EQ(workflows[0]["status"], "success");

  json p = get("/api/v2/pipeline/" + pid);
  EXPECT_EQ(p["vcs"]["revision"], sha_);
  EXPECT_EQ(p["vcs"]["branch"], "main");
  EXPECT_EQ(p["vcs"]["commit"]["subject"], "add config");
  EXPECT_EQ(p["trigger_parameters"]["who"], "halo");
  get("/api/v2/workflow/" + workflows[0]["id"].get<std::string>());

  json jobs = get("/api/v2/workflow/" + workflows[0]["id"].get<std::string>() + "/job")["items"];
  json build = job_by_name(jobs, "build"), test = job_by_name(jobs, "test");
  EXPECT_EQ(build["status"], "success");
  EXPECT_EQ(test["status"], "success");
  EXPECT_EQ(test["dependencies"], json::array({build["id"]}));
  EXPECT_GE(test["started_at"].get<std::string>(), build["stopped_at"].get<std::string>());

  int n = build["job_number"];
  json details = get("/api/v2/project/gh/acme/app/job/" + std::to_string(n));
  EXPECT_EQ(details["name"], "build");
  EXPECT_EQ(details["executor"]["type"], "docker");
  EXPECT_EQ(details["pipeline"]["id"], pid);
  EXPECT_EQ(details["latest_workflow"]["name"], "main");
  EXPECT_GE(details["duration"].get<int64_t>(), 0);

  // v1.1 job detail with steps and output.
  auto v1 = server_->client().get("/api/v1.1/project/gh/acme/app/" + std::to_string(n), server_->token());
  ASSERT_EQ(v1.status, 200) << v1.body;
  json steps = v1.json_body()["steps"];
  ASSERT_EQ(steps.size(), 3u) << steps.dump();
  EXPECT_EQ(steps[0]["name"], "Checkout code");
  EXPECT_EQ(steps[1]["name"], "Greet");
  json action = steps[1]["actions"][0];
  EXPECT_EQ(action["status"], "success");
  EXPECT_EQ(action["exit_code"], 0);
  EXPECT_FALSE(action["start_time"].is_null());
  EXPECT_GE(action["run_time_millis"].get<int64_t>(), 0);

  // output_url is pre-signed: no token needed, as with CircleCI's.
  auto out = HttpClient("").request("GET", action["output_url"]);
  ASSERT_EQ(out.status, 200) << out.body;
  json chunks = out.json_body();
  ASSERT_TRUE(chunks.is_array());
  std::string text;
  for (auto& c : chunks) {
    EXPECT_EQ(c["type"], "out");
    text += c["message"].get<std::string>();
  }
  EXPECT_NE(text.find("hello halo"), std::string::npos) << text;
  EXPECT_NE(text.find("branch=main sha=" + sha_ + " job=build num=" + std::to_string(n)), std::string::npos) << text;
  EXPECT_NE(text.find("repo=app user=acme ci=true circleci=true"), std::string::npos) << text;

  auto raw = HttpClient("").request("GET", steps[2]["actions"][0]["output_url"], "", {"Accept: text/plain"});
  EXPECT_EQ(raw.body, "from bash_env: carried\n");

  // A tampered signature is an ordinary unauthenticated request.
  std::string bad = action["output_url"].get<std::string>();
  bad.back() = bad.back() == '0' ? '1' : '0';
  EXPECT_EQ(HttpClient("").request("GET", bad).status, 401);

  json config = get("/api/v2/pipeline/" + pid + "/config");
  EXPECT_EQ(config["source"], kTwoJobs);
  EXPECT_NE(config["compiled"].get<std::string>().find("hello halo"), std::string::npos);
  json values = get("/api/v2/pipeline/" + pid + "/values");
  EXPECT_EQ(values["pipeline.git.branch"], "main");
  EXPECT_EQ(values["pipeline.number"], 1);
  get("/api/v2/project/gh/acme/app/pipeline/1");
}

TEST_F(E2E, AFailingStepMakesDownstreamJobsNotRunAndTheWorkflowFailed) {
  start_with_config(R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps:
      - run: echo before; exit 3
      - run: echo never
      - run:
          name: cleanup
          command: echo cleaning
          when: always
  deploy:
    docker: [{image: x}]
    steps: [{run: echo deploying}]
  notify:
    docker: [{image: x}]
    steps: [{run: echo notify}]
workflows:
  w:
    jobs:
      - build
      - deploy: {requires: [build]}
      - notify: {requires: [deploy]}
)");
  json created = server_->trigger(slug_);
  json wf = server_->wait_workflows(created["id"])[0];
  EXPECT_EQ(wf["status"], "failed");
  json jobs = server_->jobs_of(wf["id"]);
  EXPECT_EQ(job_by_name(jobs, "build")["status"], "failed");
  EXPECT_EQ(job_by_name(jobs, "deploy")["status"], "not_run");
  EXPECT_EQ(job_by_name(jobs, "notify")["status"], "not_run");
  EXPECT_FALSE(job_by_name(jobs, "deploy").contains("job_number"));

  int n = job_by_name(jobs, "build")["job_number"];
  json steps = server_->client().get("/api/v1.1/project/gh/acme/app/" + std::to_string(n), server_->token()).json_body()["steps"];
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0]["actions"][0]["exit_code"], 3);
  EXPECT_EQ(steps[0]["actions"][0]["status"], "failed");
  EXPECT_EQ(steps[1]["actions"][0]["status"], "skipped");
  EXPECT_EQ(steps[2]["actions"][0]["status"], "success");
}

TEST_F(E2E, ABadConfigGivesAnErroredPipelineNeverA500) {
  start_with_config("version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [{bogus_step: 1}]\n");
  json created = server_->trigger(slug_);
  EXPECT_EQ(created["state"], "errored");
  json p = get("/api/v2/pipeline/" + created["id"].get<std::string>());
  ASSERT_FALSE(p["errors"].empty());
  EXPECT_EQ(p["errors"][0]["type"], "config");
  EXPECT_NE(p["errors"][0]["message"].get<std::string>().find("steps"), std::string::npos);
  EXPECT_TRUE(get("/api/v2/pipeline/" + created["id"].get<std::string>() + "/workflow")["items"].empty());

  // Unknown branch and missing config are errors of the pipeline too.
  json nobranch = server_->trigger(slug_, {{"branch", "nope"}});
  EXPECT_EQ(nobranch["state"], "errored");
  repo_->branch("empty");
  std::filesystem::remove_all(repo_->dir() / ".circleci");
  repo_->commit("no config");
  json noconfig = server_->trigger(slug_, {{"branch", "empty"}});
  json p2 = get("/api/v2/pipeline/" + noconfig["id"].get<std::string>());
  EXPECT_EQ(p2["state"], "errored");
  EXPECT_EQ(p2["errors"][0]["type"], "config-fetch");

  // Undeclared pipeline parameters are named.
  json undeclared = server_->trigger(slug_, {{"branch", "main"}, {"parameters", {{"nope", 1}}}});
  json p3 = get("/api/v2/pipeline/" + undeclared["id"].get<std::string>());
  EXPECT_EQ(p3["state"], "errored");
  EXPECT_NE(p3["errors"].dump().find("nope"), std::string::npos) << p3.dump();
}

TEST_F(E2E, TagsAndPipelineRunEndpoint) {
  start_with_config(R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps: [{run: 'echo "tag=$CIRCLE_TAG branch=${CIRCLE_BRANCH:-none}"'}]
workflows:
  w:
    jobs:
      - build:
          filters: {tags: {only: /.*/}}
)");
  repo_->tag("v1.0");
  auto r = server_->client().post("/api/v2/project/gh/acme/app/pipeline/run",
                                  {{"config", {{"tag", "v1.0"}}}, {"checkout", {{"tag", "v1.0"}}}},
                                  server_->token());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(OpenApiSpec::circleci().matches_response("POST", "/api/v2/project/gh/acme/app/pipeline/run", 201, r.json_body()));
  json wf = server_->wait_workflows(r.json_body()["id"])[0];
  EXPECT_EQ(wf["status"], "success");
  json p = get("/api/v2/pipeline/" + r.json_body()["id"].get<std::string>());
  EXPECT_EQ(p["vcs"]["tag"], "v1.0");
  EXPECT_FALSE(p["vcs"].contains("branch"));
  int n = server_->jobs_of(wf["id"])[0]["job_number"];
  auto v1 = server_->client().get("/api/v1.1/project/gh/acme/app/" + std::to_string(n), server_->token()).json_body();
  auto out = HttpClient("").request("GET", v1["steps"][0]["actions"][0]["output_url"], "", {"Accept: text/plain"});
  EXPECT_EQ(out.body, "tag=v1.0 branch=none\n");
}

TEST_F(E2E, ImplicitBuildJobRunsAloneAsInCircleCI20) {
  start_with_config("version: 2\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [{run: echo alone}]\n");
  json wf = server_->wait_workflows(server_->trigger(slug_)["id"]);
  ASSERT_EQ(wf.size(), 1u);
  EXPECT_EQ(wf[0]["status"], "success");
  EXPECT_EQ(server_->jobs_of(wf[0]["id"])[0]["name"], "build");
}

}  // namespace halo::test
