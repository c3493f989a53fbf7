// The server's side of the job channel (protocol/job_channel.h): caches, workspace layers,
// artifacts and test results arrive from runners under their jobs' leases, their bytes go
// to BlobFiles and their records to the store. Limits hold here, whatever the runner does:
// a per-job upload cap, a cache retention period and a total cache size with least
// recently used eviction.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "common/clock.h"
#include "protocol/job_channel.h"
#include "store/blob_files.h"
#include "store/store.h"

namespace halo::engine {

struct JobFilesOptions {
  uint64_t job_upload_limit_bytes = 10ull << 30;  // all uploads of one job together
  int64_t cache_retention_ms = 15ll * 24 * 3600 * 1000;
  uint64_t cache_max_total_bytes = 50ull << 30;
  size_t max_test_results_per_job = 200'000;
};

// The job behind a current lease, as the runner service knows it.
struct LeasedJob {
  std::string job_id;
  std::string project_id;
  std::string workflow_id;
  std::set<std::string> workspace_layers;             // the layers this job may attach
  std::shared_ptr<std::atomic<uint64_t>> uploaded;    // bytes so far, for the upload cap
  std::shared_ptr<std::atomic<size_t>> test_results;  // results so far, for their cap
};

class JobFiles final : public protocol::JobChannel {
 public:
  // `lookup` answers the job of a current lease, nullopt when the lease is stale.
  using LeaseLookup = std::function<std::optional<LeasedJob>(const protocol::Lease&)>;
  JobFiles(store::Store& store, store::BlobFiles& blobs, LeaseLookup lookup,
           JobFilesOptions options, const Clock& clock = SystemClock::instance());

  std::optional<protocol::CacheHit> find_cache(const protocol::Lease& lease,
                                               const std::vector<std::string>& keys) override;
  std::unique_ptr<ByteSource> open_cache(const protocol::Lease& lease,
                                         const std::string& key) override;
  std::unique_ptr<protocol::Upload> save_cache(const protocol::Lease& lease,
                                               const std::string& key) override;
  std::unique_ptr<protocol::Upload> persist_workspace(const protocol::Lease& lease) override;
  std::unique_ptr<ByteSource> open_workspace_layer(const protocol::Lease& lease,
                                                   const std::string& layer_id) override;
  std::unique_ptr<protocol::Upload> store_artifact(const protocol::Lease& lease, int node_index,
                                                   const std::string& path) override;
  void store_test_results(const protocol::Lease& lease, int node_index,
                          const std::vector<protocol::TestCase>& tests) override;

  // Removes caches past the retention period or beyond the total size (least recently used
  // first). Returns how many went. Runs after every saved cache, and at start-up.
  int evict_caches();

  // Whether `path` is acceptable as an artifact's destination: relative, '/'-separated, no
  // "." or ".." segment, no empty segment, no control characters, at most 1024 bytes.
  static bool valid_artifact_path(const std::string& path);

 private:
  LeasedJob require(const protocol::Lease& lease);

  store::Store& store_;
  store::BlobFiles& blobs_;
  LeaseLookup lookup_;
  JobFilesOptions options_;
  const Clock& clock_;
};

}  // namespace halo::engine
