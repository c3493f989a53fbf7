#include "app/circleci_cli.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/json.h"
#include "testsplit/glob_files.h"
#include "testsplit/split.h"
#include "testsplit/timings.h"

namespace halo::app {

namespace {

namespace fs = std::filesystem;

const char* kUsage =
    "Usage:\n"
    "  circleci tests glob PATTERN...\n"
    "  circleci tests split [--split-by=name|filesize|timings] "
    "[--timings-type=filename|classname|testname] [--time-default=SECONDS] [--index=N] "
    "[--total=M] [FILE]\n"
    "  circleci tests run --command=COMMAND [--split-by=...] [--timings-type=...] [--verbose]\n"
    "  circleci-agent step halt\n";

int usage(const std::string& problem) {
  std::cerr << "circleci: " << problem << "\n" << kUsage;
  return 2;
}

std::optional<int> env_int(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  try {
    return std::stoi(v);
  } catch (...) {
    return std::nullopt;
  }
}

std::vector<std::string> read_lines(std::istream& in) {
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Items may also come space-separated on one line (`circleci tests glob` output piped
    // through echo, say).
    std::istringstream words(line);
    std::string w;
    while (words >> w) out.push_back(w);
  }
  return out;
}

struct SplitFlags {
  testsplit::SplitOptions options;
  std::optional<testsplit::TimingsType> timings_type;
  std::vector<std::string> positional;
  std::string command;
  bool verbose = false;
};

// Parses --flag=value and --flag value forms; returns an error message or "".
std::string parse_flags(int argc, char** argv, int start, SplitFlags& f) {
  f.options.index = env_int("CIRCLE_NODE_INDEX").value_or(0);
  f.options.total = env_int("CIRCLE_NODE_TOTAL").value_or(1);
  for (int i = start; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) {
      f.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    auto eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (name != "verbose") {
      if (i + 1 >= argc) return "--" + name + " needs a value";
      value = argv[++i];
    }
    try {
      if (name == "split-by") {
        auto by = testsplit::parse_split_by(value);
        if (!by) return "unknown --split-by " + value;
        f.options.by = *by;
      } else if (name == "timings-type") {
        f.timings_type = testsplit::parse_timings_type(value);
        if (!f.timings_type) return "unknown --timings-type " + value;
      } else if (name == "time-default") {
        std::string v = value;
        if (!v.empty() && v.back() == 's') v.pop_back();
        f.options.time_default = std::stod(v);
      } else if (name == "index") {
        f.options.index = std::stoi(value);
      } else if (name == "total") {
        f.options.total = std::stoi(value);
      } else if (name == "command") {
        f.command = value;
      } else if (name == "verbose") {
        f.verbose = true;
      } else if (name == "show-counts") {
        // Accepted: halo prints its notes to stderr anyway.
      } else {
        return "unknown flag --" + name;
      }
    } catch (const std::exception&) {
      return "bad value for --" + name + ": " + value;
    }
  }
  if (f.options.total < 1) return "--total must be at least 1";
  return "";
}

// Earlier results of this job, as the runner wrote them (an array of {file, classname,
// name, run_time}).
std::vector<testresults::TestCase> load_timings() {
  std::vector<testresults::TestCase> out;
  const char* path = std::getenv("CIRCLE_INTERNAL_TEST_TIMINGS");
  if (!path || !*path) return out;
  std::ifstream in(path);
  if (!in) return out;
  json j = json::parse(in, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& t : j) {
    testresults::TestCase c;
    c.file = t.value("file", "");
    c.classname = t.value("classname", "");
    c.name = t.value("name", "");
    c.run_time = t.value("run_time", 0.0);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> split(SplitFlags& f, const std::vector<std::string>& items) {
  f.options.working_directory = fs::current_path();
  if (f.options.by == testsplit::SplitBy::Timings) {
    auto type = f.timings_type.value_or(testsplit::detect_timings_type(items));
    f.options.timings = testsplit::timings_from_results(load_timings(), type);
  }
  auto r = testsplit::split_tests(items, f.options);
  for (const auto& n : r.notes) std::cerr << n << "\n";
  if (r.error) {
    std::cerr << "circleci: " << *r.error << "\n";
    std::exit(1);
  }
  return r.items;
}

int tests_glob(int argc, char** argv) {
  std::vector<std::string> patterns(argv + 3, argv + argc);
  if (patterns.empty()) return usage("tests glob needs at least one pattern");
  auto r = testsplit::glob_files(patterns, fs::current_path());
  for (const auto& w : r.warnings) std::cerr << w << "\n";
  for (const auto& f : r.files) std::cout << f << "\n";
  return 0;
}

int tests_split(int argc, char** argv) {
  SplitFlags f;
  if (auto err = parse_flags(argc, argv, 3, f); !err.empty()) return usage(err);
  std::vector<std::string> items;
  if (!f.positional.empty()) {
    std::ifstream in(f.positional[0]);
    if (!in) return usage("cannot read " + f.positional[0]);
    items = read_lines(in);
  } else {
    items = read_lines(std::cin);
  }
  for (const auto& item : split(f, items)) std::cout << item << "\n";
  return 0;
}

// `tests run`: this node's share goes to the command's stdin, one per line.
int tests_run(int argc, char** argv) {
  SplitFlags f;
  if (auto err = parse_flags(argc, argv, 3, f); !err.empty()) return usage(err);
  if (f.command.empty()) return usage("tests run needs --command");
  auto mine = split(f, read_lines(std::cin));
  if (f.verbose) {
    for (const auto& i : mine) std::cerr << "running " << i << "\n";
  }
  std::string input;
  for (const auto& i : mine) input += i + "\n";
  int fds[2];
  if (pipe(fds) != 0) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[0], 0);
    close(fds[0]);
    close(fds[1]);
    const char* shell = std::getenv("SHELL");
    execl(shell && *shell ? shell : "/bin/sh", "sh", "-c", f.command.c_str(), nullptr);
    _exit(127);
  }
  close(fds[0]);
  size_t off = 0;
  while (off < input.size()) {
    ssize_t n = write(fds[1], input.data() + off, input.size() - off);
    if (n <= 0) break;  // the command stopped reading: its exit status says the rest
    off += static_cast<size_t>(n);
  }
  close(fds[1]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int step_halt() {
  const char* path = std::getenv("CIRCLE_INTERNAL_HALT_FILE");
  if (!path || !*path) {
    std::cerr << "circleci-agent: not inside a halo job\n";
    return 1;
  }
  std::ofstream out(path);
  if (!out) {
    std::cerr << "circleci-agent: cannot halt the job\n";
    return 1;
  }
  return 0;
}

}  // namespace

int circleci_cli(int argc, char** argv) {
  std::string self = fs::path(argv[0]).filename().string();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (self == "circleci-agent" || (args.size() >= 1 && args[0] == "step")) {
    // `circleci-agent step halt`, and `circleci step halt`, which CircleCI's CLI forwards.
    if (args.size() == 2 && args[0] == "step" && args[1] == "halt") return step_halt();
    return usage("unknown command");
  }
  if (args.size() >= 2 && args[0] == "tests") {
    if (args[1] == "glob") return tests_glob(argc, argv);
    if (args[1] == "split") return tests_split(argc, argv);
    if (args[1] == "run") return tests_run(argc, argv);
  }
  return usage("unknown command");
}

}  // namespace halo::app
