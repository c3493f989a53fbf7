#include "config/substitution.h"

#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "config/elements.h"
#include "config/expression.h"

namespace halo::config {

namespace {

// Identifier grammar of references: [a-zA-Z][\w-]*(\.[\w-]+)*.
bool is_reference_name(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  bool after_dot = false;
  for (char c : s) {
    if (c == '.') {
      if (after_dot) return false;
      after_dot = true;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    after_dot = false;
  }
  return !after_dot;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A reference we substitute: `<< name >>` with a name in one of our namespaces.
bool is_reference(std::string_view name) {
  return is_reference_name(name) &&
         (starts_with(name, "parameters.") || starts_with(name, "pipeline.") ||
          starts_with(name, "matrix."));
}

// A reference, or an expression over references (`<< pipeline.git.branch == "main" >>`).
bool is_substituted(std::string_view text) {
  return is_reference(text) || is_expression(text);
}

// Pipeline values CircleCI documents; others are accepted only when the trigger set them.
bool is_known_pipeline_value(std::string_view name) {
  static const char* const kKnown[] = {
      "id",
      "number",
      "name",
      "definition.id",
      "integration_source",
      "project.git_url",
      "project.type",
      "project.slug",
      "git.tag",
      "git.branch",
      "git.branch.is_default",
      "git.revision",
      "git.base_revision",
      "git.repo_url",
      "git.repo_owner",
      "git.repo_name",
      "git.repo_id",
      "git.commit.url",
      "git.commit.subject",
      "git.commit.body",
      "git.commit.author_login",
      "config.repository.name",
      "config.repository.url",
      "config.file_path",
      "config.ref",
      "config.sha",
      "trigger.received_at",
      "trigger.id",
      "trigger.type",
      "trigger_source",
      "schedule.name",
      "schedule.id",
      "event.name",
      "event.action",
  };
  for (const char* k : kKnown) {
    if (name == k) return true;
  }
  return starts_with(name, "trigger_parameters.") || starts_with(name, "event.github.") ||
         starts_with(name, "deploy.");
}

std::optional<json> lookup_pipeline_value(const json& values, const std::string& name) {
  if (!values.is_object()) return std::nullopt;
  if (auto it = values.find(name); it != values.end()) return *it;
  // Also accept nested objects ({"git": {"branch": ...}}).
  const json* cur = &values;
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    std::string part =
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return std::nullopt;
    auto it = cur->find(part);
    if (it == cur->end()) return std::nullopt;
    cur = &*it;
    if (dot == std::string::npos) return *cur;
    start = dot + 1;
  }
  return std::nullopt;
}

json normalize(const json& v) {
  if (v.is_null()) return "";
  // Lists and maps are the values of steps/executor parameters used as plain values.
  if (v.is_string() || v.is_boolean() || v.is_number_integer() || v.is_structured()) return v;
  if (v.is_number()) return v.dump();
  return v.dump();
}

json resolve(const std::string& name, const Scope& scope, Diagnostics& diag, const At& at) {
  if (!is_reference(name)) return expression_value(name, scope, diag, at).value_or(json(""));
  if (starts_with(name, "parameters.")) {
    std::string p = name.substr(11);
    if (scope.parameters == nullptr) {
      diag.error(at, fmt::format("<< {} >> can only be used inside a job or an executor", name));
      return "";
    }
    auto it = scope.parameters->find(p);
    if (it == scope.parameters->end()) {
      diag.error(at, fmt::format("parameter {} is not declared", p));
      return "";
    }
    // Null: declared but unbound; the missing argument was already reported.
    return normalize(it->second);
  }
  if (starts_with(name, "matrix.")) {
    std::string p = name.substr(7);
    if (scope.matrix != nullptr) {
      if (auto it = scope.matrix->find(p); it != scope.matrix->end()) return normalize(it->second);
    }
    diag.error(at, fmt::format("<< {} >> is not a parameter of this job's matrix", name));
    return "";
  }
  std::string rest = name.substr(9);  // after "pipeline."
  if (starts_with(rest, "parameters.")) {
    std::string p = rest.substr(11);
    // Orbs are reusable across projects: they cannot depend on one config's parameters.
    if (scope.elements != nullptr && !scope.elements->orb.empty()) {
      diag.error(at, fmt::format("pipeline parameter {} is not visible inside orb {}", p,
                                 scope.elements->orb));
      return "";
    }
    if (scope.pipeline != nullptr) {
      auto it = scope.pipeline->parameters.find(p);
      if (it != scope.pipeline->parameters.end()) return normalize(it->second);
    }
    diag.error(at, fmt::format("pipeline parameter {} is not declared", p));
    return "";
  }
  if (scope.pipeline != nullptr) {
    if (auto v = lookup_pipeline_value(scope.pipeline->values, rest)) return normalize(*v);
  }
  if (is_known_pipeline_value(rest)) return "";  // known but not set for this pipeline
  diag.error(at, fmt::format("unknown pipeline value {}", name));
  return "";
}

struct Piece {
  std::string text;  // literal text, or the reference name
  bool reference = false;
};

std::vector<Piece> scan(std::string_view text) {
  std::vector<Piece> out;
  auto literal = [&](std::string_view s) {
    if (s.empty()) return;
    if (out.empty() || out.back().reference) out.push_back({std::string(), false});
    out.back().text.append(s);
  };
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "\\<<") == 0) {
      literal("<<");
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "<<") == 0) {
      size_t end = text.find(">>", i + 2);
      if (end != std::string_view::npos) {
        std::string_view name = trim(text.substr(i + 2, end - i - 2));
        if (is_substituted(name)) {
          out.push_back({std::string(name), true});
          i = end + 2;
          continue;
        }
      }
      literal("<<");
      i += 2;
      continue;
    }
    size_t next = text.find_first_of("\\<", i + 1);
    if (next == std::string_view::npos) next = text.size();
    literal(text.substr(i, next - i));
    i = next;
  }
  return out;
}

}  // namespace

