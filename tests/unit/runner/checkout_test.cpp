#include "runner/checkout.h"

#include <gtest/gtest.h>

#include "runner/job_executor.h"
#include "runner_test_util.h"

namespace halo::runner {
namespace {

using namespace testing;
using config::Step;

// A real repository with two commits on main and a tag on the first.
struct Repo {
  TempDir dir;
  std::string first, second;
  Repo() {
    const std::string git = "git -c user.name=t -c user.email=t@example.com ";
    sh("git init -q -b main .", dir.path());
    sh("echo one > a.txt && " + git + "add a.txt && " + git + "commit -qm first", dir.path());
    first = trim(sh("git rev-parse HEAD", dir.path()));
    sh("git tag v1", dir.path());
    sh("echo two > a.txt && " + git + "commit -qam second", dir.path());
    second = trim(sh("git rev-parse HEAD", dir.path()));
  }
};

const char* kInspect = "git rev-parse HEAD; git rev-parse --abbrev-ref HEAD; cat a.txt";

TEST(CheckoutTest, BranchAtSha) {
  Repo repo;
  TempDir tmp;
  JobPayload p = payload_in(tmp.path(), {checkout_step(), run_step(kInspect)});
  p.checkout_url = repo.dir.path().string();
  p.checkout_sha = repo.first;  // not the branch tip
  p.checkout_ref = "main";
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success) << r.output_of(0) << r.output_of(1);
  r.expect_well_ordered(2);
  EXPECT_EQ(r.name_of(0), "Checkout code");
  EXPECT_NE(r.output_of(0).find("Cloning git repository"), std::string::npos) << r.output_of(0);
  EXPECT_EQ(r.output_of(1), repo.first + "\nmain\none\n");
  expect_no_children();
}

TEST(CheckoutTest, TagIsDetached) {
  Repo repo;
  TempDir tmp;
  JobPayload p = payload_in(tmp.path(), {checkout_step(), run_step(kInspect)});
  p.checkout_url = repo.dir.path().string();
  p.checkout_sha = repo.first;
  p.checkout_ref = "v1";
  p.environment["CIRCLE_TAG"] = "v1";
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success) << r.output_of(0);
  EXPECT_EQ(r.output_of(1), repo.first + "\nHEAD\none\n");
  expect_no_children();
}

TEST(CheckoutTest, BranchTipWithoutShaIntoSubdirectory) {
  Repo repo;
  TempDir tmp;
  Step inspect = run_step(kInspect);
  inspect.working_directory = "code";
  JobPayload p = payload_in(tmp.path(), {checkout_step("code"), inspect});
  p.checkout_url = "file://" + repo.dir.path().string();
  p.checkout_ref = "refs/heads/main";
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success) << r.output_of(0);
  EXPECT_EQ(r.output_of(1), repo.second + "\nmain\ntwo\n");
  EXPECT_TRUE(fs::exists(tmp.path() / "home/project/code/.git"));
  expect_no_children();
}

TEST(CheckoutTest, NonEmptyDirectoryThatIsNotARepoFails) {
  Repo repo;
  TempDir tmp;
  JobPayload p = payload_in(tmp.path(), {run_step("touch stray"), checkout_step()});
  p.checkout_url = repo.dir.path().string();
  p.checkout_sha = repo.second;
  p.checkout_ref = "main";
  RecordingReporter r;
  JobExecutor ex(p, r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Failed);
  EXPECT_NE(r.output_of(1).find("not empty and not a git repository"), std::string::npos);
  expect_no_children();
}

TEST(CheckoutTest, ExistingCloneIsFetchedInto) {
  Repo repo;
  TempDir tmp;
  JobPayload p = payload_in(tmp.path(), {checkout_step(), checkout_step(), run_step(kInspect)});
  p.checkout_url = repo.dir.path().string();
  p.checkout_sha = repo.second;
  p.checkout_ref = "main";
  RecordingReporter r;
  JobExecutor ex(p, r);
  ASSERT_EQ(ex.run(), JobOutcome::Success) << r.output_of(1);
  EXPECT_NE(r.output_of(1).find("Fetching into existing repository"), std::string::npos);
  EXPECT_EQ(r.output_of(2), repo.second + "\nmain\ntwo\n");
  expect_no_children();
}

TEST(CheckoutTest, BadUrlFailsTheStep) {
  TempDir tmp;
  JobPayload p = payload_in(tmp.path(), {checkout_step()});
  p.checkout_url = (tmp.path() / "no-such-repo").string();
  p.checkout_ref = "main";
  RecordingReporter r;
  JobExecutor ex(p, r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  EXPECT_EQ(r.result_of(0).status, StepStatus::Failed);
  EXPECT_FALSE(r.output_of(0).empty());
  expect_no_children();
}

TEST(CheckoutTest, ScriptQuotesValues) {
  CheckoutSpec spec;
  spec.url = "/tmp/it's here";
  spec.dest = "/tmp/x";
  std::string script = checkout_script(spec);
  EXPECT_NE(script.find("url='/tmp/it'\\''s here'"), std::string::npos) << script;
}

}  // namespace
}  // namespace halo::runner

TEST(CheckoutScript, UsesTheCheckoutKeyForSshUrls) {
  halo::runner::CheckoutSpec spec;
  spec.url = "git@example.invalid:acme/app.git";
  spec.sha = "0123456789abcdef0123456789abcdef01234567";
  spec.ref = "main";
  spec.dest = "/tmp/x";
  spec.ssh_key = "/home/job/.ssh/id_checkout";
  std::string script = halo::runner::checkout_script(spec);
  EXPECT_NE(script.find("GIT_SSH_COMMAND="), std::string::npos);
  EXPECT_NE(script.find("/home/job/.ssh/id_checkout"), std::string::npos);
  spec.ssh_key.clear();
  EXPECT_EQ(halo::runner::checkout_script(spec).find("GIT_SSH_COMMAND"), std::string::npos);
}
