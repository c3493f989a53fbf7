// `halo serve`: the API server, orchestrator and embedded runner pool in one process.
#pragma once
#include <cstdint>
#include <string>

namespace halo::app {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./halo-data";
  std::string base_url;  // default: http://<listen>
  int runners = 2;
  int64_t lease_ttl_ms = 60'000;  // how long a runner's silence is tolerated
  int http_threads = 2;
  bool demo = false;
  bool allow_http_webhooks = false;         // accept http:// webhook URLs (local receivers)
  std::string orb_dir;                      // local orb directory; default <data-dir>/orbs
  uint64_t job_upload_limit = 10ull << 30;  // bytes of caches, workspaces, artifacts per job
  int cache_retention_days = 15;
  uint64_t cache_max_size = 50ull << 30;  // all projects' caches together, bytes
};

// Runs until SIGINT or SIGTERM; returns the process exit code.
int serve(const ServeOptions& options);

// `halo routes`: prints every REST route the server registers, "METHOD PATTERN" per line
// (tests use it to check that every mutating endpoint is covered).
int print_routes();

}  // namespace halo::app
