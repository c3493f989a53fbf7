// Stories: jobs move files through the server — caches across pipelines, a workspace across
// three jobs, artifacts downloaded byte for byte, JUnit results read back — and hostile
// paths are refused with a clear step message.
#include "e2e_fixture.h"

namespace halo::test {

namespace {

const char* kFiles = R"yaml(version: 2.1
jobs:
  build:
    docker: [{image: cimg/base:stable}]
    steps:
      - checkout
      - restore_cache:
          keys:
            - deps-v1-{{ checksum "lock.txt" }}
            - deps-v1-
      - run: |
          if [ -f deps/installed.txt ]; then echo "deps came from the cache"; else mkdir -p deps; echo "installed at $CIRCLE_BUILD_NUM" > deps/installed.txt; fi
      - save_cache:
          key: deps-v1-{{ checksum "lock.txt" }}
          paths: [deps]
      - run: |
          mkdir -p ws/a out/sub test-results/pytest
          echo from-build > ws/a/one.txt
          echo layer-1 > ws/shared.txt
          seq 1 20000 > out/numbers.txt
          printf '<h1>hi</h1>' > out/sub/report.html
          cat > test-results/pytest/results.xml <<'XML'
          <?xml version="1.0" encoding="utf-8"?>
          <testsuites><testsuite name="pytest" tests="4">
            <testcase classname="tests.test_math" name="test_add" file="tests/test_math.py" time="0.25"/>
            <testcase classname="tests.test_math" name="test_sub" file="tests/test_math.py" time="1.5"/>
            <testcase classname="tests.test_math" name="test_div" file="tests/test_math.py" time="0.125"><failure message="ZeroDivisionError">boom</failure></testcase>
            <testcase classname="tests.test_io" name="test_net" file="tests/test_io.py" time="0"><skipped message="no network"/></testcase>
          </testsuite></testsuites>
          XML
      - persist_to_workspace:
          root: ws
          paths: [a, shared.txt]
      - store_artifacts:
          path: out
          destination: reports
      - store_test_results:
          path: test-results
  middle:
    docker: [{image: cimg/base:stable}]
    steps:
      - attach_workspace: {at: ws}
      - run: |
          test "$(cat ws/a/one.txt)" = from-build
          mkdir -p ws2 && echo from-middle > ws2/two.txt && echo layer-2 > ws2/shared.txt
      - persist_to_workspace:
          root: ws2
          paths: ["*.txt"]
  final:
    docker: [{image: cimg/base:stable}]
    steps:
      - attach_workspace: {at: ~/ws}
      - run: |
          cat ~/ws/a/one.txt ~/ws/two.txt ~/ws/shared.txt
          test "$(cat ~/ws/shared.txt)" = layer-2
workflows:
  main:
    jobs:
      - build
      - middle: {requires: [build]}
      - final: {requires: [middle]}
)yaml";

const char* kHostile = R"yaml(version: 2.1
jobs:
  escape:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: mkdir -p out && echo ok > out/fine.txt && ln -s /etc/passwd out/passwd
      - store_artifacts: {path: out}
  dotdot:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: mkdir -p a && echo x > a/x
      - store_artifacts: {path: a/../a}
  badkey:
    docker: [{image: cimg/base:stable}]
    steps:
      - save_cache: {key: "v1-{{ .Nope }}", paths: [.]}
  badxml:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: mkdir -p r/x && echo '<testsuite><testcase' > r/x/broken.xml
      - store_test_results: {path: r}
  missing:
    docker: [{image: cimg/base:stable}]
    steps:
      - persist_to_workspace: {root: ., paths: [nothing-here]}
workflows:
  main:
    jobs: [escape, dotdot, badkey, badxml, missing]
)yaml";

// The test job fails on its first attempt only; its rerun from failed must still see the
// workspace of the build job, which it does not re-run.
const char* kRerun = R"yaml(version: 2.1
jobs:
  build:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: mkdir -p ws && echo "built once" > ws/out.txt
      - persist_to_workspace: {root: ws, paths: [out.txt]}
  test:
    docker: [{image: cimg/base:stable}]
    steps:
      - attach_workspace: {at: ws}
      - run: |
          cat ws/out.txt
          marker="/tmp/halo-e2e-rerun-$CIRCLE_WORKFLOW_WORKSPACE_ID"
          if [ -f "$marker" ]; then rm -f "$marker"; else touch "$marker"; exit 1; fi
