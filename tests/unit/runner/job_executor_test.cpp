#include "runner/job_executor.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "runner_test_util.h"

namespace halo::runner {
namespace {

using namespace testing;
using config::Step;

int64_t elapsed_ms_since(int64_t start_us) {
  return (monotonic_us() - start_us) / 1000;
}

TEST(JobExecutorTest, StatusStrings) {
  EXPECT_STREQ(to_string(StepStatus::Success), "success");
  EXPECT_STREQ(to_string(StepStatus::Failed), "failed");
  EXPECT_STREQ(to_string(StepStatus::Canceled), "canceled");
  EXPECT_STREQ(to_string(StepStatus::TimedOut), "timedout");
  EXPECT_STREQ(to_string(StepStatus::Skipped), "skipped");
  EXPECT_STREQ(to_string(JobOutcome::Success), "success");
  EXPECT_STREQ(to_string(JobOutcome::Failed), "failed");
  EXPECT_STREQ(to_string(JobOutcome::Canceled), "canceled");
  EXPECT_STREQ(to_string(JobOutcome::TimedOut), "timedout");
  EXPECT_STREQ(to_string(JobOutcome::InfrastructureFail), "infrastructure_fail");
}

TEST(JobExecutorTest, EnvironmentPrecedenceAndBuiltins) {
  TempDir tmp;
  Step step = run_step(
      "echo \"A=$A B=$B C=$C\"\n"
      "echo \"HOME=$HOME\"\n"
      "echo \"CWD=$CIRCLE_WORKING_DIRECTORY\"\n"
      "echo \"BASH_ENV=$BASH_ENV\"\n"
      "echo \"LANG=$LANG TERM=$TERM SHELL=$SHELL\"\n"
      "echo \"PATH=$PATH\"\n"
      "echo \"PWD=$(pwd)\"\n");
  step.environment = {{"C", "step"}};
  JobPayload p = payload_in(tmp.path(), {step});
  p.environment = {{"A", "payload"}, {"B", "payload"}, {"C", "payload"}};
  p.job.environment = {{"B", "job"}, {"C", "job"}};
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success) << r.output_of(0);
  std::string out = r.output_of(0);
  fs::path home = tmp.path() / "home";
  EXPECT_NE(out.find("A=payload B=job C=step\n"), std::string::npos) << out;
  EXPECT_NE(out.find("HOME=" + home.string() + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("CWD=" + (home / "project").string() + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("BASH_ENV=" + (tmp.path() / "bash_env").string() + "\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("LANG=C.UTF-8 TERM=dumb SHELL=/bin/"), std::string::npos) << out;
  EXPECT_NE(out.find("PATH=" + std::string(getenv("PATH"))), std::string::npos) << out;
  EXPECT_NE(out.find("PWD=" + (home / "project").string() + "\n"), std::string::npos) << out;
  EXPECT_TRUE(fs::is_directory(home / "project"));
  EXPECT_TRUE(fs::is_regular_file(tmp.path() / "bash_env"));
  expect_no_children();
}

TEST(JobExecutorTest, ServerEnvironmentDoesNotLeak) {
  TempDir tmp;
  setenv("HALO_ADMIN_TOKEN", "admin-token-must-not-leak", 1);
  setenv("HALO_MASTER_KEY", "master-key-must-not-leak", 1);
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("env")}), r);
  JobOutcome outcome = ex.run();
  unsetenv("HALO_ADMIN_TOKEN");
  unsetenv("HALO_MASTER_KEY");
  ASSERT_EQ(outcome, JobOutcome::Success);
  std::string out = r.output_of(0);
  EXPECT_EQ(out.find("must-not-leak"), std::string::npos) << out;
  EXPECT_EQ(out.find("HALO_"), std::string::npos) << out;
  EXPECT_NE(out.find("PATH="), std::string::npos) << out;
  expect_no_children();
}

TEST(JobExecutorTest, BashEnvPassesVariablesBetweenSteps) {
  TempDir tmp;
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("echo 'export FOO=from-step-one' >> $BASH_ENV"),
                                         run_step("echo \"FOO=$FOO\"")}),
                 r);
  ASSERT_EQ(ex.run(), JobOutcome::Success);
  EXPECT_EQ(r.output_of(1), "FOO=from-step-one\n");
  expect_no_children();
}

