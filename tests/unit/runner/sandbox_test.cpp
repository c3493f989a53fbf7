#include "runner/sandbox.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "runner/job_executor.h"
#include "runner_test_util.h"

namespace halo::runner {
namespace {

using namespace testing;

TEST(SandboxTest, ArgvMasksHiddenPathsAndBindsWorkDirBack) {
  TempDir data;
  fs::create_directories(data.path() / "jobs/j1");
  SandboxSpec spec;
  spec.hidden = {data.path(), data.path() / "missing"};
  spec.writable = {data.path() / "jobs/j1"};
  spec.cwd = data.path() / "jobs/j1";
  auto argv = sandbox_argv(spec, {"/bin/sh", "script"});
  auto pos = [&](const std::string& s) {
    return std::find(argv.begin(), argv.end(), s) - argv.begin();
  };
  ASSERT_GE(argv.size(), 4u);
  EXPECT_LT(pos("--tmpfs"), pos("--bind"));  // the bind goes on top of the tmpfs
  EXPECT_EQ(argv[static_cast<size_t>(pos("--tmpfs")) + 1], fs::canonical(data.path()).string());
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "--tmpfs"), 1);  // "missing" is skipped
  EXPECT_EQ(argv[argv.size() - 3], "--");
  EXPECT_EQ(argv.back(), "script");
}

class SandboxedJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // scripts/install-deps.sh installs bubblewrap: a job must never see the data dir, so
    // a host where the sandbox cannot work fails here rather than passing unchecked.
    ASSERT_TRUE(sandbox_available()) << "bubblewrap is missing or does not work here";
    fs::create_directories(data_.path() / "jobs/j1");
    std::ofstream(data_.path() / "secret.txt") << "server secret\n";
  }
  TempDir data_;
};

TEST_F(SandboxedJobTest, HiddenPathsAreInvisibleButWorkDirIsNot) {
  fs::path secret = data_.path() / "secret.txt";
  JobPayload p = payload_in(data_.path() / "jobs/j1",
                            {run_step("if cat '" + secret.string() +
                                      "' 2>/dev/null; then echo LEAKED; exit 1; fi\n"
                                      "ls -A '" +
                                      data_.path().string() +
                                      "'\n"
                                      "echo written > $HOME/file && cat $HOME/file\n"
                                      "echo 'export FROM_BASH_ENV=yes' >> $BASH_ENV"),
                             run_step("echo $FROM_BASH_ENV; pwd")});
  p.hidden_paths = {data_.path()};
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success) << r.output_of(0);
  std::string out = r.output_of(0);
  EXPECT_EQ(out.find("server secret"), std::string::npos) << out;
  EXPECT_EQ(out.find("secret.txt"), std::string::npos) << out;
  EXPECT_NE(out.find("jobs\n"), std::string::npos) << out;  // only the path down to work_dir
  EXPECT_NE(out.find("written\n"), std::string::npos) << out;
  EXPECT_EQ(r.output_of(1),
            "yes\n" + (fs::canonical(data_.path()) / "jobs/j1/home/project").string() + "\n");
  // Files the job wrote are on the host.
  EXPECT_EQ(read_file(data_.path() / "jobs/j1/home/file"), "written\n");
  expect_no_children();
}

TEST_F(SandboxedJobTest, CancelAndTimeoutStillKillTheGroup) {
  config::Step step = run_step("sleep 100 & echo $! > grandchild.pid; sleep 100");
  step.no_output_timeout_ms = 300;
  JobPayload p = payload_in(data_.path() / "jobs/j1", {step});
  p.hidden_paths = {data_.path()};
  RecordingReporter r;
  JobExecutor ex(p, r);
  EXPECT_EQ(ex.run(), JobOutcome::TimedOut);
  // The pid as seen inside the sandbox is the host's: no pid namespace is used.
  pid_t grandchild = read_pid(data_.path() / "jobs/j1/home/project/grandchild.pid");
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(process_gone(grandchild));
  expect_no_children();
}

TEST_F(SandboxedJobTest, CheckoutFromAHiddenLocalRepository) {
  fs::path repo = data_.path() / "repos/r";
  fs::create_directories(repo);
  sh("git init -q -b main . && echo hi > f && git add f && "
     "git -c user.name=t -c user.email=t@e commit -qm c",
     repo);
  std::string sha = trim(sh("git rev-parse HEAD", repo));
  JobPayload p = payload_in(data_.path() / "jobs/j1", {checkout_step(), run_step("cat f")});
  p.hidden_paths = {data_.path()};
  p.checkout_url = repo.string();
  p.checkout_sha = sha;
  p.checkout_ref = "main";
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success) << r.output_of(0);
  EXPECT_EQ(r.output_of(1), "hi\n");
  expect_no_children();
}

}  // namespace
}  // namespace halo::runner
