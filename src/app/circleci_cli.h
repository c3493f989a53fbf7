// The `circleci` and `circleci-agent` commands inside jobs (the runner puts links named so
// to the halo binary on every job's PATH): `circleci tests glob|split|run` and
// `circleci-agent step halt`, as CircleCI documents them. What they need from the runner
// comes through the environment: CIRCLE_NODE_INDEX/TOTAL, CIRCLE_INTERNAL_TEST_TIMINGS (a JSON file
// of earlier results of this job) and CIRCLE_INTERNAL_HALT_FILE (the file whose presence halts the
// job).
#pragma once

namespace halo::app {

// Runs the command named by argv[0] ("circleci" or "circleci-agent"); returns the exit code.
int circleci_cli(int argc, char** argv);

}  // namespace halo::app
