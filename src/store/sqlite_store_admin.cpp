// SqliteStore: project administration, contexts, secrets-bearing variables, checkout keys,
// webhooks and the outbox. (Pipelines, workflows and jobs are in sqlite_store.cpp.)
#include "common/crypto.h"
#include "common/time.h"
#include "store/sqlite_store.h"

namespace halo::store {

namespace {

std::string blob(const Row& r, int col) {
  return r.text(col);
}

Context read_context(const Row& r) {
  return Context{r.text(0), r.text(1), r.text(2), r.i64(3)};
}

EnvVar read_env(const Row& r) {
  return EnvVar{r.text(0), blob(r, 1), r.i64(2), r.i64(3)};
}

Webhook read_webhook(const Row& r) {
  Webhook w;
  w.id = r.text(0);
  w.project_id = r.text(1);
  w.name = r.text(2);
  w.url = r.text(3);
  w.verify_tls = r.i64(4) != 0;
  w.secret_sealed = blob(r, 5);
  w.events = json::parse(r.text(6));
  w.created_at = r.i64(7);
  w.updated_at = r.i64(8);
  return w;
}

#define WEBHOOK_COLS                                                                           \
  "id, project_id, name, url, verify_tls, secret_sealed, events, created_at, updated_at FROM " \
  "webhooks "

#define OUTBOX_COLS                                                                             \
  "seq, id, kind, target_id, event_type, body, created_at, next_attempt_at, attempts, status, " \
  "last_error FROM outbox "
OutboxEvent read_event(const Row& r) {
  OutboxEvent e;
  e.seq = r.i64(0);
  e.id = r.text(1);
  e.kind = r.text(2);
  e.target_id = r.text(3);
  e.event_type = r.text(4);
  e.body = r.text(5);
  e.created_at = r.i64(6);
  e.next_attempt_at = r.i64(7);
  e.attempts = static_cast<int>(r.i64(8));
  e.status = r.text(9);
  e.last_error = r.text(10);
  return e;
}

}  // namespace

// ---- projects --------------------------------------------------------------------------

bool SqliteStore::delete_project(const std::string& project_id) {
  return write([&](Db& db) {
    // Children first: the schema's foreign keys do not cascade from pipelines.
    db.stmt("DELETE FROM steps WHERE job_id IN (SELECT id FROM jobs WHERE project_id = ?)")
        .bind(project_id)
        .exec();
    db.stmt("DELETE FROM jobs WHERE project_id = ?").bind(project_id).exec();
    db.stmt("DELETE FROM workflows WHERE project_id = ?").bind(project_id).exec();
    db.stmt("DELETE FROM pipelines WHERE project_id = ?").bind(project_id).exec();
    return db.stmt("DELETE FROM projects WHERE id = ?").bind(project_id).exec() > 0;
  });
}

json SqliteStore::project_settings(const std::string& project_id) {
  json out = json::object();
  reader()
      .stmt("SELECT settings FROM project_settings WHERE project_id = ?")
      .bind(project_id)
      .first([&](const Row& r) { out = json::parse(r.text(0)); });
  return out;
}

void SqliteStore::set_project_settings(const std::string& project_id, const json& settings) {
  write([&](Db& db) {
    db.stmt(
          "INSERT INTO project_settings (project_id, settings) VALUES (?, ?) ON CONFLICT "
          "(project_id) DO UPDATE SET settings = excluded.settings")
        .bind(project_id, settings.dump())
        .exec();
  });
}

// ---- contexts --------------------------------------------------------------------------

std::optional<Context> SqliteStore::create_context(const std::string& org_id,
                                                   const std::string& name) {
  return write([&](Db& db) -> std::optional<Context> {
    if (db.stmt("SELECT 1 FROM contexts WHERE org_id = ? AND name = ?")
            .bind(org_id, name)
            .first([](const Row&) {}))
      return std::nullopt;
    Context c{uuid_v4(), org_id, name, now_ms()};
    db.stmt("INSERT INTO contexts (id, org_id, name, created_at) VALUES (?,?,?,?)")
        .bind(c.id, c.org_id, c.name, c.created_at)
        .exec();
    return c;
  });
}

std::optional<Context> SqliteStore::context_by_id(const std::string& id) {
  std::optional<Context> c;
  reader()
      .stmt("SELECT id, org_id, name, created_at FROM contexts WHERE id = ?")
      .bind(id)
      .first([&](const Row& r) { c = read_context(r); });
  return c;
}

std::optional<Context> SqliteStore::context_by_name(const std::string& org_id,
                                                    const std::string& name) {
  std::optional<Context> c;
  reader()
      .stmt("SELECT id, org_id, name, created_at FROM contexts WHERE org_id = ? AND name = ?")
      .bind(org_id, name)
      .first([&](const Row& r) { c = read_context(r); });
  return c;
}

std::vector<Context> SqliteStore::contexts_of_org(const std::string& org_id) {
  std::vector<Context> out;
  reader()
      .stmt("SELECT id, org_id, name, created_at FROM contexts WHERE org_id = ? ORDER BY name")
      .bind(org_id)
      .each([&](const Row& r) { out.push_back(read_context(r)); });
  return out;
}

bool SqliteStore::delete_context(const std::string& id) {
  return write(
      [&](Db& db) { return db.stmt("DELETE FROM contexts WHERE id = ?").bind(id).exec() > 0; });
}

EnvVar SqliteStore::put_context_env(const std::string& context_id, const std::string& name,
                                    const std::string& sealed) {
  return write([&](Db& db) {
    int64_t now = now_ms();
    EnvVar v;
    db.stmt(
          "INSERT INTO context_env (context_id, name, sealed, created_at, updated_at) VALUES "
          "(?,?,?,?,?) ON CONFLICT (context_id, name) DO UPDATE SET sealed = excluded.sealed, "
          "updated_at = excluded.updated_at RETURNING name, sealed, created_at, updated_at")
        .bind(context_id, name)
        .bind_blob(sealed)
        .bind(now, now)
        .first([&](const Row& r) { v = read_env(r); });
    return v;
  });
}

std::vector<EnvVar> SqliteStore::context_env(const std::string& context_id) {
  std::vector<EnvVar> out;
  reader()
      .stmt(
          "SELECT name, sealed, created_at, updated_at FROM context_env WHERE context_id = ? "
          "ORDER BY name")
      .bind(context_id)
      .each([&](const Row& r) { out.push_back(read_env(r)); });
  return out;
}

bool SqliteStore::delete_context_env(const std::string& context_id, const std::string& name) {
  return write([&](Db& db) {
    return db.stmt("DELETE FROM context_env WHERE context_id = ? AND name = ?")
               .bind(context_id, name)
               .exec() > 0;
  });
}

void SqliteStore::add_restriction(const ContextRestriction& r) {
  write([&](Db& db) {
    db.stmt(
          "INSERT INTO context_restrictions (id, context_id, type, value, name, created_at) "
          "VALUES (?,?,?,?,?,?)")
        .bind(r.id, r.context_id, r.type, r.value, r.name, r.created_at)
        .exec();
  });
}

std::vector<ContextRestriction> SqliteStore::restrictions(const std::string& context_id) {
  std::vector<ContextRestriction> out;
  reader()
      .stmt(
          "SELECT id, context_id, type, value, name, created_at FROM context_restrictions "
          "WHERE context_id = ? ORDER BY created_at")
      .bind(context_id)
      .each([&](const Row& r) {
        out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.i64(5)});
      });
  return out;
}

