#include "engine/job_files.h"

#include <spdlog/spdlog.h>

#include "common/crypto.h"

namespace halo::engine {

namespace {

using protocol::ChannelError;

// An upload into a pending blob; `on_commit` records it once the file is whole.
class BlobUpload final : public protocol::Upload {
 public:
  BlobUpload(std::unique_ptr<store::BlobFiles::Pending> blob, LeasedJob job, uint64_t limit,
             std::function<void(const std::string& blob, uint64_t size)> on_commit)
      : blob_(std::move(blob)),
        job_(std::move(job)),
        limit_(limit),
        on_commit_(std::move(on_commit)) {}

  void write(std::string_view data) override {
    uint64_t total = job_.uploaded->fetch_add(data.size()) + data.size();
    if (total > limit_) {
      throw ChannelError("the job's uploads exceed the limit of " + std::to_string(limit_) +
                         " bytes (halo serve --job-upload-limit)");
    }
    blob_->write(data);
  }

  uint64_t commit() override {
    uint64_t size = blob_->size();
    std::string name = blob_->commit();
    try {
      on_commit_(name, size);
    } catch (...) {
      // No record names it: the file would only take space.
      blob_.reset();
      throw;
    }
    return size;
  }

 private:
  std::unique_ptr<store::BlobFiles::Pending> blob_;
  LeasedJob job_;
  uint64_t limit_;
  std::function<void(const std::string&, uint64_t)> on_commit_;
};

}  // namespace

JobFiles::JobFiles(store::Store& store, store::BlobFiles& blobs, LeaseLookup lookup,
                   JobFilesOptions options, const Clock& clock)
    : store_(store), blobs_(blobs), lookup_(std::move(lookup)), options_(options), clock_(clock) {}

LeasedJob JobFiles::require(const protocol::Lease& lease) {
  auto job = lookup_(lease);
  if (!job) throw ChannelError("the job's lease is no longer current");
  return *job;
}

std::optional<protocol::CacheHit> JobFiles::find_cache(const protocol::Lease& lease,
                                                       const std::vector<std::string>& keys) {
  auto job = require(lease);
  for (const auto& key : keys) {
    if (key.empty()) continue;
    // As CircleCI documents: each key matches as a prefix, and the most recent entry wins.
    auto e = store_.find_cache(job.project_id, key, true);
    if (e) return protocol::CacheHit{e->key, static_cast<uint64_t>(e->size)};
  }
  return std::nullopt;
}

std::unique_ptr<ByteSource> JobFiles::open_cache(const protocol::Lease& lease,
                                                 const std::string& key) {
  auto job = require(lease);
  auto e = store_.find_cache(job.project_id, key, false);
  if (!e) throw ChannelError("the cache " + key + " is gone");
  store_.touch_cache(job.project_id, key, clock_.now_ms());
  try {
    return blobs_.open(e->blob);
  } catch (const std::exception&) {
    throw ChannelError("the cache " + key + " is gone");
  }
}

std::unique_ptr<protocol::Upload> JobFiles::save_cache(const protocol::Lease& lease,
                                                       const std::string& key) {
  auto job = require(lease);
  if (key.empty() || key.size() > 900) throw ChannelError("a cache key must have 1 to 900 bytes");
  if (store_.find_cache(job.project_id, key, false)) return nullptr;
  auto blob = blobs_.create("caches");
  std::string project = job.project_id;
  return std::make_unique<BlobUpload>(
      std::move(blob), job, options_.job_upload_limit_bytes,
      [this, lease, project, key](const std::string& name, uint64_t size) {
        if (!lookup_(lease)) throw ChannelError("the job's lease is no longer current");
        int64_t now = clock_.now_ms();
        store::CacheEntry e{project, key, name, static_cast<int64_t>(size), now, now};
        if (!store_.insert_cache(e)) {
          // Another job saved the same key meanwhile: the first one stays.
          blobs_.remove(name);
          return;
        }
        try {
          evict_caches();
        } catch (const std::exception& ex) {
          spdlog::warn("cache eviction failed: {}", ex.what());
        }
      });
}

std::unique_ptr<protocol::Upload> JobFiles::persist_workspace(const protocol::Lease& lease) {
  auto job = require(lease);
  auto blob = blobs_.create("workspaces");
  return std::make_unique<BlobUpload>(
      std::move(blob), job, options_.job_upload_limit_bytes,
      [this, lease, job](const std::string& name, uint64_t size) {
        if (!lookup_(lease)) throw ChannelError("the job's lease is no longer current");
        store::WorkspaceLayer l{
            uuid_v4(),      job.workflow_id, job.job_id, name, static_cast<int64_t>(size),
            clock_.now_ms()};
        store_.insert_workspace_layer(l);
      });
}

std::unique_ptr<ByteSource> JobFiles::open_workspace_layer(const protocol::Lease& lease,
                                                           const std::string& layer_id) {
  auto job = require(lease);
  if (!job.workspace_layers.count(layer_id)) {
    throw ChannelError("workspace layer " + layer_id + " is not upstream of this job");
  }
  auto l = store_.workspace_layer_by_id(layer_id);
  if (!l) throw ChannelError("workspace layer " + layer_id + " is gone");
  return blobs_.open(l->blob);
}

bool JobFiles::valid_artifact_path(const std::string& path) {
  if (path.empty() || path.size() > 1024 || path.front() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view seg(path.data() + start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    start = end + 1;
  }
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::unique_ptr<protocol::Upload> JobFiles::store_artifact(const protocol::Lease& lease,
                                                           int node_index,
                                                           const std::string& path) {
  auto job = require(lease);
  if (!valid_artifact_path(path)) throw ChannelError("refused the artifact path \"" + path + "\"");
  if (node_index < 0) throw ChannelError("bad node index");
  auto blob = blobs_.create("artifacts");
  return std::make_unique<BlobUpload>(
      std::move(blob), job, options_.job_upload_limit_bytes,
      [this, lease, job, node_index, path](const std::string& name, uint64_t size) {
        if (!lookup_(lease)) throw ChannelError("the job's lease is no longer current");
        store::Artifact a{job.job_id,     node_index, path, name, static_cast<int64_t>(size),
                          clock_.now_ms()};
        if (auto old = store_.put_artifact(a)) blobs_.remove(*old);
      });
}

void JobFiles::store_test_results(const protocol::Lease& lease, int node_index,
                                  const std::vector<protocol::TestCase>& tests) {
  auto job = require(lease);
  size_t total = tests.size();
  if (job.test_results) total = job.test_results->fetch_add(tests.size()) + tests.size();
  if (total > options_.max_test_results_per_job) {
    throw ChannelError("too many test results (at most " +
                       std::to_string(options_.max_test_results_per_job) + " per job)");
  }
  constexpr size_t kMaxText = 64 * 1024;  // a message longer than this is cut
  auto cut = [](const std::string& s) { return s.size() > kMaxText ? s.substr(0, kMaxText) : s; };
  std::vector<store::TestResult> rows;
  rows.reserve(tests.size());
  for (const auto& t : tests) {
    store::TestResult r;
    r.job_id = job.job_id;
    r.project_id = job.project_id;
    r.node_index = node_index;
    r.name = cut(t.name);
    r.classname = cut(t.classname);
    r.file = cut(t.file);
    r.result = cut(t.result);
    r.message = cut(t.message);
    r.source = cut(t.source);
    r.run_time = t.run_time;
    rows.push_back(std::move(r));
  }
  store_.insert_test_results(rows);
}

int JobFiles::evict_caches() {
  int64_t before = clock_.now_ms() - options_.cache_retention_ms;
  auto gone = store_.caches_to_evict(before, static_cast<int64_t>(options_.cache_max_total_bytes));
  int n = 0;
  for (const auto& e : gone) {
    if (store_.delete_cache(e.project_id, e.key)) {
      blobs_.remove(e.blob);
      ++n;
    }
  }
  return n;
}

}  // namespace halo::engine
