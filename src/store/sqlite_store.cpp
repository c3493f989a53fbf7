#include "store/sqlite_store.h"

#include <atomic>
#include <unordered_map>

#include "common/crypto.h"
#include "common/time.h"
#include "store/migrations.h"

namespace halo::store {

namespace {

std::atomic<uint64_t> g_next_instance{1};

User read_user(const Row& r) {
  return User{r.text(0), r.text(1), r.text(2), r.i64(3) != 0, r.i64(4)};
}

Org read_org(const Row& r) {
  return Org{r.text(0), r.text(1), r.text(2), r.i64(3)};
}

#define PROJECT_COLS                                                                   \
  "p.id, p.org_id, p.slug, o.name, p.name, p.vcs_url, p.default_branch, p.created_at " \
  "FROM projects p JOIN orgs o ON o.id = p.org_id "
Project read_project(const Row& r) {
  return Project{r.text(0), r.text(1), r.text(2), r.text(3),
                 r.text(4), r.text(5), r.text(6), r.i64(7)};
}

#define PIPELINE_COLS                                                                 \
  "pl.id, pl.project_id, pr.slug, pl.number, pl.seq, pl.state, pl.created_at, "       \
  "pl.updated_at, pl.trigger_type, pl.actor_id, pl.branch, pl.tag, pl.revision, "     \
  "pl.commit_subject, pl.commit_body, pl.errors, pl.parameters, pl.pipeline_values, " \
  "'', '', pr.org_id, pr.vcs_url, COALESCE(u.login, '') "                             \
  "FROM pipelines pl JOIN projects pr ON pr.id = pl.project_id "                      \
  "LEFT JOIN users u ON u.id = pl.actor_id "
Pipeline read_pipeline(const Row& r) {
  Pipeline p;
  p.id = r.text(0);
  p.project_id = r.text(1);
  p.project_slug = r.text(2);
  p.number = r.i64(3);
  p.seq = r.i64(4);
  p.state = r.text(5);
  p.created_at = r.i64(6);
  p.updated_at = r.i64(7);
  p.trigger_type = r.text(8);
  p.actor_id = r.text(9);
  p.branch = r.text(10);
  p.tag = r.text(11);
  p.revision = r.text(12);
  p.commit_subject = r.text(13);
  p.commit_body = r.text(14);
  p.errors = json::parse(r.text(15));
  p.parameters = json::parse(r.text(16));
  p.values = json::parse(r.text(17));
  p.config_source = r.text(18);
  p.config_compiled = r.text(19);
  p.org_id = r.text(20);
  p.vcs_url = r.text(21);
  p.actor_login = r.text(22);
  return p;
}

#define WORKFLOW_COLS                                                             \
  "id, pipeline_id, project_id, name, status, canceled, created_at, stopped_at, " \
  "started_by, canceled_by, position, rerun_of FROM workflows "
Workflow read_workflow(const Row& r) {
  Workflow w;
  w.id = r.text(0);
  w.pipeline_id = r.text(1);
  w.project_id = r.text(2);
  w.name = r.text(3);
  w.status = r.text(4);
  w.canceled = r.i64(5) != 0;
  w.created_at = r.i64(6);
  w.stopped_at = r.i64(7);
  w.started_by = r.text(8);
  w.canceled_by = r.text(9);
  w.position = static_cast<int>(r.i64(10));
  w.rerun_of = r.text(11);
  return w;
}

#define JOB_COLS                                                                                 \
  "id, workflow_id, pipeline_id, project_id, name, type, status, number, position, "             \
  "requires, spec, contexts, created_at, queued_at, started_at, stopped_at, canceled_by, "       \
  "message, lease_id, lease_holder, lease_expires_at, lease_count, approved_by, origin_job_id, " \
  "serial_group FROM jobs "
Job read_job(const Row& r) {
  Job j;
  j.id = r.text(0);
  j.workflow_id = r.text(1);
  j.pipeline_id = r.text(2);
  j.project_id = r.text(3);
  j.name = r.text(4);
  j.type = r.text(5);
  j.status = r.text(6);
  j.number = r.is_null(7) ? 0 : r.i64(7);
  j.position = static_cast<int>(r.i64(8));
  j.requirements = json::parse(r.text(9));
  j.spec = json::parse(r.text(10));
  j.contexts = json::parse(r.text(11));
  j.created_at = r.i64(12);
  j.queued_at = r.i64(13);
  j.started_at = r.i64(14);
  j.stopped_at = r.i64(15);
  j.canceled_by = r.text(16);
  j.message = r.text(17);
  j.lease_id = r.text(18);
  j.lease_holder = r.text(19);
  j.lease_expires_at = r.i64(20);
  j.lease_count = static_cast<int>(r.i64(21));
  j.approved_by = r.text(22);
  j.origin_job_id = r.text(23);
  j.serial_group = r.text(24);
  return j;
}

void insert_job(Db& db, const Job& j) {
  auto s = db.stmt(
      "INSERT INTO jobs (id, workflow_id, pipeline_id, project_id, name, type, status, number, "
      "position, requires, spec, contexts, created_at, queued_at, started_at, stopped_at, "
      "canceled_by, message, lease_id, lease_holder, lease_expires_at, lease_count, "
      "approved_by, origin_job_id, serial_group) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(j.id, j.workflow_id, j.pipeline_id, j.project_id, j.name, j.type, j.status);
  if (j.number)
    s.bind(j.number);
  else
    s.bind_null();
  s.bind(j.position, j.requirements.dump(), j.spec.dump(), j.contexts.dump(), j.created_at,
         j.queued_at, j.started_at, j.stopped_at, j.canceled_by, j.message, j.lease_id,
         j.lease_holder, j.lease_expires_at, j.lease_count, j.approved_by, j.origin_job_id,
         j.serial_group);
  s.exec();
}

void insert_workflow(Db& db, const Workflow& w) {
  db.stmt(
        "INSERT INTO workflows (id, pipeline_id, project_id, name, status, canceled, created_at, "
        "stopped_at, started_by, canceled_by, position, rerun_of) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
      .bind(w.id, w.pipeline_id, w.project_id, w.name, w.status, w.canceled, w.created_at,
            w.stopped_at, w.started_by, w.canceled_by, w.position, w.rerun_of)
      .exec();
}

void update_job_row(Db& db, const Job& j) {
  auto s = db.stmt(
      "UPDATE jobs SET status = ?, number = ?, queued_at = ?, started_at = ?, stopped_at = ?, "
      "canceled_by = ?, message = ?, lease_id = ?, lease_holder = ?, lease_expires_at = ?, "
      "lease_count = ?, approved_by = ? WHERE id = ?");
  s.bind(j.status);
  if (j.number)
    s.bind(j.number);
  else
    s.bind_null();
  s.bind(j.queued_at, j.started_at, j.stopped_at, j.canceled_by, j.message, j.lease_id,
         j.lease_holder, j.lease_expires_at, j.lease_count, j.approved_by, j.id)
      .exec();
}

// Build jobs are numbered once they are queued (or running); approval jobs once they hold
// (CircleCI numbers them too); no-op jobs never.
bool needs_number(const Job& j) {
  if (j.number != 0) return false;
  if (j.type == "build") return j.status == "queued" || j.status == "running";
  return j.type == "approval" && j.status == "on_hold";
}

int64_t next_job_number(Db& db, const std::string& project_id) {
  int64_t n = 0;
  db.stmt(
        "UPDATE projects SET next_job_number = next_job_number + 1 WHERE id = ? "
        "RETURNING next_job_number - 1")
      .bind(project_id)
      .first([&](const Row& r) { n = r.i64(0); });
  return n;
}

}  // namespace

SqliteStore::SqliteStore(std::filesystem::path file)
    : file_(std::move(file)), instance_(g_next_instance++) {
  writer_ = std::make_unique<Db>(file_.string());
  migrate_sqlite(*writer_);
}

SqliteStore::~SqliteStore() = default;

Db& SqliteStore::reader() {
  // Keyed by instance so a store opened later never reuses another store's connection.
  thread_local std::unordered_map<uint64_t, std::unique_ptr<Db>> connections;
  auto& slot = connections[instance_];
  if (!slot) slot = std::make_unique<Db>(file_.string());
  return *slot;
}

// ---- users -----------------------------------------------------------------------------

User SqliteStore::create_user(const std::string& login, const std::string& name, bool is_admin) {
  User u{uuid_v4(), login, name, is_admin, now_ms()};
  write([&](Db& db) {
    db.stmt("INSERT INTO users (id, login, name, is_admin, created_at) VALUES (?,?,?,?,?)")
        .bind(u.id, u.login, u.name, u.is_admin, u.created_at)
        .exec();
  });
  return u;
}

std::optional<User> SqliteStore::user_by_id(const std::string& id) {
  std::optional<User> u;
  reader()
      .stmt("SELECT id, login, name, is_admin, created_at FROM users WHERE id = ?")
      .bind(id)
      .first([&](const Row& r) { u = read_user(r); });
  return u;
}

std::optional<User> SqliteStore::user_by_login(const std::string& login) {
  std::optional<User> u;
  reader()
      .stmt("SELECT id, login, name, is_admin, created_at FROM users WHERE login = ?")
      .bind(login)
      .first([&](const Row& r) { u = read_user(r); });
  return u;
}

std::string SqliteStore::add_token(const std::string& user_id, const std::string& token_sha256,
                                   const std::string& label) {
  std::string id = uuid_v4();
  write([&](Db& db) {
    db.stmt("INSERT INTO tokens (hash, user_id, label, created_at, id) VALUES (?,?,?,?,?)")
        .bind(token_sha256, user_id, label, now_ms(), id)
        .exec();
  });
  return id;
}

std::vector<Token> SqliteStore::tokens_of_user(const std::string& user_id) {
  std::vector<Token> out;
  reader()
      .stmt(
          "SELECT id, user_id, label, created_at FROM tokens WHERE user_id = ? ORDER BY "
          "created_at")
      .bind(user_id)
      .each([&](const Row& r) {
        out.push_back(Token{r.text(0), r.text(1), r.text(2), r.i64(3)});
      });
  return out;
}

bool SqliteStore::revoke_token(const std::string& user_id, const std::string& token_id) {
  return write([&](Db& db) {
    return db.stmt("DELETE FROM tokens WHERE user_id = ? AND id = ?")
               .bind(user_id, token_id)
               .exec() > 0;
  });
}

std::vector<Member> SqliteStore::members_of_org(const std::string& org_id) {
  std::vector<Member> out;
  reader()
      .stmt(
          "SELECT u.id, u.login, u.name, u.is_admin, u.created_at, m.role FROM org_members m "
          "JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.login")
      .bind(org_id)
      .each([&](const Row& r) {
        out.push_back(Member{read_user(r), r.text(5)});
      });
  return out;
}

std::optional<User> SqliteStore::user_by_token(const std::string& token_sha256) {
  std::optional<User> u;
  reader()
      .stmt(
          "SELECT u.id, u.login, u.name, u.is_admin, u.created_at FROM tokens t JOIN users u "
          "ON u.id = t.user_id WHERE t.hash = ?")
      .bind(token_sha256)
      .first([&](const Row& r) { u = read_user(r); });
  return u;
}

int64_t SqliteStore::count_users() {
  int64_t n = 0;
  reader().stmt("SELECT COUNT(*) FROM users").first([&](const Row& r) { n = r.i64(0); });
  return n;
}

// ---- orgs and projects -----------------------------------------------------------------

Org SqliteStore::ensure_org(const std::string& vcs_type, const std::string& name, bool* created) {
  return write([&](Db& db) {
    Org o;
    bool found = db.stmt(
                       "SELECT id, vcs_type, name, created_at FROM orgs WHERE vcs_type = ? "
                       "AND name = ?")
                     .bind(vcs_type, name)
                     .first([&](const Row& r) { o = read_org(r); });
    if (created) *created = !found;
    if (!found) {
      o = Org{uuid_v4(), vcs_type, name, now_ms()};
      db.stmt("INSERT INTO orgs (id, vcs_type, name, created_at) VALUES (?,?,?,?)")
          .bind(o.id, o.vcs_type, o.name, o.created_at)
          .exec();
    }
    return o;
  });
}

std::optional<Org> SqliteStore::org_by_id(const std::string& id) {
  std::optional<Org> o;
  reader()
      .stmt("SELECT id, vcs_type, name, created_at FROM orgs WHERE id = ?")
      .bind(id)
      .first([&](const Row& r) { o = read_org(r); });
  return o;
}

void SqliteStore::add_member(const std::string& org_id, const std::string& user_id,
                             const std::string& role) {
  write([&](Db& db) {
    db.stmt(
          "INSERT INTO org_members (org_id, user_id, role) VALUES (?,?,?) "
          "ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role")
        .bind(org_id, user_id, role)
        .exec();
  });
}

std::optional<std::string> SqliteStore::member_role(const std::string& org_id,
                                                    const std::string& user_id) {
  std::optional<std::string> role;
  reader()
      .stmt("SELECT role FROM org_members WHERE org_id = ? AND user_id = ?")
      .bind(org_id, user_id)
      .first([&](const Row& r) { role = r.text(0); });
  return role;
}

std::vector<Org> SqliteStore::orgs_of_user(const std::string& user_id) {
  std::vector<Org> out;
  reader()
      .stmt(
          "SELECT o.id, o.vcs_type, o.name, o.created_at FROM orgs o JOIN org_members m ON "
          "m.org_id = o.id WHERE m.user_id = ? ORDER BY o.name")
      .bind(user_id)
      .each([&](const Row& r) { out.push_back(read_org(r)); });
  return out;
}

std::vector<Org> SqliteStore::all_orgs() {
  std::vector<Org> out;
  reader()
      .stmt("SELECT id, vcs_type, name, created_at FROM orgs ORDER BY name")
      .each([&](const Row& r) { out.push_back(read_org(r)); });
  return out;
}

std::optional<Project> SqliteStore::create_project(Project p) {
  return write([&](Db& db) -> std::optional<Project> {
    bool taken = db.stmt("SELECT 1 FROM projects WHERE slug = ?").bind(p.slug).first([](auto&) {});
    if (taken) return std::nullopt;
    db.stmt(
          "INSERT INTO projects (id, org_id, slug, name, vcs_url, default_branch, created_at) "
          "VALUES (?,?,?,?,?,?,?)")
        .bind(p.id, p.org_id, p.slug, p.name, p.vcs_url, p.default_branch, p.created_at)
        .exec();
    return p;
  });
}

std::optional<Project> SqliteStore::project_by_slug(const std::string& slug) {
  std::optional<Project> p;
  reader().stmt("SELECT " PROJECT_COLS "WHERE p.slug = ?").bind(slug).first([&](const Row& r) {
    p = read_project(r);
  });
  return p;
}

std::optional<Project> SqliteStore::project_by_id(const std::string& id) {
  std::optional<Project> p;
  reader().stmt("SELECT " PROJECT_COLS "WHERE p.id = ?").bind(id).first([&](const Row& r) {
    p = read_project(r);
  });
  return p;
}

// ---- pipelines -------------------------------------------------------------------------

int64_t SqliteStore::reserve_pipeline_number(const std::string& project_id) {
  return write([&](Db& db) {
    int64_t n = 0;
    db.stmt(
          "UPDATE projects SET next_pipeline_number = next_pipeline_number + 1 WHERE id = ? "
          "RETURNING next_pipeline_number - 1")
        .bind(project_id)
        .first([&](const Row& r) { n = r.i64(0); });
    if (n == 0) throw std::runtime_error("reserve_pipeline_number: unknown project");
    return n;
  });
}

void SqliteStore::create_pipeline(Pipeline& p, std::vector<Workflow>& workflows,
                                  std::vector<Job>& jobs, const std::vector<OutboxEvent>& outbox) {
  write([&](Db& db) {
    if (p.number == 0) throw std::runtime_error("create_pipeline: number not reserved");
    db.stmt(
          "INSERT INTO pipelines (id, project_id, number, state, created_at, updated_at, "
          "trigger_type, actor_id, branch, tag, revision, commit_subject, commit_body, errors, "
          "parameters, pipeline_values, config_source, config_compiled) "
          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        .bind(p.id, p.project_id, p.number, p.state, p.created_at, p.updated_at, p.trigger_type,
              p.actor_id, p.branch, p.tag, p.revision, p.commit_subject, p.commit_body,
              p.errors.dump(), p.parameters.dump(), p.values.dump(), p.config_source,
              p.config_compiled)
        .exec();
    p.seq = sqlite3_last_insert_rowid(db.raw());
    for (const auto& w : workflows) insert_workflow(db, w);
    for (auto& j : jobs) {
      if (needs_number(j)) j.number = next_job_number(db, j.project_id);
      insert_job(db, j);
    }
    for (const auto& e : outbox) insert_event(db, e);
  });
}

void SqliteStore::create_workflow(WorkflowState& st) {
  write([&](Db& db) {
    bool known = db.stmt("SELECT 1 FROM pipelines WHERE id = ?")
                     .bind(st.workflow.pipeline_id)
                     .first([](const Row&) {});
    if (!known) throw std::runtime_error("create_workflow: unknown pipeline");
    insert_workflow(db, st.workflow);
    for (auto& j : st.jobs) {
      if (needs_number(j)) j.number = next_job_number(db, j.project_id);
      insert_job(db, j);
    }
    for (const auto& e : st.outbox) insert_event(db, e);
  });
}

std::optional<Pipeline> SqliteStore::pipeline_by_id(const std::string& id) {
  std::optional<Pipeline> p;
  reader().stmt("SELECT " PIPELINE_COLS "WHERE pl.id = ?").bind(id).first([&](const Row& r) {
    p = read_pipeline(r);
  });
  return p;
}

std::optional<std::pair<std::string, std::string>> SqliteStore::pipeline_config(
    const std::string& id) {
  std::optional<std::pair<std::string, std::string>> out;
  reader()
      .stmt("SELECT config_source, config_compiled FROM pipelines WHERE id = ?")
      .bind(id)
      .first([&](const Row& r) { out.emplace(r.text(0), r.text(1)); });
  return out;
}

std::optional<Pipeline> SqliteStore::pipeline_by_number(const std::string& project_id,
                                                        int64_t number) {
  std::optional<Pipeline> p;
  reader()
      .stmt("SELECT " PIPELINE_COLS "WHERE pl.project_id = ? AND pl.number = ?")
      .bind(project_id, number)
      .first([&](const Row& r) { p = read_pipeline(r); });
  return p;
}

Page<Pipeline> SqliteStore::list_pipelines(const PipelineFilter& f,
                                           std::optional<int64_t> before_seq, int limit) {
  // One statement with optional filters: a NULL/empty parameter disables its condition.
  std::string orgs = f.org_ids.empty() ? "" : json(f.org_ids).dump();
  Page<Pipeline> page;
  reader()
      .stmt("SELECT " PIPELINE_COLS
            "WHERE (?1 = '' OR pl.project_id = ?1) AND (?2 = '' OR pl.branch = ?2) "
            "AND (?3 = '' OR pl.actor_id = ?3) AND pl.seq < ?4 "
            "AND (?5 = '' OR pr.org_id IN (SELECT value FROM json_each(?5))) "
            "ORDER BY pl.seq DESC LIMIT ?6")
      .bind(f.project_id, f.branch, f.actor_id, before_seq.value_or(INT64_MAX), orgs,
            static_cast<int64_t>(limit + 1))
      .each([&](const Row& r) { page.items.push_back(read_pipeline(r)); });
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_seq = page.items.back().seq;
  }
  return page;
}

// ---- workflows and jobs ----------------------------------------------------------------

std::optional<Workflow> SqliteStore::workflow_by_id(const std::string& id) {
  std::optional<Workflow> w;
  reader().stmt("SELECT " WORKFLOW_COLS "WHERE id = ?").bind(id).first([&](const Row& r) {
    w = read_workflow(r);
  });
  return w;
}

std::vector<Workflow> SqliteStore::workflows_of_pipeline(const std::string& pipeline_id) {
  std::vector<Workflow> out;
  reader()
      .stmt("SELECT " WORKFLOW_COLS "WHERE pipeline_id = ? ORDER BY position")
      .bind(pipeline_id)
      .each([&](const Row& r) { out.push_back(read_workflow(r)); });
  return out;
}

std::optional<Job> SqliteStore::job_by_id(const std::string& id) {
  std::optional<Job> j;
  reader().stmt("SELECT " JOB_COLS "WHERE id = ?").bind(id).first([&](const Row& r) {
    j = read_job(r);
  });
  return j;
}

std::optional<Job> SqliteStore::job_by_number(const std::string& project_id, int64_t number) {
  std::optional<Job> j;
  reader()
      .stmt("SELECT " JOB_COLS "WHERE project_id = ? AND number = ? AND origin_job_id = ''")
      .bind(project_id, number)
      .first([&](const Row& r) { j = read_job(r); });
  return j;
}

std::vector<Job> SqliteStore::jobs_of_workflow(const std::string& workflow_id) {
  std::vector<Job> out;
  reader()
      .stmt("SELECT " JOB_COLS "WHERE workflow_id = ? ORDER BY position")
      .bind(workflow_id)
      .each([&](const Row& r) { out.push_back(read_job(r)); });
  return out;
}

std::vector<Job> SqliteStore::jobs_with_status(const std::string& status) {
  std::vector<Job> out;
  reader()
      .stmt("SELECT " JOB_COLS "WHERE status = ? ORDER BY created_at")
      .bind(status)
      .each([&](const Row& r) { out.push_back(read_job(r)); });
  return out;
}

std::vector<Workflow> SqliteStore::unfinished_workflows(const std::string& project_id,
                                                        const std::string& branch) {
  std::vector<Workflow> out;
  reader()
      .stmt(
          "SELECT w.id, w.pipeline_id, w.project_id, w.name, w.status, w.canceled, "
          "w.created_at, w.stopped_at, w.started_by, w.canceled_by, w.position, w.rerun_of "
          "FROM workflows w "
          "JOIN pipelines p ON p.id = w.pipeline_id WHERE w.project_id = ?1 AND (?2 = '' OR "
          "p.branch = ?2) AND w.status IN ('running', 'failing', 'on_hold') ORDER BY p.seq")
      .bind(project_id, branch)
      .each([&](const Row& r) { out.push_back(read_workflow(r)); });
  return out;
}

std::vector<std::pair<Job, int64_t>> SqliteStore::active_jobs_of_serial_group(
    const std::string& project_id, const std::string& group) {
  std::vector<std::pair<Job, int64_t>> out;
  std::vector<Job> jobs;
  auto& db = reader();
  db.stmt("SELECT " JOB_COLS
          "WHERE project_id = ? AND serial_group = ? AND status IN ('queued', 'running')")
      .bind(project_id, group)
      .each([&](const Row& r) { jobs.push_back(read_job(r)); });
  for (auto& j : jobs) {
    int64_t number = 0;
    db.stmt("SELECT number FROM pipelines WHERE id = ?")
        .bind(j.pipeline_id)
        .first([&](const Row& r) { number = r.i64(0); });
    out.emplace_back(std::move(j), number);
  }
  return out;
}

std::vector<std::string> SqliteStore::job_ids_of_project(const std::string& project_id) {
  std::vector<std::string> out;
  reader()
      .stmt("SELECT id FROM jobs WHERE project_id = ?")
      .bind(project_id)
      .each([&](const Row& r) { out.push_back(r.text(0)); });
  return out;
}

std::optional<WorkflowState> SqliteStore::update_workflow(
    const std::string& workflow_id, const std::function<void(WorkflowState&)>& change) {
  return write([&](Db& db) -> std::optional<WorkflowState> {
    WorkflowState st;
    if (!db.stmt("SELECT " WORKFLOW_COLS "WHERE id = ?").bind(workflow_id).first([&](const Row& r) {
          st.workflow = read_workflow(r);
        }))
      return std::nullopt;
    db.stmt("SELECT " JOB_COLS "WHERE workflow_id = ? ORDER BY position")
        .bind(workflow_id)
        .each([&](const Row& r) { st.jobs.push_back(read_job(r)); });
    const WorkflowState before = st;
    change(st);
    const Workflow& w = st.workflow;
    db.stmt(
          "UPDATE workflows SET status = ?, canceled = ?, stopped_at = ?, canceled_by = ? "
          "WHERE id = ?")
        .bind(w.status, w.canceled, w.stopped_at, w.canceled_by, w.id)
        .exec();
    for (size_t i = 0; i < st.jobs.size(); ++i) {
      Job& j = st.jobs[i];
      if (needs_number(j)) j.number = next_job_number(db, j.project_id);
      const Job& b = before.jobs[i];
      if (j.status != b.status || j.number != b.number || j.queued_at != b.queued_at ||
          j.started_at != b.started_at || j.stopped_at != b.stopped_at ||
          j.canceled_by != b.canceled_by || j.message != b.message || j.lease_id != b.lease_id ||
          j.lease_holder != b.lease_holder || j.lease_expires_at != b.lease_expires_at ||
          j.lease_count != b.lease_count || j.approved_by != b.approved_by)
        update_job_row(db, j);
    }
    for (const auto& e : st.outbox) insert_event(db, e);
    return st;
  });
}

bool SqliteStore::claim_job(const std::string& job_id, int64_t now) {
  return write([&](Db& db) {
    return db.stmt(
                 "UPDATE jobs SET status = 'running', started_at = ? WHERE id = ? AND status "
                 "= 'queued'")
               .bind(now, job_id)
               .exec() == 1;
  });
}

std::optional<LeaseCheck> SqliteStore::extend_lease(const std::string& job_id,
                                                    const std::string& lease_id,
                                                    int64_t expires_at) {
  return write([&](Db& db) {
    std::optional<LeaseCheck> out;
    db.stmt(
          "UPDATE jobs SET lease_expires_at = MAX(lease_expires_at, ?) WHERE id = ? AND "
          "lease_id = ? AND lease_id != '' AND status = 'running' RETURNING canceled_by")
        .bind(expires_at, job_id, lease_id)
        .first([&](const Row& r) { out = LeaseCheck{!r.text(0).empty()}; });
    return out;
  });
}

// ---- steps -----------------------------------------------------------------------------

void SqliteStore::upsert_step(const Step& s) {
  write([&](Db& db) {
    auto st = db.stmt(
        "INSERT INTO steps (job_id, node_index, idx, name, status, exit_code, started_at, "
        "ended_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (job_id, idx, node_index) DO UPDATE SET "
        "name = excluded.name, status = excluded.status, exit_code = excluded.exit_code, "
        "started_at = excluded.started_at, ended_at = excluded.ended_at");
    st.bind(s.job_id, s.node_index, s.index, s.name, s.status);
    if (s.has_exit_code)
      st.bind(static_cast<int64_t>(s.exit_code));
    else
      st.bind_null();
    st.bind(s.started_at, s.ended_at).exec();
  });
}

std::vector<Step> SqliteStore::steps_of_job(const std::string& job_id) {
  std::vector<Step> out;
  reader()
      .stmt(
          "SELECT job_id, idx, name, status, exit_code, started_at, ended_at, node_index FROM "
          "steps WHERE job_id = ? ORDER BY idx, node_index")
      .bind(job_id)
      .each([&](const Row& r) {
        Step s;
        s.job_id = r.text(0);
        s.index = static_cast<int>(r.i64(1));
        s.name = r.text(2);
        s.status = r.text(3);
        s.has_exit_code = !r.is_null(4);
        s.exit_code = s.has_exit_code ? static_cast<int>(r.i64(4)) : 0;
        s.started_at = r.i64(5);
        s.ended_at = r.i64(6);
        s.node_index = static_cast<int>(r.i64(7));
        out.push_back(std::move(s));
      });
  return out;
}

void SqliteStore::delete_steps(const std::string& job_id) {
  write([&](Db& db) { db.stmt("DELETE FROM steps WHERE job_id = ?").bind(job_id).exec(); });
}

void SqliteStore::close_running_steps(const std::string& job_id, const std::string& status,
                                      int64_t now) {
  write([&](Db& db) {
    db.stmt("UPDATE steps SET status = ?, ended_at = ? WHERE job_id = ? AND status = 'running'")
        .bind(status, now, job_id)
        .exec();
  });
}

}  // namespace halo::store
