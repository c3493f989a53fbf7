// Branch and tag filters of workflow jobs, evaluated at compile time against the pipeline's
// git.branch and git.tag.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

// `only`/`ignore` lists; each entry is a literal name or a /regex/ that must match whole.
struct RefFilter {
  std::optional<std::vector<std::string>> only;
  std::optional<std::vector<std::string>> ignore;
};

struct Filters {
  std::optional<RefFilter> branches;
  std::optional<RefFilter> tags;
  // The expression form (`filters: pipeline.git.branch == "main"`), and what it said.
  std::optional<std::string> expression;
  bool expression_allows = false;
};

// Parses the map form, or evaluates the expression form.
std::optional<Filters> parse_filters(const At& at, const Scope& scope, Diagnostics& diag);

// Whether a job with these filters runs. A tag pipeline runs only jobs with tag filters that
// admit the tag; a branch pipeline runs jobs whose branch filters (if any) admit the branch.
// `only` wins over `ignore`.
bool filters_allow(const std::optional<Filters>& f, const std::string& branch,
                   const std::string& tag);

}  // namespace halo::config
