// Built-in steps the compiler keeps but this runner cannot perform yet fail the job with a
// clear message instead of passing silently.
#include <gtest/gtest.h>

#include "runner/job_executor.h"
#include "runner_test_util.h"

namespace halo::runner {
namespace {

using namespace testing;
using config::Step;

TEST(UnsupportedSteps, AnUnsupportedStepFailsWithAClearMessageAndOnFailStepsStillRun) {
  TempDir tmp;
  Step cache;
  cache.kind = Step::Kind::SetupRemoteDocker;
  cache.name = "Setup a remote Docker engine";
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("echo before"), cache, run_step("echo after"),
                                         run_step("echo cleanup", "always")}),
                 r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  r.expect_well_ordered(4);
  EXPECT_EQ(r.result_of(0).status, StepStatus::Success);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Failed);
  EXPECT_EQ(r.output_of(1), "step setup_remote_docker is not supported by this runner yet\n");
  EXPECT_EQ(r.result_of(2).status, StepStatus::Skipped);
  EXPECT_EQ(r.output_of(3), "cleanup\n");
}

TEST(UnsupportedSteps, FileStepsWithoutAServerFailSayingSo) {
  TempDir tmp;
  Step persist;
  persist.kind = Step::Kind::PersistToWorkspace;
  persist.name = "Persisting to Workspace";
  persist.params = {{"root", "."}, {"paths", {"out.txt"}}};
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("echo hi > out.txt"), persist}), r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Failed);
  EXPECT_NE(r.output_of(1).find("no connection to a server"), std::string::npos) << r.output_of(1);
}

}  // namespace
}  // namespace halo::runner
