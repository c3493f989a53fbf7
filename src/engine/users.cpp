#include "engine/users.h"

#include "common/crypto.h"
#include "model/project_slug.h"

namespace halo::engine {

bool parse_org_slug(const std::string& slug, std::string& vcs_type, std::string& name) {
  auto parsed = model::OrgSlug::parse(slug);
  if (!parsed) return false;
  vcs_type = model::vcs_type(parsed->vcs);
  name = parsed->org;
  if (name.size() > 100) return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_' && c != '-' && c != '.') return false;
  return true;
}

CreatedUser create_user(store::Store& store, const NewUser& nu) {
  CreatedUser out;
  bool login_ok = !nu.login.empty() && nu.login.size() <= 64;
  for (unsigned char c : nu.login)
    login_ok = login_ok && (std::isalnum(c) || c == '_' || c == '-' || c == '.');
  if (!login_ok) {
    out.error = "login must be 1 to 64 characters of letters, digits, '_', '-' and '.'";
    return out;
  }
  if (nu.role != "admin" && nu.role != "member" && nu.role != "viewer") {
    out.error = "role must be admin, member or viewer";
    return out;
  }
  std::string vcs_type, org_name;
  if (!nu.organization.empty() && !parse_org_slug(nu.organization, vcs_type, org_name)) {
    out.error = "organization must be an org slug such as gh/acme";
    return out;
  }
  if (store.user_by_login(nu.login)) {
    out.error = "login '" + nu.login + "' is taken";
    return out;
  }
  out.user = store.create_user(nu.login, nu.name.empty() ? nu.login : nu.name, false);
  if (!nu.organization.empty()) {
    auto org = store.ensure_org(vcs_type, org_name);
    store.add_member(org.id, out.user.id, nu.role);
  }
  out.token = random_token();
  store.add_token(out.user.id, sha256_hex(out.token), "created with the user");
  return out;
}

}  // namespace halo::engine
