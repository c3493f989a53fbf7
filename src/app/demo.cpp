#include "app/demo.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "common/crypto.h"
#include "common/time.h"
#include "model/project_slug.h"

namespace halo::app {

namespace {

constexpr const char* kDemoConfig = R"yaml(version: 2.1

parameters:
  greeting:
    type: string
    default: "Hello"

jobs:
  build:
    docker:
      - image: cimg/base:stable
    steps:
      - checkout
      - run:
          name: Build
          command: |
            echo "<< pipeline.parameters.greeting >> from job $CIRCLE_JOB (build $CIRCLE_BUILD_NUM)"
            ls -la
            echo "built at $(date -u +%FT%TZ)" > build.txt
  test:
    docker:
      - image: cimg/base:stable
    steps:
      - checkout
      - run:
          name: Test
          command: |
            for i in 1 2 3; do echo "test $i passed"; sleep 0.2; done

workflows:
  build-and-test:
    jobs:
      - build
      - test:
          requires: [build]
)yaml";

void git(const std::filesystem::path& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"-C", dir.string(), "-c", "user.name=halo demo", "-c",
                             "user.email=demo@halo.invalid", "-c", "commit.gpgsign=false"});
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>("git")};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int devnull = ::open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    execvp("git", argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("demo: git " + args[6] + " failed");
}

}  // namespace

std::string ensure_demo_project(store::Store& store, const std::filesystem::path& data_dir) {
  const std::string slug = "gh/demo/hello";
  if (store.project_by_slug(slug)) return slug;
  auto repo = std::filesystem::absolute(data_dir / "demo-repo");
  if (!std::filesystem::exists(repo / ".git")) {
    std::filesystem::create_directories(repo / ".circleci");
    std::ofstream(repo / ".circleci" / "config.yml") << kDemoConfig;
    std::ofstream(repo / "README.md") << "# hello\n\nThe demo project of halo.\n";
    git(repo, {"init", "-q", "-b", "main"});
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", "Demo: build and test"});
  }
  auto admin = store.user_by_login("admin");
  auto org = store.ensure_org(std::string(model::vcs_type(model::Vcs::GitHub)), "demo");
  if (admin) store.add_member(org.id, admin->id, "admin");
  store::Project p;
  p.id = uuid_v4();
  p.org_id = org.id;
  p.slug = slug;
  p.org_name = "demo";
  p.name = "hello";
  p.vcs_url = "file://" + repo.string();
  p.default_branch = "main";
  p.created_at = now_ms();
  store.create_project(p);
  return slug;
}

}  // namespace halo::app