TEST(JobExecutorTest, FailureSkipsOnSuccessAndRunsOnFailAndAlways) {
  TempDir tmp;
  RecordingReporter r;
  JobExecutor ex(
      payload_in(tmp.path(),
                 {run_step("echo one"), run_step("echo two; exit 3"), run_step("echo skipped"),
                  run_step("echo on-fail", "on_fail"), run_step("echo always", "always")}),
      r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  r.expect_well_ordered(5);
  EXPECT_EQ(r.result_of(0).status, StepStatus::Success);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Failed);
  EXPECT_EQ(r.result_of(1).exit_code, 3);
  EXPECT_EQ(r.result_of(2).status, StepStatus::Skipped);
  EXPECT_EQ(r.output_of(2), "");
  EXPECT_EQ(r.result_of(3).status, StepStatus::Success);
  EXPECT_EQ(r.output_of(3), "on-fail\n");
  EXPECT_EQ(r.result_of(4).status, StepStatus::Success);
  EXPECT_EQ(r.output_of(4), "always\n");
  expect_no_children();
}

TEST(JobExecutorTest, OnFailSkippedWhenNothingFailed) {
  TempDir tmp;
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("true"), run_step("echo on-fail", "on_fail"),
                                         run_step("echo always", "always")}),
                 r);
  EXPECT_EQ(ex.run(), JobOutcome::Success);
  r.expect_well_ordered(3);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Skipped);
  EXPECT_EQ(r.result_of(2).status, StepStatus::Success);
  EXPECT_EQ(r.output_of(2), "always\n");
  expect_no_children();
}

TEST(JobExecutorTest, ExitCodesAndPipefail) {
  TempDir tmp;
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(),
                            {run_step("exit 0"), run_step("exit 42", "always"),
                             run_step("false | true", "always"), run_step("kill -9 $$", "always")}),
                 r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  EXPECT_EQ(r.result_of(0).exit_code, 0);
  EXPECT_EQ(r.result_of(1).exit_code, 42);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Failed);
  EXPECT_EQ(r.result_of(2).status, StepStatus::Failed);  // -o pipefail
  EXPECT_EQ(r.result_of(3).exit_code, -1);               // killed by a signal
  EXPECT_EQ(r.result_of(3).status, StepStatus::Failed);
  EXPECT_LE(r.result_of(1).started_ms, r.result_of(1).ended_ms);
  expect_no_children();
}

TEST(JobExecutorTest, OutputArrivesBeforeTheStepEnds) {
  TempDir tmp;
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("echo a; echo err >&2; sleep 1; echo b")}), r);
  ASSERT_EQ(ex.run(), JobOutcome::Success);
  auto events = r.events();
  const Event* first = nullptr;
  const Event* finished = nullptr;
  for (const auto& e : events) {
    if (e.kind == Event::Output && !first) first = &e;
    if (e.kind == Event::Finished) finished = &e;
  }
  ASSERT_NE(first, nullptr);
  ASSERT_NE(finished, nullptr);
  EXPECT_EQ(first->data.find('b'), std::string::npos);
  EXPECT_GE(finished->mono_us - first->mono_us, 700'000);
  EXPECT_EQ(r.output_of(0), "a\nerr\nb\n");  // stderr on the same pipe
  expect_no_children();
}

TEST(JobExecutorTest, NoOutputTimeoutKillsTheWholeGroup) {
  TempDir tmp;
  Step step = run_step("echo started; sleep 100 & echo $! > grandchild.pid; sleep 100");
  step.no_output_timeout_ms = 500;
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {step, run_step("echo after")}), r);
  int64_t start = monotonic_us();
  EXPECT_EQ(ex.run(), JobOutcome::TimedOut);
  EXPECT_LT(elapsed_ms_since(start), 5000);
  r.expect_well_ordered(2);
  EXPECT_EQ(r.result_of(0).status, StepStatus::TimedOut);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Skipped);
  EXPECT_NE(r.output_of(0).find("Too long with no output (exceeded 500ms)"), std::string::npos);
  pid_t grandchild = read_pid(tmp.path() / "home/project/grandchild.pid");
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(process_gone(grandchild));
  expect_no_children();
}

