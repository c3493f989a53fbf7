#include "runner/builtin_steps.h"

#include <fmt/format.h>

#include <chrono>
#include <exception>
#include <set>
#include <thread>

#include "common/crypto.h"
#include "common/time.h"
#include "common/zstd_stream.h"
#include "runner/cache_key.h"
#include "runner/environment.h"
#include "testresults/junit_parser.h"

namespace halo::runner {

namespace fs = std::filesystem;
using config::Step;
using protocol::StepStatus;

namespace {

// Caches keep paths under HOME relative to it (HOME differs between jobs on a host), and
// others as absolute paths: "home/<rel>" and "root/<abs without the leading slash>".
constexpr std::string_view kHomePrefix = "home/";
constexpr std::string_view kRootPrefix = "root/";

bool inside(const fs::path& p, const fs::path& dir) {
  auto rel = p.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

bool has_dotdot(const std::string& path) {
  for (const auto& part : fs::path(path)) {
    if (part == "..") return true;
  }
  return false;
}

class StepFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Handler {
 public:
  explicit Handler(BuiltinContext& c) : c_(c) {}

  StepStatus run(const Step& step) {
    try {
      switch (step.kind) {
        case Step::Kind::SaveCache:
          return save_cache(step);
        case Step::Kind::RestoreCache:
          return restore_cache(step);
        case Step::Kind::PersistToWorkspace:
          return persist(step);
        case Step::Kind::AttachWorkspace:
          return attach(step);
        case Step::Kind::StoreArtifacts:
          return store_artifacts(step);
        case Step::Kind::StoreTestResults:
          return store_test_results(step);
        case Step::Kind::AddSshKeys:
          return add_ssh_keys(step);
        default:
          say("step " + config::step_kind_name(step.kind) +
              " is not supported by this runner yet\n");
          return StepStatus::Failed;
      }
    } catch (const std::exception& e) {
      say(std::string("Error: ") + e.what() + "\n");
      return StepStatus::Failed;
    }
  }

 private:
  void say(std::string_view text) { c_.output(text); }

  protocol::JobChannel& channel() {
    if (!c_.channel) throw StepFailure("this runner has no connection to a server for files");
    return *c_.channel;
  }

  fs::path resolve(const std::string& path) const {
    fs::path p = expand_home(path, c_.home);
    if (p.is_relative()) p = c_.working_dir / p;
    return p.lexically_normal();
  }

  std::string render_key(const std::string& tmpl) {
    CacheKeyContext kc;
    kc.environment = c_.environment;
    kc.epoch_seconds = now_ms() / 1000;
    kc.arch = host_arch();
    kc.checksum = [&](const std::string& file) {
      class HashSink final : public ByteSink {
       public:
        void write(std::string_view d) override { h.update(d); }
        Sha256 h;
      } sink;
      c_.executor.read_file(resolve(file), sink);
      return base64_encode(sink.h.digest());
    };
    auto r = render_cache_key(tmpl, kc);
    if (!r.error.empty()) throw StepFailure(r.error);
    return r.key;
  }

  static std::vector<std::string> strings(const json& v) {
    std::vector<std::string> out;
    if (v.is_string()) out.push_back(v.get<std::string>());
    if (v.is_array())
      for (const auto& x : v)
        if (x.is_string()) out.push_back(x.get<std::string>());
    return out;
  }

  // The cache's entry name for a path, and back.
  std::string cache_name(const fs::path& abs) const {
    if (abs == c_.home) return std::string(kHomePrefix.substr(0, 4));
    if (inside(abs, c_.home))
      return std::string(kHomePrefix) + abs.lexically_relative(c_.home).generic_string();
    return std::string(kRootPrefix) + abs.generic_string().substr(1);
  }

  std::optional<fs::path> cache_place(const std::string& name) const {
    if (name == "home") return c_.home;
    if (name.rfind(kHomePrefix, 0) == 0) return c_.home / name.substr(kHomePrefix.size());
    if (name == "root") return fs::path("/");
    if (name.rfind(kRootPrefix, 0) == 0) return fs::path("/") / name.substr(kRootPrefix.size());
    return std::nullopt;
  }

  StepStatus save_cache(const Step& step) {
    std::string key = render_key(step.params.value("key", std::string()));
    if (key.empty()) throw StepFailure("the cache key is empty");
    std::vector<ArchiveItem> items;
    for (const auto& p : strings(step.params.value("paths", json::array()))) {
      fs::path abs = resolve(p);
      auto found = c_.executor.glob(abs.parent_path(), abs.filename().string());
      if (found.empty()) {
        say("Warning: could not find " + abs.string() + "; it is not in the cache\n");
        continue;
      }
      for (const auto& rel : found) {
        fs::path src = (abs.parent_path() / rel).lexically_normal();
        items.push_back({src, cache_name(src)});
      }
    }
    if (items.empty()) {
      say("No cache paths found, skipping cache generation for key: " + key + "\n");
      return StepStatus::Success;
    }
    auto upload = channel().save_cache(c_.lease, key);
    if (!upload) {
      say("Skipping cache generation, cache already exists for key: " + key + "\n");
      return StepStatus::Success;
    }
    say("Creating cache archive...\n");
    int64_t t0 = now_ms();
    ZstdCompressSink z(*upload, 3, 2);
    auto stats = c_.executor.archive(items, z, {});
    z.finish();
    uint64_t size = upload->commit();
    say(fmt::format("Stored Cache to {}\n  * {} files, {} uncompressed, {} stored, in {:.2f}s\n",
                    key, stats.entries, human_size(stats.bytes), human_size(size),
                    (now_ms() - t0) / 1000.0));
    return StepStatus::Success;
  }

  StepStatus restore_cache(const Step& step) {
    std::vector<std::string> keys;
    for (const auto& k : strings(step.params.value("keys", json::array()))) {
      keys.push_back(render_key(k));
    }
    auto hit = channel().find_cache(c_.lease, keys);
    if (!hit) {
      std::string all;
      for (const auto& k : keys) all += (all.empty() ? "" : " ") + k;
      say("No cache is found for key" + std::string(keys.size() == 1 ? "" : "s") + ": " + all +
          "\n");
      return StepStatus::Success;
    }
    say("Found a cache from key " + hit->key + " (" + human_size(hit->size) + ")\n");
    int64_t t0 = now_ms();
    auto blob = channel().open_cache(c_.lease, hit->key);
    ZstdDecompressSource z(*blob);
    auto stats = c_.executor.extract(z, [&](const std::string& name) { return cache_place(name); });
    say(fmt::format("Restored {} files ({}) in {:.2f}s\n", stats.entries, human_size(stats.bytes),
                    (now_ms() - t0) / 1000.0));
    return StepStatus::Success;
  }

  StepStatus persist(const Step& step) {
    std::string root_param = step.params.value("root", std::string("."));
    fs::path root = resolve(root_param);
    std::vector<ArchiveItem> items;
    for (const auto& pattern : strings(step.params.value("paths", json::array()))) {
      if (has_dotdot(pattern) || (!pattern.empty() && pattern[0] == '/')) {
        throw StepFailure("workspace paths are relative to the root and stay under it: " + pattern);
      }
      auto found = c_.executor.glob(root, pattern);
      if (found.empty()) {
        throw StepFailure("The specified paths did not match any files in " + root.string() + " (" +
                          pattern + ")");
      }
      for (const auto& rel : found) {
        items.push_back({(root / rel).lexically_normal(), rel == "." ? "" : rel});
      }
    }
    if (items.empty()) throw StepFailure("persist_to_workspace needs paths");
    say("Creating workspace archive...\n");
    int64_t t0 = now_ms();
    auto upload = channel().persist_workspace(c_.lease);
    ZstdCompressSink z(*upload, 3, 2);
    auto stats = c_.executor.archive(items, z, {});
    z.finish();
    uint64_t size = upload->commit();
    say(fmt::format("Persisted {} files ({}) from {} to the workspace: {} stored, in {:.2f}s\n",
                    stats.entries, human_size(stats.bytes), root.string(), human_size(size),
                    (now_ms() - t0) / 1000.0));
    return StepStatus::Success;
  }

  StepStatus attach(const Step& step) {
    fs::path at = resolve(step.params.value("at", std::string(".")));
    const auto& layers = c_.payload.workspace_layers;
    if (layers.empty()) {
      say("No workspace to attach: no job upstream of this one persisted to the workspace\n");
      return StepStatus::Success;
    }
    c_.executor.make_directories(at, 0755);
    int64_t t0 = now_ms();
    uint64_t files = 0, bytes = 0;
    for (const auto& l : layers) {
      say("Applying the workspace layer of " + l.job_name + " (" + human_size(l.size) + ")\n");
      auto blob = channel().open_workspace_layer(c_.lease, l.id);
      ZstdDecompressSource z(*blob);
      auto stats = c_.executor.extract(z, [&](const std::string& name) -> std::optional<fs::path> {
        return (at / name).lexically_normal();
      });
      files += stats.entries;
      bytes += stats.bytes;
    }
    say(fmt::format("Attached the workspace at {}: {} layers, {} files ({}) in {:.2f}s\n",
                    at.string(), layers.size(), files, human_size(bytes),
                    (now_ms() - t0) / 1000.0));
    return StepStatus::Success;
  }

  using FileFn = std::function<void(const std::string& name, uint64_t size, ByteSource& content)>;

  // The files of a tar of `src` (stored under `root_name`), one by one: the executor writes
  // the tar on a thread of its own while this one reads it, so nothing is held whole.
  void for_each_file(const fs::path& src, const std::string& root_name,
                     const ArchiveOptions& options, const FileFn& on_file) {
    BytePipe pipe(4 << 20);
    std::exception_ptr producer_error;
    std::thread producer([&] {
      try {
        c_.executor.archive({{src, root_name}}, pipe, options);
        pipe.close();
      } catch (...) {
        producer_error = std::current_exception();
        pipe.fail(std::current_exception());
      }
    });
    try {
      read_archive_files(pipe, on_file);
    } catch (...) {
      pipe.abandon();
      producer.join();
      if (producer_error) std::rethrow_exception(producer_error);
      throw;
    }
    producer.join();
    if (producer_error) std::rethrow_exception(producer_error);
  }

  StepStatus store_artifacts(const Step& step) {
    std::string path_param = step.params.value("path", std::string());
    if (path_param.empty()) throw StepFailure("store_artifacts needs a path");
    if (has_dotdot(path_param))
      throw StepFailure("artifact paths may not contain \"..\": " + path_param);
    fs::path src = resolve(path_param);
    std::string dest = step.params.value("destination", std::string());
    if (dest.empty()) {
      // As written, without what would make it absolute or relative to something.
      dest = path_param;
      if (dest.rfind("~/", 0) == 0) dest = dest.substr(2);
      while (!dest.empty() && (dest[0] == '/' || dest.rfind("./", 0) == 0))
        dest = dest.substr(dest[0] == '/' ? 1 : 2);
    }
    while (!dest.empty() && dest.back() == '/') dest.pop_back();
    while (!dest.empty() && dest.front() == '/') dest.erase(0, 1);
    if (has_dotdot(dest))
      throw StepFailure("artifact destinations may not contain \"..\": " + dest);
    say("Uploading " + src.string() + " to " + (dest.empty() ? "/" : dest) + "\n");
    if (c_.executor.glob(src.parent_path(), src.filename().string()).empty()) {
      say("No artifact files found at " + src.string() + "\n");
      return StepStatus::Success;
    }
    // Symlinks are followed while they stay in the working directory (or in the artifact's
    // own directory, when that is elsewhere, such as /tmp/artifacts).
    ArchiveOptions options;
    options.follow_symlinks_within =
        inside(src, c_.working_dir) || src == c_.working_dir ? c_.working_dir : src;
    uint64_t files = 0, bytes = 0;
    int64_t t0 = now_ms();
    for_each_file(src, "a", options, [&](const std::string& name, uint64_t, ByteSource& content) {
      // "a" is the artifact path itself; "a/x" a file under it.
      std::string rel = name == "a" ? "" : name.substr(2);
      std::string stored = dest.empty() ? rel : rel.empty() ? dest : dest + "/" + rel;
      if (stored.empty()) stored = src.filename().string();
      auto upload = channel().store_artifact(c_.lease, c_.node_index, stored);
      bytes += copy_stream(content, *upload);
      upload->commit();
      ++files;
    });
    say(fmt::format("Uploaded {} file{} ({}) in {:.2f}s\n", files, files == 1 ? "" : "s",
                    human_size(bytes), (now_ms() - t0) / 1000.0));
    return StepStatus::Success;
  }

  // Reads the path's reports through the executor (a tar stream, so a container's files
  // come the same way) and sends the parsed test cases to the server.
  StepStatus store_test_results(const Step& step) {
    std::string path_param = step.params.value("path", std::string());
    if (path_param.empty()) throw StepFailure("store_test_results needs a path");
    fs::path src = resolve(path_param);
    if (c_.executor.glob(src.parent_path(), src.filename().string()).empty()) {
      say("No test results found at " + src.string() + "\n");
      return StepStatus::Success;
    }
    constexpr size_t kMaxReport = 64 << 20;
    ArchiveOptions options;
    options.follow_symlinks_within = src;
    std::vector<protocol::TestCase> tests;
    int files = 0, failures = 0, skipped = 0;
    for_each_file(
        src, "r", options, [&](const std::string& name, uint64_t size, ByteSource& content) {
          bool root_file = name == "r";
          std::string rel = root_file ? src.filename().string() : name.substr(2);
          // As CircleCI: *.xml files below the path, hidden ones left out; a file given as the
          // path itself is read whatever its name.
          if (!root_file) {
            if (rel.size() < 4 || rel.compare(rel.size() - 4, 4, ".xml") != 0) return;
            for (const auto& part : fs::path(rel))
              if (part.string().rfind('.', 0) == 0) return;
          }
          if (size > kMaxReport) {
            say("Warning: " + rel + " is larger than 64 MiB; skipped\n");
            return;
          }
          std::string xml;
          xml.reserve(size);
          char buf[1 << 16];
          while (size_t n = content.read(buf, sizeof buf)) xml.append(buf, n);
          testresults::ParseOptions po;
          auto slash = rel.find('/');
          po.source = root_file || slash == std::string::npos ? "unknown" : rel.substr(0, slash);
          po.working_directory = c_.working_dir.string();
          auto parsed = testresults::parse_junit(xml, po);
          if (!parsed.ok()) {
            say("Warning: " + rel + " is not a JUnit report we can read: " + parsed.error->message +
                "\n");
            return;
          }
          ++files;
          for (auto& t : parsed.tests) {
            protocol::TestCase pc;
            pc.name = std::move(t.name);
            pc.classname = std::move(t.classname);
            pc.file = std::move(t.file);
            pc.result = std::string(testresults::result_string(t.result));
            pc.message = t.message.value_or("");
            pc.source = std::move(t.source);
            pc.run_time = t.run_time;
            if (t.result == testresults::TestResult::Failure) ++failures;
            if (t.result == testresults::TestResult::Skipped) ++skipped;
            tests.push_back(std::move(pc));
          }
        });
    if (!tests.empty()) channel().store_test_results(c_.lease, c_.node_index, tests);
    say(fmt::format("Stored {} test results from {} report{}: {} failed, {} skipped\n",
                    tests.size(), files, files == 1 ? "" : "s", failures, skipped));
    return StepStatus::Success;
  }

  // The project's additional keys (all, or those the step names by fingerprint) and the
  // checkout keys it names, written to ~/.ssh with a Host entry each in ~/.ssh/config.
  StepStatus add_ssh_keys(const Step& step) {
    auto wanted = strings(step.params.value("fingerprints", json::array()));
    fs::path dir = c_.home / ".ssh";
    c_.executor.make_directories(dir, 0700);
    std::string config;
    if (c_.executor.exists(dir / "config")) {
      class StringSink final : public ByteSink {
       public:
        void write(std::string_view d) override { text.append(d); }
        std::string text;
      } existing;
      c_.executor.read_file(dir / "config", existing);
      config = existing.text;
      if (!config.empty() && config.back() != '\n') config += '\n';
    }
    std::set<std::string> found;
    int added = 0;
    for (const auto& k : c_.payload.ssh_keys) {
      bool named = false;
      for (const auto& w : wanted) {
        if (w == k.fingerprint_md5 || w == k.fingerprint_sha256) {
          named = true;
          found.insert(w);
        }
      }
      if (wanted.empty() ? k.checkout_key : !named) continue;
      std::string id;
      for (char ch : k.fingerprint_md5)
        if (ch != ':') id += ch;
      fs::path key = dir / ("id_rsa_" + id);
      c_.executor.write_file(key, k.private_pem, 0600);
      config += "Host " + (k.hostname.empty() ? std::string("*") : k.hostname) +
                "\n  IdentityFile " + key.string() + "\n";
      say("Adding SSH key " + k.fingerprint_md5 +
          (k.hostname.empty() ? std::string() : " for " + k.hostname) + "\n");
      ++added;
    }
    for (const auto& w : wanted) {
      if (!found.count(w)) throw StepFailure("the project has no SSH key with fingerprint " + w);
    }
    if (added == 0) {
      say("The project has no additional SSH keys\n");
      return StepStatus::Success;
    }
    c_.executor.write_file(dir / "config", config, 0600);
    return StepStatus::Success;
  }

  BuiltinContext& c_;
};

}  // namespace

std::string human_size(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

StepStatus run_builtin_step(const Step& step, BuiltinContext& context) {
  return Handler(context).run(step);
}

}  // namespace halo::runner
