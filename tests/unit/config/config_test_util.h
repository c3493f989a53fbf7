// Helpers shared by the config compiler tests: compile text and look at plans and errors.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "config/compiler.h"

namespace halo::config::testing {

inline CompileResult compile_text(const std::string& yaml, json pipeline_values = json::object(),
                                  json parameters = json::object()) {
  CompileInput in;
  in.source = yaml;
  in.pipeline_values = std::move(pipeline_values);
  in.parameters = std::move(parameters);
  return compile(in);
}

inline std::string all_errors(const CompileResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += e.to_string() + "\n";
  return out;
}

// `process` is a fixed point: the processed config of `r` compiles to itself.
inline void expect_fixed_point(const CompileResult& r) {
  CompileResult again = compile_text(r.compiled_yaml);
  EXPECT_TRUE(again.ok()) << all_errors(again);
  EXPECT_EQ(again.compiled_yaml, r.compiled_yaml);
}

// Compiles and insists on success, printing every error otherwise.
inline Plan plan_of(const std::string& yaml, json pipeline_values = json::object(),
                    json parameters = json::object()) {
  CompileResult r = compile_text(yaml, std::move(pipeline_values), std::move(parameters));
  EXPECT_TRUE(r.ok()) << all_errors(r);
  return r.plan.value_or(Plan{});
}

// The error at `path` whose message contains `text`, or nullptr.
inline const ConfigError* find_error(const CompileResult& r, const std::string& path,
                                     const std::string& text) {
  for (const auto& e : r.errors) {
    if (e.path == path && e.message.find(text) != std::string::npos) return &e;
  }
  return nullptr;
}

// Asserts an error with this path, position and message fragment.
#define EXPECT_CONFIG_ERROR(result, path_, line_, column_, text_)                        \
  do {                                                                                   \
    const auto* err_ = ::halo::config::testing::find_error((result), (path_), (text_));  \
    ASSERT_NE(err_, nullptr) << "no error at " << (path_) << " containing \"" << (text_) \
                             << "\"; got:\n"                                             \
                             << ::halo::config::testing::all_errors(result);             \
    EXPECT_EQ(err_->line, (line_)) << err_->to_string();                                 \
    EXPECT_EQ(err_->column, (column_)) << err_->to_string();                             \
  } while (0)

inline const Job& only_job(const Plan& p) {
  static const Job empty;
  if (p.workflows.size() != 1 || p.workflows[0].jobs.size() != 1) {
    ADD_FAILURE() << "expected exactly one workflow with one job";
    return empty;
  }
  return p.workflows[0].jobs[0].job;
}

}  // namespace halo::config::testing
