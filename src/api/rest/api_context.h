// What every REST handler needs: the store, the logs, the orchestrator and the workflow
// operations, the access rules (engine::Access: tokens, visibility, roles) and the vault. The only
// rule kept here is HTTP's part of authentication: where a request carries its token.
#pragma once
#include <atomic>
#include <optional>
#include <string>

#include "api/http/message.h"
#include "api/rest/render_cache.h"
#include "common/secrets_vault.h"
#include "engine/access.h"
#include "engine/approvals.h"
#include "engine/orchestrator.h"
#include "engine/reruns.h"
#include "store/blob_files.h"
#include "store/log_store.h"
#include "store/store.h"
#include "webhooks/outbound.h"

namespace halo::rest {

class ApiContext {
 public:
  ApiContext(store::Store& store, store::LogStore& logs, engine::Orchestrator& orchestrator,
             std::string base_url, std::string master_key);

  store::Store& store;
  store::LogStore& logs;
  engine::Orchestrator& orchestrator;
  std::string base_url;
  store::BlobFiles* blobs = nullptr;  // artifact downloads
  std::atomic<bool> stopping{false};
  // Rendered pipelines (immutable once created); cleared when a project is deleted.
  RenderCache pipelines;
  webhooks::Outbound* webhooks = nullptr;  // set by serve before requests arrive
  const SecretsVault vault;                // seals and opens every stored secret

  // Who checks tokens, visibility and roles (REST, and later GraphQL and the UI).
  engine::Access access;
  // Workflow operations beyond the orchestrator's own.
  engine::Approvals approvals;
  engine::Reruns reruns;

  // The user of a request: its token from the Circle-Token header, HTTP Basic (token as user
  // name) or the circle-token query parameter, checked by access.authenticate: ApiError 401
  // when absent or wrong.
  store::User authenticate(const http::Request& req);

  // Signed, unauthenticated URL for one step's output (like CircleCI's pre-signed output_url).
  std::string output_url(const store::Project& p, int64_t job_number, int step, int node = 0);
  bool check_output_signature(const std::string& job_id, int step, int node,
                              const std::string& sig);
  std::string output_signature(const std::string& job_id, int step, int node = 0);
  // Signed, unauthenticated URL of one artifact; the signature binds job, node and path.
  std::string artifact_url(const std::string& job_id, int node_index, const std::string& path);
  bool check_artifact_signature(const std::string& job_id, int node_index, const std::string& path,
                                const std::string& sig);

 private:
  std::string url_signing_key_;
};

// Parses a JSON request body; ApiError 400 when malformed or not an object. Empty is {}.
json parse_body(const http::Request& req);
// True when the client asked for text/plain (pretty-printed JSON).
bool wants_text(const http::Request& req);
// Opaque page tokens over a store sequence number.
std::string page_token(int64_t seq);
std::optional<int64_t> parse_page_token(const std::string& token);  // ApiError 400 if garbage

}  // namespace halo::rest
