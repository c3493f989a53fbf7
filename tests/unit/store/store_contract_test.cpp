// The Store contract, method group by method group. Every promise in store.h and records.h
// has a test here; each runs against every implementation in `implementations()`.
#include "store_contract.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "common/crypto.h"
#include "model/status.h"
#include "store/sqlite_store.h"
#include "support/store/faulty_store.h"

namespace halo::store::contract {

std::vector<StoreFactory> implementations() {
  return {
      {"Sqlite",
       [](const std::filesystem::path& dir) {
         return std::make_unique<SqliteStore>(dir / "halo.db");
       }},
      // A disarmed FaultyStore must be indistinguishable from the store it wraps.
      {"FaultyOverSqlite",
       [](const std::filesystem::path& dir) {
         return std::make_unique<FaultyStore>(std::make_unique<SqliteStore>(dir / "halo.db"));
       }},
  };
}

Project StoreContract::project(const Org& o, const std::string& name) {
  Project p;
  p.id = uuid_v4();
  p.org_id = o.id;
  p.slug = "gh/" + o.name + "/" + name;
  p.org_name = o.name;
  p.name = name;
  p.vcs_url = "https://example.com/" + o.name + "/" + name + ".git";
  p.default_branch = "main";
  p.created_at = kT0;
  auto created = store.create_project(p);
  if (!created) throw std::runtime_error("test setup: slug taken: " + p.slug);
  return *created;
}

Pipeline StoreContract::pipeline(const Project& pr, const User& actor, const std::string& branch) {
  Pipeline p;
  p.id = uuid_v4();
  p.project_id = pr.id;
  p.number = store.reserve_pipeline_number(pr.id);
  p.state = "created";
  p.created_at = kT0 + p.number;
  p.updated_at = kT0 + p.number + 1;
  p.trigger_type = "api";
  p.actor_id = actor.id;
  p.branch = branch;
  p.revision = "0123456789abcdef0123456789abcdef01234567";
  p.commit_subject = "subject";
  p.commit_body = "body";
  p.values = json{{"pipeline.number", p.number}};
  p.config_source = "version: 2.1\n";
  p.config_compiled = "{\"version\":2.1}";
  return p;
}

Workflow StoreContract::workflow(const Pipeline& p, const std::string& name, int position,
                                 const std::string& status) {
  Workflow w;
  w.id = uuid_v4();
  w.pipeline_id = p.id;
  w.project_id = p.project_id;
  w.name = name;
  w.status = status;
  w.created_at = p.created_at;
  w.started_by = p.actor_id;
  w.position = position;
  return w;
}

Job StoreContract::job(const Workflow& w, const std::string& name, const std::string& status,
                       int position, const std::string& type) {
  Job j;
  j.id = uuid_v4();
  j.workflow_id = w.id;
  j.pipeline_id = w.pipeline_id;
  j.project_id = w.project_id;
  j.name = name;
  j.type = type;
  j.status = status;
  j.position = position;
  j.created_at = w.created_at;
  if (status == "queued") j.queued_at = w.created_at;
  return j;
}

OutboxEvent StoreContract::event(const std::string& target_id, int64_t next_attempt_at,
                                 const std::string& type) {
  OutboxEvent e;
  e.id = uuid_v4();
  e.kind = "circleci";
  e.target_id = target_id;
  e.event_type = type;
  e.body = "{\"id\":\"" + e.id + "\"}";
  e.created_at = kT0;
  e.next_attempt_at = next_attempt_at;
  return e;
}

StoreContract::Tree StoreContract::tree(const Project& pr, const User& actor,
                                        const std::vector<std::string>& job_statuses,
                                        const std::vector<OutboxEvent>& outbox,
                                        const std::string& branch) {
  Tree t;
  t.p = pipeline(pr, actor, branch);
  t.ws.push_back(workflow(t.p, "build"));
  for (size_t i = 0; i < job_statuses.size(); ++i)
    t.js.push_back(job(t.ws[0], "j" + std::to_string(i), job_statuses[i], static_cast<int>(i)));
  store.create_pipeline(t.p, t.ws, t.js, outbox);
  return t;
}

namespace {

template <typename T, typename F>
std::set<std::string> ids(const std::vector<T>& items, F field) {
  std::set<std::string> out;
  for (const auto& i : items) out.insert(field(i));
  return out;
}

}  // namespace

// ---- users and tokens ------------------------------------------------------------------

TEST_P(StoreContract, UsersAreFoundByIdAndLoginAndCounted) {
  EXPECT_EQ(store.count_users(), 0);
  User a = store.create_user("alice", "Alice A", true);
  User b = user("bob");
  EXPECT_FALSE(a.id.empty());
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(store.count_users(), 2);
  auto by_id = store.user_by_id(a.id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->login, "alice");
  EXPECT_EQ(by_id->name, "Alice A");
  EXPECT_TRUE(by_id->is_admin);
  EXPECT_EQ(by_id->created_at, a.created_at);
  EXPECT_EQ(store.user_by_login("bob")->id, b.id);
  EXPECT_FALSE(store.user_by_login("bob")->is_admin);
  EXPECT_FALSE(store.user_by_id("no-such-user"));
  EXPECT_FALSE(store.user_by_login("carol"));
}

TEST_P(StoreContract, TokensAreStoredAndFoundByTheirHashOnly) {
  User a = user("alice");
  std::string id = store.add_token(a.id, sha256_hex("secret-token"), "laptop");
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(store.user_by_token(sha256_hex("secret-token"))->id, a.id);
  EXPECT_FALSE(store.user_by_token("secret-token")) << "the plain token is not a key";
  EXPECT_FALSE(store.user_by_token(sha256_hex("other-token")));
  auto tokens = store.tokens_of_user(a.id);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].id, id);
  EXPECT_EQ(tokens[0].user_id, a.id);
  EXPECT_EQ(tokens[0].label, "laptop");
  EXPECT_TRUE(store.tokens_of_user(user("bob").id).empty());
}

TEST_P(StoreContract, RevokingATokenNeedsItsOwnerAndEndsItsLookups) {
  User a = user("alice");
  User b = user("bob");
  std::string t1 = store.add_token(a.id, sha256_hex("t1"), "one");
  std::string t2 = store.add_token(a.id, sha256_hex("t2"), "two");
  EXPECT_NE(t1, t2);
  EXPECT_FALSE(store.revoke_token(b.id, t1)) << "not bob's token";
  EXPECT_TRUE(store.user_by_token(sha256_hex("t1")));
  EXPECT_FALSE(store.revoke_token(a.id, "no-such-token"));
  EXPECT_TRUE(store.revoke_token(a.id, t1));
  EXPECT_FALSE(store.user_by_token(sha256_hex("t1")));
  EXPECT_TRUE(store.user_by_token(sha256_hex("t2"))) << "other tokens stay";
  EXPECT_FALSE(store.revoke_token(a.id, t1)) << "already revoked";
  auto left = store.tokens_of_user(a.id);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, t2);
}

// ---- orgs, membership, roles -----------------------------------------------------------

