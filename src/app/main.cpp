// The `halo` binary: wiring of subcommands only.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/serve.h"
#include "config/compiler.h"

namespace {

int config_command(bool process, const std::string& file, const std::string& params_json) {
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
  if (!params_json.empty()) {
    input.parameters = halo::json::parse(params_json, nullptr, false);
    if (input.parameters.is_discarded() || !input.parameters.is_object()) {
      std::cerr << "halo config: --pipeline-parameters must be a JSON object\n";
      return 2;
    }
  }
  auto result = halo::config::compile(input);
  if (!result.ok()) {
    for (const auto& e : result.errors) std::cerr << "Error: " << e.to_string() << "\n";
    return 1;
  }
  if (process) std::cout << result.compiled_yaml;
  else std::cout << "Config file at " << file << " is valid.\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"halo: a self-hosted CI server for .circleci/config.yml pipelines"};
  app.require_subcommand(1);

  halo::app::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run the API server with its embedded runners");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on (port 0: any)");
  serve_cmd->add_option("--data-dir", serve.data_dir, "Where the database, logs and keys live");
  serve_cmd->add_option("--runners", serve.runners, "Embedded runner threads (0: none)")
      ->check(CLI::Range(0, 64));
  serve_cmd->add_option("--http-threads", serve.http_threads, "HTTP I/O threads")
      ->check(CLI::Range(1, 64));
  serve_cmd->add_option("--base-url", serve.base_url, "Public URL of this server");
  serve_cmd->add_flag("--demo", serve.demo, "Create the demo project and print how to use it");
  serve_cmd->add_flag("--allow-http-webhooks", serve.allow_http_webhooks,
                      "Accept http:// (not only https://) webhook URLs, for local receivers");

  auto* config_cmd = app.add_subcommand("config", "Validate or process a .circleci/config.yml");
  config_cmd->require_subcommand(1);
  std::string file = ".circleci/config.yml", params;
  auto* validate = config_cmd->add_subcommand("validate", "Exit 0 if the config is valid");
  validate->add_option("file", file, "Config file (- for stdin)");
  auto* process = config_cmd->add_subcommand("process", "Print the compiled config");
  process->add_option("file", file, "Config file (- for stdin)");
  process->add_option("--pipeline-parameters", params, "Pipeline parameters as a JSON object");

  CLI11_PARSE(app, argc, argv);
  if (serve_cmd->parsed()) return halo::app::serve(serve);
  if (validate->parsed()) return config_command(false, file, "");
  if (process->parsed()) return config_command(true, file, params);
  return 0;
}
