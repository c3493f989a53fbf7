// Compile time of the config compiler on the three largest configs of the shared corpus
// (registry orbs resolved from shared/orbs, packed once). `bench/run.sh` prints the medians.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "config/compiler.h"
#include "config/orb_pack.h"
#include "config/yaml_load.h"

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string packed_orbs() {
  static const std::string dir = [] {
    fs::path out = fs::temp_directory_path() / ("halo-bench-orbs-" + std::to_string(getpid()));
    for (const auto& ns : fs::directory_iterator(fs::path(HALO_SHARED_DIR) / "orbs")) {
      if (!ns.is_directory()) continue;
      for (const auto& orb : fs::directory_iterator(ns.path())) {
        auto packed = halo::config::pack_orb((orb.path() / "src").string());
        fs::create_directories(out / ns.path().filename());
        std::ofstream(out / ns.path().filename() / (orb.path().filename().string() + ".yml"))
            << packed.yaml;
      }
    }
    return out.string();
  }();
  return dir;
}

// A corpus file as the benchmark compiles it: orbs from shared/orbs, a push to main.
halo::config::CompileInput input_for(const fs::path& file) {
  halo::config::CompileInput in;
  in.source = read(file);
  in.orb_dir = packed_orbs();
  in.pipeline_values = {{"git.branch", "main"}, {"number", 1}, {"id", "bench"}};
  return in;
}

bool compiles(const fs::path& file) {
  return halo::config::compile(input_for(file)).ok();
}

void compile_file(benchmark::State& state, const fs::path& file) {
  halo::config::CompileInput in = input_for(file);
  for (auto _ : state) {
    auto r = halo::config::compile(in);
    benchmark::DoNotOptimize(r);
  }
}

// The YAML parsers alone, side by side: the fast parser and yaml-cpp (with conversion).
void parse_file(benchmark::State& state, const fs::path& file, bool fast) {
  std::string text = read(file);
  for (auto _ : state) {
    auto doc =
        fast ? halo::config::yaml::load_fast(text) : halo::config::yaml::load_with_yaml_cpp(text);
    benchmark::DoNotOptimize(doc);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(HALO_SHARED_DIR) / "configs")) {
    if (e.path().extension() == ".yml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return fs::file_size(a) > fs::file_size(b);
  });
  // Some large configs use orbs that shared/orbs lacks and compile to errors (no processed
  // output is written): the largest config that compiles cleanly is measured too.
  std::vector<fs::path> measured(files.begin(), files.begin() + std::min<size_t>(files.size(), 3));
  for (size_t i = measured.size(); i < files.size(); ++i) {
    if (compiles(files[i])) {
      measured.push_back(files[i]);
      break;
    }
  }
  for (const fs::path& f : measured) {
    std::string kind = compiles(f) ? "compile/" : "compile-to-errors/";
    benchmark::RegisterBenchmark((kind + f.filename().string()).c_str(),
                                 [f](benchmark::State& s) { compile_file(s, f); })
        ->Unit(benchmark::kMillisecond)
        ->Repetitions(10)
        ->ReportAggregatesOnly(true);
  }
  files.resize(std::min<size_t>(files.size(), 3));
  for (const fs::path& f : files) {
    for (bool fast : {true, false}) {
      std::string name =
          std::string(fast ? "parse-fast/" : "parse-yaml-cpp/") + f.filename().string();
      benchmark::RegisterBenchmark(name.c_str(),
                                   [f, fast](benchmark::State& s) { parse_file(s, f, fast); })
          ->Unit(benchmark::kMillisecond)
          ->Repetitions(10)
          ->ReportAggregatesOnly(true);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