TEST_P(StoreContract, EnsureOrgCreatesOnceAndReportsWhetherItDid) {
  bool created = false;
  Org o = store.ensure_org("github", "acme", &created);
  EXPECT_TRUE(created);
  EXPECT_EQ(o.vcs_type, "github");
  EXPECT_EQ(o.name, "acme");
  Org again = store.ensure_org("github", "acme", &created);
  EXPECT_FALSE(created);
  EXPECT_EQ(again.id, o.id);
  EXPECT_EQ(again.created_at, o.created_at);
  Org other_vcs = store.ensure_org("bitbucket", "acme", &created);
  EXPECT_TRUE(created);
  EXPECT_NE(other_vcs.id, o.id) << "orgs are keyed by (vcs_type, name)";
  EXPECT_EQ(store.org_by_id(o.id)->name, "acme");
  EXPECT_FALSE(store.org_by_id("no-such-org"));
  EXPECT_EQ(ids(store.all_orgs(), [](const Org& x) { return x.id; }),
            (std::set<std::string>{o.id, other_vcs.id}));
}

TEST_P(StoreContract, MembershipHasOneRolePerUserAndOrg) {
  Org acme = org("acme");
  Org beta = org("beta");
  User a = user("alice");
  User b = user("bob");
  store.add_member(acme.id, a.id, "admin");
  store.add_member(acme.id, b.id, "viewer");
  store.add_member(beta.id, a.id, "member");
  EXPECT_EQ(store.member_role(acme.id, a.id), "admin");
  EXPECT_EQ(store.member_role(acme.id, b.id), "viewer");
  EXPECT_EQ(store.member_role(beta.id, a.id), "member");
  EXPECT_FALSE(store.member_role(beta.id, b.id));
  // Adding again changes the role.
  store.add_member(acme.id, b.id, "member");
  EXPECT_EQ(store.member_role(acme.id, b.id), "member");
  auto members = store.members_of_org(acme.id);
  ASSERT_EQ(members.size(), 2u);
  for (const auto& m : members) {
    if (m.user.id == a.id)
      EXPECT_EQ(m.role, "admin");
    else if (m.user.id == b.id)
      EXPECT_EQ(m.role, "member");
    else
      ADD_FAILURE() << "unexpected member " << m.user.login;
  }
  EXPECT_EQ(ids(store.orgs_of_user(a.id), [](const Org& x) { return x.id; }),
            (std::set<std::string>{acme.id, beta.id}));
  EXPECT_EQ(ids(store.orgs_of_user(b.id), [](const Org& x) { return x.id; }),
            (std::set<std::string>{acme.id}));
  EXPECT_TRUE(store.members_of_org(org("empty").id).empty());
}

// ---- projects --------------------------------------------------------------------------

TEST_P(StoreContract, ProjectsAreFoundBySlugAndIdWithTheirOrgName) {
  Org acme = org("acme");
  Project p = project(acme, "app");
  for (auto got : {store.project_by_slug("gh/acme/app"), store.project_by_id(p.id)}) {
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, p.id);
    EXPECT_EQ(got->org_id, acme.id);
    EXPECT_EQ(got->slug, "gh/acme/app");
    EXPECT_EQ(got->org_name, "acme");
    EXPECT_EQ(got->name, "app");
    EXPECT_EQ(got->vcs_url, p.vcs_url);
    EXPECT_EQ(got->default_branch, "main");
    EXPECT_EQ(got->created_at, kT0);
  }
  EXPECT_FALSE(store.project_by_slug("gh/acme/other"));
  EXPECT_FALSE(store.project_by_id("no-such-project"));
}

TEST_P(StoreContract, ProjectSlugsAreUnique) {
  Org acme = org("acme");
  Project p = project(acme, "app");
  Project dup = p;
  dup.id = uuid_v4();
  dup.name = "other";
  EXPECT_FALSE(store.create_project(dup));
  EXPECT_FALSE(store.project_by_id(dup.id)) << "nothing written for a taken slug";
  EXPECT_EQ(store.project_by_slug(p.slug)->id, p.id);
}

TEST_P(StoreContract, ProjectSettingsAreEmptyUntilSetThenReplaced) {
  Project p = project(org("acme"), "app");
  EXPECT_EQ(store.project_settings(p.id), json::object());
  store.set_project_settings(p.id, json{{"build_fork_prs", true}, {"n", 3}});
  EXPECT_EQ(store.project_settings(p.id), (json{{"build_fork_prs", true}, {"n", 3}}));
  store.set_project_settings(p.id, json{{"n", 4}});
  EXPECT_EQ(store.project_settings(p.id), (json{{"n", 4}}));
}

TEST_P(StoreContract, DeletingAProjectDeletesEverythingItOwnsAndNothingElse) {
  Org acme = org("acme");
  User u = user("alice");
  Project doomed = project(acme, "doomed");
  Project kept = project(acme, "kept");
  struct Owned {
    Tree t;
    std::string webhook_id;
  };
  auto populate = [&](const Project& p) {
    Owned o{tree(p, u, {"queued", "blocked"}), uuid_v4()};
    store.upsert_step(Step{o.t.js[0].id, 0, "checkout", "success", 0, true, kT0, kT0 + 1});
    store.set_project_settings(p.id, json{{"k", "v"}});
    store.put_project_env(p.id, "TOKEN", "sealed");
    store.add_checkout_key(
        CheckoutKey{p.id, "SHA256:fp", "deploy-key", "ssh-ed25519 AAAA", "priv", true, kT0});
    Webhook w;
    w.id = o.webhook_id;
    w.project_id = p.id;
    w.name = "hook";
    w.url = "https://example.com/hook";
    w.events = json::array({"workflow-completed"});
    EXPECT_TRUE(store.create_webhook(w, 10));
    return o;
  };
  Owned d = populate(doomed);
  Owned k = populate(kept);

  EXPECT_TRUE(store.delete_project(doomed.id));
  EXPECT_FALSE(store.project_by_id(doomed.id));
  EXPECT_FALSE(store.project_by_slug(doomed.slug));
  EXPECT_FALSE(store.pipeline_by_id(d.t.p.id));
  EXPECT_FALSE(store.pipeline_config(d.t.p.id));
  EXPECT_FALSE(store.workflow_by_id(d.t.ws[0].id));
  for (const auto& j : d.t.js) EXPECT_FALSE(store.job_by_id(j.id));
  EXPECT_FALSE(store.job_by_number(doomed.id, 1));
  EXPECT_TRUE(store.steps_of_job(d.t.js[0].id).empty());
  EXPECT_TRUE(store.job_ids_of_project(doomed.id).empty());
  EXPECT_EQ(store.project_settings(doomed.id), json::object());
  EXPECT_TRUE(store.project_env(doomed.id).empty());
  EXPECT_TRUE(store.checkout_keys(doomed.id).empty());
  EXPECT_TRUE(store.webhooks_of_project(doomed.id).empty());
  EXPECT_FALSE(store.webhook_by_id(d.webhook_id));
  PipelineFilter f;
  f.project_id = doomed.id;
  EXPECT_TRUE(store.list_pipelines(f, std::nullopt, 10).items.empty());

  // The other project keeps everything.
  EXPECT_TRUE(store.pipeline_by_id(k.t.p.id));
  EXPECT_TRUE(store.workflow_by_id(k.t.ws[0].id));
  EXPECT_EQ(store.job_ids_of_project(kept.id).size(), 2u);
  EXPECT_EQ(store.steps_of_job(k.t.js[0].id).size(), 1u);
  EXPECT_EQ(store.project_settings(kept.id), (json{{"k", "v"}}));
  EXPECT_EQ(store.project_env(kept.id).size(), 1u);
  EXPECT_EQ(store.checkout_keys(kept.id).size(), 1u);
  EXPECT_TRUE(store.webhook_by_id(k.webhook_id));

  EXPECT_FALSE(store.delete_project(doomed.id)) << "already deleted";
  // Its slug is free again.
  Project reborn = project(acme, "doomed");
  EXPECT_EQ(store.reserve_pipeline_number(reborn.id), 1);
}

