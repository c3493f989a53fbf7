#include "engine/job_environment.h"
#include "model/links.h"

namespace halo::engine {

std::map<std::string, std::string> builtin_environment(
    const store::Project& project, const store::Pipeline& pipeline, const store::Job& job,
    const std::string& workspace_id, const std::string& actor_login, const std::string& base_url) {
  const std::string& slug = project.slug;
  std::string number = std::to_string(job.number);
  int parallelism = job.spec.value("parallelism", 1);
  std::map<std::string, std::string> env = {
      {"CI", "true"},
      {"CIRCLECI", "true"},
      {"CIRCLE_BRANCH", pipeline.branch},
      {"CIRCLE_SHA1", pipeline.revision},
      {"CIRCLE_BUILD_NUM", number},
      {"CIRCLE_BUILD_URL",
       model::job_web_url(base_url, slug, pipeline.number, job.workflow_id, job.number)},
      {"CIRCLE_JOB", job.name},
      {"CIRCLE_NODE_INDEX", "0"},
      {"CIRCLE_NODE_TOTAL", std::to_string(parallelism)},
      {"CIRCLE_ORGANIZATION_ID", project.org_id},
      {"CIRCLE_PROJECT_ID", project.id},
      {"CIRCLE_PIPELINE_ID", pipeline.id},
      {"CIRCLE_WORKFLOW_ID", job.workflow_id},
      {"CIRCLE_WORKFLOW_JOB_ID", job.id},
      {"CIRCLE_WORKFLOW_WORKSPACE_ID", workspace_id},
      {"CIRCLE_PROJECT_REPONAME", project.name},
      {"CIRCLE_PROJECT_USERNAME", project.org_name},
      {"CIRCLE_REPOSITORY_URL", project.vcs_url},
      {"CIRCLE_USERNAME", actor_login},
  };
  if (!pipeline.tag.empty()) {
    env["CIRCLE_TAG"] = pipeline.tag;
    env.erase("CIRCLE_BRANCH");
  }
  return env;
}

}  // namespace halo::engine
