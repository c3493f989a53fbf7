// Creating users with an org membership and a first API token: shared by the admin API and
// `halo user create`, so both enforce the same rules.
#pragma once
#include <string>

#include "store/store.h"

namespace halo::engine {

struct NewUser {
  std::string login;  // [A-Za-z0-9_.-], unique
  std::string name;
  std::string organization;     // org slug "gh/acme" (created if new); empty: no org
  std::string role = "member";  // admin | member | viewer
};

struct CreatedUser {
  store::User user;
  std::string token;  // shown once; only its hash is stored
  std::string error;  // set (and nothing created) when the input is invalid
};

CreatedUser create_user(store::Store& store, const NewUser& nu);

// Splits "gh/acme" (or "github/acme") into the store's vcs type and name; false if malformed.
bool parse_org_slug(const std::string& slug, std::string& vcs_type, std::string& name);

}  // namespace halo::engine