// ---- contexts --------------------------------------------------------------------------

TEST_P(StoreContract, ContextNamesAreUniquePerOrg) {
  Org acme = org("acme");
  Org beta = org("beta");
  auto c = store.create_context(acme.id, "deploy");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->org_id, acme.id);
  EXPECT_EQ(c->name, "deploy");
  EXPECT_FALSE(store.create_context(acme.id, "deploy"));
  auto other = store.create_context(beta.id, "deploy");
  ASSERT_TRUE(other) << "the same name in another org is fine";
  EXPECT_NE(other->id, c->id);
  EXPECT_EQ(store.context_by_id(c->id)->name, "deploy");
  EXPECT_EQ(store.context_by_name(acme.id, "deploy")->id, c->id);
  EXPECT_EQ(store.context_by_name(beta.id, "deploy")->id, other->id);
  EXPECT_FALSE(store.context_by_name(acme.id, "nope"));
  EXPECT_FALSE(store.context_by_id("no-such-context"));
  store.create_context(acme.id, "build");
  EXPECT_EQ(ids(store.contexts_of_org(acme.id), [](const Context& x) { return x.name; }),
            (std::set<std::string>{"build", "deploy"}));
}

TEST_P(StoreContract, ContextVariablesAreUpsertedAndKeepBinarySealedValues) {
  Org acme = org("acme");
  Context c = *store.create_context(acme.id, "deploy");
  const std::string sealed1("\x00\x01\xff\xfe sealed", 11);
  const std::string sealed2("\x00\x02 replaced", 11);
  EnvVar v = store.put_context_env(c.id, "TOKEN", sealed1);
  EXPECT_EQ(v.name, "TOKEN");
  EXPECT_EQ(v.sealed, sealed1);
  store.put_context_env(c.id, "OTHER", "x");
  EnvVar v2 = store.put_context_env(c.id, "TOKEN", sealed2);
  EXPECT_EQ(v2.sealed, sealed2);
  EXPECT_GE(v2.updated_at, v2.created_at);
  auto vars = store.context_env(c.id);
  ASSERT_EQ(vars.size(), 2u);
  for (const auto& e : vars)
    EXPECT_EQ(e.sealed, e.name == "TOKEN" ? sealed2 : std::string("x")) << e.name;
  EXPECT_TRUE(store.delete_context_env(c.id, "TOKEN"));
  EXPECT_FALSE(store.delete_context_env(c.id, "TOKEN"));
  ASSERT_EQ(store.context_env(c.id).size(), 1u);
  EXPECT_EQ(store.context_env(c.id)[0].name, "OTHER");
}

TEST_P(StoreContract, ContextRestrictionsAreAddedListedAndDeletedPerContext) {
  Org acme = org("acme");
  Context c = *store.create_context(acme.id, "deploy");
  Context other = *store.create_context(acme.id, "other");
  ContextRestriction r{uuid_v4(), c.id, "project", "project-id", "gh/acme/app", kT0};
  store.add_restriction(r);
  store.add_restriction(ContextRestriction{uuid_v4(), c.id, "expression",
                                           "pipeline.git.branch == \"main\"", "", kT0 + 1});
  auto rs = store.restrictions(c.id);
  ASSERT_EQ(rs.size(), 2u);
  auto it = std::find_if(rs.begin(), rs.end(), [&](const auto& x) { return x.id == r.id; });
  ASSERT_NE(it, rs.end());
  EXPECT_EQ(it->context_id, c.id);
  EXPECT_EQ(it->type, "project");
  EXPECT_EQ(it->value, "project-id");
  EXPECT_EQ(it->name, "gh/acme/app");
  EXPECT_EQ(it->created_at, kT0);
  EXPECT_TRUE(store.restrictions(other.id).empty());
  EXPECT_FALSE(store.delete_restriction(other.id, r.id)) << "not that context's restriction";
  EXPECT_TRUE(store.delete_restriction(c.id, r.id));
  EXPECT_FALSE(store.delete_restriction(c.id, r.id));
  EXPECT_EQ(store.restrictions(c.id).size(), 1u);
}

TEST_P(StoreContract, DeletingAContextDeletesItsVariablesAndRestrictions) {
  Org acme = org("acme");
  Context c = *store.create_context(acme.id, "deploy");
  Context kept = *store.create_context(acme.id, "kept");
  store.put_context_env(c.id, "A", "1");
  store.put_context_env(kept.id, "A", "1");
  store.add_restriction(ContextRestriction{uuid_v4(), c.id, "project", "p", "p", kT0});
  EXPECT_TRUE(store.delete_context(c.id));
  EXPECT_FALSE(store.context_by_id(c.id));
  EXPECT_TRUE(store.context_env(c.id).empty());
  EXPECT_TRUE(store.restrictions(c.id).empty());
  EXPECT_EQ(store.context_env(kept.id).size(), 1u);
  EXPECT_FALSE(store.delete_context(c.id));
  EXPECT_TRUE(store.create_context(acme.id, "deploy")) << "the name is free again";
}

// ---- project variables and checkout keys -----------------------------------------------

TEST_P(StoreContract, ProjectVariablesAreUpsertedPerProject) {
  Org acme = org("acme");
  Project p = project(acme, "app");
  Project q = project(acme, "lib");
  const std::string sealed("\x00\xff\x10 secret", 10);
  EnvVar v = store.put_project_env(p.id, "TOKEN", sealed);
  EXPECT_EQ(v.name, "TOKEN");
  EXPECT_EQ(v.sealed, sealed);
  store.put_project_env(p.id, "TOKEN", "replaced");
  store.put_project_env(p.id, "OTHER", "o");
  store.put_project_env(q.id, "TOKEN", "q's");
  auto vars = store.project_env(p.id);
  ASSERT_EQ(vars.size(), 2u);
  for (const auto& e : vars)
    EXPECT_EQ(e.sealed, e.name == "TOKEN" ? std::string("replaced") : std::string("o"));
  EXPECT_TRUE(store.delete_project_env(p.id, "TOKEN"));
  EXPECT_FALSE(store.delete_project_env(p.id, "TOKEN"));
  EXPECT_EQ(store.project_env(p.id).size(), 1u);
  ASSERT_EQ(store.project_env(q.id).size(), 1u);
  EXPECT_EQ(store.project_env(q.id)[0].sealed, "q's");
}

