#include "store/migrations.h"

#include "common/time.h"

namespace halo::store {

namespace {

struct Migration {
  int version;
  const char* sql;
};

const Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  is_admin INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
  hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  vcs_type TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (vcs_type, name)
);
CREATE TABLE org_members (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  vcs_url TEXT NOT NULL,
  default_branch TEXT NOT NULL,
  next_pipeline_number INTEGER NOT NULL DEFAULT 1,
  next_job_number INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE TABLE pipelines (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL REFERENCES projects(id),
  number INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  trigger_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  branch TEXT NOT NULL,
  tag TEXT NOT NULL,
  revision TEXT NOT NULL,
  commit_subject TEXT NOT NULL,
  commit_body TEXT NOT NULL,
  errors TEXT NOT NULL,
  parameters TEXT NOT NULL,
  pipeline_values TEXT NOT NULL,
  config_source TEXT NOT NULL,
  config_compiled TEXT NOT NULL,
  UNIQUE (project_id, number)
);
CREATE INDEX pipelines_project_branch ON pipelines (project_id, branch, seq);
CREATE INDEX pipelines_actor ON pipelines (actor_id, seq);
CREATE TABLE workflows (
  id TEXT PRIMARY KEY,
  pipeline_id TEXT NOT NULL REFERENCES pipelines(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  canceled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  stopped_at INTEGER NOT NULL DEFAULT 0,
  started_by TEXT NOT NULL,
  canceled_by TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL
);
CREATE INDEX workflows_pipeline ON workflows (pipeline_id, position);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL REFERENCES workflows(id),
  pipeline_id TEXT NOT NULL REFERENCES pipelines(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  number INTEGER,
  position INTEGER NOT NULL,
  requires TEXT NOT NULL,
  spec TEXT NOT NULL,
  contexts TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  queued_at INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL DEFAULT 0,
  stopped_at INTEGER NOT NULL DEFAULT 0,
  canceled_by TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_workflow ON jobs (workflow_id, position);
CREATE UNIQUE INDEX jobs_number ON jobs (project_id, number) WHERE number IS NOT NULL;
CREATE INDEX jobs_status ON jobs (status);
CREATE TABLE steps (
  job_id TEXT NOT NULL REFERENCES jobs(id),
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  exit_code INTEGER,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (job_id, idx)
);
)sql"},
    {2, R"sql(
ALTER TABLE tokens ADD COLUMN id TEXT NOT NULL DEFAULT '';
UPDATE tokens SET id = lower(hex(randomblob(16))) WHERE id = '';
CREATE UNIQUE INDEX tokens_id ON tokens (id);
CREATE TABLE contexts (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (org_id, name)
);
CREATE TABLE context_env (
  context_id TEXT NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (context_id, name)
);
CREATE TABLE context_restrictions (
  id TEXT PRIMARY KEY,
  context_id TEXT NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE project_env (
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, name)
);
CREATE TABLE checkout_keys (
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  type TEXT NOT NULL,
  public_key TEXT NOT NULL,
  private_sealed BLOB NOT NULL,
  preferred INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, fingerprint)
);
CREATE TABLE project_settings (
  project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  settings TEXT NOT NULL
);
CREATE TABLE org_settings (
  org_id TEXT PRIMARY KEY REFERENCES orgs(id),
  cirrus_url TEXT NOT NULL,
  cirrus_secret_sealed BLOB NOT NULL
);
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  verify_tls INTEGER NOT NULL,
  secret_sealed BLOB NOT NULL,
  events TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhooks_project ON webhooks (project_id);
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'pending',
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE TABLE deliveries (
  event_seq INTEGER NOT NULL REFERENCES outbox(seq),
  attempted_at INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  error TEXT NOT NULL,
  duration_ms INTEGER NOT NULL
);
CREATE INDEX deliveries_event ON deliveries (event_seq);
)sql"},
    // Runner leases: a running job is held by one lease (id, holder, expiry); lease_count
    // says how many times the job was claimed, so an expired lease re-queues it only once.
    {3, R"sql(
ALTER TABLE jobs ADD COLUMN lease_id TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN lease_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN lease_count INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Files jobs move through the server: caches (per project, immutable keys), workspace
    // layers (per workflow), artifacts and test results (per job). Blobs live in files.
    {4, R"sql(
CREATE TABLE caches (
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  blob TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, key)
);
CREATE INDEX caches_used ON caches (last_used_at);
CREATE TABLE workspace_layers (
  id TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL,
  blob TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX workspace_layers_job ON workspace_layers (job_id, created_at);
CREATE TABLE artifacts (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  node_index INTEGER NOT NULL,
  path TEXT NOT NULL,
  blob TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (job_id, node_index, path)
);
CREATE TABLE test_results (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL,
  node_index INTEGER NOT NULL,
  name TEXT NOT NULL,
  classname TEXT NOT NULL,
  file TEXT NOT NULL,
  result TEXT NOT NULL,
  message TEXT NOT NULL,
  source TEXT NOT NULL,
  run_time REAL NOT NULL
);
CREATE INDEX test_results_job ON test_results (job_id, seq);
CREATE INDEX test_results_project ON test_results (project_id, seq);
)sql"},
    // Approvals and reruns: who approved an approval job; the workflow a rerun reruns; and
    // the jobs a rerun carries over, which keep the number of the job they stand for (so job
    // numbers stay unique among the jobs that really ran, and a number names that job).
    {5, R"sql(
ALTER TABLE workflows ADD COLUMN rerun_of TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN origin_job_id TEXT NOT NULL DEFAULT '';
DROP INDEX jobs_number;
CREATE UNIQUE INDEX jobs_number ON jobs (project_id, number)
  WHERE number IS NOT NULL AND origin_job_id = '';
)sql"},
    // Parallelism: a step row per node of the job (node_index), so the key grows; SQLite
    // cannot change a primary key in place, hence the copy.
    {6, R"sql(
CREATE TABLE steps_by_node (
  job_id TEXT NOT NULL REFERENCES jobs(id),
  node_index INTEGER NOT NULL DEFAULT 0,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  exit_code INTEGER,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (job_id, idx, node_index)
);
INSERT INTO steps_by_node (job_id, node_index, idx, name, status, exit_code, started_at, ended_at)
  SELECT job_id, 0, idx, name, status, exit_code, started_at, ended_at FROM steps;
DROP TABLE steps;
ALTER TABLE steps_by_node RENAME TO steps;
)sql"},
    // Serial groups: jobs of a project with the same group run one at a time.
    {7, R"sql(
ALTER TABLE jobs ADD COLUMN serial_group TEXT NOT NULL DEFAULT '';
CREATE INDEX jobs_serial_group ON jobs (project_id, serial_group) WHERE serial_group != '';
)sql"},
    // Additional SSH keys of a project (add_ssh_keys), private halves sealed.
    {8, R"sql(
CREATE TABLE ssh_keys (
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  hostname TEXT NOT NULL,
  public_key TEXT NOT NULL,
  private_sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, fingerprint, hostname)
);
)sql"},
};

}  // namespace

int migrate_sqlite(Db& db) {
  db.exec_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at "
      "INTEGER NOT NULL)");
  int64_t current = 0;
  db.stmt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first([&](const Row& r) {
    current = r.i64(0);
  });
  for (const auto& m : kMigrations) {
    if (m.version <= current) continue;
    db.exec_script("BEGIN IMMEDIATE");
    try {
      db.exec_script(m.sql);
      db.stmt("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
          .bind(m.version, now_ms())
          .exec();
      db.exec_script("COMMIT");
    } catch (...) {
      db.exec_script("ROLLBACK");
      throw;
    }
    current = m.version;
  }
  return static_cast<int>(current);
}

}  // namespace halo::store
