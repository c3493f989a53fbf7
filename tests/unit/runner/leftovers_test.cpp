// A restarted runner pool kills the processes that its dead predecessor's jobs left running,
// and nothing else.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "runner/leftovers.h"
#include "runner/process_group.h"
#include "runner_test_util.h"

namespace halo::runner::testing {

namespace {

ProcessGroup sleeper(const std::string& home) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "sleep 30"};
  o.env = {"PATH=/usr/bin:/bin", "HOME=" + home};
  o.cwd = "/";
  return ProcessGroup::spawn(o);
}

bool exits_soon(ProcessGroup& p) {
  for (int i = 0; i < 200; ++i) {
    if (p.exited()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST(Leftovers, ProcessesOfJobsUnderTheWorkRootAreKilledOthersAreNot) {
  TempDir tmp;
  fs::path work = tmp.path() / "work";
  ProcessGroup leftover = sleeper((work / "lease-1" / "home").string());
  ProcessGroup elsewhere = sleeper((tmp.path() / "work-other" / "home").string());
  // The shell may not have exec'd yet; its environ is set at spawn either way.
  EXPECT_GE(kill_leftover_job_processes(work), 1);
  ASSERT_TRUE(exits_soon(leftover));
  EXPECT_EQ(exit_code_of(leftover.wait_status()), -1) << "killed by a signal";
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(elsewhere.exited()) << "a work root is a prefix of whole path segments only";
}

TEST(Leftovers, TheRootOfTheFilesystemMatchesNothing) {
  EXPECT_EQ(kill_leftover_job_processes("/"), 0);
  EXPECT_EQ(kill_leftover_job_processes(""), 0);
}

}  // namespace halo::runner::testing