TEST_P(StoreContract, CheckoutKeysKeepOnePreferredKeyPerProject) {
  Org acme = org("acme");
  Project p = project(acme, "app");
  Project q = project(acme, "lib");
  const std::string priv("\x00-----BEGIN-----\xff", 18);
  store.add_checkout_key(CheckoutKey{p.id, "fp1", "deploy-key", "pub1", priv, true, kT0});
  store.add_checkout_key(CheckoutKey{q.id, "fq1", "deploy-key", "pubq", "pq", true, kT0});
  store.add_checkout_key(CheckoutKey{p.id, "fp2", "user-key", "pub2", "p2", false, kT0 + 1});
  auto preferred = [&](const std::string& project_id) {
    std::set<std::string> out;
    for (const auto& k : store.checkout_keys(project_id))
      if (k.preferred) out.insert(k.fingerprint);
    return out;
  };
  EXPECT_EQ(preferred(p.id), (std::set<std::string>{"fp1"}));
  store.add_checkout_key(CheckoutKey{p.id, "fp3", "user-key", "pub3", "p3", true, kT0 + 2});
  EXPECT_EQ(preferred(p.id), (std::set<std::string>{"fp3"}));
  EXPECT_EQ(preferred(q.id), (std::set<std::string>{"fq1"})) << "other projects untouched";
  auto keys = store.checkout_keys(p.id);
  ASSERT_EQ(keys.size(), 3u);
  auto k1 =
      std::find_if(keys.begin(), keys.end(), [](const auto& k) { return k.fingerprint == "fp1"; });
  ASSERT_NE(k1, keys.end());
  EXPECT_EQ(k1->project_id, p.id);
  EXPECT_EQ(k1->type, "deploy-key");
  EXPECT_EQ(k1->public_key, "pub1");
  EXPECT_EQ(k1->private_sealed, priv);
  EXPECT_EQ(k1->created_at, kT0);
  EXPECT_FALSE(store.delete_checkout_key(q.id, "fp1")) << "not q's key";
  EXPECT_TRUE(store.delete_checkout_key(p.id, "fp1"));
  EXPECT_FALSE(store.delete_checkout_key(p.id, "fp1"));
  EXPECT_EQ(store.checkout_keys(p.id).size(), 2u);
}

// ---- webhooks and org settings ---------------------------------------------------------

TEST_P(StoreContract, WebhooksAreLimitedPerProjectAndNothingIsWrittenOverTheLimit) {
  Org acme = org("acme");
  Project p = project(acme, "app");
  Project q = project(acme, "lib");
  auto hook = [&](const Project& pr, const std::string& name) {
    Webhook w;
    w.id = uuid_v4();
    w.project_id = pr.id;
    w.name = name;
    w.url = "https://example.com/" + name;
    w.verify_tls = false;
    w.secret_sealed = std::string("\x00secret", 7);
    w.events = json::array({"workflow-completed", "job-completed"});
    w.created_at = w.updated_at = kT0;
    return w;
  };
  Webhook first = hook(p, "a");
  EXPECT_TRUE(store.create_webhook(first, 2));
  EXPECT_TRUE(store.create_webhook(hook(p, "b"), 2));
  Webhook third = hook(p, "c");
  EXPECT_FALSE(store.create_webhook(third, 2));
  EXPECT_FALSE(store.webhook_by_id(third.id));
  EXPECT_EQ(store.webhooks_of_project(p.id).size(), 2u);
  EXPECT_TRUE(store.create_webhook(hook(q, "a"), 2)) << "the limit is per project";

  auto got = store.webhook_by_id(first.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->project_id, p.id);
  EXPECT_EQ(got->name, "a");
  EXPECT_EQ(got->url, "https://example.com/a");
  EXPECT_FALSE(got->verify_tls);
  EXPECT_EQ(got->secret_sealed, first.secret_sealed);
  EXPECT_EQ(got->events, first.events);

  Webhook changed = first;
  changed.name = "renamed";
  changed.url = "https://example.com/new";
  changed.verify_tls = true;
  changed.secret_sealed = "";
  changed.events = json::array({"job-completed"});
  changed.updated_at = kT0 + 5;
  store.update_webhook(changed);
  got = store.webhook_by_id(first.id);
  EXPECT_EQ(got->name, "renamed");
  EXPECT_EQ(got->url, "https://example.com/new");
  EXPECT_TRUE(got->verify_tls);
  EXPECT_EQ(got->secret_sealed, "");
  EXPECT_EQ(got->events, changed.events);
  EXPECT_EQ(got->updated_at, kT0 + 5);
  EXPECT_EQ(got->created_at, kT0);

  EXPECT_TRUE(store.delete_webhook(first.id));
  EXPECT_FALSE(store.delete_webhook(first.id));
  EXPECT_TRUE(store.create_webhook(hook(p, "d"), 2)) << "room again after a delete";
}

TEST_P(StoreContract, OrgSettingsAreEmptyUntilSetThenReplaced) {
  Org acme = org("acme");
  OrgSettings s = store.org_settings(acme.id);
  EXPECT_EQ(s.org_id, acme.id);
  EXPECT_EQ(s.cirrus_url, "");
  EXPECT_EQ(s.cirrus_secret_sealed, "");
  store.set_org_settings(OrgSettings{acme.id, "https://cirrus.example.com", std::string("\0s", 2)});
  s = store.org_settings(acme.id);
  EXPECT_EQ(s.cirrus_url, "https://cirrus.example.com");
  EXPECT_EQ(s.cirrus_secret_sealed, std::string("\0s", 2));
  store.set_org_settings(OrgSettings{acme.id, "", ""});
  EXPECT_EQ(store.org_settings(acme.id).cirrus_url, "");
}

// ---- outbox ----------------------------------------------------------------------------

