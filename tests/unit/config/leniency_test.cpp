// Configs CircleCI runs that go beyond the letter of its schema (issue #10): each leniency is
// accepted (ignored keys with a warning), compiles to what CircleCI makes of it, and `process`
// stays a fixed point.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::only_job;

TEST(Leniency, ABareNumberNoOutputTimeoutIsSeconds) {
  auto r = compile_text(R"(version: 2.1
jobs:
  build:
    docker: [{image: a}]
    steps:
      - run: {command: make, no_output_timeout: 1800}
)");
  ASSERT_TRUE(r.ok()) << testing::all_errors(r);
  EXPECT_EQ(only_job(*r.plan).steps[0].no_output_timeout_ms, 30 * 60 * 1000);
  testing::expect_fixed_point(r);
}

}  // namespace
}  // namespace halo::config
