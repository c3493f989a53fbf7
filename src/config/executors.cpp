#include "config/executors.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "config/elements.h"
#include "config/environment.h"

namespace halo::config {

namespace {

constexpr int kMaxExecutorDepth = 10;

// Splits `text` into words as a POSIX shell does, without any expansion: blanks separate
// words, '...' keeps its text as is, "..." keeps it but for \" \\ \$ \` and \newline, and a
// backslash outside quotes keeps the next character. Nullopt on an unterminated quote or a
// trailing backslash.
std::optional<std::vector<std::string>> split_words(std::string_view text) {
  constexpr std::string_view kBlanks = " \t\r\n";
  constexpr std::string_view kEscapedInDoubleQuotes = "\"\\$`\n";
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (kBlanks.find(c) != std::string_view::npos) {
      if (in_word) out.push_back(std::exchange(word, {}));
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (++i == text.size()) return std::nullopt;
      if (text[i] != '\n') word += text[i];  // backslash-newline continues the line
    } else if (c == '\'') {
      size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos) return std::nullopt;
      word.append(text.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i == text.size()) return std::nullopt;
        if (text[i] == '"') break;
        if (text[i] == '\\' && i + 1 < text.size() &&
            kEscapedInDoubleQuotes.find(text[i + 1]) != std::string_view::npos) {
          if (text[++i] != '\n') word += text[i];
        } else {
          word += text[i];
        }
      }
    } else {
      word += c;
    }
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

// `entrypoint` / `command`: a list is one argument per item; a string is split into words
// (see ContainerSpec). CircleCI documents both as "String or List" without saying how a
// string is read, but real configs (CircleCI's own Laravel demo among them) write
// `command: mysqld --default-authentication-plugin=mysql_native_password`, which only starts
// when it is split into words, as Docker Compose splits a string command.
std::vector<std::string> argument_vector(const At& at, const Scope& scope, Diagnostics& diag,
                                         std::string_view what) {
  std::vector<std::string> out;
  if (at.node.IsSequence()) {
    for (const At& item : items(at, diag, what)) {
      if (auto v = scalar_text(item, scope, diag, fmt::format("an argument of {}", what))) {
        out.push_back(std::move(*v));
      }
    }
    return out;
  }
  auto v = scalar_text(at, scope, diag, what);
  if (!v) return out;
  auto words = split_words(*v);
  if (!words) {
    diag.error(at, fmt::format("{} has an unterminated quote or ends in a backslash", what));
    return out;
  }
  return std::move(*words);
}

// true/false, also as a YAML 1.1 word in a string (a string parameter substituted whole);
// an empty value is false.
bool flag(const At& at, const Scope& scope, Diagnostics& diag, std::string_view what) {
  auto v = scalar_value(at, scope, diag, what);
  if (v && v->is_null()) return false;
  std::optional<bool> b;
  if (v && v->is_boolean()) b = v->get<bool>();
  if (v && v->is_string()) b = parse_bool_word(v->get<std::string>());
  if (v && !b) diag.error(at, fmt::format("{} must be true or false", what));
  return b.value_or(false);
}

// The text of `key` among `es` ("" when absent).
std::string text_of(const std::vector<Entry>& es, std::string_view key, const Scope& scope,
                    Diagnostics& diag) {
  const Entry* e = find(es, key);
  if (e == nullptr) return "";
  return scalar_text(e->value, scope, diag, key).value_or("");
}

// The registry credentials of an image; each map's keys as the config schema has them.
std::optional<RegistryAuth> registry_auth(const At& at, const Scope& scope, Diagnostics& diag) {
  auto es = entries(at, diag, "auth");
  if (!at.node.IsMap()) return std::nullopt;
  reject_unknown_keys(es, {"username", "password"}, diag, "auth");
  if (find(es, "username") == nullptr || find(es, "password") == nullptr) {
    diag.error(at, "auth needs username and password");
  }
  return RegistryAuth{text_of(es, "username", scope, diag), text_of(es, "password", scope, diag)};
}

std::optional<AwsAuth> aws_auth(const At& at, const Scope& scope, Diagnostics& diag) {
  auto es = entries(at, diag, "aws_auth");
  if (!at.node.IsMap()) return std::nullopt;
  reject_unknown_keys(es, {"aws_access_key_id", "aws_secret_access_key", "oidc_role_arn"}, diag,
                      "aws_auth");
  bool id = find(es, "aws_access_key_id") != nullptr;
  bool secret = find(es, "aws_secret_access_key") != nullptr;
  bool oidc = find(es, "oidc_role_arn") != nullptr;
  if (oidc && (id || secret)) {
    diag.error(at,
               "aws_auth takes either aws_access_key_id and aws_secret_access_key, or "
               "oidc_role_arn, not both");
  } else if (!oidc && !(id && secret)) {
    diag.error(at, "aws_auth needs aws_access_key_id and aws_secret_access_key, or oidc_role_arn");
  }
  return AwsAuth{text_of(es, "aws_access_key_id", scope, diag),
                 text_of(es, "aws_secret_access_key", scope, diag),
                 text_of(es, "oidc_role_arn", scope, diag)};
}

// The keys of CircleCI's "Pull an image from GCP Artifact Registry with OIDC" guide.
std::optional<GcpAuth> gcp_auth(const At& at, const Scope& scope, Diagnostics& diag) {
  auto es = entries(at, diag, "gcp_auth");
  if (!at.node.IsMap()) return std::nullopt;
  reject_unknown_keys(
      es, {"oidc_service_account", "workload_identity_pool", "workload_identity_provider"}, diag,
      "gcp_auth");
  if (find(es, "oidc_service_account") == nullptr ||
      find(es, "workload_identity_pool") == nullptr ||
      find(es, "workload_identity_provider") == nullptr) {
    diag.error(at,
               "gcp_auth needs oidc_service_account, workload_identity_pool and "
               "workload_identity_provider");
  }
  return GcpAuth{text_of(es, "oidc_service_account", scope, diag),
                 text_of(es, "workload_identity_pool", scope, diag),
                 text_of(es, "workload_identity_provider", scope, diag)};
}

// `ports`: a list of ports or mappings ("9092:9092"), or one of them, kept as written.
std::vector<std::string> ports(const At& at, const Scope& scope, Diagnostics& diag) {
  std::vector<std::string> out;
  if (!at.node.IsSequence()) {
    if (auto v = scalar_text(at, scope, diag, "ports"); v && !v->empty()) out.push_back(*v);
    return out;
  }
  for (const At& item : items(at, diag, "ports")) {
    if (auto v = scalar_text(item, scope, diag, "a port")) out.push_back(std::move(*v));
  }
  return out;
}

std::optional<ExecutorSettings> docker(const At& at, const Scope& scope, Diagnostics& diag) {
  ExecutorSettings s;
  s.type = "docker";
  auto images = items(at, diag, "docker");
  if (at.node.IsSequence() && images.empty()) {
    diag.error(at, "docker needs at least one image");
    return std::nullopt;
  }
  for (size_t i = 0; i < images.size(); ++i) {
    auto es = entries(images[i], diag, "a docker image");
    if (!images[i].node.IsMap()) continue;
    reject_unknown_keys(es,
                        {"image", "name", "entrypoint", "command", "user", "environment", "auth",
                         "aws_auth", "gcp_auth", "docker_layer_caching", "ports"},
                        diag, "a docker image");
    const Entry* image = find(es, "image");
    if (image == nullptr) {
      diag.error(images[i], "a docker image needs image:");
      continue;
    }
    ContainerSpec c;
    auto v = scalar_text(image->value, scope, diag, "image");
    if (v) c.image = *v;
    if (i == 0 && v) s.image = *v;
    c.name = text_of(es, "name", scope, diag);
    if (const Entry* e = find(es, "entrypoint")) {
      c.entrypoint = argument_vector(e->value, scope, diag, "entrypoint");
    }
    if (const Entry* e = find(es, "command")) {
      c.command = argument_vector(e->value, scope, diag, "command");
    }
    c.user = text_of(es, "user", scope, diag);
    if (const Entry* e = find(es, "environment")) {
      read_environment(e->value, scope, diag, c.environment);
      // Only the primary container's environment reaches the steps.
      if (i == 0) s.environment = c.environment;
    }
    // An empty credentials key is as if it were not there.
    auto given = [&](std::string_view key) -> const Entry* {
      const Entry* e = find(es, key);
      return e != nullptr && e->value.node.IsDefined() && !e->value.node.IsNull() ? e : nullptr;
    };
    if (const Entry* e = given("auth")) c.auth = registry_auth(e->value, scope, diag);
    if (const Entry* e = given("aws_auth")) c.aws_auth = aws_auth(e->value, scope, diag);
    if (const Entry* e = given("gcp_auth")) c.gcp_auth = gcp_auth(e->value, scope, diag);
    if (const Entry* e = find(es, "ports")) c.ports = ports(e->value, scope, diag);
    if (const Entry* e = find(es, "docker_layer_caching")) {
      c.docker_layer_caching = flag(e->value, scope, diag, "docker_layer_caching");
    }
    s.containers.push_back(std::move(c));
  }
  return s;
}

// `code_signing: [bundle, ...]`: what install_signing_bundle installs (duplicates dropped).
std::vector<std::string> code_signing(const At& at, const Scope& scope, Diagnostics& diag) {
  std::vector<std::string> out;
  for (const At& item : items(at, diag, "code_signing")) {
    auto v = scalar_text(item, scope, diag, "a signing bundle name");
    if (v && v->empty()) {
      diag.error(item, "signing bundle names cannot be empty");
    } else if (v && std::find(out.begin(), out.end(), *v) == out.end()) {
      out.push_back(*v);
    }
  }
  return out;
}

std::optional<ExecutorSettings> machine(const At& at, const Scope& scope, Diagnostics& diag) {
  ExecutorSettings s;
  s.type = "machine";
  if (!at.node.IsMap()) {
    auto v = scalar_value(at, scope, diag, "machine");
    if (v && v->is_boolean() && v->get<bool>()) return s;
    if (v) diag.error(at, "machine must be true or a map with image:");
    return std::nullopt;
  }
  auto es = entries(at, diag, "machine");
  reject_unknown_keys(es,
                      {"image", "docker_layer_caching", "resource_class", "shell", "enabled",
                       "enable", "code_signing"},
                      diag, "machine");
  // `enabled: true` is the 2.0 spelling of `machine: true` (`enable` a common variant of it).
  const Entry* en = find(es, "enabled");
  if (en == nullptr) en = find(es, "enable");
  if (en != nullptr) {
    auto v = scalar_value(en->value, scope, diag, "enabled");
    if (v && !(v->is_boolean() && v->get<bool>())) {
      diag.error(en->value, "machine: enabled must be true");
      return std::nullopt;
    }
  }
  if (const Entry* sh = find(es, "shell")) s.shell = scalar_text(sh->value, scope, diag, "shell");
  if (const Entry* cs = find(es, "code_signing"))
    s.code_signing = code_signing(cs->value, scope, diag);
  if (const Entry* image = find(es, "image")) {
    s.image = scalar_text(image->value, scope, diag, "image").value_or("");
  }
  if (const Entry* dlc = find(es, "docker_layer_caching")) {
    s.docker_layer_caching = flag(dlc->value, scope, diag, "docker_layer_caching");
  }
  if (const Entry* rc = find(es, "resource_class")) {
    s.resource_class = scalar_text(rc->value, scope, diag, "resource_class");
  }
  return s;
}

std::optional<ExecutorSettings> macos(const At& at, const Scope& scope, Diagnostics& diag) {
  ExecutorSettings s;
  s.type = "macos";
  auto es = entries(at, diag, "macos");
  if (!at.node.IsMap()) return std::nullopt;
  reject_unknown_keys(es, {"xcode", "code_signing", "resource_class", "shell"}, diag, "macos");
  if (const Entry* sh = find(es, "shell")) s.shell = scalar_text(sh->value, scope, diag, "shell");
  if (const Entry* cs = find(es, "code_signing"))
    s.code_signing = code_signing(cs->value, scope, diag);
  if (const Entry* rc = find(es, "resource_class")) {
    s.resource_class = scalar_text(rc->value, scope, diag, "resource_class");
  }
  const Entry* xcode = find(es, "xcode");
  if (xcode == nullptr) {
    diag.error(at, "macos needs xcode:");
    return std::nullopt;
  }
  s.image = scalar_text(xcode->value, scope, diag, "xcode").value_or("");
  return s;
}

std::optional<ExecutorSettings> resolve(const std::vector<Entry>& es, const At& owner,
                                        bool allow_named, const Scope& scope, Diagnostics& diag,
                                        int depth);

std::optional<ExecutorSettings> named(const At& at, const Scope& scope, Diagnostics& diag,
                                      int depth) {
  if (depth >= kMaxExecutorDepth) {
    diag.error(at, "executors nest too deeply");
    return std::nullopt;
  }
  // `executor: << parameters.e >>` with an executor parameter: its value, in its scope.
  if (at.node.IsScalar() && scope.nodes != nullptr) {
    if (auto ref = whole_parameter_reference(at.node.Scalar())) {
      if (auto it = scope.nodes->find(*ref); it != scope.nodes->end()) {
        return named(it->second.at, it->second.scope, diag, depth + 1);
      }
    }
  }
  std::string name;
  std::vector<Arg> args;
  if (at.node.IsMap()) {
    auto es = entries(at, diag, "executor");
    const Entry* n = find(es, "name");
    if (n == nullptr) {
      diag.error(at, "executor needs a name");
      return std::nullopt;
    }
    name = scalar_text(n->value, scope, diag, "name").value_or("");
    args = read_arguments(es, scope, diag, {"name"});
  } else {
    auto v = scalar_text(at, scope, diag, "executor");
    if (!v) return std::nullopt;
    name = *v;
  }
  if (name.empty()) {
    diag.error(at, "executor needs a name");
    return std::nullopt;
  }
  if (scope.elements == nullptr) return std::nullopt;
  auto found = find_executor(*scope.elements, name);
  if (found.unresolved) return std::nullopt;
  if (found.def == nullptr) {
    std::string why = why_not_found(found, "executor");
    diag.error(at, why.empty() ? fmt::format("executor {} is not defined", name)
                               : fmt::format("executor {} is not defined: {}", name, why));
    return std::nullopt;
  }
  const ExecutorDef& def = *found.def;
  // The executor sees its own parameters and the pipeline's, not the job's.
  NodeValues nodes;
  Scope defaults{scope.pipeline, nullptr, def.home};
  ParamValues values = bind_arguments(
      def.params, args, at, diag, describe_element("executor", name, def.home), &nodes, &defaults);
  Scope inner{scope.pipeline, &values, def.home, &nodes};
  auto es = entries(def.at, diag, "an executor");
  return resolve(es, def.at, false, inner, diag, depth + 1);
}

std::optional<ExecutorSettings> resolve(const std::vector<Entry>& es, const At& owner,
                                        bool allow_named, const Scope& scope, Diagnostics& diag,
                                        int depth) {
  std::vector<const Entry*> kinds;
  for (const Entry& e : es) {
    if (is_executor_key(e.name) && (allow_named || e.name != "executor")) kinds.push_back(&e);
  }
  if (kinds.empty()) {
    diag.error(owner, allow_named ? "a job needs an executor: docker, machine, macos or executor"
                                  : "an executor needs docker, machine or macos");
    return std::nullopt;
  }
  if (kinds.size() > 1) {
    diag.error(kinds[1]->key,
               fmt::format("only one executor is allowed, but both {} and {} are set",
                           kinds[0]->name, kinds[1]->name));
    return std::nullopt;
  }
  const Entry& k = *kinds.front();
  std::optional<ExecutorSettings> s;
  if (k.name == "docker") s = docker(k.value, scope, diag);
  if (k.name == "machine") s = machine(k.value, scope, diag);
  if (k.name == "macos") s = macos(k.value, scope, diag);
  if (k.name == "executor") s = named(k.value, scope, diag, depth);
  if (!s) return s;
  if (allow_named) return s;  // a job's own keys are read by the job
  // Inside an executor definition: its own settings, over those of any executor it names.
  if (const Entry* e = find(es, "resource_class")) {
    s->resource_class = scalar_text(e->value, scope, diag, "resource_class");
  }
  if (const Entry* e = find(es, "shell")) s->shell = scalar_text(e->value, scope, diag, "shell");
  if (const Entry* e = find(es, "working_directory")) {
    s->working_directory = scalar_text(e->value, scope, diag, "working_directory");
  }
  if (const Entry* e = find(es, "environment"))
    read_environment(e->value, scope, diag, s->environment);
  return s;
}

}  // namespace

