// POST /api/v2/compile-config-with-defaults: compiles a config as `circleci config
// validate/process` asks the server to (the official CLI's call, not in the OpenAPI spec).
// Request {"config_yaml", "options": {"owner_id", "pipeline_values", "pipeline_parameters"}};
// response {"valid", "source-yaml", "output-yaml", "errors": [{"message"}]}. An invalid
// config is a 200 with valid=false: the call succeeded, the config did not.
#include "api/rest/routes.h"
#include "common/error.h"
#include "config/compiler.h"
#include "model/pipeline_values.h"

namespace halo::rest {

namespace {

// POST /api/v2/compile-config-with-defaults
http::Response compile_config(ApiContext& ctx, http::Request& req) {
  ctx.authenticate(req);
  json body = parse_body(req);
  auto yaml = body.find("config_yaml");
  if (yaml == body.end() || !yaml->is_string()) {
    throw bad_request("config_yaml is required and must be a string");
  }
  config::CompileInput in;
  in.source = yaml->get<std::string>();
  in.orb_dir = ctx.orchestrator.orb_dir().string();
  if (auto o = body.find("options"); o != body.end() && !o->is_null()) {
    if (!o->is_object()) throw bad_request("options must be an object");
    if (auto v = o->find("pipeline_values"); v != o->end() && !v->is_null()) {
      if (!v->is_object()) throw bad_request("options.pipeline_values must be an object");
      // The CLI sends full names ("pipeline.git.branch"); the compiler takes them without
      // the "pipeline." prefix.
      for (const auto& item : v->items()) {
        in.pipeline_values[model::pipeline_value_key(item.key())] = item.value();
      }
    }
    if (auto p = o->find("pipeline_parameters"); p != o->end() && !p->is_null()) {
      if (!p->is_object()) throw bad_request("options.pipeline_parameters must be an object");
      in.parameters = *p;
    }
  }
  auto result = config::compile(in);
  json errors = json::array();
  for (const auto& e : result.errors) errors.push_back({{"message", e.to_string()}});
  return http::json_response(200, {{"valid", result.ok()},
                                   {"source-yaml", in.source},
                                   {"output-yaml", result.compiled_yaml},
                                   {"errors", errors}});
}

}  // namespace

void register_compile(http::Router& r, ApiContext& ctx) {
  r.add("POST", "/api/v2/compile-config-with-defaults", endpoint(ctx, compile_config));
}

}  // namespace halo::rest
