// A project row for tests that start from the store rather than the API.
#pragma once
#include <string>

#include "common/crypto.h"
#include "common/time.h"
#include "store/store.h"

namespace halo::store::testing {

// Creates project `name` in `org`, a GitHub org ("gh/<org>/<name>", default branch main).
inline Project seed_project(ProjectStore& store, const Org& org, const std::string& name,
                            const std::string& vcs_url, int64_t created_at = now_ms()) {
  Project p;
  p.id = uuid_v4();
  p.org_id = org.id;
  p.slug = "gh/" + org.name + "/" + name;
  p.org_name = org.name;
  p.name = name;
  p.vcs_url = vcs_url;
  p.default_branch = "main";
  p.created_at = created_at;
  return *store.create_project(p);
}

}  // namespace halo::store::testing