workflows:
  main:
    jobs: [build, {test: {requires: [build]}}]
)yaml";

}  // namespace

class JobFiles : public E2E {
 protected:
  json run_pipeline() {
    json created = server_->trigger(slug_, {{"branch", "main"}});
    json workflows = server_->wait_workflows(created["id"]);
    EXPECT_EQ(workflows.size(), 1u);
    return server_->jobs_of(workflows[0]["id"]);
  }
};

TEST_F(JobFiles, CachesWorkspacesArtifactsAndTestResultsGoThroughTheServer) {
  repo_->write("lock.txt", "left-pad@1.3.0\n");
  start_with_config(kFiles);

  json jobs = run_pipeline();
  for (const auto& j : jobs) EXPECT_EQ(j["status"], "success") << j.dump();
  int64_t build = job_by_name(jobs, "build")["job_number"];
  int64_t final_job = job_by_name(jobs, "final")["job_number"];

  // Cache: saved in run 1 ...
  EXPECT_NE(step_output(build, "Restoring cache").find("No cache is found"), std::string::npos);
  std::string saved = step_output(build, "Saving cache");
  EXPECT_NE(saved.find("Stored Cache to deps-v1-"), std::string::npos) << saved;

  // Workspace: three jobs, later layers win.
  std::string fin = step_output(final_job,
                                "cat ~/ws/a/one.txt ~/ws/two.txt ~/ws/shared.txt\ntest \"$(cat "
                                "~/ws/shared.txt)\" = layer-2\n");
  EXPECT_EQ(fin, "from-build\nfrom-middle\nlayer-2\n");
  std::string attach = step_output(final_job, "Attaching workspace");
  EXPECT_NE(attach.find("2 layers"), std::string::npos) << attach;

  // Artifacts: listed by spec, downloaded byte for byte, with ranges and types.
  json arts = get("/api/v2/project/" + slug_ + "/" + std::to_string(build) + "/artifacts");
  ASSERT_EQ(arts["items"].size(), 2u) << arts.dump();
  EXPECT_EQ(arts["items"][0]["path"], "reports/numbers.txt");
  EXPECT_EQ(arts["items"][1]["path"], "reports/sub/report.html");
  EXPECT_EQ(arts["next_page_token"], nullptr);
  std::string expected;
  for (int i = 1; i <= 20000; ++i) expected += std::to_string(i) + "\n";
  std::string url = arts["items"][0]["url"];
  std::string path = url.substr(server_->url().size());
  auto whole = server_->client().request("GET", path);  // pre-signed: no token
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.body, expected);
  EXPECT_EQ(whole.headers["content-type"], "text/plain; charset=utf-8");
  EXPECT_EQ(whole.headers["content-length"], std::to_string(expected.size()));
  auto part = server_->client().request("GET", path, "", {"Range: bytes=10-19"});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, expected.substr(10, 10));
  EXPECT_EQ(part.headers["content-range"], "bytes 10-19/" + std::to_string(expected.size()));
  auto past = server_->client().request("GET", path, "", {"Range: bytes=999999-"});
  EXPECT_EQ(past.status, 416);
  // A tampered signature is an ordinary read: without a token, refused.
  auto forged = server_->client().request("GET", path.substr(0, path.find("sig=") + 4) + "00");
  EXPECT_EQ(forged.status, 401);
  auto with_token = server_->client().get(path.substr(0, path.find('?')), server_->token());
  EXPECT_EQ(with_token.status, 200);
  EXPECT_EQ(with_token.body, expected);
  std::string html = arts["items"][1]["url"];
  auto page = server_->client().request("GET", html.substr(server_->url().size()));
  EXPECT_EQ(page.body, "<h1>hi</h1>");
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  auto v1 = server_->client().get(
      "/api/v1.1/project/" + slug_ + "/" + std::to_string(build) + "/artifacts", server_->token());
  EXPECT_EQ(v1.json_body().size(), 2u) << v1.body;

  // Test results: every field of the spec.
  json tests = get("/api/v2/project/" + slug_ + "/" + std::to_string(build) + "/tests");
  ASSERT_EQ(tests["items"].size(), 4u) << tests.dump();
  json div = tests["items"][2];
  EXPECT_EQ(div["name"], "test_div");
  EXPECT_EQ(div["classname"], "tests.test_math");
  EXPECT_EQ(div["file"], "tests/test_math.py");
  EXPECT_EQ(div["result"], "failure");
  EXPECT_NE(div["message"].get<std::string>().find("ZeroDivisionError"), std::string::npos);
  EXPECT_EQ(div["run_time"], 0.125);
  EXPECT_EQ(div["source"], "pytest");
  EXPECT_EQ(tests["items"][0]["message"], nullptr);
  EXPECT_EQ(tests["items"][3]["result"], "skipped");

  // ... and restored in run 2, where the same key is not saved again.
  json again = run_pipeline();
  int64_t build2 = job_by_name(again, "build")["job_number"];
  std::string restored = step_output(build2, "Restoring cache");
  EXPECT_NE(restored.find("Found a cache from key deps-v1-"), std::string::npos) << restored;
  std::string run = step_output(
      build2,
      "if [ -f deps/installed.txt ]; then echo \"deps came from the cache\"; else mkdir -p deps; "
      "echo \"installed at $CIRCLE_BUILD_NUM\" > deps/installed.txt; fi\n");
  EXPECT_EQ(run, "deps came from the cache\n");
  EXPECT_NE(
      step_output(build2, "Saving cache").find("Skipping cache generation, cache already exists"),
      std::string::npos);

  // Unknown jobs and bad tokens.
  EXPECT_EQ(server_->client()
                .get("/api/v2/project/" + slug_ + "/9999/artifacts", server_->token())
                .status,
            404);
  EXPECT_EQ(server_->client().get("/api/v2/project/" + slug_ + "/1/tests", "wrong").status, 401);
}

