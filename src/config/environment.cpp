#include "config/environment.h"

#include <fmt/format.h>

namespace halo::config {

namespace {

void read_map(const At& at, const Scope& scope, Diagnostics& diag,
              std::map<std::string, std::string>& out) {
  for (const Entry& e : entries(at, diag, "environment")) {
    if (e.name.empty()) {
      diag.error(e.key, "environment variable names cannot be empty");
      continue;
    }
    // CircleCI renders an empty value as <nil>; users see the same here.
    if (!e.value.node.IsDefined() || e.value.node.IsNull()) {
      out[e.name] = "<nil>";
      continue;
    }
    if (auto v = scalar_text(e.value, scope, diag, "an environment value")) out[e.name] = *v;
  }
}

}  // namespace

namespace {

// One "KEY=value" string.
void read_pair(const At& item, const Scope& scope, Diagnostics& diag,
               std::map<std::string, std::string>& out) {
  auto text = scalar_text(item, scope, diag, "an environment entry");
  if (!text) return;
  size_t eq = text->find('=');
  if (eq == std::string::npos || eq == 0) {
    diag.error(item, fmt::format("environment entry \"{}\" must be KEY=VALUE", *text));
    return;
  }
  out[text->substr(0, eq)] = text->substr(eq + 1);
}

}  // namespace

void read_environment(const At& at, const Scope& scope, Diagnostics& diag,
                      std::map<std::string, std::string>& out) {
  if (!at.node.IsDefined() || at.node.IsNull()) return;
  if (at.node.IsScalar()) {
    // `environment: "KEY=value"`: one pair, as CircleCI takes it.
    read_pair(at, scope, diag, out);
    return;
  }
  if (!at.node.IsSequence()) {
    read_map(at, scope, diag, out);
    return;
  }
  for (const At& item : items(at, diag, "environment")) {
    if (item.node.IsMap()) {
      read_map(item, scope, diag, out);
      continue;
    }
    read_pair(item, scope, diag, out);
  }
}

}  // namespace halo::config
