// The access rules without HTTP: tokens to users, what a user sees, and roles.
#include "engine/access.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "common/error.h"
#include "common/time.h"
#include "store/sqlite_store.h"
#include "support/store/project_seed.h"
#include "support/test_env.h"

namespace halo::engine {
namespace {

int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.status();
  }
  return 0;
}

struct Fixture {
  test::TempDir dir;
  store::SqliteStore store{dir.path() / "halo.db"};
  Access access{store};
  store::User admin = store.create_user("root", "Root", true);
  store::User viewer = store.create_user("vic", "Vic", false);
  store::User outsider = store.create_user("out", "Out", false);
  store::Org org = store.ensure_org("github", "acme");
  store::Project project = [&] {
    store.add_member(org.id, viewer.id, "viewer");
    return store::testing::seed_project(store, org, "app", "file:///tmp/x");
  }();
};

TEST(Access, ATokenIsItsUserAndAMissingOrUnknownOneIs401) {
  Fixture f;
  std::string token = random_token();
  f.store.add_token(f.viewer.id, sha256_hex(token), "t");
  EXPECT_EQ(f.access.authenticate(token).login, "vic");
  EXPECT_EQ(status_of([&] { f.access.authenticate(""); }), 401);
  EXPECT_EQ(status_of([&] { f.access.authenticate("nope"); }), 401);
}

TEST(Access, MembersSeeTheirOrgsProjectsAndOutsidersGet404) {
  Fixture f;
  EXPECT_EQ(f.access.visible_project(f.viewer, "github/acme/app").id, f.project.id);
  EXPECT_EQ(f.access.visible_project(f.admin, "gh/acme/app").id, f.project.id);
  EXPECT_EQ(status_of([&] { f.access.visible_project(f.outsider, "gh/acme/app"); }), 404);
  EXPECT_EQ(status_of([&] { f.access.visible_project(f.viewer, "gh/acme/nope"); }), 404);
  EXPECT_EQ(status_of([&] { f.access.visible_job(f.viewer, "not-a-uuid"); }), 404);
  EXPECT_TRUE(f.access.visible_org_ids(f.admin).empty());  // all
  EXPECT_EQ(f.access.visible_org_ids(f.viewer), std::vector<std::string>{f.org.id});
  EXPECT_TRUE(f.access.visible_org_ids(f.outsider).empty());
  EXPECT_FALSE(f.access.can_see_org(f.outsider, f.org.id));
}

TEST(Access, RolesAreOrderedAndTheServerAdminIsAdminEverywhere) {
  Fixture f;
  EXPECT_EQ(f.access.role_in(f.viewer, f.org.id), "viewer");
  EXPECT_EQ(f.access.role_in(f.admin, f.org.id), "admin");
  EXPECT_EQ(f.access.role_in(f.outsider, f.org.id), "");
  EXPECT_EQ(status_of([&] { f.access.require_role(f.viewer, f.org.id, "viewer", "Project"); }), 0);
  EXPECT_EQ(status_of([&] { f.access.require_role(f.viewer, f.org.id, "member", "Project"); }),
            403);
  EXPECT_EQ(status_of([&] { f.access.require_role(f.outsider, f.org.id, "viewer", "Project"); }),
            404);
  EXPECT_EQ(status_of([&] { f.access.require_server_admin(f.viewer); }), 403);
  EXPECT_EQ(status_of([&] { f.access.require_server_admin(f.admin); }), 0);
}

}  // namespace
}  // namespace halo::engine