TEST_F(JobFiles, ARerunFromFailedSeesTheWorkspaceOfTheJobsItDoesNotRerun) {
  start_with_config(kRerun);
  json created = server_->trigger(slug_, {{"branch", "main"}});
  json workflows = server_->wait_workflows(created["id"]);
  ASSERT_EQ(workflows[0]["status"], "failed");
  std::string wf = workflows[0]["id"];
  auto r = server_->client().post("/api/v2/workflow/" + wf + "/rerun", {{"from_failed", true}},
                                  server_->token());
  ASSERT_EQ(r.status, 202) << r.body;
  std::string rerun = r.json_body()["workflow_id"];
  ASSERT_TRUE(eventually([&] {
    return get("/api/v2/workflow/" + rerun)["status"] != "running";
  }, std::chrono::seconds(60)));
  EXPECT_EQ(get("/api/v2/workflow/" + rerun)["status"], "success");
  json jobs = server_->jobs_of(rerun);
  int64_t test = job_by_name(jobs, "test")["job_number"];
  std::string out = step_output(test, "cat ws/out.txt\nmarker=\"/tmp/halo-e2e-rerun-$CIRCLE_WORKFLOW_WORKSPACE_ID\"\nif [ -f \"$marker\" ]; then rm -f \"$marker\"; else touch \"$marker\"; exit 1; fi\n");
  EXPECT_EQ(out, "built once\n");
}

TEST_F(JobFiles, HostilePathsAndBadInputFailTheStepWithAClearMessage) {
  start_with_config(kHostile);
  json jobs = run_pipeline();
  for (const auto& j : jobs)
    EXPECT_EQ(j["status"], j["name"] == "badxml" ? "success" : "failed") << j.dump();

  std::string escape =
      step_output(job_by_name(jobs, "escape")["job_number"], "Uploading artifacts");
  EXPECT_NE(escape.find("points outside"), std::string::npos) << escape;
  std::string dotdot =
      step_output(job_by_name(jobs, "dotdot")["job_number"], "Uploading artifacts");
  EXPECT_NE(dotdot.find("may not contain \"..\""), std::string::npos) << dotdot;
  std::string badkey = step_output(job_by_name(jobs, "badkey")["job_number"], "Saving cache");
  EXPECT_NE(badkey.find("unknown cache key template {{ .Nope }}"), std::string::npos) << badkey;
  std::string badxml =
      step_output(job_by_name(jobs, "badxml")["job_number"], "Uploading test results");
  EXPECT_NE(badxml.find("Warning: x/broken.xml is not a JUnit report"), std::string::npos)
      << badxml;
  std::string missing =
      step_output(job_by_name(jobs, "missing")["job_number"], "Persisting to workspace");
  EXPECT_NE(missing.find("did not match any files"), std::string::npos) << missing;
}

}  // namespace halo::test