TEST(JobExecutorTest, CancelFromAnotherThreadKillsTheGroup) {
  TempDir tmp;
  RecordingReporter r;
  JobExecutor ex(
      payload_in(tmp.path(), {run_step("sleep 100 & echo $! > grandchild.pid; sleep 100"),
                              run_step("echo after", "always")}),
      r);
  std::atomic<int64_t> canceled_at{0};
  std::thread canceler([&] {
    fs::path pid_file = tmp.path() / "home/project/grandchild.pid";
    for (int i = 0; i < 500 && read_file(pid_file).empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    canceled_at = monotonic_us();
    ex.cancel();
    ex.cancel();  // idempotent
  });
  JobOutcome outcome = ex.run();
  int64_t returned_at = monotonic_us();
  canceler.join();
  EXPECT_EQ(outcome, JobOutcome::Canceled);
  EXPECT_LT((returned_at - canceled_at) / 1000, 1000);
  r.expect_well_ordered(2);
  EXPECT_EQ(r.result_of(0).status, StepStatus::Canceled);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Skipped);
  pid_t grandchild = read_pid(tmp.path() / "home/project/grandchild.pid");
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(process_gone(grandchild));
  expect_no_children();
}

TEST(JobExecutorTest, CancelBeforeRunReturnsCanceledImmediately) {
  TempDir tmp;
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("touch ran")}), r);
  ex.cancel();
  EXPECT_EQ(ex.run(), JobOutcome::Canceled);
  EXPECT_TRUE(r.events().empty());
  EXPECT_FALSE(fs::exists(tmp.path() / "home/project/ran"));
  expect_no_children();
}

TEST(JobExecutorTest, BackgroundStepRunsAlongsideAndIsStoppedAtJobEnd) {
  TempDir tmp;
  Step bg = run_step("echo $$ > bg.pid; echo bg-started; exec sleep 100");
  bg.background = true;
  RecordingReporter r;
  JobExecutor ex(
      payload_in(tmp.path(), {bg, run_step("for i in $(seq 100); do [ -s bg.pid ] && break; "
                                           "sleep 0.05; done; cat bg.pid >/dev/null; echo fg")}),
      r);
  int64_t start = monotonic_us();
  EXPECT_EQ(ex.run(), JobOutcome::Success);
  EXPECT_LT(elapsed_ms_since(start), 5000);
  r.expect_well_ordered(2);
  EXPECT_EQ(r.output_of(0), "bg-started\n");
  EXPECT_EQ(r.output_of(1), "fg\n");
  EXPECT_EQ(r.result_of(0).status, StepStatus::Success);
  // The background step started first and finished last.
  auto events = r.events();
  EXPECT_EQ(events.front().kind, Event::Started);
  EXPECT_EQ(events.front().index, 0);
  EXPECT_EQ(events.back().kind, Event::Finished);
  EXPECT_EQ(events.back().index, 0);
  pid_t pid = read_pid(tmp.path() / "home/project/bg.pid");
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(process_gone(pid));
  expect_no_children();
}

TEST(JobExecutorTest, FailedBackgroundStepFailsTheJob) {
  TempDir tmp;
  Step bg = run_step("echo bg-failing; touch bg-done; exit 7");
  bg.background = true;
  // The foreground step outlives the background one, so the failure is seen before step 2.
  Step fg = run_step("until [ -e bg-done ]; do sleep 0.05; done; sleep 0.3");
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {bg, fg, run_step("echo skipped")}), r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  r.expect_well_ordered(3);
  EXPECT_EQ(r.result_of(0).status, StepStatus::Failed);
  EXPECT_EQ(r.result_of(0).exit_code, 7);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Success);
  EXPECT_EQ(r.result_of(2).status, StepStatus::Skipped);
  expect_no_children();
}

TEST(JobExecutorTest, LeftoverProcessesDoNotHoldTheStep) {
  TempDir tmp;
  RecordingReporter r;
  // The backgrounded sleep inherits the pipe; the step must still end when the shell does.
  JobExecutor ex(
      payload_in(tmp.path(), {run_step("sleep 100 & echo $! > leftover.pid; echo done")}), r);
  int64_t start = monotonic_us();
  EXPECT_EQ(ex.run(), JobOutcome::Success);
  EXPECT_LT(elapsed_ms_since(start), 3000);
  EXPECT_EQ(r.output_of(0), "done\n");
  pid_t pid = read_pid(tmp.path() / "home/project/leftover.pid");
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(process_gone(pid));
  expect_no_children();
}

