#include "config/steps.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "config/environment.h"
#include "config/logic.h"

namespace halo::config {

namespace {

constexpr int kMaxDepth = 50;
// Aliases can make a short file describe millions of steps; no real job has this many.
constexpr size_t kMaxSteps = 5000;

// Step kinds CircleCI has that this compiler does not run yet.
bool is_unsupported_step(std::string_view s) {
  for (const char* k : {"save_cache", "restore_cache", "store_artifacts", "store_test_results",
                        "persist_to_workspace", "attach_workspace", "add_ssh_keys",
                        "setup_remote_docker", "deploy", "install_signing_bundle"}) {
    if (s == k) return true;
  }
  return false;
}

Step checkout_step(const std::vector<Entry>* es, const Scope& scope, Diagnostics& diag) {
  Step s;
  s.kind = Step::Kind::Checkout;
  s.name = kCheckoutName;
  if (es == nullptr) return s;
  reject_unknown_keys(*es, {"path", "method"}, diag, "checkout");
  if (const Entry* p = find(*es, "path")) {
    if (auto v = scalar_text(p->value, scope, diag, "path"); v && !v->empty()) s.path = *v;
  }
  // The clone method does not change what the runner checks out, only how.
  if (const Entry* m = find(*es, "method")) {
    auto v = scalar_text(m->value, scope, diag, "method");
    if (v && *v != "blobless" && *v != "full") {
      diag.error(m->value, fmt::format("checkout method must be blobless or full, not \"{}\"", *v));
    }
  }
  return s;
}

std::optional<Step> run_step(const At& at, const Scope& scope, Diagnostics& diag) {
  Step s;
  s.kind = Step::Kind::Run;
  if (!at.node.IsMap()) {
    auto cmd = scalar_text(at, scope, diag, "run");
    if (!cmd) return std::nullopt;
    if (cmd->empty()) {
      diag.error(at, "run needs a command");
      return std::nullopt;
    }
    s.command = s.name = *cmd;
    return s;
  }
  auto es = entries(at, diag, "run");
  reject_unknown_keys(es,
                      {"name", "command", "environment", "shell", "working_directory", "when",
                       "no_output_timeout", "background", "max_auto_reruns", "auto_rerun_delay"},
                      diag, "run");
  bool ok = true;
  const Entry* cmd = find(es, "command");
  if (cmd == nullptr) {
    diag.error(at, "run needs a command");
    ok = false;
  } else if (auto v = scalar_text(cmd->value, scope, diag, "command")) {
    s.command = *v;
  }
  s.name = s.command;
  if (const Entry* e = find(es, "name")) {
    if (auto v = scalar_text(e->value, scope, diag, "name"); v && !v->empty()) s.name = *v;
  }
  if (const Entry* e = find(es, "environment"))
    read_environment(e->value, scope, diag, s.environment);
  if (const Entry* e = find(es, "shell"))
    s.shell = scalar_text(e->value, scope, diag, "shell").value_or("");
  if (const Entry* e = find(es, "working_directory")) {
    s.working_directory = scalar_text(e->value, scope, diag, "working_directory").value_or("");
  }
  if (const Entry* e = find(es, "when")) {
    auto v = scalar_text(e->value, scope, diag, "when");
    if (v && *v != "on_success" && *v != "on_fail" && *v != "always") {
      diag.error(e->value,
                 fmt::format("when must be on_success, on_fail or always, not \"{}\"", *v));
    } else if (v) {
      s.when = *v;
    }
  }
  if (const Entry* e = find(es, "no_output_timeout")) {
    auto v = scalar_text(e->value, scope, diag, "no_output_timeout");
    auto ms = v ? parse_duration_ms(*v) : std::nullopt;
    if (v && !ms) {
      diag.error(e->value,
                 fmt::format("no_output_timeout must be a duration like 10m, 30s or 1h30m, "
                             "not \"{}\"",
                             *v));
    } else if (ms) {
      s.no_output_timeout_ms = *ms;
    }
  }
  if (const Entry* e = find(es, "background")) {
    auto v = scalar_value(e->value, scope, diag, "background");
    std::optional<bool> b;
    if (v && v->is_boolean()) b = v->get<bool>();
    if (v && v->is_string()) b = parse_bool_word(v->get<std::string>());
    if (b) {
      s.background = *b;
    } else if (v) {
      diag.error(e->value, "background must be true or false");
    }
  }
  for (const char* k : {"max_auto_reruns", "auto_rerun_delay"}) {
    if (const Entry* e = find(es, k)) diag.error(e->key, fmt::format("{} is not supported yet", k));
  }
  if (!ok) return std::nullopt;
  return s;
}

// `seen` counts every step compiled for the job, kept or not.
void compile_into(const At& steps, const Scope& scope, Diagnostics& diag, int depth,
                  std::vector<Step>& out, size_t& seen);

void conditional(const Entry& e, const Scope& scope, Diagnostics& diag, int depth,
                 std::vector<Step>& out, size_t& seen) {
  auto es = entries(e.value, diag, e.name);
  if (!e.value.node.IsMap()) return;
  reject_unknown_keys(es, {"condition", "steps"}, diag, e.name);
  const Entry* cond = find(es, "condition");
  const Entry* steps = find(es, "steps");
  if (cond == nullptr) diag.error(e.value, fmt::format("{} needs a condition", e.name));
  if (steps == nullptr) diag.error(e.value, fmt::format("{} needs steps", e.name));
  if (cond == nullptr || steps == nullptr) return;
  auto truth = evaluate_condition(cond->value, scope, diag);
  // Both branches are compiled so their errors show whatever the condition says; the steps
  // of a false branch go to a scratch list.
  if (truth && *truth == (e.name == "when")) {
    compile_into(steps->value, scope, diag, depth + 1, out, seen);
  } else {
    std::vector<Step> discarded;
    compile_into(steps->value, scope, diag, depth + 1, discarded, seen);
  }
}

void compile_one(const At& at, const Scope& scope, Diagnostics& diag, int depth,
                 std::vector<Step>& out, size_t& seen) {
  if (at.node.IsScalar()) {
    auto name = scalar_text(at, scope, diag, "a step");
    if (!name) return;
    if (*name == "checkout") {
      out.push_back(checkout_step(nullptr, scope, diag));
    } else if (is_unsupported_step(*name)) {
      diag.error(at, fmt::format("step {} is not supported yet", *name));
    } else {
      diag.error(at,
                 fmt::format("unknown step {} (commands and orbs are not supported yet)", *name));
    }
    return;
  }
  if (!at.node.IsMap()) {
    diag.error(at, fmt::format("a step must be a map or checkout, not a {}", kind_name(at.node)));
    return;
  }
  auto es = entries(at, diag, "a step");
  if (es.size() != 1) {
    diag.error(at, "a step must have exactly one key (its type)");
    return;
  }
  const Entry& e = es.front();
  if (e.name == "run") {
    if (auto s = run_step(e.value, scope, diag)) out.push_back(std::move(*s));
  } else if (e.name == "checkout") {
    if (e.value.node.IsNull()) {
      out.push_back(checkout_step(nullptr, scope, diag));
    } else {
      auto cs = entries(e.value, diag, "checkout");
      if (e.value.node.IsMap()) out.push_back(checkout_step(&cs, scope, diag));
    }
  } else if (e.name == "when" || e.name == "unless") {
    if (depth >= kMaxDepth) {
      diag.error(e.key, "when/unless steps are nested too deeply");
      return;
    }
    conditional(e, scope, diag, depth, out, seen);
  } else if (is_unsupported_step(e.name)) {
    diag.error(e.key, fmt::format("step {} is not supported yet", e.name));
  } else {
    diag.error(e.key,
               fmt::format("unknown step {} (commands and orbs are not supported yet)", e.name));
  }
}

void compile_into(const At& steps, const Scope& scope, Diagnostics& diag, int depth,
                  std::vector<Step>& out, size_t& seen) {
  for (const At& item : items(steps, diag, "steps")) {
    if (!diag.spend(item)) return;
    if (++seen > kMaxSteps) {
      if (seen == kMaxSteps + 1) {
        diag.error(item, fmt::format("the job has too many steps (more than {} after aliases and "
                                     "when/unless are expanded)",
                                     kMaxSteps));
      }
      return;
    }
    compile_one(item, scope, diag, depth, out, seen);
  }
}

}  // namespace

std::vector<Step> compile_steps(const At& steps, const Scope& scope, Diagnostics& diag) {
  std::vector<Step> out;
  size_t seen = 0;
  compile_into(steps, scope, diag, 0, out, seen);
  return out;
}

std::optional<int64_t> parse_duration_ms(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == start || i - start > 18) return std::nullopt;
    std::string num(s.substr(start, i - start));
    if (num.front() == '.' || num.back() == '.' || num.find('.') != num.rfind('.'))
      return std::nullopt;
    double n = std::stod(num);
    double unit = 0;
    if (s.compare(i, 2, "ms") == 0) {
      unit = 1;
      i += 2;
    } else if (i < s.size() && s[i] == 's') {
      unit = 1000;
      ++i;
    } else if (i < s.size() && s[i] == 'm') {
      unit = 60'000;
      ++i;
    } else if (i < s.size() && s[i] == 'h') {
      unit = 3'600'000;
      ++i;
    } else {
      return std::nullopt;
    }
    total += n * unit;
    // Longer than a year is not a timeout anyone means; it also keeps int64 safe.
    if (total > 365.0 * 24 * 3'600'000) return std::nullopt;
  }
  return static_cast<int64_t>(std::llround(total));
}

std::string format_duration(int64_t ms) {
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

}  // namespace halo::config
