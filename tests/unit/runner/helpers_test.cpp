// Small pieces of the runner: environment, shell lines, process groups.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "runner/environment.h"
#include "runner/process_group.h"
#include "runner/shell.h"
#include "runner_test_util.h"

namespace halo::runner {
namespace {

using namespace testing;

TEST(EnvironmentTest, ExpandHome) {
  EXPECT_EQ(expand_home("~", "/h"), fs::path("/h"));
  EXPECT_EQ(expand_home("~/project", "/h"), fs::path("/h/project"));
  EXPECT_EQ(expand_home("~user/x", "/h"), fs::path("~user/x"));
  EXPECT_EQ(expand_home("/abs", "/h"), fs::path("/abs"));
  EXPECT_EQ(expand_home("rel/~", "/h"), fs::path("rel/~"));
}

TEST(EnvironmentTest, BaseIsMinimal) {
  setenv("HALO_SECRET_FOR_TEST", "x", 1);
  Environment env = base_environment("/h", "/bin/bash");
  unsetenv("HALO_SECRET_FOR_TEST");
  EXPECT_EQ(env.count("HALO_SECRET_FOR_TEST"), 0u);
  EXPECT_EQ(env["HOME"], "/h");
  EXPECT_EQ(env["LANG"], "C.UTF-8");
  EXPECT_EQ(env["TERM"], "dumb");
  EXPECT_EQ(env["SHELL"], "/bin/bash");
  EXPECT_FALSE(env["PATH"].empty());
  for (const auto& [k, v] : env) {
    EXPECT_TRUE(k == "PATH" || k == "LANG" || k == "HOME" || k == "USER" || k == "LOGNAME" ||
                k == "SHELL" || k == "TERM")
        << k;
  }
}

TEST(EnvironmentTest, EnvpDropsUnusableNames) {
  auto envp = to_envp({{"A", "1"}, {"B=C", "2"}, {"", "3"}, {"D", "x=y"}});
  EXPECT_EQ(envp, (std::vector<std::string>{"A=1", "D=x=y"}));
}

TEST(ShellTest, SplitsOnSpacesAndAppendsScript) {
  EXPECT_EQ(shell_argv("/bin/bash  -eo pipefail", "/s.sh"),
            (std::vector<std::string>{"/bin/bash", "-eo", "pipefail", "/s.sh"}));
  EXPECT_EQ(shell_argv("", "/s.sh").back(), "/s.sh");
  EXPECT_EQ(shell_argv("", "/s.sh").front(), shell_program(default_shell()));
  EXPECT_EQ(shell_program("/bin/sh -e"), "/bin/sh");
}

std::string drain(ProcessGroup& pg) {
  std::string out;
  char buf[4096];
  while (pg.output_fd() >= 0) {
    pollfd pfd{pg.output_fd(), POLLIN, 0};
    if (poll(&pfd, 1, 5000) <= 0) break;
    ssize_t n = read(pg.output_fd(), buf, sizeof buf);
    if (n > 0) out.append(buf, static_cast<size_t>(n));
    if (n == 0) pg.close_output();
  }
  return out;
}

TEST(ProcessGroupTest, LeadsItsOwnSessionAndResolvesProgramOnChildPath) {
  SpawnOptions o;
  // /proc/<pid>/stat: pid (comm) state ppid pgrp session ...
  o.argv = {"sh", "-c", "echo $$ $(cut -d' ' -f5,6 /proc/$$/stat); echo $FOO"};
  o.env = {"PATH=/usr/bin:/bin", "FOO=bar"};
  o.cwd = "/";
  ProcessGroup pg = ProcessGroup::spawn(o);
  std::string out = drain(pg);
  pg.reap();
  EXPECT_EQ(exit_code_of(pg.wait_status()), 0);
  std::string me = std::to_string(pg.pid());
  EXPECT_EQ(out, me + " " + me + " " + me + "\nbar\n");
  EXPECT_NE(getpgid(0), pg.pid());
}

TEST(ProcessGroupTest, MissingProgramThrows) {
  SpawnOptions o;
  o.argv = {"/nonexistent/program"};
  EXPECT_THROW(ProcessGroup::spawn(o), std::system_error);
}

TEST(ProcessGroupTest, DestructorKillsAndReaps) {
  pid_t pid;
  {
    SpawnOptions o;
    o.argv = {"/bin/sh", "-c", "sleep 100"};
    ProcessGroup pg = ProcessGroup::spawn(o);
    pid = pg.pid();
    ProcessGroup moved = std::move(pg);
    EXPECT_EQ(pg.pid(), -1);
  }
  // Reaped by us: no zombie left, so the pid no longer exists at all.
  EXPECT_NE(kill(pid, 0), 0);
}

TEST(ProcessGroupTest, ExitedKeepsTheLeaderUntilReaped) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "exit 5"};
  ProcessGroup pg = ProcessGroup::spawn(o);
  drain(pg);
  for (int i = 0; i < 500 && !pg.exited(); ++i) usleep(2000);
  ASSERT_TRUE(pg.exited());
  EXPECT_EQ(exit_code_of(pg.wait_status()), 5);
  EXPECT_EQ(kill(pg.pid(), 0), 0);  // still a zombie, pgid reserved
  pg.reap();
  EXPECT_EQ(exit_code_of(pg.wait_status()), 5);
  EXPECT_NE(kill(pg.pid(), 0), 0);
}

TEST(ProcessGroupTest, IgnoredSignalsAreResetInTheChild) {
  auto old = signal(SIGPIPE, SIG_IGN);
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "grep SigIgn /proc/self/status"};
  ProcessGroup pg = ProcessGroup::spawn(o);
  signal(SIGPIPE, old);
  std::string out = drain(pg);
  pg.reap();
  // SIGPIPE is signal 13, bit 0x1000 of the mask.
  ASSERT_NE(out.find("SigIgn:"), std::string::npos);
  unsigned long long mask = std::stoull(out.substr(out.find(':') + 1), nullptr, 16);
  EXPECT_EQ(mask & 0x1000ull, 0ull) << out;
}

}  // namespace
}  // namespace halo::runner
