// SqliteStore: caches, workspace layers, artifacts and test results (the CacheStore and
// JobOutputStore parts of the contract).
#include "store/sqlite_store.h"

namespace halo::store {

namespace {

CacheEntry cache_from(const Row& r) {
  CacheEntry e;
  e.project_id = r.text(0);
  e.key = r.text(1);
  e.blob = r.text(2);
  e.size = r.i64(3);
  e.created_at = r.i64(4);
  e.last_used_at = r.i64(5);
  return e;
}

#define HALO_CACHE_COLS "project_id, key, blob, size, created_at, last_used_at"

WorkspaceLayer layer_from(const Row& r) {
  WorkspaceLayer l;
  l.id = r.text(0);
  l.workflow_id = r.text(1);
  l.job_id = r.text(2);
  l.blob = r.text(3);
  l.size = r.i64(4);
  l.created_at = r.i64(5);
  return l;
}

#define HALO_LAYER_COLS "id, workflow_id, job_id, blob, size, created_at"

Artifact artifact_from(const Row& r) {
  Artifact a;
  a.job_id = r.text(0);
  a.node_index = static_cast<int>(r.i64(1));
  a.path = r.text(2);
  a.blob = r.text(3);
  a.size = r.i64(4);
  a.created_at = r.i64(5);
  return a;
}

#define HALO_ARTIFACT_COLS "job_id, node_index, path, blob, size, created_at"

}  // namespace

std::optional<CacheEntry> SqliteStore::find_cache(const std::string& project_id,
                                                  const std::string& key, bool prefix) {
  std::optional<CacheEntry> out;
  auto fill = [&](const Row& r) { out = cache_from(r); };
  if (!prefix) {
    reader()
        .stmt("SELECT " HALO_CACHE_COLS " FROM caches WHERE project_id = ? AND key = ?")
        .bind(project_id, key)
        .first(fill);
  } else {
    // substr rather than LIKE: keys may hold % and _.
    reader()
        .stmt("SELECT " HALO_CACHE_COLS
              " FROM caches WHERE project_id = ? AND substr(key, 1, length(?)) = ? "
              "ORDER BY created_at DESC, rowid DESC LIMIT 1")
        .bind(project_id, key, key)
        .first(fill);
  }
  return out;
}

bool SqliteStore::insert_cache(const CacheEntry& e) {
  return write([&](Db& db) {
    return db.stmt(
                 "INSERT INTO caches (project_id, key, blob, size, created_at, last_used_at) "
                 "VALUES (?,?,?,?,?,?) ON CONFLICT (project_id, key) DO NOTHING")
               .bind(e.project_id, e.key, e.blob, e.size, e.created_at, e.last_used_at)
               .exec() > 0;
  });
}

void SqliteStore::touch_cache(const std::string& project_id, const std::string& key, int64_t now) {
  write([&](Db& db) {
    db.stmt(
          "UPDATE caches SET last_used_at = MAX(last_used_at, ?) WHERE project_id = ? AND key = ?")
        .bind(now, project_id, key)
        .exec();
  });
}

std::vector<CacheEntry> SqliteStore::caches_to_evict(int64_t created_before,
                                                     int64_t max_total_bytes) {
  std::vector<CacheEntry> all;
  reader()
      .stmt("SELECT " HALO_CACHE_COLS " FROM caches ORDER BY last_used_at DESC, rowid DESC")
      .each([&](const Row& r) { all.push_back(cache_from(r)); });
  // Most recently used first: keep entries while they fit, evict the rest.
  std::vector<CacheEntry> out;
  int64_t kept = 0;
  for (auto& e : all) {
    if (e.created_at < created_before || kept + e.size > max_total_bytes) {
      out.push_back(std::move(e));
    } else {
      kept += e.size;
    }
  }
  return out;
}

std::vector<CacheEntry> SqliteStore::caches_of_project(const std::string& project_id) {
  std::vector<CacheEntry> out;
  reader()
      .stmt("SELECT " HALO_CACHE_COLS " FROM caches WHERE project_id = ? ORDER BY key")
      .bind(project_id)
      .each([&](const Row& r) { out.push_back(cache_from(r)); });
  return out;
}

bool SqliteStore::delete_cache(const std::string& project_id, const std::string& key) {
  return write([&](Db& db) {
    return db.stmt("DELETE FROM caches WHERE project_id = ? AND key = ?")
               .bind(project_id, key)
               .exec() > 0;
  });
}

void SqliteStore::insert_workspace_layer(const WorkspaceLayer& l) {
  write([&](Db& db) {
    db.stmt(
          "INSERT INTO workspace_layers (id, workflow_id, job_id, blob, size, created_at) "
          "VALUES (?,?,?,?,?,?)")
        .bind(l.id, l.workflow_id, l.job_id, l.blob, l.size, l.created_at)
        .exec();
  });
}

std::vector<WorkspaceLayer> SqliteStore::workspace_layers_of_jobs(
    const std::vector<std::string>& job_ids) {
  std::vector<WorkspaceLayer> out;
  auto& db = reader();
  for (const auto& id : job_ids) {
    db.stmt("SELECT " HALO_LAYER_COLS
            " FROM workspace_layers WHERE job_id = ? ORDER BY created_at, rowid")
        .bind(id)
        .each([&](const Row& r) { out.push_back(layer_from(r)); });
  }
  return out;
}

std::optional<WorkspaceLayer> SqliteStore::workspace_layer_by_id(const std::string& id) {
  std::optional<WorkspaceLayer> out;
  reader()
      .stmt("SELECT " HALO_LAYER_COLS " FROM workspace_layers WHERE id = ?")
      .bind(id)
      .first([&](const Row& r) { out = layer_from(r); });
  return out;
}

std::optional<std::string> SqliteStore::put_artifact(const Artifact& a) {
  return write([&](Db& db) {
    std::optional<std::string> old;
    db.stmt("SELECT blob FROM artifacts WHERE job_id = ? AND node_index = ? AND path = ?")
        .bind(a.job_id, a.node_index, a.path)
        .first([&](const Row& r) { old = r.text(0); });
    db.stmt(
          "INSERT INTO artifacts (job_id, node_index, path, blob, size, created_at) "
          "VALUES (?,?,?,?,?,?) ON CONFLICT (job_id, node_index, path) DO UPDATE SET "
          "blob = excluded.blob, size = excluded.size, created_at = excluded.created_at")
        .bind(a.job_id, a.node_index, a.path, a.blob, a.size, a.created_at)
        .exec();
    return old;
  });
}

std::vector<Artifact> SqliteStore::artifacts_of_job(const std::string& job_id) {
  std::vector<Artifact> out;
  reader()
      .stmt("SELECT " HALO_ARTIFACT_COLS
            " FROM artifacts WHERE job_id = ? ORDER BY node_index, path")
      .bind(job_id)
      .each([&](const Row& r) { out.push_back(artifact_from(r)); });
  return out;
}

std::optional<Artifact> SqliteStore::artifact(const std::string& job_id, int node_index,
                                              const std::string& path) {
  std::optional<Artifact> out;
  reader()
      .stmt("SELECT " HALO_ARTIFACT_COLS
            " FROM artifacts WHERE job_id = ? AND node_index = ? AND path = ?")
      .bind(job_id, node_index, path)
      .first([&](const Row& r) { out = artifact_from(r); });
  return out;
}

void SqliteStore::insert_test_results(const std::vector<TestResult>& results) {
  if (results.empty()) return;
  write([&](Db& db) {
    for (const auto& t : results) {
      db.stmt(
            "INSERT INTO test_results (job_id, project_id, node_index, name, classname, file, "
            "result, message, source, run_time) VALUES (?,?,?,?,?,?,?,?,?,?)")
          .bind(t.job_id, t.project_id, t.node_index, t.name, t.classname, t.file, t.result,
                t.message, t.source, t.run_time)
          .exec();
    }
  });
}

std::vector<std::pair<int64_t, TestResult>> SqliteStore::test_results_of_job(
    const std::string& job_id, int64_t after, int limit) {
  std::vector<std::pair<int64_t, TestResult>> out;
  reader()
      .stmt(
          "SELECT seq, job_id, project_id, node_index, name, classname, file, result, message, "
          "source, run_time FROM test_results WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?")
      .bind(job_id, after, limit)
      .each([&](const Row& r) {
        TestResult t;
        t.job_id = r.text(1);
        t.project_id = r.text(2);
        t.node_index = static_cast<int>(r.i64(3));
        t.name = r.text(4);
        t.classname = r.text(5);
        t.file = r.text(6);
        t.result = r.text(7);
        t.message = r.text(8);
        t.source = r.text(9);
        t.run_time = r.real(10);
        out.emplace_back(r.i64(0), std::move(t));
      });
  return out;
}

std::vector<TestResult> SqliteStore::latest_test_results(const std::string& project_id,
                                                         const std::string& job_name,
                                                         const std::string& branch, int limit) {
  auto& db = reader();
  std::string job_id;
  db.stmt(
        "SELECT t.job_id FROM test_results t JOIN jobs j ON j.id = t.job_id "
        "JOIN pipelines p ON p.id = j.pipeline_id WHERE t.project_id = ? AND j.name = ? "
        "ORDER BY (p.branch = ?) DESC, t.seq DESC LIMIT 1")
      .bind(project_id, job_name, branch)
      .first([&](const Row& r) { job_id = r.text(0); });
  std::vector<TestResult> out;
  if (job_id.empty()) return out;
  for (auto& [seq, t] : test_results_of_job(job_id, 0, limit)) out.push_back(std::move(t));
  return out;
}

std::vector<std::string> SqliteStore::blobs_of_jobs(const std::vector<std::string>& job_ids) {
  std::vector<std::string> out;
  auto& db = reader();
  for (const auto& id : job_ids) {
    db.stmt("SELECT blob FROM artifacts WHERE job_id = ?").bind(id).each([&](const Row& r) {
      out.push_back(r.text(0));
    });
    db.stmt("SELECT blob FROM workspace_layers WHERE job_id = ?").bind(id).each([&](const Row& r) {
      out.push_back(r.text(0));
    });
  }
  return out;
}

}  // namespace halo::store
