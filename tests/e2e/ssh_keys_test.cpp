// Stories: a project's additional SSH keys are added through the v1.1 API (sealed, never
// returned) and add_ssh_keys installs the ones a job names in its ~/.ssh.
#include "common/ssh_key.h"
#include "e2e_fixture.h"

namespace halo::test {

TEST_F(E2E, AddSshKeysInstallsTheProjectsKeysNamedByFingerprint) {
  SshKeyPair key = generate_ssh_key();
  std::string id;
  for (char c : key.fingerprint_md5)
    if (c != ':') id += c;
  std::string config = R"yaml(version: 2.1
jobs:
  deploy:
    docker: [{image: cimg/base:stable}]
    steps:
      - add_ssh_keys: {fingerprints: ["FP"]}
      - run:
          name: show
          command: cat ~/.ssh/config && ssh-keygen -y -f ~/.ssh/id_rsa_ID
  unknown:
    docker: [{image: cimg/base:stable}]
    steps:
      - add_ssh_keys: {fingerprints: ["00:11:22"]}
workflows:
  main:
    jobs: [deploy, unknown]
)yaml";
  config.replace(config.find("FP"), 2, key.fingerprint_md5);
  config.replace(config.find("ID"), 2, id);
  start_with_config(config);

  auto c = server_->client();
  std::string path = "/api/v1.1/project/" + slug_ + "/ssh-key";
  auto added = c.post(path, {{"hostname", "git.example.com"}, {"private_key", key.private_pem}},
                      server_->token());
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json_body()["fingerprint"], key.fingerprint_md5);
  EXPECT_EQ(added.body.find("PRIVATE"), std::string::npos);  // never returned
  EXPECT_EQ(c.post(path, {{"private_key", "not a key"}}, server_->token()).status, 400);
  EXPECT_EQ(c.post(path, {{"hostname", "git.example.com"}, {"private_key", key.private_pem}},
                   server_->token())
                .status,
            400);  // twice
  auto listed = c.get(path, server_->token());
  ASSERT_EQ(listed.json_body().size(), 1u) << listed.body;

  json wf = server_->wait_workflows(server_->trigger(slug_, {{"branch", "main"}})["id"]);
  json jobs = server_->jobs_of(wf[0]["id"]);
  EXPECT_EQ(job_by_name(jobs, "deploy")["status"], "success");
  EXPECT_EQ(job_by_name(jobs, "unknown")["status"], "failed");
  int64_t n = job_by_name(jobs, "deploy")["job_number"];
  auto v1 = c.get("/api/v1.1/project/" + slug_ + "/" + std::to_string(n), server_->token());
  json build = v1.json_body();
  std::string url = build["steps"][1]["actions"][0]["output_url"];
  std::string out =
      c.request("GET", url.substr(url.find("/api/")), "", {"Accept: text/plain"}).body;
  EXPECT_NE(out.find("Host git.example.com\n  IdentityFile "), std::string::npos) << out;
  EXPECT_NE(out.find(key.public_openssh), std::string::npos) << out;

  auto del =
      c.request("DELETE", path,
                json{{"hostname", "git.example.com"}, {"fingerprint", key.fingerprint_md5}}.dump(),
                {"Circle-Token: " + server_->token(), "Content-Type: application/json"});
  EXPECT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(c.get(path, server_->token()).json_body().size(), 0u);
}

}  // namespace halo::test
