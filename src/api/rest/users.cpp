// GET /me, /me/collaborations, /user/{id}.
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "common/crypto.h"
#include "common/error.h"
#include "model/project_slug.h"

namespace halo::rest {

namespace {

// GET /api/v2/me
http::Response get_me(ApiContext& ctx, http::Request& req) {
  return http::json_response(200, render_user(ctx.authenticate(req)));
}

// GET /api/v2/me/collaborations
http::Response list_collaborations(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  json out = json::array();
  auto orgs = u.is_admin ? ctx.store.all_orgs() : ctx.store.orgs_of_user(u.id);
  for (const auto& o : orgs) {
    model::OrgSlug slug{model::parse_vcs(o.vcs_type).value_or(model::Vcs::CircleCI), o.name};
    out.push_back({{"id", o.id},
                   {"vcs-type", o.vcs_type},
                   {"name", o.name},
                   {"avatar_url", ""},
                   {"slug", slug.str()}});
  }
  return http::json_response(200, out);
}

// GET /api/v2/user/{id}
http::Response get_user(ApiContext& ctx, http::Request& req) {
  auto me = ctx.authenticate(req);
  const std::string& id = req.params[0];
  if (!is_uuid(id)) throw not_found("User not found");
  auto u = ctx.store.user_by_id(id);
  if (!u) throw not_found("User not found");
  // Visible when it is me, I am the admin, or we share an org.
  bool visible = me.is_admin || me.id == u->id;
  for (const auto& o : ctx.store.orgs_of_user(u->id))
    visible = visible || ctx.access.can_see_org(me, o.id);
  if (!visible) throw not_found("User not found");
  return http::json_response(200, render_user(*u));
}

}  // namespace

void register_users(http::Router& r, ApiContext& ctx) {
  r.add("GET", "/api/v2/me", endpoint(ctx, get_me));
  r.add("GET", "/api/v2/me/collaborations", endpoint(ctx, list_collaborations));
  r.add("GET", "/api/v2/user/{id}", endpoint(ctx, get_user));
}

}  // namespace halo::rest