TEST(JobExecutorTest, WorkingDirectories) {
  TempDir tmp;
  fs::path absolute = tmp.path() / "elsewhere";
  Step rel = run_step("pwd");
  rel.working_directory = "sub/dir";
  Step tilde = run_step("pwd");
  tilde.working_directory = "~/other";
  Step abs = run_step("pwd");
  abs.working_directory = absolute.string();
  JobPayload p =
      payload_in(tmp.path(), {run_step("pwd; echo $CIRCLE_WORKING_DIRECTORY"), rel, tilde, abs});
  p.job.working_directory = "~/src/app";
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success);
  fs::path home = tmp.path() / "home";
  EXPECT_EQ(r.output_of(0),
            (home / "src/app").string() + "\n" + (home / "src/app").string() + "\n");
  EXPECT_EQ(r.output_of(1), (home / "src/app/sub/dir").string() + "\n");
  EXPECT_EQ(r.output_of(2), (home / "other").string() + "\n");
  EXPECT_EQ(r.output_of(3), absolute.string() + "\n");
  expect_no_children();
}

TEST(JobExecutorTest, TildeAloneIsHome) {
  TempDir tmp;
  JobPayload p = payload_in(tmp.path(), {run_step("pwd")});
  p.job.working_directory = "~";
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success);
  EXPECT_EQ(r.output_of(0), (tmp.path() / "home").string() + "\n");
  expect_no_children();
}

TEST(JobExecutorTest, ShellSelection) {
  TempDir tmp;
  Step step_shell = run_step("echo \"${BASH_VERSION:-no-bash}\"");
  step_shell.shell = "/bin/sh -e";
  Step missing = run_step("true", "always");
  missing.shell = "/nonexistent/shell";
  JobPayload p = payload_in(tmp.path(), {run_step("echo \"${BASH_VERSION:+bash}\" $0"), step_shell,
                                         run_step("echo $-"), missing});
  p.job.shell = "";
  RecordingReporter r;
  JobExecutor ex(p, r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  EXPECT_EQ(r.output_of(0), "bash " + (tmp.path() / "step-0.sh").string() + "\n");
  EXPECT_EQ(r.output_of(1), "no-bash\n");
  EXPECT_NE(r.output_of(2).find('e'), std::string::npos);  // -e from the default shell
  EXPECT_EQ(r.result_of(3).status, StepStatus::Failed);
  EXPECT_NE(r.output_of(3).find("cannot start step"), std::string::npos) << r.output_of(3);
  expect_no_children();
}

TEST(JobExecutorTest, JobShellIsUsed) {
  TempDir tmp;
  JobPayload p = payload_in(tmp.path(), {run_step("echo \"${BASH_VERSION:-no-bash}\"")});
  p.job.shell = "/bin/sh -eu";
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success);
  EXPECT_EQ(r.output_of(0), "no-bash\n");
  expect_no_children();
}

TEST(JobExecutorTest, StdinIsDevNullAndNoDescriptorsLeak) {
  TempDir tmp;
  // A descriptor the server forgot to mark close-on-exec must not reach the job either.
  int leaky = dup(2);
  ASSERT_GE(leaky, 3);
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("ls /proc/self/fd | sort -n | tr '\\n' ' '; "
                                                  "readlink /proc/self/fd/0; cat")}),
                 r);
  JobOutcome outcome = ex.run();
  close(leaky);
  ASSERT_EQ(outcome, JobOutcome::Success);
  // 0-2, plus the one `ls` opens on /proc/self/fd.
  EXPECT_EQ(r.output_of(0), "0 1 2 3 /dev/null\n");
  expect_no_children();
}

TEST(JobExecutorTest, UnusableWorkDirIsAnInfrastructureFailure) {
  RecordingReporter r;
  JobExecutor ex(payload_in("/dev/null/cannot-exist", {run_step("true")}), r);
  EXPECT_EQ(ex.run(), JobOutcome::InfrastructureFail);
  EXPECT_TRUE(r.events().empty());
  expect_no_children();
}

TEST(JobExecutorTest, ZeroOrHugeNoOutputTimeoutMeansNone) {
  TempDir tmp;
  Step zero = run_step("sleep 0.2; echo zero");
  zero.no_output_timeout_ms = 0;
  Step huge = run_step("echo huge");
  huge.no_output_timeout_ms = INT64_MAX;
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {zero, huge}), r);
  EXPECT_EQ(ex.run(), JobOutcome::Success);
  EXPECT_EQ(r.output_of(0), "zero\n");
  EXPECT_EQ(r.output_of(1), "huge\n");
  expect_no_children();
}

TEST(JobExecutorTest, RunStepNameDefaultsToCommand) {
  TempDir tmp;
  Step s = run_step("echo hi");
  s.name = "";
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {s}), r);
  ASSERT_EQ(ex.run(), JobOutcome::Success);
  EXPECT_EQ(r.name_of(0), "echo hi");
  expect_no_children();
}

}  // namespace
}  // namespace halo::runner
