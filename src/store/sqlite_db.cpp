#include "store/sqlite_db.h"

#include <stdexcept>

namespace halo::store {

void throw_sqlite(sqlite3* db, const char* what) {
  throw std::runtime_error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db));
}

std::string Row::text(int col) const {
  const unsigned char* t = sqlite3_column_text(s_, col);
  if (!t) return {};
  return std::string(reinterpret_cast<const char*>(t),
                     static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}

Statement& Statement::bind(std::string_view v) {
  if (sqlite3_bind_text(s_, next_++, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    throw_sqlite(db_, "bind");
  return *this;
}

Statement& Statement::bind(int64_t v) {
  if (sqlite3_bind_int64(s_, next_++, v) != SQLITE_OK) throw_sqlite(db_, "bind");
  return *this;
}

Statement& Statement::bind(double v) {
  if (sqlite3_bind_double(s_, next_++, v) != SQLITE_OK) throw_sqlite(db_, "bind");
  return *this;
}

Statement& Statement::bind_blob(std::string_view v) {
  if (sqlite3_bind_blob(s_, next_++, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    throw_sqlite(db_, "bind");
  return *this;
}

Statement& Statement::bind_null() {
  if (sqlite3_bind_null(s_, next_++) != SQLITE_OK) throw_sqlite(db_, "bind");
  return *this;
}

int Statement::exec() {
  int rc;
  while ((rc = sqlite3_step(s_)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) throw_sqlite(db_, "step");
  return sqlite3_changes(db_);
}

void Statement::each(const std::function<void(const Row&)>& fn) {
  int rc;
  Row row(s_);
  while ((rc = sqlite3_step(s_)) == SQLITE_ROW) fn(row);
  if (rc != SQLITE_DONE) throw_sqlite(db_, "step");
}

bool Statement::first(const std::function<void(const Row&)>& fn) {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) {
    fn(Row(s_));
    return true;
  }
  if (rc != SQLITE_DONE) throw_sqlite(db_, "step");
  return false;
}

Db::Db(const std::string& path) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("sqlite: cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
  exec_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
}

Db::~Db() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  sqlite3_close(db_);
}

Statement Db::stmt(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      throw_sqlite(db_, sql);
    it = cache_.emplace(std::string_view(sql), s).first;
  }
  return Statement(db_, it->second);
}

void Db::exec_script(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + msg);
  }
}

}  // namespace halo::store
