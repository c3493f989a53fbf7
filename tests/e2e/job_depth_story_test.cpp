// The story of issue #8 in one pipeline: a cache saved in run 1 and restored in run 2, a
// workspace passed across three jobs, an artifact downloaded byte for byte, JUnit results
// read back, a rerun from failed, an approval, and a 3-node split by timings.
#include <sstream>

#include "common/crypto.h"
#include "e2e_fixture.h"

namespace halo::test {

namespace {

const char* kStory = R"yaml(version: 2.1
jobs:
  build:
    docker: [{image: cimg/base:stable}]
    steps:
      - checkout
      - restore_cache: {keys: ['deps-{{ checksum "lock.txt" }}']}
      - run:
          name: deps
          command: if [ -f deps/x ]; then echo "deps from cache"; else mkdir -p deps && echo v > deps/x; fi
      - save_cache: {key: 'deps-{{ checksum "lock.txt" }}', paths: [deps]}
      - run: mkdir -p ws && echo from-build > ws/a.txt
      - persist_to_workspace: {root: ws, paths: [a.txt]}
  package:
    docker: [{image: cimg/base:stable}]
    steps:
      - attach_workspace: {at: ws}
      - run:
          name: package
          command: |
            echo from-package > ws/b.txt
            head -c 200000 /dev/urandom > ws/app.bin
            sha256sum ws/app.bin
      - persist_to_workspace: {root: ws, paths: [b.txt]}
      - store_artifacts: {path: ws/app.bin, destination: app.bin}
  tests:
    docker: [{image: cimg/base:stable}]
    parallelism: 3
    steps:
      - checkout
      - attach_workspace: {at: ws}
      - run:
          name: split
          command: |
            test "$(cat ws/a.txt ws/b.txt)" = "$(printf 'from-build\nfrom-package')"
            mine=$(circleci tests glob 'tests/*.py' | circleci tests split --split-by=timings)
            echo "node $CIRCLE_NODE_INDEX: $(echo $mine)"
            mkdir -p results/pytest
            {
              echo '<testsuite name="t">'
              for f in $mine; do
                t=$(grep -o '[0-9]*' "$f")
                echo "<testcase classname=\"t\" name=\"$f\" file=\"$f\" time=\"$t\"/>"
              done
              echo '</testsuite>'
            } > results/pytest/r.xml
      - store_test_results: {path: results}
      - run:
          name: flaky once
          command: |
            marker="/tmp/halo-e2e-story-$CIRCLE_WORKFLOW_WORKSPACE_ID-$CIRCLE_NODE_INDEX"
            if [ << pipeline.number >> = 1 ] && [ "$CIRCLE_NODE_INDEX" = 0 ] && [ ! -f "$marker" ]; then touch "$marker"; exit 1; fi
            rm -f "$marker"
  hold:
    type: approval
  ship:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: echo shipped
workflows:
  main:
    jobs:
      - build
      - package: {requires: [build]}
      - tests: {requires: [package]}
      - hold: {requires: [tests]}
      - ship: {requires: [hold]}
)yaml";

}  // namespace

using JobDepthStory = E2E;

TEST_F(JobDepthStory, EverythingAJobDoesInOnePipeline) {
  repo_->write("lock.txt", "dep@1\n");
  const std::map<std::string, int> seconds{{"a", 9}, {"b", 8}, {"c", 7}, {"d", 3}, {"e", 2},
                                           {"f", 1}, {"g", 6}, {"h", 4}, {"i", 5}};
  for (const auto& [name, t] : seconds)
    repo_->write("tests/" + name + ".py", "# " + std::to_string(t) + "\n");
  start_with_config(kStory);

  // Run 1: the tests job fails once; the rest stops there.
  std::string p1 = server_->trigger(slug_, {{"branch", "main"}})["id"];
  json wf1 = server_->wait_workflows(p1)[0];
  ASSERT_EQ(wf1["status"], "failed") << wf1.dump();
  json jobs1 = server_->jobs_of(wf1["id"]);
  EXPECT_EQ(job_by_name(jobs1, "tests")["status"], "failed");
  EXPECT_EQ(job_by_name(jobs1, "hold")["status"], "not_run");

  // The artifact, byte for byte.
  int64_t package = job_by_name(jobs1, "package")["job_number"];
  std::string printed = action_output(package, 1);
  json arts =
      get("/api/v2/project/" + slug_ + "/" + std::to_string(package) + "/artifacts")["items"];
  ASSERT_EQ(arts.size(), 1u);
  EXPECT_EQ(arts[0]["path"], "app.bin");
  std::string url = arts[0]["url"];
  std::string body = server_->client().request("GET", url.substr(server_->url().size())).body;
  EXPECT_EQ(body.size(), 200000u);
  EXPECT_EQ(printed.substr(0, 64), sha256_hex(body)) << printed;

  // JUnit results of the three nodes, read back.
  int64_t tests1 = job_by_name(jobs1, "tests")["job_number"];
  json results = get("/api/v2/project/" + slug_ + "/" + std::to_string(tests1) + "/tests")["items"];
  EXPECT_EQ(results.size(), 9u) << results.dump();

  // Rerun from failed: only tests runs again, with the workspace of the jobs carried over.
  auto rr =
      post("/api/v2/workflow/" + wf1["id"].get<std::string>() + "/rerun", {{"from_failed", true}});
  ASSERT_EQ(rr.status, 202) << rr.body;
  std::string wf2 = rr.json_body()["workflow_id"];
  wait_workflow(wf2, "on_hold");
  json jobs2 = server_->jobs_of(wf2);
  EXPECT_EQ(job_by_name(jobs2, "tests")["status"], "success");
  EXPECT_EQ(job_by_name(jobs2, "build")["job_number"], job_by_name(jobs1, "build")["job_number"]);

  // The approval lets ship run.
  std::string hold = job_by_name(jobs2, "hold")["id"];
  auto ap = post("/api/v2/workflow/" + wf2 + "/approve/" + hold, json::object());
  ASSERT_EQ(ap.status, 202) << ap.body;
  wait_workflow(wf2, "success");
  EXPECT_EQ(job_by_name(server_->jobs_of(wf2), "ship")["status"], "success");

  // Run 2: the cache comes back, and the split follows the timings of run 1's results.
  std::string p2 = server_->trigger(slug_, {{"branch", "main"}})["id"];
  json listed;
  ASSERT_TRUE(eventually([&] {
    listed = get("/api/v2/pipeline/" + p2 + "/workflow")["items"];
    return !listed.empty();
  }));
  wait_workflow(listed[0]["id"], "on_hold");  // its tests pass at once this time
  json jobs3 = server_->jobs_of(listed[0]["id"]);
  EXPECT_EQ(action_output(job_by_name(jobs3, "build")["job_number"], 2), "deps from cache\n");
  int64_t tests3 = job_by_name(jobs3, "tests")["job_number"];
  double largest = 0;
  int covered = 0;
  for (int node = 0; node < 3; ++node) {
    std::string line = action_output(tests3, 2, node);
    ASSERT_EQ(line.rfind("node " + std::to_string(node) + ": ", 0), 0u) << line;
    std::istringstream in(line.substr(line.find(':') + 1));
    std::string f;
    double sum = 0;
    while (in >> f) {
      sum += seconds.at(f.substr(6, 1));  // tests/X.py
      ++covered;
    }
    largest = std::max(largest, sum);
  }
  EXPECT_EQ(covered, 9);
  EXPECT_LE(largest, 15 * 1.2);  // 45 s of tests: 15 per node at best
}

}  // namespace halo::test