TEST_P(StoreContract, DueEventsArePendingOnesOldestDueFirst) {
  EXPECT_FALSE(store.next_event_due());
  EXPECT_TRUE(store.due_events(kT0, 10).empty());
  OutboxEvent late = event("t", kT0 + 300);
  OutboxEvent early = event("t", kT0 + 100);
  OutboxEvent tie1 = event("t", kT0 + 200);
  OutboxEvent tie2 = event("t", kT0 + 200);
  OutboxEvent future = event("t", kT0 + 10'000);
  store.insert_events({late, early, tie1, tie2, future});
  auto stored = store.events_for_target("t");
  ASSERT_EQ(stored.size(), 5u);
  for (size_t i = 1; i < stored.size(); ++i)
    EXPECT_GT(stored[i].seq, stored[i - 1].seq) << "seq grows in insertion order";
  EXPECT_EQ(stored[0].id, late.id);
  EXPECT_EQ(stored[0].kind, "circleci");
  EXPECT_EQ(stored[0].event_type, "workflow-completed");
  EXPECT_EQ(stored[0].body, late.body);
  EXPECT_EQ(stored[0].created_at, kT0);
  EXPECT_EQ(stored[0].status, "pending");
  EXPECT_EQ(stored[0].attempts, 0);

  EXPECT_EQ(store.next_event_due(), kT0 + 100);
  auto due = store.due_events(kT0 + 300, 10);
  ASSERT_EQ(due.size(), 4u);
  EXPECT_EQ(due[0].id, early.id);
  EXPECT_EQ(due[1].id, tie1.id) << "equal times: insertion order";
  EXPECT_EQ(due[2].id, tie2.id);
  EXPECT_EQ(due[3].id, late.id);
  auto limited = store.due_events(kT0 + 300, 2);
  ASSERT_EQ(limited.size(), 2u);
  EXPECT_EQ(limited[1].id, tie1.id);
  EXPECT_TRUE(store.due_events(kT0 + 99, 10).empty());
  EXPECT_EQ(store.due_events(kT0 + 100, 10).size(), 1u) << "due at exactly next_attempt_at";
  EXPECT_TRUE(store.events_for_target("other").empty());
}

TEST_P(StoreContract, RecordDeliveryMovesAnEventThroughItsStatuses) {
  store.insert_events({event("t", kT0), event("t", kT0 + 1), event("t", kT0 + 2)});
  auto evs = store.events_for_target("t");
  ASSERT_EQ(evs.size(), 3u);
  const int64_t retried = evs[0].seq, delivered = evs[1].seq, failed = evs[2].seq;

  // A failed attempt: pending again, later.
  store.record_delivery(Delivery{retried, kT0 + 10, 503, "HTTP 503", 12}, "pending", kT0 + 5000);
  store.record_delivery(Delivery{delivered, kT0 + 11, 200, "", 7}, "delivered", kT0 + 11);
  store.record_delivery(Delivery{failed, kT0 + 12, 0, "connection refused", 3}, "failed", kT0 + 12);

  evs = store.events_for_target("t");
  ASSERT_EQ(evs.size(), 3u) << "events stay listed whatever their status";
  EXPECT_EQ(evs[0].status, "pending");
  EXPECT_EQ(evs[0].attempts, 1);
  EXPECT_EQ(evs[0].next_attempt_at, kT0 + 5000);
  EXPECT_EQ(evs[0].last_error, "HTTP 503");
  EXPECT_EQ(evs[1].status, "delivered");
  EXPECT_EQ(evs[1].attempts, 1);
  EXPECT_EQ(evs[2].status, "failed");
  EXPECT_EQ(evs[2].last_error, "connection refused");

  // Only pending events are due, and only once their time has come.
  EXPECT_EQ(store.next_event_due(), kT0 + 5000);
  EXPECT_TRUE(store.due_events(kT0 + 4999, 10).empty());
  auto due = store.due_events(kT0 + 1'000'000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].seq, retried);

  store.record_delivery(Delivery{retried, kT0 + 5001, 200, "", 9}, "delivered", kT0 + 5001);
  EXPECT_FALSE(store.next_event_due()) << "nothing pending";
  EXPECT_TRUE(store.due_events(kT0 + 1'000'000, 10).empty());
  auto attempts = store.deliveries_of(retried);
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].event_seq, retried);
  EXPECT_EQ(attempts[0].attempted_at, kT0 + 10);
  EXPECT_EQ(attempts[0].status_code, 503);
  EXPECT_EQ(attempts[0].error, "HTTP 503");
  EXPECT_EQ(attempts[0].duration_ms, 12);
  EXPECT_EQ(attempts[1].status_code, 200);
  EXPECT_EQ(store.events_for_target("t")[0].attempts, 2);
  EXPECT_EQ(store.deliveries_of(failed).size(), 1u);
  EXPECT_TRUE(store.deliveries_of(999'999).empty());
}

// ---- pipelines -------------------------------------------------------------------------

TEST_P(StoreContract, PipelineNumbersArePerProjectAndMonotonic) {
  Org acme = org("acme");
  Project p = project(acme, "app");
  Project q = project(acme, "lib");
  EXPECT_EQ(store.reserve_pipeline_number(p.id), 1);
  EXPECT_EQ(store.reserve_pipeline_number(p.id), 2);
  EXPECT_EQ(store.reserve_pipeline_number(q.id), 1);
  EXPECT_EQ(store.reserve_pipeline_number(p.id), 3);
}

TEST_P(StoreContract, ConcurrentPipelineNumberReservationsNeverCollide) {
  Project p = project(org("acme"), "app");
  std::vector<int64_t> numbers(40);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) numbers[t * 10 + i] = store.reserve_pipeline_number(p.id);
    });
  for (auto& t : threads) t.join();
  std::sort(numbers.begin(), numbers.end());
  for (int i = 0; i < 40; ++i) EXPECT_EQ(numbers[i], i + 1);
}

TEST_P(StoreContract, CreatePipelineWritesEverythingAndReadsItBack) {
  Org acme = org("acme");
  User u = user("alice");
  Project pr = project(acme, "app");
  Pipeline p = pipeline(pr, u, "feature");
  p.tag = "v1.0";
  p.trigger_type = "webhook";
  p.errors = json::array({json{{"type", "config"}, {"message", "bad"}}});
  p.parameters = json{{"deploy", true}};
  Workflow w0 = workflow(p, "build", 0);
  Workflow w1 = workflow(p, "deploy", 1, "on_hold");
  std::vector<Workflow> ws{w1, w0};  // not in position order
  Job j = job(w0, "compile", "queued", 0);
  j.requirements = json::array({json{{"job", "x"}, {"statuses", {"success"}}}});
  j.spec = json{{"docker", {{"image", "debian"}}}};
  j.contexts = json::array({"deploy"});
  Job approval = job(w1, "hold", "on_hold", 0, "approval");
  std::vector<Job> js{j, approval};
  OutboxEvent created = event("hook-1", kT0);
  store.create_pipeline(p, ws, js, {created});

  EXPECT_GT(p.seq, 0);
  auto got = store.pipeline_by_id(p.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->project_id, pr.id);
  EXPECT_EQ(got->project_slug, "gh/acme/app");
  EXPECT_EQ(got->number, p.number);
  EXPECT_EQ(got->seq, p.seq);
  EXPECT_EQ(got->state, "created");
  EXPECT_EQ(got->created_at, p.created_at);
  EXPECT_EQ(got->updated_at, p.updated_at);
  EXPECT_EQ(got->trigger_type, "webhook");
  EXPECT_EQ(got->actor_id, u.id);
  EXPECT_EQ(got->branch, "feature");
  EXPECT_EQ(got->tag, "v1.0");
  EXPECT_EQ(got->revision, p.revision);
  EXPECT_EQ(got->commit_subject, "subject");
  EXPECT_EQ(got->commit_body, "body");
  EXPECT_EQ(got->errors, p.errors);
  EXPECT_EQ(got->parameters, p.parameters);
  EXPECT_EQ(got->values, p.values);
  EXPECT_EQ(got->config_source, "") << "reads leave the config out";
  EXPECT_EQ(got->config_compiled, "");
  EXPECT_EQ(got->org_id, acme.id);
  EXPECT_EQ(got->vcs_url, pr.vcs_url);
  EXPECT_EQ(got->actor_login, "alice");
  auto config = store.pipeline_config(p.id);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->first, "version: 2.1\n");
  EXPECT_EQ(config->second, "{\"version\":2.1}");
  EXPECT_EQ(store.pipeline_by_number(pr.id, p.number)->id, p.id);

  auto wf = store.workflows_of_pipeline(p.id);
  ASSERT_EQ(wf.size(), 2u);
  EXPECT_EQ(wf[0].id, w0.id) << "ordered by position";
  EXPECT_EQ(wf[1].id, w1.id);
  EXPECT_EQ(wf[1].name, "deploy");
  EXPECT_EQ(wf[1].status, "on_hold");
  EXPECT_EQ(wf[1].pipeline_id, p.id);
  EXPECT_EQ(wf[1].project_id, pr.id);
  EXPECT_EQ(wf[1].started_by, u.id);
  EXPECT_EQ(wf[1].position, 1);
  EXPECT_FALSE(wf[1].canceled);

  auto gj = store.job_by_id(j.id);
  ASSERT_TRUE(gj);
  EXPECT_EQ(gj->workflow_id, w0.id);
  EXPECT_EQ(gj->pipeline_id, p.id);
  EXPECT_EQ(gj->project_id, pr.id);
  EXPECT_EQ(gj->name, "compile");
  EXPECT_EQ(gj->type, "build");
  EXPECT_EQ(gj->status, "queued");
  EXPECT_EQ(gj->requirements, j.requirements);
  EXPECT_EQ(gj->spec, j.spec);
  EXPECT_EQ(gj->contexts, j.contexts);
  EXPECT_EQ(gj->queued_at, j.queued_at);
  EXPECT_EQ(store.jobs_of_workflow(w1.id).at(0).type, "approval");

  auto evs = store.events_for_target("hook-1");
  ASSERT_EQ(evs.size(), 1u) << "the outbox is written with the pipeline";
  EXPECT_EQ(evs[0].id, created.id);
  EXPECT_EQ(evs[0].body, created.body);
}