std::optional<std::string> whole_parameter_reference(std::string_view text) {
  std::string_view t = trim(text);
  if (t.size() < 4 || t.substr(0, 2) != "<<" || t.substr(t.size() - 2) != ">>") return std::nullopt;
  std::string_view name = trim(t.substr(2, t.size() - 4));
  if (!starts_with(name, "parameters.") || !is_reference_name(name)) return std::nullopt;
  if (name.find(">>") != std::string_view::npos) return std::nullopt;
  return std::string(name.substr(11));
}

json substitute(std::string_view text, const Scope& scope, Diagnostics& diag, const At& at) {
  std::vector<Piece> pieces = scan(text);
  size_t refs = 0;
  bool only_space = true;
  for (const Piece& p : pieces) {
    if (p.reference) {
      ++refs;
    } else if (!trim(p.text).empty()) {
      only_space = false;
    }
  }
  if (refs == 1 && only_space) {
    for (const Piece& p : pieces) {
      if (p.reference) return resolve(p.text, scope, diag, at);
    }
  }
  std::string out;
  for (const Piece& p : pieces) {
    out += p.reference ? stringify(resolve(p.text, scope, diag, at)) : p.text;
  }
  return out;
}

std::string escape_references(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "<<") == 0) {
      size_t end = text.find(">>", i + 2);
      bool would_substitute =
          end != std::string_view::npos && is_substituted(trim(text.substr(i + 2, end - i - 2)));
      // A backslash right before << would be read as an escape: keep it by escaping too.
      bool after_backslash = i > 0 && text[i - 1] == '\\';
      if (would_substitute || after_backslash) out += '\\';
      out += "<<";
      i += 2;
      continue;
    }
    out += text[i++];
  }
  return out;
}

std::optional<json> scalar_value(const At& at, const Scope& scope, Diagnostics& diag,
                                 std::string_view what) {
  const yaml::Node& n = at.node;
  if (!n.IsDefined() || n.IsNull()) return json(nullptr);
  if (!n.IsScalar()) {
    diag.error(at, fmt::format("{} must be a single value, not a {}", what, kind_name(n)));
    return std::nullopt;
  }
  const std::string& s = n.Scalar();
  if (s.find("<<") == std::string::npos) return typed_scalar(n);
  json v = substitute(s, scope, diag, at);
  // A substituted string is resolved like a plain scalar when the reference was the whole
  // value of a plain scalar: `parallelism: << parameters.n >>` with n = "4" gives 4.
  if (v.is_string() && is_plain(n)) {
    const std::string& t = v.get_ref<const std::string&>();
    if (auto i = parse_int(t)) return json(*i);
  }
  return v;
}

std::optional<std::string> scalar_text(const At& at, const Scope& scope, Diagnostics& diag,
                                       std::string_view what) {
  const yaml::Node& n = at.node;
  if (!n.IsDefined() || n.IsNull()) return std::string();
  if (!n.IsScalar()) {
    diag.error(at, fmt::format("{} must be a string, not a {}", what, kind_name(n)));
    return std::nullopt;
  }
  const std::string& s = n.Scalar();
  if (s.find("<<") == std::string::npos) return s;
  return stringify(substitute(s, scope, diag, at));
}

std::string pipeline_string(const PipelineScope& pipeline, const std::string& name) {
  auto v = lookup_pipeline_value(pipeline.values, name);
  return v ? stringify(normalize(*v)) : std::string();
}

std::string stringify(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace halo::config
