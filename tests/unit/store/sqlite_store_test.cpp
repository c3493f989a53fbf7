// What is particular to the SQLite store (migrations) and the log store. The behaviour every
// Store promises is in the contract suite, store_contract_test.cpp.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "store/log_store.h"
#include "store/migrations.h"
#include "support/test_env.h"

using namespace halo;
using namespace halo::store;

TEST(SqliteStore, MigrationsAreVersionedAndIdempotent) {
  test::TempDir dir;
  Db db((dir.path() / "m.db").string());
  int v = migrate_sqlite(db);
  EXPECT_GE(v, 1);
  EXPECT_EQ(migrate_sqlite(db), v);
}

TEST(SqliteStore, AReopenedFileHasEverythingCommittedAndNumberingContinues) {
  test::TempDir dir;
  const auto file = dir.path() / "halo.db";
  std::string project_id;
  {
    SqliteStore store(file);
    Org org = store.ensure_org("github", "acme");
    Project p;
    p.id = project_id = "p1";
    p.org_id = org.id;
    p.slug = "gh/acme/app";
    p.name = "app";
    p.vcs_url = "file:///x";
    p.default_branch = "main";
    ASSERT_TRUE(store.create_project(p));
    EXPECT_EQ(store.reserve_pipeline_number(p.id), 1);
  }
  SqliteStore reopened(file);
  EXPECT_EQ(reopened.project_by_slug("gh/acme/app")->id, project_id);
  EXPECT_EQ(reopened.reserve_pipeline_number(project_id), 2);
}

TEST(LogStore, RecordsKeepTimestampsAndATornTailIsIgnored) {
  test::TempDir dir;
  LogStore logs(dir.path());
  {
    LogWriter w(logs, "job", 2);
    w.append(1000, "hello ");
    w.append(2000, "world\n");
  }
  std::vector<LogRecord> recs;
  uint64_t off = logs.read("job", 2, 0, 1 << 20, recs);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].time_ms, 1000);
  EXPECT_EQ(recs[1].data, "world\n");
  // A torn record (header promising more bytes than exist) is not returned.
  {
    FILE* fp = fopen(logs.path("job", 2).c_str(), "ab");
    const char torn[] = {1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 'x'};
    fwrite(torn, 1, sizeof torn, fp);
    fclose(fp);
  }
  recs.clear();
  EXPECT_EQ(logs.read("job", 2, off, 1 << 20, recs), off);
  EXPECT_TRUE(recs.empty());
  // Reading by offset continues where the last read ended; budgets bound a read.
  recs.clear();
  logs.read("job", 2, 0, 3, recs);
  EXPECT_EQ(recs.size(), 1u);
}

TEST(LogStore, WaitWakesOnAppend) {
  test::TempDir dir;
  LogStore logs(dir.path());
  uint64_t g = logs.generation();
  std::thread t([&] {
    LogWriter w(logs, "job", 0);
    w.append(1, "x");
  });
  auto start = std::chrono::steady_clock::now();
  logs.wait(g, std::chrono::seconds(5));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  t.join();
}