TEST_P(StoreContract, JobsCreatedQueuedGetTheProjectsNextJobNumbers) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Project q = project(acme, "lib");
  Tree a = tree(p, u, {"queued", "blocked", "queued"});
  EXPECT_EQ(a.js[0].number, 1);
  EXPECT_EQ(a.js[1].number, 0) << "not queued: no number yet";
  EXPECT_EQ(a.js[2].number, 2);
  EXPECT_EQ(store.job_by_id(a.js[2].id)->number, 2);
  EXPECT_EQ(store.job_by_id(a.js[1].id)->number, 0);
  EXPECT_EQ(store.job_by_number(p.id, 1)->id, a.js[0].id);
  EXPECT_EQ(store.job_by_number(p.id, 2)->id, a.js[2].id);
  EXPECT_FALSE(store.job_by_number(p.id, 3));
  Tree b = tree(q, u, {"queued"});
  EXPECT_EQ(b.js[0].number, 1) << "numbers are per project";
  Tree c = tree(p, u, {"queued"});
  EXPECT_EQ(c.js[0].number, 3);
}

TEST_P(StoreContract, ListingIsNewestFirstWithKeysetPagesStableUnderInserts) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  for (int i = 0; i < 7; ++i) tree(p, u, {});
  PipelineFilter f;
  f.project_id = p.id;
  std::vector<int64_t> seen;
  std::optional<int64_t> cursor;
  int pages = 0;
  do {
    auto page = store.list_pipelines(f, cursor, 3);
    ASSERT_LE(page.items.size(), 3u);
    for (const auto& pl : page.items) seen.push_back(pl.number);
    cursor = page.next_seq;
    // Inserts between pages neither shift nor repeat what follows.
    tree(p, u, {});
    ++pages;
  } while (cursor && pages < 10);
  EXPECT_EQ(seen, (std::vector<int64_t>{7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(pages, 3);
  auto newest = store.list_pipelines(f, std::nullopt, 1);
  ASSERT_EQ(newest.items.size(), 1u);
  EXPECT_EQ(newest.items[0].number, 10);
  EXPECT_TRUE(newest.next_seq);
  auto all = store.list_pipelines(f, std::nullopt, 10);
  EXPECT_EQ(all.items.size(), 10u);
  EXPECT_FALSE(all.next_seq) << "no cursor when nothing follows";
}

TEST_P(StoreContract, ListingFiltersCombine) {
  Org acme = org("acme");
  Org beta = org("beta");
  User alice = user("alice");
  User bob = user("bob");
  Project app = project(acme, "app");
  Project lib = project(acme, "lib");
  Project other = project(beta, "svc");
  Tree a1 = tree(app, alice, {}, {}, "main");
  Tree a2 = tree(app, bob, {}, {}, "dev");
  Tree a3 = tree(app, alice, {}, {}, "dev");
  Tree l1 = tree(lib, bob, {}, {}, "main");
  Tree o1 = tree(other, alice, {}, {}, "main");
  auto list = [&](PipelineFilter f) {
    std::vector<std::string> out;
    for (const auto& p : store.list_pipelines(f, std::nullopt, 100).items) out.push_back(p.id);
    return out;
  };
  PipelineFilter f;
  EXPECT_EQ(list(f), (std::vector<std::string>{o1.p.id, l1.p.id, a3.p.id, a2.p.id, a1.p.id}));
  f.project_id = app.id;
  EXPECT_EQ(list(f), (std::vector<std::string>{a3.p.id, a2.p.id, a1.p.id}));
  f.branch = "dev";
  EXPECT_EQ(list(f), (std::vector<std::string>{a3.p.id, a2.p.id}));
  f.actor_id = alice.id;
  EXPECT_EQ(list(f), (std::vector<std::string>{a3.p.id}));
  PipelineFilter by_actor;
  by_actor.actor_id = bob.id;
  EXPECT_EQ(list(by_actor), (std::vector<std::string>{l1.p.id, a2.p.id}));
  PipelineFilter by_org;
  by_org.org_ids = {beta.id};
  EXPECT_EQ(list(by_org), (std::vector<std::string>{o1.p.id}));
  by_org.org_ids = {beta.id, acme.id};
  EXPECT_EQ(list(by_org).size(), 5u);
  by_org.org_ids = {"no-such-org"};
  EXPECT_TRUE(list(by_org).empty());
  by_org.org_ids = {acme.id};
  by_org.branch = "main";
  EXPECT_EQ(list(by_org), (std::vector<std::string>{l1.p.id, a1.p.id}));
}

TEST_P(StoreContract, LookupsOfUnknownPipelinesWorkflowsAndJobsAreEmpty) {
  Project p = project(org("acme"), "app");
  EXPECT_FALSE(store.pipeline_by_id("nope"));
  EXPECT_FALSE(store.pipeline_config("nope"));
  EXPECT_FALSE(store.pipeline_by_number(p.id, 1));
  EXPECT_FALSE(store.workflow_by_id("nope"));
  EXPECT_TRUE(store.workflows_of_pipeline("nope").empty());
  EXPECT_FALSE(store.job_by_id("nope"));
  EXPECT_FALSE(store.job_by_number(p.id, 1));
  EXPECT_TRUE(store.jobs_of_workflow("nope").empty());
  EXPECT_TRUE(store.job_ids_of_project(p.id).empty());
  EXPECT_TRUE(store.steps_of_job("nope").empty());
  EXPECT_TRUE(store.unfinished_workflows(p.id, "").empty());
}

// ---- workflows and jobs ----------------------------------------------------------------

TEST_P(StoreContract, JobsAreListedByWorkflowStatusAndProject) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Project q = project(acme, "lib");
  Tree a = tree(p, u, {"blocked", "queued", "queued"});
  Tree b = tree(q, u, {"queued"});
  auto jobs = store.jobs_of_workflow(a.ws[0].id);
  ASSERT_EQ(jobs.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(jobs[i].position, i) << "ordered by position";
  EXPECT_EQ(ids(store.jobs_with_status("queued"), [](const Job& j) { return j.id; }),
            (std::set<std::string>{a.js[1].id, a.js[2].id, b.js[0].id}));
  EXPECT_EQ(ids(store.jobs_with_status("blocked"), [](const Job& j) { return j.id; }),
            (std::set<std::string>{a.js[0].id}));
  EXPECT_TRUE(store.jobs_with_status("running").empty());
  auto of_p = store.job_ids_of_project(p.id);
  EXPECT_EQ(std::set<std::string>(of_p.begin(), of_p.end()),
            (std::set<std::string>{a.js[0].id, a.js[1].id, a.js[2].id}));
}

TEST_P(StoreContract, UnfinishedWorkflowsAreThoseNotInAFinalStatus) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Project q = project(acme, "lib");
  const std::vector<std::string> statuses = {"running", "failing", "on_hold",
                                             "success", "failed",  "canceled",
                                             "not_run", "error",   "unauthorized"};
  std::set<std::string> want_main, want_any;
  for (const auto& branch : {"main", "dev"}) {
    Pipeline pl = pipeline(p, u, branch);
    std::vector<Workflow> ws;
    std::vector<Job> js;
    for (size_t i = 0; i < statuses.size(); ++i) {
      ws.push_back(workflow(pl, statuses[i], static_cast<int>(i), statuses[i]));
      if (!model::workflow_is_terminal(statuses[i])) {
        want_any.insert(ws.back().id);
        if (std::string(branch) == "main") want_main.insert(ws.back().id);
      }
    }
    store.create_pipeline(pl, ws, js);
  }
  tree(q, u, {});  // another project's running workflow
  ASSERT_EQ(want_main.size(), 3u);
  EXPECT_EQ(ids(store.unfinished_workflows(p.id, "main"), [](const Workflow& w) { return w.id; }),
            want_main);
  EXPECT_EQ(ids(store.unfinished_workflows(p.id, ""), [](const Workflow& w) { return w.id; }),
            want_any);
  EXPECT_TRUE(store.unfinished_workflows(p.id, "nope").empty());
}

TEST_P(StoreContract, UpdateWorkflowWritesTheWorkflowAndChangedJobsAndReturnsThem) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued", "blocked", "blocked"});
  ASSERT_TRUE(store.claim_job(t.js[0].id, kT0 + 10));
  int calls = 0;
  auto st = store.update_workflow(t.ws[0].id, [&](WorkflowState& s) {
    ++calls;
    EXPECT_EQ(s.workflow.id, t.ws[0].id);
    EXPECT_EQ(s.workflow.status, "running");
    ASSERT_EQ(s.jobs.size(), 3u);
    EXPECT_EQ(s.jobs[0].status, "running") << "the change sees the current rows";
    EXPECT_EQ(s.jobs[0].started_at, kT0 + 10);
    s.jobs[0].status = "failed";
    s.jobs[0].stopped_at = kT0 + 20;
    s.jobs[0].message = "exit 1";
    s.jobs[1].status = "not_run";
    s.jobs[1].stopped_at = kT0 + 20;
    s.workflow.status = "failing";
    s.workflow.canceled = true;
    s.workflow.canceled_by = u.id;
    s.workflow.stopped_at = kT0 + 21;
    s.outbox.push_back(event("hook", kT0 + 20, "job-completed"));
  });
  EXPECT_EQ(calls, 1);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->workflow.status, "failing");
  EXPECT_EQ(st->jobs[0].status, "failed");
  auto w = store.workflow_by_id(t.ws[0].id);
  EXPECT_EQ(w->status, "failing");
  EXPECT_TRUE(w->canceled);
  EXPECT_EQ(w->canceled_by, u.id);
  EXPECT_EQ(w->stopped_at, kT0 + 21);
  auto j0 = store.job_by_id(t.js[0].id);
  EXPECT_EQ(j0->status, "failed");
  EXPECT_EQ(j0->stopped_at, kT0 + 20);
  EXPECT_EQ(j0->message, "exit 1");
  EXPECT_EQ(j0->number, 1) << "numbers never change";
  EXPECT_EQ(store.job_by_id(t.js[1].id)->status, "not_run");
  EXPECT_EQ(store.job_by_id(t.js[1].id)->number, 0) << "not_run jobs get no number";
  EXPECT_EQ(store.job_by_id(t.js[2].id)->status, "blocked");
  auto evs = store.events_for_target("hook");
  ASSERT_EQ(evs.size(), 1u) << "outbox events are written with the change";
  EXPECT_EQ(evs[0].event_type, "job-completed");
}

