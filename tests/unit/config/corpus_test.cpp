// The corpus of real configs in shared/configs: every one validates, and `process` is a fixed
// point on each. Registry orbs come from shared/orbs, an orb directory of source trees
// (`ns/name@version/src`) that holds the exact versions the configs pin. The few configs that
// cannot validate are listed below with the reason and the error they must fail with (and
// only that error).
#include <gtest/gtest.h>

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

// Configs that cannot validate here, the reason, and fragments of the only errors they may
// report (every error must contain one of them, and each fragment must occur). Two kinds:
// an orb (or an orb it imports) is missing from shared/orbs, which must stay an error; and
// configs CircleCI runs that halo still refuses, which issue #10 removes from this list.
struct Expected {
  std::string reason;
  std::vector<std::string> errors;
};
const std::map<std::string, Expected>& expected_failures() {
  static const std::map<std::string, Expected> m{
      {"Automattic__simplenote-android.yml",
       {"orb missing from shared/orbs", {"orb toshimaru/bundle-install@0.3.1 cannot be resolved"}}},
      {"CircleCI-Public__cimg-android.yml",
       {"orb missing from shared/orbs", {"orb circleci/cimg@0.6.5 cannot be resolved"}}},
      {"CircleCI-Public__cimg-go.yml",
       {"orb missing from shared/orbs", {"orb circleci/cimg@0.6.5 cannot be resolved"}}},
      {"CircleCI-Public__cimg-python.yml",
       {"orb missing from shared/orbs", {"orb circleci/cimg@0.6.4 cannot be resolved"}}},
      {"CircleCI-Public__circleci-config.yml",
       {"orb missing from shared/orbs", {"orb circleci/continuation@0.3.1 cannot be resolved"}}},
      {"CircleCI-Public__circleci-demo-python-django.yml",
       {"orb missing from shared/orbs", {"orb circleci/heroku@1.2.6 cannot be resolved"}}},
      {"CircleCI-Public__macos-orb.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/bats@1.0.0 (imported by orb circleci/orb-tools@11.5) cannot be resolved"}}},
      {"CircleCI-Public__node-orb.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/bats@1.0.0 (imported by orb circleci/orb-tools@12.0) cannot be resolved"}}},
      {"CircleCI-Public__orb-tools-orb.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/bats@1.0.0 (imported by orb circleci/orb-tools@12.2.0) cannot be "
         "resolved"}}},
      {"CircleCI-Public__windows-orb.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/bats@1.0.0 (imported by orb circleci/orb-tools@11.1) cannot be resolved"}}},
      {"DataDog__dd-trace-js.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@2.2.0 cannot be resolved"}}},
      {"DataDog__dd-trace-php.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/continuation@0.2.0 (imported by orb circleci/path-filtering@0.1.5) cannot "
         "be resolved"}}},
      {"Financial-Times__polyfill-service.yml",
       {"orb missing from shared/orbs",
        {"orb financial-times/change-api@0.24.0 cannot be resolved"}}},
      {"LBHackney-IT__housing-search-api.yml",
       {"orb missing from shared/orbs",
        {"orb lbh-hackit/aws_assume_role@0.1.0 cannot be resolved"}}},
      {"PrefectHQ__prefect.yml",
       {"orb missing from shared/orbs", {"orb circleci/docker@1.0.0 cannot be resolved"}}},
      {"apollographql__router.yml",
       {"orb missing from shared/orbs",
        {"orb apollo/circleci-secops-orb@2.0.9 cannot be resolved"}}},
      {"apollographql__rover.yml",
       {"orb missing from shared/orbs", {"orb circleci/github-cli@2.7.2 cannot be resolved"}}},
      {"apple__pkl.yml",
       {"orb missing from shared/orbs", {"orb apple/pr-approval@0.1.0 cannot be resolved"}}},
      {"argoproj__argo-cd.yml",
       {"orb missing from shared/orbs", {"orb sonarsource/sonarcloud@1.0.1 cannot be resolved"}}},
      {"artsy__palette.yml",
       {"orb missing from shared/orbs",
        {"orb artsy/auto@2.3.0 cannot be resolved",
         "orb circleci/aws-s3@2.0.0 cannot be resolved"}}},
      {"auth0__auth0-spa-js.yml",
       {"orb missing from shared/orbs", {"orb auth0/ship@0 cannot be resolved"}}},
      {"auth0__nextjs-auth0.yml",
       {"orb missing from shared/orbs", {"orb auth0/ship@0.7.7 cannot be resolved"}}},
      {"aws-amplify__amplify-cli.yml",
       {"orb missing from shared/orbs", {"orb circleci/continuation@0.1.2 cannot be resolved"}}},
      {"babashka__babashka.yml",
       {"orb missing from shared/orbs", {"orb circleci/continuation@0.1.2 cannot be resolved"}}},
      {"circleci__circleci-docs.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/aws-cli@5.4.2 cannot be resolved",
         "orb circleci/go@3.0.4 cannot be resolved"}}},
      {"circleci__circleci-images.yml",
       {"orb missing from shared/orbs", {"orb iynere/compare-url@0.4.8 cannot be resolved"}}},
      {"codecov__codecov-circleci-orb.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/bats@1.1.0 (imported by orb circleci/orb-tools@12) cannot be resolved"}}},
      {"cypress-io__cypress-example-kitchensink.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/browser-tools@2.4.2 (imported by orb cypress-io/cypress@6.1.0) cannot be "
         "resolved",
         "orb circleci/windows@5.1.1 cannot be resolved"}}},
      {"diem__diem.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/slack@3.3.0 cannot be resolved",
         "orb circleci/aws-cli@0.1.13 cannot be resolved"}}},
      {"ethereum__solidity.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@2.2.0 cannot be resolved"}}},
      {"ethereum__sourcify.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/continuation@0.2.0 (imported by orb circleci/path-filtering@1.3.0) cannot "
         "be resolved"}}},
      {"facebook__metro.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@2.4.0 cannot be resolved"}}},
      {"facebookresearch__hydra.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@2.2.0 cannot be resolved"}}},
      {"facebookresearch__nevergrad.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@2.2.0 cannot be resolved"}}},
      {"filecoin-project__boost.yml",
       {"orb missing from shared/orbs", {"orb gotest/tools@0.0.14 cannot be resolved"}}},
      {"filecoin-project__lotus.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/build-tools@3.0 (imported by orb circleci/docker@2.3.0) cannot be "
         "resolved"}}},
      {"hashicorp__go-getter.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@2.2.0 cannot be resolved"}}},
      {"influxdata__chronograf.yml",
       {"orb missing from shared/orbs", {"orb circleci/aws-s3@2.0.0 cannot be resolved"}}},
      {"ipfs__kubo.yml",
       {"orb missing from shared/orbs", {"orb circleci/continuation@0.2.0 cannot be resolved"}}},
      {"kedro-org__kedro.yml",
       {"orb missing from shared/orbs", {"orb circleci/path-filtering@0.1.1 cannot be resolved"}}},
      {"launchdarkly__python-server-sdk.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@1.0.0 cannot be resolved"}}},
      {"lucas42__lucos_media_metadata_api.yml",
       {"orb missing from shared/orbs", {"orb lucos/deploy@0 cannot be resolved"}}},
      {"lucas42__lucos_repos.yml",
       {"orb missing from shared/orbs", {"orb lucos/deploy@0 cannot be resolved"}}},
      {"mattermost__mattermost-plugin-starter-template.yml",
       {"orb missing from shared/orbs", {"orb mattermost/plugin-ci@0.1.12 cannot be resolved"}}},
      {"ministryofjustice__hmpps-auth.yml",
       {"orb missing from shared/orbs", {"orb ministryofjustice/hmpps@3.8 cannot be resolved"}}},
      {"ministryofjustice__hmpps-book-secure-move-api.yml",
       {"orb missing from shared/orbs", {"orb ministryofjustice/hmpps@7.1.0 cannot be resolved"}}},
      {"ministryofjustice__hmpps-template-typescript.yml",
       {"orb missing from shared/orbs", {"orb ministryofjustice/hmpps@10 cannot be resolved"}}},
      {"mozilla-services__syncstorage-rs.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/build-tools@3.0 (imported by orb circleci/docker@2.5) cannot be resolved"}}},
      {"mozilla__telemetry-airflow.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/build-tools@3.0 (imported by orb circleci/docker@2.5.0) cannot be "
         "resolved"}}},
      {"mozilla__treeherder.yml",
       {"orb missing from shared/orbs",
        {"orb codecov/codecov@6.0.0 cannot be resolved",
         "orb circleci/gcp-cli@4.0.1 cannot be resolved"}}},
      {"mui__mui-x.yml",
       {"halo is stricter than CircleCI here (issue #10)",
        {"invalid orb reference "
         "\"https://raw.githubusercontent.com/mui/mui-public/"
         "8f789e5a8fe2888b5f5837b6a5f64c58837e0e18/.circleci/orbs/code-infra.yml\": use "
         "namespace/name@version"}}},
      {"nipreps__fmriprep.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/build-tools@3.0 (imported by orb circleci/docker@2.1.4) cannot be "
         "resolved"}}},
      {"nipreps__mriqc.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/build-tools@3.0 (imported by orb circleci/docker@2.1.4) cannot be "
         "resolved"}}},
      {"oclif__oclif.yml",
       {"orb missing from shared/orbs",
        {"orb salesforce/npm-release-management@4 cannot be resolved",
         "orb circleci/aws-cli@2.0 cannot be resolved"}}},
      {"open-mmlab__mmcv.yml",
       {"orb missing from shared/orbs", {"orb circleci/path-filtering@0.1.2 cannot be resolved"}}},
      {"open-telemetry__opentelemetry-collector.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@2.4.0 cannot be resolved"}}},
      {"ory__oathkeeper.yml",
       {"orb missing from shared/orbs",
        {"orb ory/sdk@0.1.53 cannot be resolved", "orb ory/changelog@0.1.10 cannot be resolved",
         "orb ory/goreleaser@0.1.38 cannot be resolved", "orb ory/nancy@0.0.19 cannot be resolved",
         "orb ory/docs@0.0.12 cannot be resolved", "orb ory/golangci@0.0.18 cannot be resolved",
         "orb ory/prettier@0.0.11 cannot be resolved"}}},
      {"pachyderm__pachyderm.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/continuation@0.1.2 cannot be resolved",
         "orb circleci/path-filtering@0.1.3 cannot be resolved"}}},
      {"plotly__dash.yml",
       {"orb missing from shared/orbs", {"orb percy/agent@0.1.3 cannot be resolved"}}},
      {"prometheus__blackbox_exporter.yml",
       {"orb missing from shared/orbs", {"orb prometheus/prometheus@0.17.1 cannot be resolved"}}},
      {"prometheus__node_exporter.yml",
       {"orb missing from shared/orbs", {"orb prometheus/prometheus@0.17.1 cannot be resolved"}}},
      {"pytorch__text.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@2.0.0 cannot be resolved"}}},
      {"readthedocs__readthedocs.org.yml",
       {"orb missing from shared/orbs", {"orb codecov/codecov@6.0.0 cannot be resolved"}}},
      {"scipy__scipy.yml",
       {"orb missing from shared/orbs", {"orb prefix-dev/pixi@0.1.0 cannot be resolved"}}},
      {"snyk__driftctl.yml",
       {"orb missing from shared/orbs",
        {"orb snyk/prodsec-orb@1 cannot be resolved", "orb circleci/go@1.7.0 cannot be resolved"}}},
      {"vectordotdev__vector.yml",
       {"orb missing from shared/orbs", {"orb circleci/windows@1.0.0 cannot be resolved"}}},
      {"wandb__wandb.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/go@3.0.4 cannot be resolved",
         "orb codecov/codecov@6.0.0 cannot be resolved"}}},
      {"woocommerce__woocommerce-ios.yml",
       {"orb missing from shared/orbs",
        {"orb circleci/slack@3.3.0 (imported by orb wordpress-mobile/ios@1.0) cannot be "
         "resolved"}}},
  };
  return m;
}

