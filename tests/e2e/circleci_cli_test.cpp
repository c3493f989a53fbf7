// Stories: inside a job, `circleci tests glob|split|run` split tests as CircleCI's do —
// by timings from the job's earlier results — and `circleci-agent step halt` ends the job
// successfully after the step.
#include <map>
#include <set>
#include <sstream>

#include "e2e_fixture.h"

namespace halo::test {

namespace {

// Run 1 stores results with known timings; run 2 (same config) splits by them.
const char* kSplit = R"yaml(version: 2.1
jobs:
  tests:
    docker: [{image: cimg/base:stable}]
    steps:
      - checkout
      - run:
          name: shares
          command: |
            for i in 0 1 2; do
              echo "node $i: $(circleci tests glob 'tests/**/*.py' | circleci tests split --split-by=timings --index=$i --total=3 2>/dev/null | tr '\n' ' ')"
            done
            circleci tests glob 'tests/**/*.py' | circleci tests run --command='cat > ran.txt' --split-by=name --index=1 --total=2
            echo "ran: $(tr '\n' ' ' < ran.txt)"
      - run:
          name: results
          command: |
            mkdir -p r/py
            {
              echo '<testsuite name="t">'
              for f in a:12 b:1 c:7 d:5 e:3 f:8 g:2 h:6 i:4; do
                echo "<testcase classname=\"c\" name=\"${f%%:*}\" file=\"tests/unit/${f%%:*}.py\" time=\"${f##*:}\"/>"
              done
              echo '</testsuite>'
            } > r/py/results.xml
      - store_test_results: {path: r}
  halting:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: echo before; circleci-agent step halt
      - run: echo never
workflows:
  main:
    jobs: [tests, halting]
)yaml";

const char* kParallel = R"yaml(version: 2.1
jobs:
  split:
    docker: [{image: cimg/base:stable}]
    parallelism: 3
    steps:
      - checkout
      - run:
          name: share
          command: |
            echo "node $CIRCLE_NODE_INDEX of $CIRCLE_NODE_TOTAL: $(circleci tests glob 'tests/**/*.py' | circleci tests split | tr '\n' ' ')"
            mkdir -p out && echo "from node $CIRCLE_NODE_INDEX" > out/node.txt
      - store_artifacts: {path: out}
      - run:
          name: last node fails
          command: test "$CIRCLE_NODE_INDEX" != 2
workflows:
  main:
    jobs: [split]
)yaml";

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

}  // namespace

using CircleciCli = E2E;

TEST_F(CircleciCli, TestsSplitByTimingsOfTheJobsEarlierResultsAndStepHaltEndsTheJob) {
  for (const char* f : {"a", "b", "c", "d", "e", "f", "g", "h", "i"})
    repo_->write(std::string("tests/unit/") + f + ".py", "# test\n");
  start_with_config(kSplit);

  json first = server_->wait_workflows(server_->trigger(slug_, {{"branch", "main"}})["id"]);
  json jobs = server_->jobs_of(first[0]["id"]);
  for (const auto& j : jobs) EXPECT_EQ(j["status"], "success") << j.dump();
  // The first run has no timings: the split falls back to names.
  std::string by_name = step_output(job_by_name(jobs, "tests")["job_number"], "shares");
  EXPECT_NE(by_name.find("node 0: tests/unit/a.py tests/unit/d.py tests/unit/g.py"),
            std::string::npos)
      << by_name;
  EXPECT_NE(by_name.find("ran: tests/unit/b.py tests/unit/d.py tests/unit/f.py tests/unit/h.py"),
            std::string::npos)
      << by_name;

  // Halt: the step after it does not run, the job succeeds.
  int64_t halting = job_by_name(jobs, "halting")["job_number"];
  auto v1 = server_->client().get("/api/v1.1/project/" + slug_ + "/" + std::to_string(halting),
                                  server_->token());
  json steps = v1.json_body()["steps"];
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]["actions"][0]["status"], "success");
  EXPECT_EQ(steps[1]["actions"][0]["status"], "skipped") << steps.dump();
  EXPECT_EQ(job_by_name(jobs, "halting")["status"], "success");

  json second = server_->wait_workflows(server_->trigger(slug_, {{"branch", "main"}})["id"]);
  json jobs2 = server_->jobs_of(second[0]["id"]);
  std::string shares = step_output(job_by_name(jobs2, "tests")["job_number"], "shares");
  // Timings: a=12 b=1 c=7 d=5 e=3 f=8 g=2 h=6 i=4, 48 in all: 16 per node at best.
  std::map<std::string, double> t{{"a", 12}, {"b", 1}, {"c", 7}, {"d", 5}, {"e", 3},
                                  {"f", 8},  {"g", 2}, {"h", 6}, {"i", 4}};
  std::set<std::string> seen;
  double largest = 0;
  std::istringstream lines(shares);
  std::string line;
  int nodes = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("node ", 0) != 0) continue;
    ++nodes;
    double sum = 0;
    auto items = words(line.substr(line.find(':') + 1));
    for (const auto& item : items) {
      std::string name = item.substr(11, 1);  // tests/unit/X.py
      EXPECT_TRUE(seen.insert(name).second) << "twice: " << name;
      sum += t.at(name);
    }
    largest = std::max(largest, sum);
  }
  EXPECT_EQ(nodes, 3) << shares;
  EXPECT_EQ(seen.size(), 9u) << shares;
  EXPECT_LE(largest, 16 * 1.2) << shares;
}

