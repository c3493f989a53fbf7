// The corpus of real configs in shared/configs: every one validates, and `process` is a fixed
// point on each. Registry orbs come from shared/orbs, packed into a temporary orb directory
// the way `halo orb pack` packs them. The few configs that cannot validate are listed below
// with the reason and the error they must fail with (and only that error).
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "config/orb_pack.h"
#include "config_test_util.h"

namespace halo::config {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Packs every orb of shared/orbs into DIR/<ns>/<name>.yml (any version resolves to it).
fs::path packed_orb_dir() {
  static const fs::path dir = [] {
    fs::path out = fs::temp_directory_path() / ("halo-corpus-orbs-" + std::to_string(getpid()));
    fs::path src = fs::path(HALO_SHARED_DIR) / "orbs";
    for (const auto& ns : fs::directory_iterator(src)) {
      if (!ns.is_directory()) continue;
      for (const auto& orb : fs::directory_iterator(ns.path())) {
        auto packed = pack_orb((orb.path() / "src").string());
        EXPECT_TRUE(packed.ok()) << orb.path() << ": "
                                 << (packed.errors.empty() ? "" : packed.errors.front());
        fs::create_directories(out / ns.path().filename());
        std::ofstream(out / ns.path().filename() / (orb.path().filename().string() + ".yml"))
            << packed.yaml;
      }
    }
    return out;
  }();
  return dir;
}

// Configs that cannot validate here, the reason, and fragments of the only errors they may
// report (every error must contain one of them, and each fragment must occur).
struct Expected {
  std::string reason;
  std::vector<std::string> errors;
};
const std::map<std::string, Expected>& expected_failures() {
  static const std::map<std::string, Expected> m{
      {"CircleCI-Public__cimg-android.yml",
       {"orb missing from shared/orbs", {"orb circleci/cimg@0.6.5 cannot be resolved"}}},
      {"CircleCI-Public__circleci-config-sdk-ts.yml",
       {"pins codecov/codecov@3.2 and circleci/node@4.7, whose interfaces differ from the copies "
        "(5.4.3, 7.2.1)",
        {"Unexpected argument(s): file (for command codecov/upload of orb codecov/codecov@3.2",
         "Unexpected argument(s): version (for job node/test of orb circleci/node@4.7"}}},
      {"CircleCI-Public__circleci-config.yml",
       {"orb missing from shared/orbs", {"orb snyk/snyk@2.2.0 cannot be resolved"}}},
      {"CircleCI-Public__node-orb.yml",
       {"orb missing from shared/orbs", {"orb circleci/orb-tools@12.0 cannot be resolved"}}},
      {"DataDog__dd-trace-php.yml",
       {"circleci/path-filtering imports circleci/jq, missing from shared/orbs",
        {"orb circleci/jq@3.0.2 (imported by orb circleci/path-filtering@0.1.5"}}},
      {"LBHackney-IT__housing-search-api.yml",
       {"orb missing from shared/orbs",
        {"orb lbh-hackit/aws_assume_role@0.1.0 cannot be resolved"}}},
      {"PennLINC__qsiprep.yml",
       {"circleci/path-filtering imports circleci/jq, missing from shared/orbs",
        {"orb circleci/jq@3.0.2 (imported by orb circleci/path-filtering@2"}}},
      {"PrefectHQ__prefect.yml",
       {"orb missing from shared/orbs", {"orb circleci/docker@1.0.0 cannot be resolved"}}},
      {"angular__angular-cli.yml",
       {"pins circleci/browser-tools@1.4.0, which had install-chrome; the 2.3.1 copy does not",
        {"unknown step browser-tools/install-chrome: orb circleci/browser-tools@1.4.0"}}},
      {"argoproj__argo-cd.yml",
       {"orb missing from shared/orbs", {"orb sonarsource/sonarcloud@1.0.1 cannot be resolved"}}},
      {"circleci__circleci-docs.yml",
       {"orbs missing from shared/orbs (vale; os-detect imported by go)",
        {"orb circleci/vale@1.2.1 cannot be resolved",
         "orb circleci/os-detect@0.2 (imported by orb circleci/go@3.0.4"}}},
      {"codecov__codecov-circleci-orb.yml",
       {"orb missing from shared/orbs", {"orb circleci/orb-tools@12 cannot be resolved"}}},
      {"cypress-io__cypress-example-kitchensink.yml",
       {"orb missing from shared/orbs", {"orb cypress-io/cypress@6.1.0 cannot be resolved"}}},
      {"electron__forge.yml",
       {"orb missing from shared/orbs", {"orb electronjs/node@2.3.1 cannot be resolved"}}},
      {"electron__get.yml",
       {"orbs missing from shared/orbs",
        {"orb continuousauth/npm@2.1.1 cannot be resolved",
         "orb electronjs/node@2.3.1 cannot be resolved"}}},
      {"electron__universal.yml",
       {"orbs missing from shared/orbs",
        {"orb continuousauth/npm@2.1.1 cannot be resolved",
         "orb electronjs/node@2.3.1 cannot be resolved"}}},
      {"filecoin-project__lotus.yml",
       {"orb missing from shared/orbs", {"orb circleci/docker@2.3.0 cannot be resolved"}}},
      {"gruntwork-io__terragrunt.yml",
       {"circleci/go@1.11 is resolved to the 3.0.3 copy, which imports circleci/os-detect, missing",
        {"orb circleci/os-detect@0.2 (imported by orb circleci/go@1.11"}}},
      {"hashicorp__terraform.yml",
       {"pins circleci/slack@3.4.2, which had slack/status; the 6.1.3 copy does not",
        {"unknown step slack/status: orb circleci/slack@3.4.2"}}},
      {"honeycombio__refinery.yml",
       {"orb circleci/aws-ecr missing; pins circleci/aws-cli@3.2.0, whose setup command took other "
        "parameters than the 5.4.1 copy",
        {"orb circleci/aws-ecr@9.5.4 cannot be resolved",
         "Unexpected argument(s): role-arn, role-session-name, aws-region (for command "
         "aws-cli/setup of orb circleci/aws-cli@3.2.0"}}},
      {"kedro-org__kedro.yml",
       {"circleci/path-filtering imports circleci/jq, missing from shared/orbs",
        {"orb circleci/jq@3.0.2 (imported by orb circleci/path-filtering@0.1.1"}}},
      {"launchdarkly__python-server-sdk.yml",
       {"pins circleci/windows@1.0.0, which had the vs2019 executor; the 5.1.0 copy does not",
        {"executor win/vs2019 is not defined: orb circleci/windows@1.0.0"}}},
      {"ministryofjustice__hmpps-auth.yml",
       {"orb hmpps missing; pins circleci/browser-tools@1.1, which had install-browser-tools",
        {"orb ministryofjustice/hmpps@3.8 cannot be resolved",
         "unknown step browser-tools/install-browser-tools: orb circleci/browser-tools@1.1"}}},
      {"ministryofjustice__hmpps-book-secure-move-api.yml",
       {"orb missing from shared/orbs", {"orb ministryofjustice/hmpps@7.1.0 cannot be resolved"}}},
      {"ministryofjustice__hmpps-template-typescript.yml",
       {"orb missing from shared/orbs", {"orb ministryofjustice/hmpps@10 cannot be resolved"}}},
      {"mozilla-services__syncstorage-rs.yml",
       {"orbs missing from shared/orbs",
        {"orb circleci/gcp-cli@3.3.1 cannot be resolved",
         "orb circleci/gcp-gcr@0.16.3 cannot be resolved"}}},
      {"mozilla__bigquery-etl.yml",
       {"circleci/path-filtering imports circleci/jq, missing from shared/orbs",
        {"orb circleci/jq@3.0.2 (imported by orb circleci/path-filtering@2.0.4"}}},
      {"mozilla__telemetry-airflow.yml",
       {"orbs missing from shared/orbs",
        {"orb circleci/docker@2.5.0 cannot be resolved",
         "orb circleci/gcp-cli@3.2.0 cannot be resolved",
         "orb circleci/python@2.1.1 cannot be resolved"}}},
      {"nipreps__fmriprep.yml",
       {"orb missing from shared/orbs", {"orb circleci/docker@2.1.4 cannot be resolved"}}},
      {"pachyderm__pachyderm.yml",
       {"orbs missing from shared/orbs (github-cli; jq and os-detect imported by path-filtering "
        "and go)",
        {"orb circleci/github-cli@2.1 cannot be resolved",
         "orb circleci/jq@3.0.2 (imported by orb circleci/path-filtering@0.1.3",
         "orb circleci/os-detect@0.2 (imported by orb circleci/go@1.7.1"}}},
      {"plotly__dash.yml",
       {"orb percy/agent missing; pins circleci/browser-tools@1.5.1, which had "
        "install-browser-tools",
        {"orb percy/agent@0.1.3 cannot be resolved",
         "unknown step browser-tools/install-browser-tools: orb circleci/browser-tools@1.5.1"}}},
      {"prometheus__node_exporter.yml",
       {"orb missing from shared/orbs", {"orb prometheus/prometheus@0.17.1 cannot be resolved"}}},
      {"scipy__scipy.yml",
       {"orb missing from shared/orbs", {"orb prefix-dev/pixi@0.1.0 cannot be resolved"}}},
      {"snyk__driftctl.yml",
       {"orbs missing (github-cli, snyk, prodsec, os-detect); pins circleci/go@1.7.0, which had "
        "load-cache/save-cache",
        {"orb circleci/github-cli@1.1.0 cannot be resolved",
         "orb circleci/os-detect@0.2 (imported by orb circleci/go@1.7.0",
         "orb snyk/prodsec-orb@1 cannot be resolved", "orb snyk/snyk@1.1.2 cannot be resolved",
         "unknown step go/load-cache: orb circleci/go@1.7.0",
         "unknown step go/save-cache: orb circleci/go@1.7.0"}}},
      {"solidusio__solidus.yml",
       {"pins codecov/codecov@3.3.0, whose upload command took `file`; the 5.4.3 copy takes "
        "`files`",
        {"Unexpected argument(s): file (for command codecov/upload of orb codecov/codecov@3.3.0"}}},
  };
  return m;
}

TEST(Corpus, EveryConfigValidatesAndProcessIsAFixedPoint) {
  fs::path dir = fs::path(HALO_SHARED_DIR) / "configs";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is missing";
  std::string orb_dir = packed_orb_dir().string();
  size_t files = 0, valid = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yml") continue;
    ++files;
    std::string name = entry.path().filename().string();
    CompileInput in;
    in.source = read(entry.path());
    in.orb_dir = orb_dir;
    in.pipeline_values = {{"git.branch", "main"}, {"number", 1}, {"id", "x"}};
    CompileResult r = compile(in);
    auto expected = expected_failures().find(name);
    if (expected != expected_failures().end()) {
      EXPECT_FALSE(r.ok()) << name << " now validates; remove it from the list";
      const auto& fragments = expected->second.errors;
      for (const auto& e : r.errors) {
        bool known = std::any_of(fragments.begin(), fragments.end(), [&](const std::string& f) {
          return e.message.find(f) != std::string::npos;
        });
        EXPECT_TRUE(known) << name << " (" << expected->second.reason
                           << ") fails otherwise: " << e.to_string();
      }
      for (const std::string& f : fragments) {
        bool seen = std::any_of(r.errors.begin(), r.errors.end(), [&](const ConfigError& e) {
          return e.message.find(f) != std::string::npos;
        });
        EXPECT_TRUE(seen) << name << ": no error contains \"" << f << "\"";
      }
      continue;
    }
    EXPECT_TRUE(r.ok()) << name << "\n" << testing::all_errors(r);
    if (!r.ok()) continue;
    ++valid;
    CompileInput again = in;
    again.source = r.compiled_yaml;
    CompileResult r2 = compile(again);
    EXPECT_TRUE(r2.ok()) << name << " processed does not validate\n" << testing::all_errors(r2);
    EXPECT_EQ(r2.compiled_yaml, r.compiled_yaml) << name << ": process is not a fixed point";
  }
  EXPECT_GT(files, 70u);
  std::cout << "[ info ] " << valid << " of " << files << " corpus configs validate\n";
}

}  // namespace
}  // namespace halo::config
