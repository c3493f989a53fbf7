#include "runner/step_runner.h"

#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

#include "common/time.h"
#include "runner/builtin_steps.h"
#include "runner/checkout.h"
#include "runner/environment.h"

namespace halo::runner {

void CancelState::cancel() {
  requested.store(true);
  std::lock_guard lock(mu);
  if (foreground) foreground->signal(SIGTERM);
}

namespace {

namespace fs = std::filesystem;
using config::Step;

constexpr int64_t kGraceUs = 2'000'000;      // SIGTERM, then SIGKILL this much later
constexpr int64_t kDrainUs = 200'000;        // after SIGKILL, stop reading a pipe still held open
constexpr int64_t kZombieWatchUs = 100'000;  // after EOF, look for the leader's exit quickly
constexpr int kPollCapMs = 50;               // also how soon a cancel reaches background steps

// Go's rendering of a duration, as in CircleCI's messages: "10m0s", "1h0m0s", "1.5s", "500ms".
std::string go_duration(int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string out;
  int64_t h = ms / 3'600'000, m = ms / 60'000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
  if (h > 0) out += std::to_string(h) + "h";
  if (h > 0 || m > 0) out += std::to_string(m) + "m";
  out += std::to_string(s);
  if (frac != 0) {
    std::string f = std::to_string(frac + 1000).substr(1);  // zero-padded to 3 digits
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "s";
}

// One started process (a foreground or background step) as seen by the poll loop.
struct Active {
  int index = 0;
  bool background = false;
  std::unique_ptr<StepProcess> proc;
  StepResult result;
  int64_t no_output_timeout_us = 0;  // <= 0: none
  int64_t last_output_us = 0;
  int64_t eof_us = 0;             // when the pipe reached EOF, 0: not yet
  int64_t term_us = 0;            // when SIGTERM went to the group, 0: not yet
  int64_t kill_us = 0;            // when SIGKILL went to the group, 0: not yet
  bool exited_by_itself = false;  // the leader exited before we signalled the group
  bool timed_out = false;
  bool canceled = false;
  bool done = false;
};

// The state of one run() call. Everything here happens on the run() thread, which is what
// makes the reporter's calls ordered without locks; only the CancelState is shared with
// cancel().
class JobRun {
 public:
  JobRun(const protocol::JobPayload& payload, Executor& executor, JobReporter& reporter,
         CancelState& cancel, ServerLink server)
      : payload_(payload),
        executor_(executor),
        reporter_(reporter),
        canceled_(cancel.requested),
        cancel_(cancel),
        server_(server) {}

  ~JobRun() {
    // If an exception unwinds us, active_'s processes are reaped after this body: make sure a
    // late cancel() cannot signal them by then.
    std::lock_guard lock(cancel_.mu);
    cancel_.foreground = nullptr;
  }

  JobOutcome run() {
    if (canceled_.load()) return JobOutcome::Canceled;
    try {
      setup();
    } catch (const std::exception& e) {
      spdlog::warn("job {}: cannot set up the job's place: {}", payload_.job_id, e.what());
      return JobOutcome::InfrastructureFail;
    }
    const auto& steps = payload_.job.steps;
    for (size_t i = 0; i < steps.size(); ++i) {
      int index = static_cast<int>(i);
      Step step = display_step(steps[i]);
      if (canceled_.load() || halted_ || !should_run(step)) {
        int64_t now = now_ms();
        reporter_.step_started(index, step, now);
        reporter_.step_finished(index, StepResult{StepStatus::Skipped, 0, now, now});
        continue;
      }
      if (step.kind != Step::Kind::Run && step.kind != Step::Kind::Checkout) {
        run_builtin(index, step);
        continue;
      }
      run_step(index, step);
      // `circleci-agent step halt`: the job ends after this step, successfully unless the
      // step itself failed.
      if (executor_.exists(halt_file_)) halted_ = true;
    }
    stop_background();
    if (canceled_.load() || canceled_seen_) return JobOutcome::Canceled;
    if (timed_out_) return JobOutcome::TimedOut;
    if (failed_) return JobOutcome::Failed;
    return JobOutcome::Success;
  }

 private:
  void setup() {
    executor_.setup();
    home_ = executor_.home();
    std::string wd =
        payload_.job.working_directory.empty() ? "~/project" : payload_.job.working_directory;
    working_dir_ = expand_home(wd, home_);
    // A relative job working_directory is taken relative to HOME, where a container's
    // processes would start.
    if (working_dir_.is_relative()) working_dir_ = home_ / working_dir_;
    working_dir_ = working_dir_.lexically_normal();
    executor_.make_directories(working_dir_);
    bash_env_ = executor_.scratch_dir() / "bash_env";
    executor_.write_file(bash_env_, "", 0600);
    halt_file_ = executor_.scratch_dir() / "halt";
    if (!payload_.test_timings.empty()) {
      json timings = json::array();
      for (const auto& t : payload_.test_timings) {
        timings.push_back({{"file", t.file},
                           {"classname", t.classname},
                           {"name", t.name},
                           {"run_time", t.run_time}});
      }
      timings_file_ = executor_.scratch_dir() / "test-timings.json";
      executor_.write_file(timings_file_, timings.dump(), 0644);
    }
  }

  // The step as reported: checkout always shows as "Checkout code", a run step without a name
  // is named after its command.
  static Step display_step(const Step& step) {
    Step s = step;
    if (s.kind == Step::Kind::Checkout) {
      s.name = "Checkout code";
    } else if (s.name.empty()) {
      s.name = s.command;
    }
    return s;
  }

  bool should_run(const Step& step) const {
    if (step.when == "always") return true;
    if (step.when == "on_fail") return failed_;
    return !failed_;
  }

  Environment environment_for(const Step& step) const {
    Environment env = payload_.environment;
    // Built-ins sit between project/context values and the job's own, as in CircleCI.
    env["CIRCLE_WORKING_DIRECTORY"] = working_dir_.string();
    env["BASH_ENV"] = bash_env_.string();
    env["CIRCLE_INTERNAL_HALT_FILE"] = halt_file_.string();
    if (!timings_file_.empty()) env["CIRCLE_INTERNAL_TEST_TIMINGS"] = timings_file_.string();
    for (const auto& [k, v] : payload_.job.environment) env[k] = v;
    for (const auto& [k, v] : step.environment) env[k] = v;
    return env;
  }

  fs::path resolve(const std::string& path) const {
    fs::path p = expand_home(path, home_);
    if (p.is_relative()) p = working_dir_ / p;
    return p.lexically_normal();
  }

  // The checkout key as ~/.ssh/id_checkout (mode 0600, as ssh insists).
  fs::path write_checkout_key() {
    fs::path dir = home_ / ".ssh";
    executor_.make_directories(dir, 0700);
    fs::path key = dir / "id_checkout";
    executor_.write_file(key, payload_.ssh_private_key, 0600);
    return key;
  }

  StepCommand prepare(const Step& step) {
    StepCommand c;
    c.cwd = working_dir_;
    if (step.kind == Step::Kind::Checkout) {
      // Not the job's shell: the script is POSIX sh and must run whatever the job uses.
      c.shell = executor_.default_shell();
      CheckoutSpec spec;
      spec.url = payload_.checkout_url;
      spec.sha = payload_.checkout_sha;
      spec.ref = payload_.checkout_ref;
      auto tag = payload_.environment.find("CIRCLE_TAG");
      spec.ref_is_tag = tag != payload_.environment.end() && !tag->second.empty() &&
                        tag->second == payload_.checkout_ref;
      spec.dest = resolve(step.path.empty() ? "." : step.path);
      if (!payload_.ssh_private_key.empty()) spec.ssh_key = write_checkout_key();
      c.script = checkout_script(spec);
      std::string local = spec.url.rfind("file://", 0) == 0 ? spec.url.substr(7) : spec.url;
      // A local clone source may live in the server's (hidden) data dir.
      if (!local.empty() && local[0] == '/') c.readable.push_back(local);
    } else {
      c.shell = !step.shell.empty() ? step.shell : payload_.job.shell;
      if (c.shell.empty()) c.shell = executor_.default_shell();
      c.script = step.command;
      if (!c.script.empty() && c.script.back() != '\n') c.script += '\n';
      if (!step.working_directory.empty()) {
        c.cwd = resolve(step.working_directory);
        executor_.make_directories(c.cwd);
      }
    }
    c.environment = environment_for(step);
    return c;
  }

  void run_step(int index, const Step& step) {
    auto a = std::make_unique<Active>();
    a->index = index;
    a->background = step.background;
    a->result.started_ms = now_ms();
    // Absurdly large values mean "never" (and must not overflow).
    constexpr int64_t kMaxMs = INT64_MAX / 1000;
    int64_t timeout_ms = step.no_output_timeout_ms;
    a->no_output_timeout_us = timeout_ms > 0 && timeout_ms < kMaxMs ? timeout_ms * 1000 : 0;
    reporter_.step_started(index, step, a->result.started_ms);
    try {
      a->proc = executor_.start(index, prepare(step));
    } catch (const std::exception& e) {
      std::string message = std::string("halo: cannot start step: ") + e.what() + "\n";
      reporter_.output(index, message, now_ms());
      a->result.status = StepStatus::Failed;
      a->result.exit_code = -1;
      a->result.ended_ms = now_ms();
      reporter_.step_finished(index, a->result);
      failed_ = true;
      return;
    }
    a->last_output_us = monotonic_us();
    Active* fg = a->background ? nullptr : a.get();
    if (fg) {
      std::lock_guard lock(cancel_.mu);
      cancel_.foreground = fg->proc.get();
    }
    // A cancel() that ran before the store above did not see this step; the loop below checks
    // the flag before anything else, so the step is stopped right away.
    active_.push_back(std::move(a));
    if (fg) pump(fg);
  }

  // Built-in steps run on this thread (they stream through the executor and the server
  // channel; no process to watch).
  void run_builtin(int index, const Step& step) {
    StepResult r;
    r.started_ms = now_ms();
    reporter_.step_started(index, step, r.started_ms);
    BuiltinContext context{executor_,
                           server_.channel,
                           server_.lease,
                           payload_,
                           home_,
                           working_dir_,
                           environment_for(step),
                           server_.node,
                           [&](std::string_view text) { reporter_.output(index, text, now_ms()); }};
    r.status = run_builtin_step(step, context);
    r.exit_code = r.status == StepStatus::Success ? 0 : 1;
    r.ended_ms = now_ms();
    if (r.status != StepStatus::Success) failed_ = true;
    reporter_.step_finished(index, r);
  }

  // Background steps: stopped (and reported) when the job's other steps are over.
  void stop_background() {
    int64_t now = monotonic_us();
    for (auto& a : active_) {
      if (a->term_us == 0 && !a->proc->exited()) {
        a->canceled = canceled_.load();
        terminate(*a, now);
      }
    }
    pump(nullptr);
  }

  void terminate(Active& a, int64_t now) {
    a.proc->signal(SIGTERM);
    a.term_us = now;
  }

  // The poll loop: reads every running step's pipe and drives timeouts, cancellation and
  // kills, until `fg` is finished (or, for nullptr, until no step is left).
  void pump(Active* fg) {
    std::vector<pollfd> fds;
    std::vector<Active*> owners;
    while (true) {
      int64_t now = monotonic_us();
      int timeout_ms = kPollCapMs;
      bool fg_done = false;
      for (auto it = active_.begin(); it != active_.end();) {
        Active& a = **it;
        service(a, now);
        if (a.done) {
          fg_done = fg_done || &a == fg;
          finish(a);
          it = active_.erase(it);
          continue;
        }
        if (a.proc->output_fd() < 0 && now - a.eof_us < kZombieWatchUs) timeout_ms = 2;
        ++it;
      }
      if (fg ? fg_done : active_.empty()) return;

      fds.clear();
      owners.clear();
      for (auto& a : active_) {
        if (a->proc->output_fd() < 0) continue;
        fds.push_back(pollfd{a->proc->output_fd(), POLLIN, 0});
        owners.push_back(a.get());
      }
      int n = poll(fds.data(), fds.size(), timeout_ms);
      if (n < 0 && errno != EINTR) {
        spdlog::error("job {}: poll failed: {}", payload_.job_id, std::strerror(errno));
        usleep(kPollCapMs * 1000);  // don't spin; the deadlines in service() still apply
        continue;
      }
      for (size_t i = 0; n > 0 && i < fds.size(); ++i) {
        if (fds[i].revents != 0) read_output(*owners[i]);
      }
    }
  }

  void service(Active& a, int64_t now) {
    if (a.term_us == 0) {
      if (canceled_.load()) {
        // Checked before the exit: cancel() may already have killed the shell itself.
        a.canceled = true;
        canceled_seen_ = true;
        terminate(a, now);
      } else if (a.proc->exited()) {
        // The step's shell is done; anything left in its group is a leftover (holding the pipe
        // or not) and must not keep the step, or the job, alive.
        a.exited_by_itself = true;
        terminate(a, now);
      } else if (a.no_output_timeout_us > 0 && now - a.last_output_us >= a.no_output_timeout_us) {
        a.timed_out = true;
        std::string message = "\nToo long with no output (exceeded " +
                              go_duration(a.no_output_timeout_us / 1000) +
                              "): context deadline exceeded\n";
        reporter_.output(a.index, message, now_ms());
        terminate(a, now);
      }
    }
    if (a.term_us != 0 && a.kill_us == 0 && now - a.term_us >= kGraceUs) {
      a.proc->signal(SIGKILL);
      a.kill_us = now;
    }
    if (a.proc->exited() && a.proc->output_fd() >= 0 && a.kill_us != 0 &&
        now - a.kill_us >= kDrainUs) {
      // Only a process that left the group (setsid) can still hold the pipe; stop waiting.
      a.proc->close_output();
    }
    a.done = a.proc->exited() && a.proc->output_fd() < 0;
  }

  void read_output(Active& a) {
    char buf[65536];
    for (int reads = 0; reads < 16 && a.proc->output_fd() >= 0; ++reads) {
      ssize_t n = read(a.proc->output_fd(), buf, sizeof buf);
      if (n > 0) {
        a.last_output_us = monotonic_us();
        reporter_.output(a.index, std::string_view(buf, static_cast<size_t>(n)), now_ms());
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return;
      a.proc->close_output();  // EOF (or an error, which we treat alike)
      a.eof_us = monotonic_us();
    }
  }

  void finish(Active& a) {
    // Leftovers that ignored SIGTERM or never held the pipe: the step is over, so are they.
    a.proc->signal(SIGKILL);
    if (!a.background) {
      std::lock_guard lock(cancel_.mu);
      cancel_.foreground = nullptr;
    }
    a.proc->reap();
    StepResult& r = a.result;
    r.exit_code = a.proc->exit_code();
    r.ended_ms = now_ms();
    if (a.canceled) {
      r.status = StepStatus::Canceled;
    } else if (a.timed_out) {
      r.status = StepStatus::TimedOut;
      failed_ = true;
      timed_out_ = true;
    } else if (!a.exited_by_itself) {
      // Only background steps get here: stopped because the job ended, which is their normal
      // end (a server started for the tests, say).
      r.status = StepStatus::Success;
    } else if (r.exit_code == 0) {
      r.status = StepStatus::Success;
    } else {
      r.status = StepStatus::Failed;
      failed_ = true;
    }
    reporter_.step_finished(a.index, r);
  }

  const protocol::JobPayload& payload_;
  Executor& executor_;
  JobReporter& reporter_;
  std::atomic<bool>& canceled_;
  CancelState& cancel_;
  ServerLink server_;

  fs::path home_;
  fs::path working_dir_;
  fs::path bash_env_;
  fs::path halt_file_;
  fs::path timings_file_;
  bool halted_ = false;
  std::vector<std::unique_ptr<Active>> active_;
  bool failed_ = false;
  bool timed_out_ = false;
  bool canceled_seen_ = false;
};

}  // namespace

StepRunner::StepRunner(const protocol::JobPayload& payload, Executor& executor,
                       JobReporter& reporter, CancelState& cancel, ServerLink server)
    : payload_(payload),
      executor_(executor),
      reporter_(reporter),
      cancel_(cancel),
      server_(server) {}

JobOutcome StepRunner::run() {
  JobRun job(payload_, executor_, reporter_, cancel_, server_);
  return job.run();
}

}  // namespace halo::runner