TEST_P(StoreContract, JobsThatBecomeQueuedGetTheNextJobNumber) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued", "blocked", "blocked"});
  EXPECT_EQ(t.js[0].number, 1);
  auto st = store.update_workflow(t.ws[0].id, [](WorkflowState& s) {
    s.jobs[0].status = "success";
    s.jobs[1].status = "queued";
    s.jobs[1].queued_at = kT0 + 5;
  });
  ASSERT_TRUE(st);
  EXPECT_EQ(st->jobs[1].number, 2) << "the returned state carries the number";
  EXPECT_EQ(st->jobs[2].number, 0);
  auto j1 = store.job_by_number(p.id, 2);
  ASSERT_TRUE(j1);
  EXPECT_EQ(j1->id, t.js[1].id);
  EXPECT_EQ(j1->status, "queued");
  EXPECT_EQ(j1->queued_at, kT0 + 5);
  // Numbers continue across create_pipeline and update_workflow.
  Tree next = tree(p, u, {"queued"});
  EXPECT_EQ(next.js[0].number, 3);
  st = store.update_workflow(t.ws[0].id, [](WorkflowState& s) { s.jobs[2].status = "queued"; });
  EXPECT_EQ(st->jobs[2].number, 4);
  // A job already numbered keeps its number when it is queued again.
  st = store.update_workflow(t.ws[0].id, [](WorkflowState& s) { s.jobs[2].status = "blocked"; });
  st = store.update_workflow(t.ws[0].id, [](WorkflowState& s) { s.jobs[2].status = "queued"; });
  EXPECT_EQ(st->jobs[2].number, 4);
  EXPECT_FALSE(store.job_by_number(p.id, 5));
}

TEST_P(StoreContract, UpdateWorkflowOfAnUnknownWorkflowIsNulloptAndDoesNotCallChange) {
  bool called = false;
  EXPECT_FALSE(store.update_workflow("no-such-workflow", [&](WorkflowState&) { called = true; }));
  EXPECT_FALSE(called);
}

TEST_P(StoreContract, AnExceptionInsideChangeRollsEverythingBack) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued", "blocked"});
  EXPECT_THROW(store.update_workflow(t.ws[0].id,
                                     [&](WorkflowState& s) {
                                       s.workflow.status = "failed";
                                       s.jobs[0].status = "canceled";
                                       s.jobs[1].status = "queued";
                                       s.outbox.push_back(event("hook", kT0));
                                       throw std::runtime_error("boom");
                                     }),
               std::runtime_error);
  EXPECT_EQ(store.workflow_by_id(t.ws[0].id)->status, "running");
  EXPECT_EQ(store.job_by_id(t.js[0].id)->status, "queued");
  EXPECT_EQ(store.job_by_id(t.js[1].id)->status, "blocked");
  EXPECT_EQ(store.job_by_id(t.js[1].id)->number, 0);
  EXPECT_FALSE(store.job_by_number(p.id, 2));
  EXPECT_TRUE(store.events_for_target("hook").empty());
  // The store is usable afterwards.
  auto st =
      store.update_workflow(t.ws[0].id, [](WorkflowState& s) { s.jobs[1].status = "queued"; });
  ASSERT_TRUE(st);
  EXPECT_EQ(st->jobs[1].number, 2);
}

TEST_P(StoreContract, ConcurrentUpdatesOfOneWorkflowNeverLoseAWrite) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"running"});
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&] {
      for (int k = 0; k < kEach; ++k)
        store.update_workflow(t.ws[0].id, [](WorkflowState& s) {
          // Read-modify-write of a counter kept in the job's message.
          int n = s.jobs[0].message.empty() ? 0 : std::stoi(s.jobs[0].message);
          s.jobs[0].message = std::to_string(n + 1);
        });
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(store.job_by_id(t.js[0].id)->message, std::to_string(kThreads * kEach));
}

