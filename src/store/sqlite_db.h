// A tiny typed wrapper over one SQLite connection: prepared statements are cached per
// connection and bound by position, so SQL stays visible and binding stays safe.
//   db.stmt("SELECT name FROM users WHERE id = ?").bind(id).each([](Row& r) { r.text(0); });
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace halo::store {

class Row {
 public:
  explicit Row(sqlite3_stmt* s) : s_(s) {}
  std::string text(int col) const;
  int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
  double real(int col) const { return sqlite3_column_double(s_, col); }
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* s_;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~Statement() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(std::string_view v);
  Statement& bind(const std::string& v) { return bind(std::string_view(v)); }
  Statement& bind(const char* v) { return bind(std::string_view(v)); }
  Statement& bind(int64_t v);
  Statement& bind(int v) { return bind(static_cast<int64_t>(v)); }
  Statement& bind(bool v) { return bind(static_cast<int64_t>(v ? 1 : 0)); }
  Statement& bind(double v);
  Statement& bind_null();
  Statement& bind_blob(std::string_view v);
  template <typename T, typename... Rest>
  Statement& bind(const T& first, const Rest&... rest) {
    bind(first);
    return bind(rest...);
  }

  // Runs to completion; returns the number of rows changed.
  int exec();
  // Calls fn for each result row.
  void each(const std::function<void(const Row&)>& fn);
  // Calls fn for the first row only; returns whether there was one.
  bool first(const std::function<void(const Row&)>& fn);

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
  int next_ = 1;
};

class Db {
 public:
  explicit Db(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // A cached prepared statement for this SQL text.
  Statement stmt(const char* sql);
  void exec_script(const char* sql);
  sqlite3* raw() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string_view, sqlite3_stmt*> cache_;
};

// Throws std::runtime_error with SQLite's message.
[[noreturn]] void throw_sqlite(sqlite3* db, const char* what);

}  // namespace halo::store
