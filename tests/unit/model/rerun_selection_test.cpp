// Which jobs a rerun runs again, rule by rule.
#include "model/rerun_selection.h"

#include <gtest/gtest.h>

using namespace halo::model;

namespace {

GraphJob job(std::string name, std::string status, std::vector<std::string> requires_ = {}) {
  GraphJob j{std::move(name), std::move(status), {}};
  for (auto& r : requires_) j.requirements.push_back({std::move(r), {"success"}});
  return j;
}

std::vector<std::string> names(const std::vector<GraphJob>& jobs, const std::vector<size_t>& idx) {
  std::vector<std::string> out;
  for (size_t i : idx) out.push_back(jobs[i].name);
  return out;
}

using Names = std::vector<std::string>;

// build -> test -> deploy, and lint on its own.
std::vector<GraphJob> chain_and_lint(std::string test_status) {
  return {job("build", "success"), job("test", test_status, {"build"}),
          job("deploy", test_status == "success" ? "success" : "not_run", {"test"}),
          job("lint", "success")};
}

}  // namespace

TEST(RerunSelection, APlainRerunRunsEveryJob) {
  auto jobs = chain_and_lint("failed");
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::All)),
            (Names{"build", "test", "deploy", "lint"}));
}

TEST(RerunSelection, FromFailedRunsEveryJobThatDidNotSucceed) {
  auto jobs = chain_and_lint("failed");
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::FromFailed)), (Names{"test", "deploy"}))
      << "successful jobs are carried over; a failed job's not_run dependants run again";
}

TEST(RerunSelection, FromFailedRunsCanceledAndTimedOutJobsAgainToo) {
  std::vector<GraphJob> jobs = {job("a", "canceled"), job("b", "timedout"),
                                job("c", "infrastructure_fail"), job("d", "success")};
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::FromFailed)), (Names{"a", "b", "c"}));
}

TEST(RerunSelection, ChosenJobsRunWithTheirDownstreamAndTheirUpstreamIsCarriedOver) {
  auto jobs = chain_and_lint("success");
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::Jobs, {"test"})),
            (Names{"test", "deploy", "lint"}))
      << "build is what test needs: carried over; lint is unrelated: it runs again";
}

TEST(RerunSelection, ASparseTreeRunsOnlyTheChosenJobsAndTheirDownstream) {
  auto jobs = chain_and_lint("success");
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::SparseTree, {"test"})),
            (Names{"test", "deploy"}));
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::SparseTree, {"lint"})), (Names{"lint"}));
}

TEST(RerunSelection, ChoosingAJobAndOneOfItsUpstreamJobsRunsBoth) {
  auto jobs = chain_and_lint("success");
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::SparseTree, {"deploy", "build"})),
            (Names{"build", "test", "deploy"}));
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::Jobs, {"deploy", "build"})),
            (Names{"build", "test", "deploy", "lint"}));
}

TEST(RerunSelection, AFanInJobRunsOnceAndItsOtherUpstreamIsCarriedOver) {
  std::vector<GraphJob> jobs = {job("a", "success"), job("b", "success"),
                                job("merge", "success", {"a", "b"}),
                                job("after", "success", {"merge"})};
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::SparseTree, {"a"})),
            (Names{"a", "merge", "after"}));
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::Jobs, {"merge"})),
            (Names{"merge", "after"}));
}

TEST(RerunSelection, RequirementsOnJobsFilteredOutAtCompileTimeAreIgnored) {
  std::vector<GraphJob> jobs = {job("a", "success", {"gone"}), job("b", "failed", {"a"})};
  EXPECT_EQ(names(jobs, jobs_to_rerun(jobs, RerunMode::Jobs, {"b"})), (Names{"b"}));
}