TEST_F(CircleciCli, AParallelJobRunsEveryNodeAndFailsIfOneFails) {
  for (const char* f : {"a", "b", "c", "d", "e", "f"})
    repo_->write(std::string("tests/unit/") + f + ".py", "# test\n");
  start_with_config(kParallel);
  json wf = server_->wait_workflows(server_->trigger(slug_, {{"branch", "main"}})["id"]);
  json jobs = server_->jobs_of(wf[0]["id"]);
  json job = job_by_name(jobs, "split");
  EXPECT_EQ(job["status"], "failed");
  int64_t n = job["job_number"];

  // v1.1: one action per node, each with its own output.
  auto v1 = server_->client().get("/api/v1.1/project/" + slug_ + "/" + std::to_string(n),
                                  server_->token());
  json build = v1.json_body();
  EXPECT_EQ(build["parallel"], 3);
  json steps = build["steps"];
  ASSERT_EQ(steps.size(), 4u) << steps.dump();
  std::set<std::string> all;
  for (int node = 0; node < 3; ++node) {
    json action = steps[1]["actions"][node];
    EXPECT_EQ(action["index"], node);
    std::string url = action["output_url"];
    std::string out = server_->client()
                          .request("GET", url.substr(url.find("/api/")), "", {"Accept: text/plain"})
                          .body;
    EXPECT_EQ(out.rfind("node " + std::to_string(node) + " of 3: ", 0), 0u) << out;
    for (const auto& w : words(out.substr(out.find(':') + 1)))
      EXPECT_TRUE(all.insert(w).second) << w;
    EXPECT_EQ(steps[3]["actions"][node]["status"], node == 2 ? "failed" : "success");
  }
  EXPECT_EQ(all.size(), 6u);  // the nodes' shares cover the tests once

  // v2: parallel runs and artifacts per node.
  json details = get("/api/v2/project/" + slug_ + "/job/" + std::to_string(n));
  EXPECT_EQ(details["parallelism"], 3);
  ASSERT_EQ(details["parallel_runs"].size(), 3u);
  EXPECT_EQ(details["parallel_runs"][0]["status"], "success");
  EXPECT_EQ(details["parallel_runs"][2]["status"], "failed");
  json arts = get("/api/v2/project/" + slug_ + "/" + std::to_string(n) + "/artifacts")["items"];
  ASSERT_EQ(arts.size(), 3u) << arts.dump();
  for (int node = 0; node < 3; ++node) {
    EXPECT_EQ(arts[node]["node_index"], node);
    std::string url = arts[node]["url"];
    EXPECT_EQ(server_->client().request("GET", url.substr(server_->url().size())).body,
              "from node " + std::to_string(node) + "\n");
  }
  // A node the job does not have.
  EXPECT_EQ(server_->client()
                .get("/api/v1.1/project/" + slug_ + "/" + std::to_string(n) + "/output/1/3",
                     server_->token())
                .status,
            404);
}

}  // namespace halo::test
