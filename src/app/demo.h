// The demo project `make run` shows: a local git repository with a .circleci/config.yml of
// two dependent jobs, registered as gh/demo/hello and owned by the admin.
#pragma once
#include <filesystem>

#include "store/store.h"

namespace halo::app {

// Creates the repository and the project unless they exist. Returns the project slug.
std::string ensure_demo_project(store::Store& store, const std::filesystem::path& data_dir);

}  // namespace halo::app
