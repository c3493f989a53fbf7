#include "api/http/router.h"

#include <gtest/gtest.h>

#include "api/rest/api_context.h"
#include "model/project_slug.h"

using namespace halo;
using namespace halo::http;

namespace {
Request req(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}
}  // namespace

TEST(Router, ProjectSlugsSpanThreeSegmentsAndLiteralsWin) {
  Router router;
  std::string hit;
  router.add("GET", "/api/v2/project/{project-slug}/pipeline/{n}", [&](Request&) {
    hit = "number";
    return Response{};
  });
  router.add("GET", "/api/v2/project/{project-slug}/pipeline/mine", [&](Request&) {
    hit = "mine";
    return Response{};
  });
  router.add("GET", "/api/v2/project/{project-slug}", [&](Request&) {
    hit = "project";
    return Response{};
  });
  const Handler* h = nullptr;
  auto r = req("GET", "/api/v2/project/gh/acme/app/pipeline/mine");
  ASSERT_EQ(router.route(r, &h), Router::Match::Found);
  (*h)(r);
  EXPECT_EQ(hit, "mine");
  EXPECT_EQ(r.params, std::vector<std::string>{"gh/acme/app"});
  r = req("GET", "/api/v2/project/gh/acme/app/pipeline/7");
  ASSERT_EQ(router.route(r, &h), Router::Match::Found);
  EXPECT_EQ(r.params, (std::vector<std::string>{"gh/acme/app", "7"}));
  r = req("GET", "/api/v2/project/gh/acme");
  EXPECT_EQ(router.route(r, &h), Router::Match::NoPath);
  r = req("POST", "/api/v2/project/gh/acme/app");
  EXPECT_EQ(router.route(r, &h), Router::Match::NoMethod);
}

TEST(Router, PercentDecoding) {
  EXPECT_EQ(percent_decode("gh%2Facme%2Fapp", false), "gh/acme/app");
  EXPECT_EQ(percent_decode("a+b%20c", true), "a b c");
  EXPECT_EQ(percent_decode("bad%2", false), "bad%2");
  EXPECT_EQ(percent_decode("%zz", false), "%zz");
}

TEST(Slugs, LongAndShortVcsNamesAreCanonicalised) {
  using model::ProjectSlug;
  EXPECT_EQ(ProjectSlug::parse("github/acme/app")->str(), "gh/acme/app");
  EXPECT_EQ(ProjectSlug::parse("bitbucket/acme/app")->str(), "bb/acme/app");
  EXPECT_EQ(ProjectSlug::parse("circleci/0f1/9e2")->str(), "circleci/0f1/9e2");
  EXPECT_FALSE(ProjectSlug::parse("gitlab/acme/app"));
  EXPECT_FALSE(ProjectSlug::parse("gh/acme"));
  EXPECT_FALSE(ProjectSlug::parse("gh//app"));
}