bool is_executor_key(std::string_view key) {
  return key == "docker" || key == "machine" || key == "macos" || key == "executor";
}

ExecutorDefs parse_executor_defs(const At& at, bool strict_names, const Elements* home,
                                 Diagnostics& diag) {
  ExecutorDefs out;
  if (!at.node.IsDefined() || at.node.IsNull()) return out;
  for (const Entry& e : entries(at, diag, "executors")) {
    if (strict_names && !is_element_name(e.name)) {
      diag.error(e.key, fmt::format("invalid executor name {}: names start with a letter and use "
                                    "only letters, digits, _ and -",
                                    e.name));
    }
    auto es = entries(e.value, diag, "an executor");
    if (!e.value.node.IsMap()) continue;
    reject_unknown_keys(es,
                        {"docker", "machine", "macos", "resource_class", "shell",
                         "working_directory", "environment", "parameters", "description"},
                        diag, "an executor");
    ExecutorDef def{e.name, e.value, {}, home};
    if (const Entry* p = find(es, "parameters")) {
      def.params = parse_param_decls(p->value, ParamOwner::Element, diag);
    }
    out.emplace(e.name, std::move(def));
  }
  return out;
}

std::optional<ExecutorSettings> resolve_executor(const std::vector<Entry>& es, const At& owner,
                                                 bool allow_named, const Scope& scope,
                                                 Diagnostics& diag) {
  return resolve(es, owner, allow_named, scope, diag, 0);
}

}  // namespace halo::config