bool SqliteStore::delete_restriction(const std::string& context_id, const std::string& id) {
  return write([&](Db& db) {
    return db.stmt("DELETE FROM context_restrictions WHERE context_id = ? AND id = ?")
               .bind(context_id, id)
               .exec() > 0;
  });
}

// ---- project variables and keys --------------------------------------------------------

EnvVar SqliteStore::put_project_env(const std::string& project_id, const std::string& name,
                                    const std::string& sealed) {
  return write([&](Db& db) {
    int64_t now = now_ms();
    db.stmt(
          "INSERT INTO project_env (project_id, name, sealed, created_at) VALUES (?,?,?,?) "
          "ON CONFLICT (project_id, name) DO UPDATE SET sealed = excluded.sealed, created_at = "
          "excluded.created_at")
        .bind(project_id, name)
        .bind_blob(sealed)
        .bind(now)
        .exec();
    return EnvVar{name, sealed, now, now};
  });
}

std::vector<EnvVar> SqliteStore::project_env(const std::string& project_id) {
  std::vector<EnvVar> out;
  reader()
      .stmt(
          "SELECT name, sealed, created_at, created_at FROM project_env WHERE project_id = ? "
          "ORDER BY name")
      .bind(project_id)
      .each([&](const Row& r) { out.push_back(read_env(r)); });
  return out;
}

bool SqliteStore::delete_project_env(const std::string& project_id, const std::string& name) {
  return write([&](Db& db) {
    return db.stmt("DELETE FROM project_env WHERE project_id = ? AND name = ?")
               .bind(project_id, name)
               .exec() > 0;
  });
}

