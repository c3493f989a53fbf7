// VCS types and project/org slugs: the one place that knows their spellings. A VCS type is
// written three ways — in slugs ("gh", "bb", "circleci"), as the stored and
// pipeline-value type ("github", "bitbucket", "circleci") and as a provider name in API
// answers ("GitHub", "Bitbucket", "CircleCI") — and each conversion lives here once.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace halo::model {

enum class Vcs { GitHub, Bitbucket, CircleCI };

// "gh"/"github" -> GitHub, "bb"/"bitbucket" -> Bitbucket, "circleci" -> CircleCI; nullopt for
// anything else (spellings are case-sensitive, as in CircleCI's slugs).
std::optional<Vcs> parse_vcs(std::string_view text);
std::string_view vcs_slug_prefix(Vcs vcs);    // "gh", "bb", "circleci"
std::string_view vcs_type(Vcs vcs);           // "github", "bitbucket", "circleci"
std::string_view vcs_provider_name(Vcs vcs);  // "GitHub", "Bitbucket", "CircleCI"

// "gh/acme": a VCS and an organization name.
struct OrgSlug {
  Vcs vcs = Vcs::GitHub;
  std::string org;

  // Exactly two non-empty segments, the first a VCS spelling parse_vcs accepts.
  static std::optional<OrgSlug> parse(std::string_view text);
  std::string str() const;  // canonical: "gh/acme"
};

// "gh/acme/app": a VCS, an organization and a repository (project) name.
struct ProjectSlug {
  Vcs vcs = Vcs::GitHub;
  std::string org;
  std::string repo;

  // Exactly three segments, org and repo non-empty, the first a VCS spelling parse_vcs
  // accepts ("github/acme/app" and "gh/acme/app" are the same project).
  static std::optional<ProjectSlug> parse(std::string_view text);
  std::string str() const;       // canonical, as API slugs and the store use: "gh/acme/app"
  std::string long_str() const;  // as CircleCI's webhook payloads write it: "github/acme/app"
  OrgSlug org_slug() const { return {vcs, org}; }
};

}  // namespace halo::model
