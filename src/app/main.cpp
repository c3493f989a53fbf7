// The `halo` binary: wiring of subcommands only.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/circleci_cli.h"
#include "app/serve.h"
#include "config/compiler.h"
#include "config/orb_pack.h"
#include "engine/users.h"
#include "store/sqlite_store.h"

namespace {

int config_command(bool process, const std::string& file, const std::string& params_json,
                   const std::string& orb_dir) {
  std::stringstream ss;
  if (file == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "halo config: cannot read " << file << "\n";
      return 2;
    }
    ss << in.rdbuf();
  }
  halo::config::CompileInput input;
  input.source = ss.str();
  input.orb_dir = orb_dir;
  if (!params_json.empty()) {
    input.parameters = halo::json::parse(params_json, nullptr, false);
    if (input.parameters.is_discarded() || !input.parameters.is_object()) {
      std::cerr << "halo config: --pipeline-parameters must be a JSON object\n";
      return 2;
    }
  }
  auto result = halo::config::compile(input);
  for (const auto& w : result.warnings) std::cerr << "Warning: " << w.to_string() << "\n";
  if (!result.ok()) {
    for (const auto& e : result.errors) std::cerr << "Error: " << e.to_string() << "\n";
    return 1;
  }
  if (process)
    std::cout << result.compiled_yaml;
  else
    std::cout << "Config file at " << file << " is valid.\n";
  return 0;
}

int orb_pack_command(const std::string& src_dir) {
  auto result = halo::config::pack_orb(src_dir);
  if (!result.ok()) {
    for (const auto& e : result.errors) std::cerr << "Error: " << e << "\n";
    return 1;
  }
  std::cout << result.yaml;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Inside jobs the binary answers as `circleci` and `circleci-agent` (see circleci_cli.h).
  if (std::string self = std::filesystem::path(argv[0]).filename().string();
      self == "circleci" || self == "circleci-agent")
    return halo::app::circleci_cli(argc, argv);
  CLI::App app{"halo: a self-hosted CI server for .circleci/config.yml pipelines"};
  app.require_subcommand(1);

  halo::app::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run the API server with its embedded runners");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on (port 0: any)");
  serve_cmd->add_option("--data-dir", serve.data_dir, "Where the database, logs and keys live");
  serve_cmd->add_option("--runners", serve.runners, "Embedded runner threads (0: none)")
      ->check(CLI::Range(0, 64));
  serve_cmd
      ->add_option_function<int>(
          "--lease-ttl", [&](int s) { serve.lease_ttl_ms = int64_t{s} * 1000; },
          "Seconds a runner may stay silent before its job is queued again (default 60)")
      ->check(CLI::Range(1, 3600));
  serve_cmd->add_option("--http-threads", serve.http_threads, "HTTP I/O threads")
      ->check(CLI::Range(1, 64));
  serve_cmd->add_option("--base-url", serve.base_url, "Public URL of this server");
  serve_cmd->add_flag("--demo", serve.demo, "Create the demo project and print how to use it");
  serve_cmd->add_flag("--allow-http-webhooks", serve.allow_http_webhooks,
                      "Accept http:// (not only https://) webhook URLs, for local receivers");
  serve_cmd
      ->add_option("--job-upload-limit", serve.job_upload_limit,
                   "Bytes one job may upload (caches, workspaces, artifacts); default 10 GiB")
      ->check(CLI::PositiveNumber);
  serve_cmd
      ->add_option("--cache-retention-days", serve.cache_retention_days,
                   "Days a saved cache is kept (default 15)")
      ->check(CLI::Range(1, 3650));
  serve_cmd
      ->add_option("--cache-max-size", serve.cache_max_size,
                   "Bytes all caches may take together; the least recently used go first "
                   "(default 50 GiB)")
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--orb-dir", serve.orb_dir,
                        "Local orb directory (DIR/ns/name@version.yml or DIR/ns/name@version/src); "
                        "default <data-dir>/orbs");

  auto* config_cmd = app.add_subcommand("config", "Validate or process a .circleci/config.yml");
  config_cmd->require_subcommand(1);
  // Registry orbs come from a local directory; ./halo-data is `serve`'s default data dir.
  std::string file = ".circleci/config.yml", params, orb_dir = "./halo-data/orbs";
  const char* orb_dir_help =
      "Local orb directory (DIR/ns/name@version.yml or DIR/ns/name@version/src)";
  auto* validate = config_cmd->add_subcommand("validate", "Exit 0 if the config is valid");
  validate->add_option("file", file, "Config file (- for stdin)");
  validate->add_option("--orb-dir", orb_dir, orb_dir_help);
  auto* process = config_cmd->add_subcommand("process", "Print the compiled config");
  process->add_option("file", file, "Config file (- for stdin)");
  process->add_option("--orb-dir", orb_dir, orb_dir_help);
  process->add_option("--pipeline-parameters", params, "Pipeline parameters as a JSON object");

  auto* orb_cmd = app.add_subcommand("orb", "Work with orbs");
  orb_cmd->require_subcommand(1);
  std::string orb_src;
  auto* pack = orb_cmd->add_subcommand("pack", "Pack an orb source tree into one YAML on stdout");
  pack->add_option("src_dir", orb_src, "The directory holding @orb.yml")->required();

  auto* user_cmd = app.add_subcommand("user", "Manage users on a server's data directory");
  user_cmd->require_subcommand(1);
  auto* user_create =
      user_cmd->add_subcommand("create", "Create a user, print its id and first token");
  std::string user_data_dir = "./halo-data";
  halo::engine::NewUser new_user;
  user_create->add_option("--data-dir", user_data_dir, "The server's data directory");
  user_create->add_option("--login", new_user.login, "Login name")->required();
  user_create->add_option("--name", new_user.name, "Display name");
  user_create->add_option("--organization", new_user.organization, "Org slug, e.g. gh/acme");
  user_create->add_option("--role", new_user.role, "admin, member or viewer");

  auto* routes_cmd = app.add_subcommand("routes", "List the REST routes (METHOD PATTERN)");

  CLI11_PARSE(app, argc, argv);
  if (routes_cmd->parsed()) return halo::app::print_routes();
  if (user_create->parsed()) {
    halo::store::SqliteStore store(std::filesystem::path(user_data_dir) / "halo.db");
    auto created = halo::engine::create_user(store, new_user);
    if (!created.error.empty()) {
      std::cerr << "halo user create: " << created.error << "\n";
      return 1;
    }
    std::cout << halo::json{{"id", created.user.id},
                            {"login", created.user.login},
                            {"token", created.token}}
                     .dump()
              << "\n";
    return 0;
  }
  if (serve_cmd->parsed()) return halo::app::serve(serve);
  if (validate->parsed()) return config_command(false, file, "", orb_dir);
  if (process->parsed()) return config_command(true, file, params, orb_dir);
  if (pack->parsed()) return orb_pack_command(orb_src);
  return 0;
}