// Configs that validate but whose processed output does not validate again (issue #10: process
// must be a fixed point), and why.
const std::map<std::string, std::string>& known_not_fixed_points() {
  static const std::map<std::string, std::string> m{};
  return m;
}

TEST(Corpus, EveryConfigValidatesAndProcessIsAFixedPoint) {
  fs::path dir = fs::path(HALO_SHARED_DIR) / "configs";
  ASSERT_TRUE(fs::exists(dir)) << dir << " is missing (shared/ lies beside the checkout)";
  std::string orb_dir = (fs::path(HALO_SHARED_DIR) / "orbs").string();
  size_t files = 0, valid = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yml") continue;
    ++files;
    std::string name = entry.path().filename().string();
    CompileInput in;
    in.source = read(entry.path());
    in.orb_dir = orb_dir;
    // A push to main of a GitHub project, as CircleCI would describe it (orb-tools checks
    // pipeline.project.type).
    in.pipeline_values = {{"git.branch", "main"},
                          {"number", 1},
                          {"id", "x"},
                          {"project.type", "github"},
                          {"project.git_url", "https://github.com/example/project"},
                          {"git.revision", "0123456789abcdef0123456789abcdef01234567"}};
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
    if (known_not_fixed_points().count(name)) {
      EXPECT_FALSE(r2.ok() && r2.compiled_yaml == r.compiled_yaml)
          << name << " is now a fixed point; remove it from the list";
      continue;
    }
    EXPECT_TRUE(r2.ok()) << name << " processed does not validate\n" << testing::all_errors(r2);
    EXPECT_EQ(r2.compiled_yaml, r.compiled_yaml) << name << ": process is not a fixed point";
  }
  EXPECT_GT(files, 70u);
  std::cout << "[ info ] " << valid << " of " << files << " corpus configs validate\n";
}

// `halo orb pack` packs every orb source tree of shared/orbs (issue #10).
TEST(Corpus, EveryOrbSourceTreePacks) {
  size_t trees = 0;
  for (const auto& ns : fs::directory_iterator(fs::path(HALO_SHARED_DIR) / "orbs")) {
    if (!ns.is_directory()) continue;
    for (const auto& orb : fs::directory_iterator(ns.path())) {
      if (!fs::is_directory(orb.path() / "src")) continue;
      ++trees;
      PackResult r = pack_orb((orb.path() / "src").string());
      EXPECT_TRUE(r.ok()) << orb.path() << ": " << (r.ok() ? "" : r.errors.front());
    }
  }
  EXPECT_GT(trees, 90u);
}

}  // namespace
}  // namespace halo::config