void SqliteStore::add_checkout_key(const CheckoutKey& k) {
  write([&](Db& db) {
    if (k.preferred)  // one preferred key per project
      db.stmt("UPDATE checkout_keys SET preferred = 0 WHERE project_id = ?")
          .bind(k.project_id)
          .exec();
    db.stmt(
          "INSERT INTO checkout_keys (project_id, fingerprint, type, public_key, private_sealed, "
          "preferred, created_at) VALUES (?,?,?,?,?,?,?)")
        .bind(k.project_id, k.fingerprint, k.type, k.public_key)
        .bind_blob(k.private_sealed)
        .bind(k.preferred, k.created_at)
        .exec();
  });
}

std::vector<CheckoutKey> SqliteStore::checkout_keys(const std::string& project_id) {
  std::vector<CheckoutKey> out;
  reader()
      .stmt(
          "SELECT project_id, fingerprint, type, public_key, private_sealed, preferred, "
          "created_at FROM checkout_keys WHERE project_id = ? ORDER BY created_at")
      .bind(project_id)
      .each([&](const Row& r) {
        out.push_back(
            {r.text(0), r.text(1), r.text(2), r.text(3), blob(r, 4), r.i64(5) != 0, r.i64(6)});
      });
  return out;
}

bool SqliteStore::delete_checkout_key(const std::string& project_id,
                                      const std::string& fingerprint) {
  return write([&](Db& db) {
    return db.stmt("DELETE FROM checkout_keys WHERE project_id = ? AND fingerprint = ?")
               .bind(project_id, fingerprint)
               .exec() > 0;
  });
}

// ---- webhooks and outbox ---------------------------------------------------------------

bool SqliteStore::create_webhook(const Webhook& w, int max_per_project) {
  return write([&](Db& db) {
    // Counted inside the write transaction, so concurrent creates cannot exceed the limit.
    int64_t count = 0;
    db.stmt("SELECT COUNT(*) FROM webhooks WHERE project_id = ?")
        .bind(w.project_id)
        .first([&](const Row& r) { count = r.i64(0); });
    if (count >= max_per_project) return false;
    db.stmt(
          "INSERT INTO webhooks (id, project_id, name, url, verify_tls, secret_sealed, events, "
          "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)")
        .bind(w.id, w.project_id, w.name, w.url, w.verify_tls)
        .bind_blob(w.secret_sealed)
        .bind(w.events.dump(), w.created_at, w.updated_at)
        .exec();
    return true;
  });
}

void SqliteStore::update_webhook(const Webhook& w) {
  write([&](Db& db) {
    db.stmt(
          "UPDATE webhooks SET name = ?, url = ?, verify_tls = ?, secret_sealed = ?, events = ?, "
          "updated_at = ? WHERE id = ?")
        .bind(w.name, w.url, w.verify_tls)
        .bind_blob(w.secret_sealed)
        .bind(w.events.dump(), w.updated_at, w.id)
        .exec();
  });
}

std::optional<Webhook> SqliteStore::webhook_by_id(const std::string& id) {
  std::optional<Webhook> w;
  reader().stmt("SELECT " WEBHOOK_COLS "WHERE id = ?").bind(id).first([&](const Row& r) {
    w = read_webhook(r);
  });
  return w;
}

std::vector<Webhook> SqliteStore::webhooks_of_project(const std::string& project_id) {
  std::vector<Webhook> out;
  reader()
      .stmt("SELECT " WEBHOOK_COLS "WHERE project_id = ? ORDER BY created_at")
      .bind(project_id)
      .each([&](const Row& r) { out.push_back(read_webhook(r)); });
  return out;
}

bool SqliteStore::delete_webhook(const std::string& id) {
  return write(
      [&](Db& db) { return db.stmt("DELETE FROM webhooks WHERE id = ?").bind(id).exec() > 0; });
}

OrgSettings SqliteStore::org_settings(const std::string& org_id) {
  OrgSettings s;
  s.org_id = org_id;
  reader()
      .stmt("SELECT cirrus_url, cirrus_secret_sealed FROM org_settings WHERE org_id = ?")
      .bind(org_id)
      .first([&](const Row& r) {
        s.cirrus_url = r.text(0);
        s.cirrus_secret_sealed = blob(r, 1);
      });
  return s;
}

void SqliteStore::set_org_settings(const OrgSettings& s) {
  write([&](Db& db) {
    db.stmt(
          "INSERT INTO org_settings (org_id, cirrus_url, cirrus_secret_sealed) VALUES (?,?,?) "
          "ON CONFLICT (org_id) DO UPDATE SET cirrus_url = excluded.cirrus_url, "
          "cirrus_secret_sealed = excluded.cirrus_secret_sealed")
        .bind(s.org_id, s.cirrus_url)
        .bind_blob(s.cirrus_secret_sealed)
        .exec();
  });
}

