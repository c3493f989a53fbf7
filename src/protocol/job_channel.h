// The job channel: how a runner moves files between a job and the server, under the job's
// lease. Built-in steps use it — caches, workspaces, artifacts, test results — so that no
// runner ever reads or writes the server's data dir: the embedded runner calls the server in
// process (engine::RunnerService), a remote runner will call it over HTTP, with the same
// meaning. Uploads are pushed in chunks and downloads pulled in chunks: nothing is held in
// memory whole.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/byte_stream.h"
#include "protocol/runner_protocol.h"

namespace halo::protocol {

// A refused channel call: a stale lease, an upload over the job's limit, an unknown layer.
// what() is written for the step's output.
class ChannelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An upload in progress. write() may throw ChannelError (over the limit, lease gone);
// commit() makes the upload visible and returns its size; an upload destroyed uncommitted
// leaves nothing behind.
class Upload : public ByteSink {
 public:
  virtual uint64_t commit() = 0;
};

struct CacheHit {
  std::string key;
  uint64_t size = 0;
};

class JobChannel {
 public:
  virtual ~JobChannel() = default;

  // Caches belong to the job's project; keys are immutable once saved.
  // The first of `keys` that matches: exactly, else the most recent key with that prefix.
  virtual std::optional<CacheHit> find_cache(const Lease& lease,
                                             const std::vector<std::string>& keys) = 0;
  // The cache's blob (a zstd-compressed tar); ChannelError when it is gone.
  virtual std::unique_ptr<ByteSource> open_cache(const Lease& lease, const std::string& key) = 0;
  // nullptr when the key exists already (it is not overwritten).
  virtual std::unique_ptr<Upload> save_cache(const Lease& lease, const std::string& key) = 0;

  // Workspaces: each persist adds a layer (a zstd-compressed tar); the payload lists the
  // layers a job attaches (JobPayload::workspace_layers), in order.
  virtual std::unique_ptr<Upload> persist_workspace(const Lease& lease) = 0;
  virtual std::unique_ptr<ByteSource> open_workspace_layer(const Lease& lease,
                                                           const std::string& layer_id) = 0;

  // Artifacts: one upload per file, stored under `path` (the destination, '/'-separated).
  virtual std::unique_ptr<Upload> store_artifact(const Lease& lease, int node_index,
                                                 const std::string& path) = 0;

  virtual void store_test_results(const Lease& lease, int node_index,
                                  const std::vector<TestCase>& tests) = 0;
};

}  // namespace halo::protocol