TEST_P(StoreContract, ClaimingAJobSucceedsOnceAndOnlyFromQueued) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued", "blocked"});
  EXPECT_TRUE(store.claim_job(t.js[0].id, kT0 + 42));
  auto j = store.job_by_id(t.js[0].id);
  EXPECT_EQ(j->status, "running");
  EXPECT_EQ(j->started_at, kT0 + 42);
  EXPECT_FALSE(store.claim_job(t.js[0].id, kT0 + 43)) << "a job is claimed once";
  EXPECT_EQ(store.job_by_id(t.js[0].id)->started_at, kT0 + 42);
  EXPECT_FALSE(store.claim_job(t.js[1].id, kT0)) << "blocked jobs are not claimable";
  EXPECT_EQ(store.job_by_id(t.js[1].id)->status, "blocked");
  EXPECT_FALSE(store.claim_job("no-such-job", kT0));
  // A queued job canceled by a workflow update is no longer claimable.
  Tree u2 = tree(p, u, {"queued"});
  store.update_workflow(u2.ws[0].id, [](WorkflowState& s) { s.jobs[0].status = "canceled"; });
  EXPECT_FALSE(store.claim_job(u2.js[0].id, kT0));
  EXPECT_EQ(store.job_by_id(u2.js[0].id)->status, "canceled");
}

TEST_P(StoreContract, ConcurrentClaimsHaveExactlyOneWinnerPerJob) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, std::vector<std::string>(8, "queued"));
  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> won(kThreads);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      for (const auto& j : t.js)
        if (store.claim_job(j.id, kT0 + i)) won[i].push_back(j.id);
    });
  go = true;
  for (auto& th : threads) th.join();
  std::multiset<std::string> winners;
  for (const auto& w : won) winners.insert(w.begin(), w.end());
  EXPECT_EQ(winners.size(), t.js.size());
  for (const auto& j : t.js) {
    EXPECT_EQ(winners.count(j.id), 1u) << j.name;
    EXPECT_EQ(store.job_by_id(j.id)->status, "running");
  }
}

TEST_P(StoreContract, LeasesAreWrittenByUpdateWorkflowAndExtendedOnlyWhileCurrent) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"queued", "queued"});
  const std::string job = t.js[0].id;
  store.update_workflow(t.ws[0].id, [&](WorkflowState& s) {
    s.jobs[0].status = "running";
    s.jobs[0].lease_id = "lease-1";
    s.jobs[0].lease_holder = "runner-a";
    s.jobs[0].lease_expires_at = kT0 + 100;
    s.jobs[0].lease_count = 1;
  });
  auto j = store.job_by_id(job);
  EXPECT_EQ(j->lease_id, "lease-1");
  EXPECT_EQ(j->lease_holder, "runner-a");
  EXPECT_EQ(j->lease_expires_at, kT0 + 100);
  EXPECT_EQ(j->lease_count, 1);

  auto check = store.extend_lease(job, "lease-1", kT0 + 200);
  ASSERT_TRUE(check);
  EXPECT_FALSE(check->cancel_requested);
  EXPECT_EQ(store.job_by_id(job)->lease_expires_at, kT0 + 200);
  store.extend_lease(job, "lease-1", kT0 + 150);
  EXPECT_EQ(store.job_by_id(job)->lease_expires_at, kT0 + 200) << "never moved backwards";
  EXPECT_FALSE(store.extend_lease(job, "lease-0", kT0 + 300)) << "not the current lease";
  EXPECT_FALSE(store.extend_lease(job, "", kT0 + 300));
  EXPECT_FALSE(store.extend_lease(t.js[1].id, "lease-1", kT0 + 300)) << "another job";
  EXPECT_FALSE(store.extend_lease("no-such-job", "lease-1", kT0 + 300));
  EXPECT_EQ(store.job_by_id(job)->lease_expires_at, kT0 + 200);

  // A cancel request on the running job is what extend reports.
  store.update_workflow(t.ws[0].id, [&](WorkflowState& s) { s.jobs[0].canceled_by = u.id; });
  check = store.extend_lease(job, "lease-1", kT0 + 300);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->cancel_requested);

  // Once the job ended, the lease is no longer extended.
  store.update_workflow(t.ws[0].id, [&](WorkflowState& s) { s.jobs[0].status = "canceled"; });
  EXPECT_FALSE(store.extend_lease(job, "lease-1", kT0 + 400));
}

// ---- steps -----------------------------------------------------------------------------

TEST_P(StoreContract, StepsAreUpsertedByJobAndIndex) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"running", "running"});
  const std::string job = t.js[0].id;
  store.upsert_step(Step{job, 1, "build", "running", 0, false, kT0 + 2, 0});
  store.upsert_step(Step{job, 0, "checkout", "running", 0, false, kT0 + 1, 0});
  store.upsert_step(Step{t.js[1].id, 0, "other", "running", 0, false, kT0, 0});
  store.upsert_step(Step{job, 0, "checkout", "success", 0, true, kT0 + 1, kT0 + 2});
  store.upsert_step(Step{job, 1, "build", "failed", 2, true, kT0 + 2, kT0 + 3});
  auto steps = store.steps_of_job(job);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].index, 0) << "ordered by index";
  EXPECT_EQ(steps[0].job_id, job);
  EXPECT_EQ(steps[0].name, "checkout");
  EXPECT_EQ(steps[0].status, "success");
  EXPECT_TRUE(steps[0].has_exit_code);
  EXPECT_EQ(steps[0].exit_code, 0);
  EXPECT_EQ(steps[0].started_at, kT0 + 1);
  EXPECT_EQ(steps[0].ended_at, kT0 + 2);
  EXPECT_EQ(steps[1].status, "failed");
  EXPECT_EQ(steps[1].exit_code, 2);
  auto other = store.steps_of_job(t.js[1].id);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_FALSE(other[0].has_exit_code) << "no exit code stays no exit code";
  EXPECT_EQ(other[0].ended_at, 0);
}

TEST_P(StoreContract, CloseRunningStepsClosesOnlyThatJobsRunningSteps) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"running", "running"});
  const std::string job = t.js[0].id;
  store.upsert_step(Step{job, 0, "checkout", "success", 0, true, kT0, kT0 + 1});
  store.upsert_step(Step{job, 1, "build", "running", 0, false, kT0 + 1, 0});
  store.upsert_step(Step{t.js[1].id, 0, "other", "running", 0, false, kT0, 0});
  store.close_running_steps(job, "canceled", kT0 + 99);
  auto steps = store.steps_of_job(job);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].status, "success");
  EXPECT_EQ(steps[0].ended_at, kT0 + 1) << "finished steps are untouched";
  EXPECT_EQ(steps[1].status, "canceled");
  EXPECT_EQ(steps[1].ended_at, kT0 + 99);
  EXPECT_EQ(store.steps_of_job(t.js[1].id)[0].status, "running") << "other jobs untouched";
}

TEST_P(StoreContract, DeleteStepsForgetsOnlyThatJobsSteps) {
  Org acme = org("acme");
  User u = user("alice");
  Project p = project(acme, "app");
  Tree t = tree(p, u, {"running", "running"});
  store.upsert_step(Step{t.js[0].id, 0, "checkout", "success", 0, true, kT0, kT0 + 1});
  store.upsert_step(Step{t.js[0].id, 1, "build", "running", 0, false, kT0 + 1, 0});
  store.upsert_step(Step{t.js[1].id, 0, "other", "running", 0, false, kT0, 0});
  store.delete_steps(t.js[0].id);
  EXPECT_TRUE(store.steps_of_job(t.js[0].id).empty());
  EXPECT_EQ(store.steps_of_job(t.js[1].id).size(), 1u);
  store.delete_steps("no-such-job");  // nothing to do, no error
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract, ::testing::ValuesIn(implementations()),
                         factory_name);

}  // namespace halo::store::contract