void SqliteStore::insert_event(Db& db, const OutboxEvent& e) {
  db.stmt(
        "INSERT INTO outbox (id, kind, target_id, event_type, body, created_at, "
        "next_attempt_at) VALUES (?,?,?,?,?,?,?)")
      .bind(e.id, e.kind, e.target_id, e.event_type, e.body, e.created_at, e.next_attempt_at)
      .exec();
}

void SqliteStore::insert_events(const std::vector<OutboxEvent>& events) {
  if (events.empty()) return;
  write([&](Db& db) {
    for (const auto& e : events) insert_event(db, e);
  });
}

std::vector<OutboxEvent> SqliteStore::due_events(int64_t now, int limit) {
  std::vector<OutboxEvent> out;
  reader()
      .stmt("SELECT " OUTBOX_COLS
            "WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY "
            "next_attempt_at, seq LIMIT ?")
      .bind(now, static_cast<int64_t>(limit))
      .each([&](const Row& r) { out.push_back(read_event(r)); });
  return out;
}

std::optional<int64_t> SqliteStore::next_event_due() {
  std::optional<int64_t> t;
  reader()
      .stmt("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'")
      .first([&](const Row& r) {
        if (!r.is_null(0)) t = r.i64(0);
      });
  return t;
}

void SqliteStore::record_delivery(const Delivery& d, const std::string& status,
                                  int64_t next_attempt_at) {
  write([&](Db& db) {
    db.stmt(
          "INSERT INTO deliveries (event_seq, attempted_at, status_code, error, duration_ms) "
          "VALUES (?,?,?,?,?)")
        .bind(d.event_seq, d.attempted_at, static_cast<int64_t>(d.status_code), d.error,
              d.duration_ms)
        .exec();
    db.stmt(
          "UPDATE outbox SET attempts = attempts + 1, status = ?, next_attempt_at = ?, "
          "last_error = ? WHERE seq = ?")
        .bind(status, next_attempt_at, d.error, d.event_seq)
        .exec();
  });
}

std::vector<Delivery> SqliteStore::deliveries_of(int64_t event_seq) {
  std::vector<Delivery> out;
  reader()
      .stmt(
          "SELECT event_seq, attempted_at, status_code, error, duration_ms FROM deliveries "
          "WHERE event_seq = ? ORDER BY attempted_at")
      .bind(event_seq)
      .each([&](const Row& r) {
        out.push_back({r.i64(0), r.i64(1), static_cast<int>(r.i64(2)), r.text(3), r.i64(4)});
      });
  return out;
}

std::vector<OutboxEvent> SqliteStore::events_for_target(const std::string& target_id) {
  std::vector<OutboxEvent> out;
  reader()
      .stmt("SELECT " OUTBOX_COLS "WHERE target_id = ? ORDER BY seq")
      .bind(target_id)
      .each([&](const Row& r) { out.push_back(read_event(r)); });
  return out;
}

bool SqliteStore::add_ssh_key(const SshKey& k) {
  return write([&](Db& db) {
    return db.stmt(
                 "INSERT INTO ssh_keys (project_id, fingerprint, hostname, public_key, "
                 "private_sealed, created_at) VALUES (?,?,?,?,?,?) "
                 "ON CONFLICT (project_id, fingerprint, hostname) DO NOTHING")
               .bind(k.project_id, k.fingerprint, k.hostname, k.public_key, k.private_sealed,
                     k.created_at)
               .exec() > 0;
  });
}

std::vector<SshKey> SqliteStore::ssh_keys(const std::string& project_id) {
  std::vector<SshKey> out;
  reader()
      .stmt(
          "SELECT project_id, fingerprint, hostname, public_key, private_sealed, created_at "
          "FROM ssh_keys WHERE project_id = ? ORDER BY created_at, rowid")
      .bind(project_id)
      .each([&](const Row& r) {
        out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.i64(5)});
      });
  return out;
}

bool SqliteStore::delete_ssh_key(const std::string& project_id, const std::string& fingerprint,
                                 const std::string& hostname) {
  return write([&](Db& db) {
    return db.stmt("DELETE FROM ssh_keys WHERE project_id = ? AND fingerprint = ? AND hostname = ?")
               .bind(project_id, fingerprint, hostname)
               .exec() > 0;
  });
}

}  // namespace halo::store
