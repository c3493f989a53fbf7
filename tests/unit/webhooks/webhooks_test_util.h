// A real SQLite store with one org, project, pipeline and workflow, for webhook tests.
#pragma once
#include "common/crypto.h"
#include "common/secrets_vault.h"
#include "common/time.h"
#include "store/sqlite_store.h"
#include "support/store/project_seed.h"
#include "support/test_env.h"
#include "webhooks/secrets.h"

namespace halo::webhooks::testing {

struct World {
  test::TempDir dir;
  store::SqliteStore store{dir.path() / "halo.db"};
  std::string key = std::string(32, 'k');
  store::User user = store.create_user("alice", "Alice", false);
  store::Org org = store.ensure_org("github", "acme");
  store::Project project =
      store::testing::seed_project(store, org, "app", "https://github.com/acme/app");

  // A pipeline with one workflow "build-and-test" whose jobs are `names` (all queued).
  store::WorkflowState pipeline(const std::vector<std::string>& names) {
    store::Pipeline p;
    p.id = uuid_v4();
    p.project_id = project.id;
    p.number = store.reserve_pipeline_number(project.id);
    p.state = "created";
    p.created_at = p.updated_at = now_ms();
    p.trigger_type = "api";
    p.actor_id = user.id;
    p.branch = "main";
    p.revision = "0123456789abcdef0123456789abcdef01234567";
    p.commit_subject = "Add a feature";
    store::WorkflowState st;
    st.workflow.id = uuid_v4();
    st.workflow.pipeline_id = p.id;
    st.workflow.project_id = project.id;
    st.workflow.name = "build-and-test";
    st.workflow.status = "running";
    st.workflow.created_at = p.created_at;
    for (const auto& n : names) {
      store::Job j;
      j.id = uuid_v4();
      j.workflow_id = st.workflow.id;
      j.pipeline_id = p.id;
      j.project_id = project.id;
      j.name = n;
      j.type = "build";
      j.status = "queued";
      j.created_at = j.queued_at = p.created_at;
      j.position = static_cast<int>(st.jobs.size());
      st.jobs.push_back(j);
    }
    std::vector<store::Workflow> ws{st.workflow};
    store.create_pipeline(p, ws, st.jobs);
    return st;
  }

  store::Webhook webhook(const std::string& url, const std::string& secret,
                         json events = {"workflow-completed", "job-completed"}) {
    store::Webhook w;
    w.id = uuid_v4();
    w.project_id = project.id;
    w.name = "hook-" + w.id.substr(0, 4);
    w.url = url;
    w.secret_sealed = SecretsVault(key).seal_webhook_secret(w.id, secret);
    w.events = std::move(events);
    w.created_at = w.updated_at = now_ms();
    store.create_webhook(w, 5);
    return w;
  }
};

}  // namespace halo::webhooks::testing
