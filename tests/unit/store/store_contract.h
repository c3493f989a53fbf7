// The Store contract: what every Store implementation promises (store.h, records.h), as a
// parameterized suite. To add an implementation, add a factory to `implementations()` in
// store_contract_test.cpp; every TEST_P of StoreContract and StoreAtomicity then runs on it.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/test_env.h"

namespace halo::store::contract {

struct StoreFactory {
  std::string name;
  // A fresh, empty store; `scratch` is a private directory that outlives the store.
  std::function<std::unique_ptr<Store>(const std::filesystem::path& scratch)> make;
};

std::vector<StoreFactory> implementations();

inline void PrintTo(const StoreFactory& f, std::ostream* os) {
  *os << f.name;
}
inline std::string factory_name(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

// Fixed times, so tests never depend on the clock.
inline constexpr int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00.000Z

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  test::TempDir dir_;
  std::unique_ptr<Store> owned_ = GetParam().make(dir_.path());
  Store& store = *owned_;

  // A pipeline, its workflows and jobs as create_pipeline takes them.
  struct Tree {
    Pipeline p;
    std::vector<Workflow> ws;
    std::vector<Job> js;
  };

  User user(const std::string& login) { return store.create_user(login, login + " name", false); }
  Org org(const std::string& name) { return store.ensure_org("github", name); }
  Project project(const Org& o, const std::string& name);
  // Reserves the number and fills every field; does not write.
  Pipeline pipeline(const Project& p, const User& actor, const std::string& branch = "main");
  Workflow workflow(const Pipeline& p, const std::string& name, int position = 0,
                    const std::string& status = "running");
  Job job(const Workflow& w, const std::string& name, const std::string& status, int position,
          const std::string& type = "build");
  OutboxEvent event(const std::string& target_id, int64_t next_attempt_at,
                    const std::string& type = "workflow-completed");
  // Writes a pipeline with one workflow whose jobs have `job_statuses`, in that order.
  Tree tree(const Project& p, const User& actor, const std::vector<std::string>& job_statuses,
            const std::vector<OutboxEvent>& outbox = {}, const std::string& branch = "main");
};

}  // namespace halo::store::contract
