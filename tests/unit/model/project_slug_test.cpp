// The domain vocabulary: VCS spellings, slugs, web links and pipeline value names, each
// with its one conversion.
#include "model/project_slug.h"

#include <gtest/gtest.h>

#include "model/links.h"
#include "model/pipeline_values.h"

namespace halo::model {
namespace {

TEST(Vcs, EveryAcceptedSpellingParsesAndEachFormIsWrittenOneWay) {
  EXPECT_EQ(parse_vcs("gh"), Vcs::GitHub);
  EXPECT_EQ(parse_vcs("github"), Vcs::GitHub);
  EXPECT_EQ(parse_vcs("bb"), Vcs::Bitbucket);
  EXPECT_EQ(parse_vcs("bitbucket"), Vcs::Bitbucket);
  EXPECT_EQ(parse_vcs("circleci"), Vcs::CircleCI);
  EXPECT_FALSE(parse_vcs("gitlab"));
  EXPECT_FALSE(parse_vcs("GitHub"));
  EXPECT_FALSE(parse_vcs(""));
  for (Vcs v : {Vcs::GitHub, Vcs::Bitbucket, Vcs::CircleCI}) {
    EXPECT_EQ(parse_vcs(vcs_slug_prefix(v)), v);
    EXPECT_EQ(parse_vcs(vcs_type(v)), v);
  }
  EXPECT_EQ(vcs_slug_prefix(Vcs::Bitbucket), "bb");
  EXPECT_EQ(vcs_type(Vcs::Bitbucket), "bitbucket");
  EXPECT_EQ(vcs_provider_name(Vcs::GitHub), "GitHub");
  EXPECT_EQ(vcs_provider_name(Vcs::Bitbucket), "Bitbucket");
  EXPECT_EQ(vcs_provider_name(Vcs::CircleCI), "CircleCI");
}

TEST(ProjectSlug, AnyAcceptedSpellingBecomesTheCanonicalSlug) {
  EXPECT_EQ(ProjectSlug::parse("github/acme/app")->str(), "gh/acme/app");
  EXPECT_EQ(ProjectSlug::parse("bitbucket/acme/app")->str(), "bb/acme/app");
  EXPECT_EQ(ProjectSlug::parse("circleci/0f1/9e2")->str(), "circleci/0f1/9e2");
  auto s = ProjectSlug::parse("gh/acme/app");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->vcs, Vcs::GitHub);
  EXPECT_EQ(s->org, "acme");
  EXPECT_EQ(s->repo, "app");
  EXPECT_EQ(s->long_str(), "github/acme/app");
  EXPECT_EQ(s->org_slug().str(), "gh/acme");
}

TEST(ProjectSlug, MalformedSlugsAreRefused) {
  EXPECT_FALSE(ProjectSlug::parse("gitlab/acme/app"));
  EXPECT_FALSE(ProjectSlug::parse("gh/acme"));
  EXPECT_FALSE(ProjectSlug::parse("gh//app"));
  EXPECT_FALSE(ProjectSlug::parse("gh/acme/"));
  EXPECT_FALSE(ProjectSlug::parse("gh/acme/app/x"));
  EXPECT_FALSE(ProjectSlug::parse(""));
}

TEST(OrgSlug, ParsesTwoSegments) {
  auto o = OrgSlug::parse("bitbucket/acme");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->vcs, Vcs::Bitbucket);
  EXPECT_EQ(o->org, "acme");
  EXPECT_EQ(o->str(), "bb/acme");
  EXPECT_FALSE(OrgSlug::parse("gh"));
  EXPECT_FALSE(OrgSlug::parse("gh/"));
  EXPECT_FALSE(OrgSlug::parse("gh/acme/app"));
  EXPECT_FALSE(OrgSlug::parse("svn/acme"));
}

TEST(Links, WorkflowAndJobWebUrlsHaveCircleCisShape) {
  EXPECT_EQ(workflow_web_url("http://ci", "github/acme/app", 7, "w-1"),
            "http://ci/pipelines/github/acme/app/7/workflows/w-1");
  EXPECT_EQ(job_web_url("http://ci", "gh/acme/app", 7, "w-1", 12),
            "http://ci/pipelines/gh/acme/app/7/workflows/w-1/jobs/12");
}

TEST(PipelineValues, TheFullNameLosesItsPrefixOnlyOnce) {
  EXPECT_EQ(pipeline_value_key("pipeline.git.branch"), "git.branch");
  EXPECT_EQ(pipeline_value_key("git.branch"), "git.branch");
  EXPECT_EQ(pipeline_value_key("pipeline.pipeline.x"), "pipeline.x");
  EXPECT_EQ(pipeline_value_key("pipelinex"), "pipelinex");
}

}  // namespace
}  // namespace halo::model
