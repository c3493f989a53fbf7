#include "model/project_slug.h"

#include <vector>

namespace halo::model {

namespace {

std::vector<std::string_view> segments(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t slash = text.find('/', start);
    out.push_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

}  // namespace

std::optional<Vcs> parse_vcs(std::string_view text) {
  if (text == "gh" || text == "github") return Vcs::GitHub;
  if (text == "bb" || text == "bitbucket") return Vcs::Bitbucket;
  if (text == "circleci") return Vcs::CircleCI;
  return std::nullopt;
}

std::string_view vcs_slug_prefix(Vcs vcs) {
  switch (vcs) {
    case Vcs::GitHub:
      return "gh";
    case Vcs::Bitbucket:
      return "bb";
    case Vcs::CircleCI:
      return "circleci";
  }
  return "gh";
}

std::string_view vcs_type(Vcs vcs) {
  switch (vcs) {
    case Vcs::GitHub:
      return "github";
    case Vcs::Bitbucket:
      return "bitbucket";
    case Vcs::CircleCI:
      return "circleci";
  }
  return "github";
}

std::string_view vcs_provider_name(Vcs vcs) {
  switch (vcs) {
    case Vcs::GitHub:
      return "GitHub";
    case Vcs::Bitbucket:
      return "Bitbucket";
    case Vcs::CircleCI:
      return "CircleCI";
  }
  return "GitHub";
}

std::optional<OrgSlug> OrgSlug::parse(std::string_view text) {
  auto parts = segments(text);
  if (parts.size() != 2 || parts[1].empty()) return std::nullopt;
  auto vcs = parse_vcs(parts[0]);
  if (!vcs) return std::nullopt;
  return OrgSlug{*vcs, std::string(parts[1])};
}

std::string OrgSlug::str() const {
  return std::string(vcs_slug_prefix(vcs)) + "/" + org;
}

std::optional<ProjectSlug> ProjectSlug::parse(std::string_view text) {
  auto parts = segments(text);
  if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) return std::nullopt;
  auto vcs = parse_vcs(parts[0]);
  if (!vcs) return std::nullopt;
  return ProjectSlug{*vcs, std::string(parts[1]), std::string(parts[2])};
}

std::string ProjectSlug::str() const {
  return std::string(vcs_slug_prefix(vcs)) + "/" + org + "/" + repo;
}

std::string ProjectSlug::long_str() const {
  return std::string(vcs_type(vcs)) + "/" + org + "/" + repo;
}

}  // namespace halo::model
