// The SQLite store against a real database file.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/crypto.h"
#include "common/time.h"
#include "store/log_store.h"
#include "store/migrations.h"
#include "support/test_env.h"

using namespace halo;
using namespace halo::store;

namespace {

struct Fixture {
  test::TempDir dir;
  SqliteStore store{dir.path() / "halo.db"};
  User user = store.create_user("alice", "Alice", false);
  Org org = store.ensure_org("github", "acme");
  Project project = [&] {
    Project p;
    p.id = uuid_v4();
    p.org_id = org.id;
    p.slug = "gh/acme/app";
    p.org_name = "acme";
    p.name = "app";
    p.vcs_url = "file:///tmp/x";
    p.default_branch = "main";
    p.created_at = now_ms();
    return *store.create_project(p);
  }();

  Pipeline pipeline(const std::string& branch = "main") {
    Pipeline p;
    p.id = uuid_v4();
    p.project_id = project.id;
    p.number = store.reserve_pipeline_number(project.id);
    p.state = "created";
    p.created_at = p.updated_at = now_ms();
    p.trigger_type = "api";
    p.actor_id = user.id;
    p.branch = branch;
    std::vector<Workflow> w;
    std::vector<Job> j;
    store.create_pipeline(p, w, j);
    return p;
  }
};

}  // namespace

TEST(SqliteStore, MigrationsAreVersionedAndIdempotent) {
  test::TempDir dir;
  Db db((dir.path() / "m.db").string());
  int v = migrate_sqlite(db);
  EXPECT_GE(v, 1);
  EXPECT_EQ(migrate_sqlite(db), v);
}

TEST(SqliteStore, TokensAreFoundByTheirHashOnly) {
  Fixture f;
  f.store.add_token(f.user.id, sha256_hex("secret-token"), "test");
  EXPECT_EQ(f.store.user_by_token(sha256_hex("secret-token"))->login, "alice");
  EXPECT_FALSE(f.store.user_by_token(sha256_hex("other")));
  EXPECT_FALSE(f.store.user_by_token("secret-token"));
}

TEST(SqliteStore, ProjectSlugsAreUnique) {
  Fixture f;
  Project dup = f.project;
  dup.id = uuid_v4();
  EXPECT_FALSE(f.store.create_project(dup));
  EXPECT_EQ(f.store.project_by_slug("gh/acme/app")->id, f.project.id);
}

TEST(SqliteStore, PipelineNumbersArePerProjectAndConcurrentReservationsNeverCollide) {
  Fixture f;
  std::vector<std::thread> threads;
  std::vector<int64_t> numbers(40);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) numbers[t * 10 + i] = f.store.reserve_pipeline_number(f.project.id);
    });
  for (auto& t : threads) t.join();
  std::sort(numbers.begin(), numbers.end());
  for (int i = 0; i < 40; ++i) EXPECT_EQ(numbers[i], i + 1);
}

TEST(SqliteStore, ListingIsNewestFirstAndPagesAreStableUnderInserts) {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.pipeline(i % 2 ? "dev" : "main");
  PipelineFilter all;
  all.project_id = f.project.id;
  auto page1 = f.store.list_pipelines(all, std::nullopt, 2);
  ASSERT_EQ(page1.items.size(), 2u);
  EXPECT_EQ(page1.items[0].number, 5);
  ASSERT_TRUE(page1.next_seq);
  f.pipeline();
  auto page2 = f.store.list_pipelines(all, page1.next_seq, 2);
  EXPECT_EQ(page2.items[0].number, 3);
  PipelineFilter dev = all;
  dev.branch = "dev";
  EXPECT_EQ(f.store.list_pipelines(dev, std::nullopt, 10).items.size(), 2u);
}

TEST(SqliteStore, UpdateWorkflowWritesChangesAtomicallyAndNumbersQueuedJobs) {
  Fixture f;
  Pipeline p;
  p.id = uuid_v4();
  p.project_id = f.project.id;
  p.number = f.store.reserve_pipeline_number(f.project.id);
  p.state = "created";
  p.created_at = p.updated_at = now_ms();
  p.actor_id = f.user.id;
  p.trigger_type = "api";
  Workflow w;
  w.id = uuid_v4();
  w.pipeline_id = p.id;
  w.project_id = f.project.id;
  w.name = "w";
  w.status = "running";
  w.created_at = now_ms();
  w.started_by = f.user.id;
  std::vector<Workflow> ws{w};
  std::vector<Job> js;
  for (int i = 0; i < 2; ++i) {
    Job j;
    j.id = uuid_v4();
    j.workflow_id = w.id;
    j.pipeline_id = p.id;
    j.project_id = f.project.id;
    j.name = "j" + std::to_string(i);
    j.type = "build";
    j.status = i == 0 ? "queued" : "blocked";
    j.position = i;
    j.created_at = now_ms();
    js.push_back(j);
  }
  f.store.create_pipeline(p, ws, js);
  EXPECT_EQ(js[0].number, 1);
  EXPECT_EQ(js[1].number, 0);
  EXPECT_TRUE(f.store.claim_job(js[0].id, now_ms()));
  EXPECT_FALSE(f.store.claim_job(js[0].id, now_ms())) << "a job is claimed once";

  auto st = f.store.update_workflow(w.id, [](WorkflowState& s) {
    s.jobs[0].status = "success";
    s.jobs[1].status = "queued";
  });
  ASSERT_TRUE(st);
  EXPECT_EQ(st->jobs[1].number, 2);
  EXPECT_EQ(f.store.job_by_number(f.project.id, 2)->name, "j1");

  // An exception inside the change rolls everything back.
  EXPECT_THROW(f.store.update_workflow(w.id,
                                       [](WorkflowState& s) {
                                         s.workflow.status = "failed";
                                         throw std::runtime_error("boom");
                                       }),
               std::runtime_error);
  EXPECT_EQ(f.store.workflow_by_id(w.id)->status, "running");
  EXPECT_FALSE(f.store.update_workflow("nope", [](WorkflowState&) {}));
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
