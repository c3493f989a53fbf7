// The workflow DAG rules, as stories.
#include "model/workflow_graph.h"

#include <gtest/gtest.h>

using namespace halo::model;

namespace {
GraphJob job(std::string name, std::string status, std::vector<GraphRequirement> reqs = {}) {
  return GraphJob{std::move(name), std::move(status), std::move(reqs)};
}
GraphRequirement on(std::string name, std::vector<std::string> statuses = {"success"}) {
  return GraphRequirement{std::move(name), std::move(statuses)};
}
}  // namespace

TEST(WorkflowGraph, JobsWithoutRequirementsAreQueuedAtOnce) {
  std::vector<GraphJob> jobs = {job("a", "blocked"), job("b", "blocked", {on("a")})};
  auto u = advance(jobs, false);
  EXPECT_EQ(u.queued, std::vector<size_t>{0});
  EXPECT_EQ(jobs[0].status, "queued");
  EXPECT_EQ(jobs[1].status, "blocked");
  EXPECT_EQ(u.workflow_status, "running");
}

TEST(WorkflowGraph, ASuccessQueuesTheDependants) {
  std::vector<GraphJob> jobs = {job("a", "success"), job("b", "blocked", {on("a")})};
  advance(jobs, false);
  EXPECT_EQ(jobs[1].status, "queued");
}

TEST(WorkflowGraph, AFailureMakesTheWholeChainNotRunAndTheWorkflowFailed) {
  std::vector<GraphJob> jobs = {job("a", "failed"), job("b", "blocked", {on("a")}),
                                job("c", "blocked", {on("b")})};
  auto u = advance(jobs, false);
  EXPECT_EQ(jobs[1].status, "not_run");
  EXPECT_EQ(jobs[2].status, "not_run");
  EXPECT_EQ(u.workflow_status, "failed");
}

TEST(WorkflowGraph, RequiringAFailureRunsOnlyAfterAFailure) {
  std::vector<GraphJob> jobs = {job("a", "failed"), job("b", "blocked", {on("a", {"failed"})})};
  advance(jobs, false);
  EXPECT_EQ(jobs[1].status, "queued");
  std::vector<GraphJob> ok = {job("a", "success"), job("b", "blocked", {on("a", {"failed"})})};
  advance(ok, false);
  EXPECT_EQ(ok[1].status, "not_run");
}

TEST(WorkflowGraph, InfrastructureFailAndTimeoutCountAsFailedForRequirements) {
  std::vector<GraphJob> jobs = {job("a", "timedout"), job("b", "blocked", {on("a", {"failed"})})};
  advance(jobs, false);
  EXPECT_EQ(jobs[1].status, "queued");
}

TEST(WorkflowGraph, WaitsForEveryRequirement) {
  std::vector<GraphJob> jobs = {job("a", "success"), job("b", "running"),
                                job("c", "blocked", {on("a"), on("b")})};
  auto u = advance(jobs, false);
  EXPECT_EQ(jobs[2].status, "blocked");
  EXPECT_EQ(u.workflow_status, "running");
}

TEST(WorkflowGraph, RunningWithAFailureIsFailing) {
  std::vector<GraphJob> jobs = {job("a", "failed"), job("b", "running")};
  EXPECT_EQ(advance(jobs, false).workflow_status, "failing");
}

TEST(WorkflowGraph, CanceledWinsAndQueuesNothing) {
  std::vector<GraphJob> jobs = {job("a", "success"), job("b", "blocked", {on("a")})};
  auto u = advance(jobs, true);
  EXPECT_EQ(jobs[1].status, "blocked");
  EXPECT_EQ(u.workflow_status, "canceled");
}

TEST(WorkflowGraph, AllSuccessIsSuccessAndOnHoldWaits) {
  std::vector<GraphJob> ok = {job("a", "success"), job("b", "success")};
  EXPECT_EQ(derive_workflow_status(ok, false), "success");
  std::vector<GraphJob> hold = {job("a", "success"), job("b", "on_hold")};
  EXPECT_EQ(derive_workflow_status(hold, false), "on_hold");
}

TEST(WorkflowGraph, JobsWaitingOnlyForAnApprovalLeaveTheWorkflowOnHold) {
  std::vector<GraphJob> jobs = {job("build", "success"), job("hold", "on_hold", {on("build")}),
                                job("deploy", "blocked", {on("hold")})};
  EXPECT_EQ(advance(jobs, false).workflow_status, "on_hold");
  jobs.push_back(job("lint", "running"));
  EXPECT_EQ(derive_workflow_status(jobs, false), "running") << "while another job runs";
  jobs.back().status = "failed";
  EXPECT_EQ(derive_workflow_status(jobs, false), "failing");
}

TEST(WorkflowGraph, RequirementsOnJobsNotInTheWorkflowAreIgnored) {
  std::vector<GraphJob> jobs = {job("b", "blocked", {on("filtered-out")})};
  advance(jobs, false);
  EXPECT_EQ(jobs[0].status, "queued");
}
