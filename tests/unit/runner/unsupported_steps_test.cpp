// Built-in steps the compiler keeps but this runner cannot perform yet fail the job with a
// clear message instead of passing silently.
#include <gtest/gtest.h>

#include "runner/job_executor.h"
#include "runner_test_util.h"

namespace halo::runner {
namespace {

using namespace testing;
using config::Step;

TEST(UnsupportedSteps, ACacheStepFailsWithAClearMessageAndOnFailStepsStillRun) {
  TempDir tmp;
  Step cache;
  cache.kind = Step::Kind::SaveCache;
  cache.name = "Saving cache";
  cache.params = {{"key", "deps-v1"}, {"paths", {"node_modules"}}};
  RecordingReporter r;
  JobExecutor ex(payload_in(tmp.path(), {run_step("echo before"), cache, run_step("echo after"),
                                         run_step("echo cleanup", "always")}),
                 r);
  EXPECT_EQ(ex.run(), JobOutcome::Failed);
  r.expect_well_ordered(4);
  EXPECT_EQ(r.result_of(0).status, StepStatus::Success);
  EXPECT_EQ(r.result_of(1).status, StepStatus::Failed);
  EXPECT_EQ(r.output_of(1), "step save_cache is not supported by this runner yet\n");
  EXPECT_EQ(r.result_of(2).status, StepStatus::Skipped);
  EXPECT_EQ(r.output_of(3), "cleanup\n");
}

}  // namespace
}  // namespace halo::runner
