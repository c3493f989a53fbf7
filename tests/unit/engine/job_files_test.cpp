// The rules of the server side of the job channel (engine::JobFiles), on a real store and
// real blob files, with a manual clock: caps, immutable cache keys, prefix matching,
// retention, and nothing taken under a stale lease.
#include "engine/job_files.h"

#include "engine_fixture.h"

namespace halo::engine::testing {
namespace {

constexpr const char* kOneJob = R"(version: 2.1
jobs:
  build:
    docker: [{image: cimg/base:stable}]
    steps: [{run: echo build}]
workflows:
  main:
    jobs: [build]
)";

class JobFilesTest : public EngineTest {
 protected:
  JobFiles files(JobFilesOptions options = {}) {
    return JobFiles(
        store_, blobs_, [this](const protocol::Lease& l) { return service_.leased_job(l); },
        options, clock_);
  }
  void upload(protocol::Upload& u, const std::string& data) {
    u.write(data);
    u.commit();
  }
  store::BlobFiles blobs_{dir_.path() / "blobs"};
};

TEST_F(JobFilesTest, CacheKeysAreImmutableAndAPrefixFindsTheMostRecent) {
  trigger(kOneJob);
  auto c = claim();
  ASSERT_TRUE(c);
  auto f = files();
  upload(*f.save_cache(c->lease, "deps-v1-aaa"), "first");
  EXPECT_EQ(f.save_cache(c->lease, "deps-v1-aaa"), nullptr);  // exists: not saved again
  clock_.advance(1000);
  upload(*f.save_cache(c->lease, "deps-v1-bbb"), "second");
  auto hit = f.find_cache(c->lease, {"nothing-", "deps-v1-"});
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->key, "deps-v1-bbb");
  auto src = f.open_cache(c->lease, "deps-v1-aaa");
  char buf[16];
  EXPECT_EQ(std::string(buf, src->read(buf, sizeof buf)), "first");
  EXPECT_FALSE(f.find_cache(c->lease, {"other-"}));
}

TEST_F(JobFilesTest, CachesPastTheRetentionPeriodOrTheTotalSizeGoLeastRecentlyUsedFirst) {
  trigger(kOneJob);
  auto c = claim();
  ASSERT_TRUE(c);
  JobFilesOptions o;
  o.cache_retention_ms = 10'000;
  o.cache_max_total_bytes = 10;
  auto f = files(o);
  upload(*f.save_cache(c->lease, "a"), "aaaa");
  clock_.advance(1000);
  upload(*f.save_cache(c->lease, "b"), "bbbb");
  clock_.advance(1000);
  f.open_cache(c->lease, "a");                   // a is now the most recently used
  upload(*f.save_cache(c->lease, "c"), "cccc");  // 12 bytes: the least recently used goes
  EXPECT_TRUE(f.find_cache(c->lease, {"a"}));
  EXPECT_FALSE(f.find_cache(c->lease, {"b"}));
  EXPECT_TRUE(f.find_cache(c->lease, {"c"}));
  clock_.advance(11000);
  EXPECT_EQ(f.evict_caches(), 2);
  EXPECT_FALSE(f.find_cache(c->lease, {"a", "c"}));
}

TEST_F(JobFilesTest, AJobsUploadsAndTestResultsAreCapped) {
  trigger(kOneJob);
  auto c = claim();
  ASSERT_TRUE(c);
  JobFilesOptions o;
  o.job_upload_limit_bytes = 8;
  o.max_test_results_per_job = 3;
  auto f = files(o);
  auto first = f.store_artifact(c->lease, 0, "a.txt");
  first->write("12345");
  first->commit();
  auto second = f.persist_workspace(c->lease);
  EXPECT_THROW(second->write("67890"), protocol::ChannelError);  // 10 bytes in all
  std::vector<protocol::TestCase> two(2);
  f.store_test_results(c->lease, 0, two);
  EXPECT_THROW(f.store_test_results(c->lease, 0, two), protocol::ChannelError);  // 4 in all
  EXPECT_EQ(store_.test_results_of_job(c->lease.job_id, 0, 10).size(), 2u);
}

TEST_F(JobFilesTest, NothingIsTakenUnderAStaleLeaseAndHostilePathsAreRefused) {
  trigger(kOneJob);
  auto c = claim();
  ASSERT_TRUE(c);
  auto f = files();
  EXPECT_THROW(f.store_artifact(c->lease, 0, "../etc/passwd"), protocol::ChannelError);
  EXPECT_THROW(f.store_artifact(c->lease, 0, "/abs"), protocol::ChannelError);
  EXPECT_THROW(f.store_artifact(c->lease, 0, "a//b"), protocol::ChannelError);
  EXPECT_THROW(f.open_workspace_layer(c->lease, "not-upstream"), protocol::ChannelError);
  auto pending = f.save_cache(c->lease, "late");
  pending->write("x");
  ASSERT_TRUE(service_.done(c->lease, protocol::JobOutcome::Success, ""));
  EXPECT_THROW(pending->commit(), protocol::ChannelError);  // the record is not written
  EXPECT_THROW(f.save_cache(c->lease, "later"), protocol::ChannelError);
  EXPECT_TRUE(store_.caches_of_project(project_.id).empty());
}

}  // namespace
}  // namespace halo::engine::testing
