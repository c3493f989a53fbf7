// Shared fixtures for the runner tests: a temp dir that cleans up after itself, a reporter
// that records every call, and shorthands for building payloads and steps.
#pragma once
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/time.h"
#include "runner/job_executor.h"

namespace halo::runner::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "halo-runner-test-XXXXXX").string();
    char* made = mkdtemp(templ.data());
    if (!made) throw std::runtime_error("mkdtemp failed");
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Event {
  enum Kind { Started, Output, Finished } kind;
  int index;
  std::string data;  // output chunk, or the step's display name for Started
  StepResult result;
  int64_t mono_us;  // when the reporter saw it
};

// Records calls; thread-safe so tests can watch progress while run() is going.
class RecordingReporter : public JobReporter {
 public:
  void step_started(int index, const config::Step& step, int64_t) override {
    add({Event::Started, index, step.name, {}, monotonic_us()});
  }
  void output(int index, std::string_view data, int64_t) override {
    add({Event::Output, index, std::string(data), {}, monotonic_us()});
  }
  void step_finished(int index, const StepResult& result) override {
    add({Event::Finished, index, {}, result, monotonic_us()});
  }

  std::vector<Event> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::string output_of(int index) const {
    std::string out;
    for (const auto& e : events()) {
      if (e.kind == Event::Output && e.index == index) out += e.data;
    }
    return out;
  }
  const Event* find(Event::Kind kind, int index) const {
    std::lock_guard lock(mu_);
    for (const auto& e : events_) {
      if (e.kind == kind && e.index == index) return &e;
    }
    return nullptr;
  }
  StepResult result_of(int index) const {
    const Event* e = find(Event::Finished, index);
    EXPECT_NE(e, nullptr) << "step " << index << " never finished";
    return e ? e->result : StepResult{};
  }
  std::string name_of(int index) const {
    const Event* e = find(Event::Started, index);
    return e ? e->data : "";
  }
  bool started(int index) const { return find(Event::Started, index) != nullptr; }

  // Every step: exactly one started, then outputs, then exactly one finished.
  void expect_well_ordered(size_t steps) const {
    auto evs = events();
    std::vector<int> state(steps, 0);  // 0 none, 1 started, 2 finished
    for (const auto& e : evs) {
      ASSERT_GE(e.index, 0);
      ASSERT_LT(static_cast<size_t>(e.index), steps);
      int& s = state[static_cast<size_t>(e.index)];
      switch (e.kind) {
        case Event::Started:
          EXPECT_EQ(s, 0) << "step " << e.index;
          s = 1;
          break;
        case Event::Output:
          EXPECT_EQ(s, 1) << "step " << e.index;
          break;
        case Event::Finished:
          EXPECT_EQ(s, 1) << "step " << e.index;
          s = 2;
          break;
      }
    }
    for (size_t i = 0; i < steps; ++i) EXPECT_EQ(state[i], 2) << "step " << i;
  }

 private:
  void add(Event e) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(e));
  }
  mutable std::mutex mu_;
  std::vector<Event> events_;
};

inline config::Step run_step(std::string command, std::string when = "on_success") {
  config::Step s;
  s.kind = config::Step::Kind::Run;
  s.name = command;
  s.command = std::move(command);
  s.when = std::move(when);
  return s;
}

inline config::Step checkout_step(std::string path = ".") {
  config::Step s;
  s.kind = config::Step::Kind::Checkout;
  s.path = std::move(path);
  return s;
}

inline JobPayload payload_in(const fs::path& work_dir, std::vector<config::Step> steps) {
  JobPayload p;
  p.job_id = "test-job";
  p.job.name = "build";
  p.job.steps = std::move(steps);
  p.work_dir = work_dir;
  return p;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Runs a command with /bin/sh in `cwd`, returns its stdout; fails the test on non-zero exit.
inline std::string sh(const std::string& command, const fs::path& cwd = "/") {
  std::string full = "cd '" + cwd.string() + "' && " + command;
  FILE* f = popen(full.c_str(), "r");
  if (!f) {
    ADD_FAILURE() << "popen failed";
    return "";
  }
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  int status = pclose(f);
  EXPECT_EQ(status, 0) << command << "\n" << out;
  return out;
}

// Whether `pid` is gone (or only a zombie waiting for whoever adopted it), waiting up to `ms`.
inline bool process_gone(pid_t pid, int ms = 3000) {
  for (int waited = 0; waited <= ms; waited += 20) {
    if (kill(pid, 0) != 0) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    auto close_paren = line.rfind(')');
    if (close_paren != std::string::npos && close_paren + 2 < line.size() &&
        line[close_paren + 2] == 'Z') {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The executor reaps everything it starts: this process must have no child left, zombie or not.
inline void expect_no_children() {
  siginfo_t info{};
  int rc = waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT);
  EXPECT_EQ(rc, -1) << "a child is left (zombie pid " << info.si_pid << ")";
  if (rc == -1) {
    EXPECT_EQ(errno, ECHILD);
  }
}

inline pid_t read_pid(const fs::path& file) {
  std::string text = trim(read_file(file));
  return text.empty() ? -1 : static_cast<pid_t>(std::stol(text));
}

}  // namespace halo::runner::testing
